package browsertest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// press sends one key through DevTools' Input.dispatchKeyEvent, as a
// keyboard would: no script moves the focus for the test.
func press(ctx context.Context, key string) error {
	if err := chromedp.Do(ctx, chromedp.KeyEvent(key)); err != nil {
		return fmt.Errorf("press %q: %w", key, err)
	}
	return nil
}

// evalJSON evaluates script, which returns JSON.stringify(...), into v.
func evalJSON(ctx context.Context, script string, v any) error {
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](jsHelpers+script))
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(raw), v)
}

// checkSkipLink checks, on a freshly loaded page, that the first Tab
// reaches a visible "Skip to main content" link, that Enter on it moves to
// #maincontent, and that the next Tab lands on the first link or control in
// the main content (or after it, on a page whose main content has none).
func checkSkipLink(ctx context.Context) ([]string, error) {
	if err := press(ctx, kb.Tab); err != nil {
		return nil, err
	}
	var first struct {
		Desc, HTML, Text, Href string
		IsLink, Visible        bool
		Why                    string
	}
	if err := evalJSON(ctx, `(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return JSON.stringify({desc: '(nothing)'});
  const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
  let why = '';
  if (r.width <= 1 || r.height <= 1) why = 'its box is ' + r.width + 'x' + r.height + ' px';
  else if (r.bottom <= 0 || r.right <= 0 || r.top >= innerHeight || r.left >= innerWidth) why = 'it is outside the viewport';
  else if (cs.visibility !== 'visible' || cs.opacity === '0') why = 'it is invisible (visibility ' + cs.visibility + ', opacity ' + cs.opacity + ')';
  else if (cs.clipPath !== 'none' || (cs.clip !== 'auto' && cs.position === 'absolute')) why = 'it is clipped (' + cs.clipPath + ', ' + cs.clip + ')';
  return JSON.stringify({desc: jp.path(el), html: jp.html(el), text: el.textContent.trim().replace(/\s+/g, ' '),
    href: el.getAttribute('href') || '', isLink: el.localName === 'a', visible: why === '', why});
})()`, &first); err != nil {
		return nil, fmt.Errorf("skip link: %w", err)
	}
	var problems []string
	if !first.IsLink || first.Text != "Skip to main content" || first.Href != "#maincontent" {
		return append(problems, fmt.Sprintf(`the first Tab focused %s %s, not the skip link <a href="#maincontent">Skip to main content</a>`,
			first.Desc, first.HTML)), nil
	}
	if !first.Visible {
		problems = append(problems, "the skip link is focused but not visible: "+first.Why)
	}
	if err := press(ctx, kb.Enter); err != nil {
		return nil, err
	}
	var after struct {
		Hash, Active, Next string
		HasMain, InMain    bool
		OnNext             bool
	}
	// Next is the first tab stop in the main content or, when it has none,
	// after it: where Tab must go once the skip link has moved there.
	step := `(() => {
  const m = document.getElementById('maincontent'), ae = document.activeElement;
  const next = m && jp.tabStops().find(s => m.contains(s) || (m.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING));
  return JSON.stringify({hash: location.hash, active: ae && ae !== document.body ? jp.path(ae) + ' ' + jp.html(ae) : '(nothing)',
    hasMain: !!m && (m.localName === 'main' || m.getAttribute('role') === 'main'), inMain: !!m && !!ae && m.contains(ae),
    next: next ? jp.path(next) + ' ' + jp.html(next) : '(none)', onNext: !!next && next === ae});
})()`
	if err := evalJSON(ctx, step, &after); err != nil {
		return nil, fmt.Errorf("skip link: %w", err)
	}
	if !after.HasMain {
		return append(problems, "the skip link points at #maincontent, but no <main id=\"maincontent\"> is on the page"), nil
	}
	if after.Hash != "#maincontent" && !after.InMain {
		problems = append(problems, fmt.Sprintf("Enter on the skip link did not move to #maincontent: location.hash is %q and the focus is on %s",
			after.Hash, after.Active))
	}
	if err := press(ctx, kb.Tab); err != nil {
		return nil, err
	}
	if err := evalJSON(ctx, step, &after); err != nil {
		return nil, fmt.Errorf("skip link: %w", err)
	}
	if !after.OnNext {
		problems = append(problems, "after the skip link, the next Tab focused "+after.Active+
			", not the first tab stop in (or, when it has none, after) #maincontent: "+after.Next)
	}
	return problems, nil
}

// tabStep is where one press of Tab put the focus, and how it showed.
type tabStep struct {
	Index     int    `json:"index"` // in the expected order; -1 if not a tab stop found in the DOM
	Desc      string `json:"desc"`
	Indicator string `json:"indicator"` // what changed to show the focus; empty if nothing
}

// checkTabOrder presses Tab through a freshly loaded page, counting its tab
// stops, and reports any
// link or form control not reached in DOM order, and any focus that does not
// show: a visible outline, a box-shadow or a background colour must appear
// on the element, its ::before or ::after, or its label (where custom
// checkboxes draw their focus).
func checkTabOrder(ctx context.Context) (stops int, problems []string, err error) {
	var expected []string
	if err := evalJSON(ctx, tabSetupJS, &expected); err != nil {
		return 0, nil, fmt.Errorf("tab order: %w", err)
	}
	reached := make([]bool, len(expected))
	shown := make([]bool, len(expected))
	orderReported := false
	// next is the stop that a Tab moving on should reach. Tab can stay on
	// one control (see maxTabs), which then needs to show its focus on at
	// least one of those presses.
	prev, next := -1, 0
	for presses := 0; next < len(expected) && presses < maxTabs(len(expected)); presses++ {
		if err := press(ctx, kb.Tab); err != nil {
			return 0, nil, err
		}
		var s tabStep
		if err := evalJSON(ctx, tabStepJS, &s); err != nil {
			return 0, nil, fmt.Errorf("tab order: %w", err)
		}
		if s.Index >= 0 {
			reached[s.Index] = true
			shown[s.Index] = shown[s.Index] || s.Indicator != ""
			if s.Index == prev {
				continue
			}
		}
		if s.Index != next && !orderReported {
			orderReported = true
			problems = append(problems, fmt.Sprintf("Tab %d focused %s, but DOM order expects %s", presses+1, s.Desc, expected[next]))
		}
		prev = s.Index
		next++
	}
	for i, ok := range reached {
		switch {
		case !ok:
			problems = append(problems, "never reached with Tab: "+expected[i])
		case !shown[i]:
			problems = append(problems, "no visible focus indicator on "+expected[i])
		}
	}
	return len(expected), problems, nil
}

// maxTabs is the most presses of Tab that can take the focus through a page
// of this many tab stops: a date or time input takes a Tab for each of its
// fields (up to three) and one for its picker button.
func maxTabs(stops int) int { return 4*stops + 1 }

// tabSetupJS lists the page's tab stops in DOM order and records how each
// looks unfocused, for tabStepJS to compare against.
const tabSetupJS = `(() => {
  const items = jp.tabStops();
  const transparent = c => c === 'transparent' || /^rgba\(.*,\s*0\)$/.test(c);
  const look = (el, pseudo) => {
    const cs = getComputedStyle(el, pseudo);
    const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0 && !transparent(cs.outlineColor)
      ? cs.outlineStyle + ' ' + cs.outlineWidth + ' ' + cs.outlineColor : '';
    return {outline, shadow: cs.boxShadow, bg: cs.backgroundColor};
  };
  const snap = el => {
    const parts = [el, ...(el.labels ? [...el.labels] : [])];
    return parts.flatMap(p => [look(p, null), look(p, '::before'), look(p, '::after')]);
  };
  const describe = el => jp.path(el) + ' ' + jp.html(el);
  window.__kb = {items, snap, describe, before: items.map(snap)};
  return JSON.stringify(items.map(describe));
})()`

// tabStepJS reports where the focus is and what shows it.
const tabStepJS = `(() => {
  const kb = window.__kb, ae = document.activeElement;
  const index = kb.items.indexOf(ae);
  const desc = !ae || ae === document.body ? '(nothing: the focus left the page)' : kb.describe(ae);
  let indicator = '';
  if (index >= 0) {
    const before = kb.before[index], now = kb.snap(ae);
    for (let k = 0; k < now.length && !indicator; k++) {
      const b = before[k], n = now[k];
      if (n.outline && n.outline !== b.outline) indicator = 'outline ' + n.outline;
      else if (n.shadow !== 'none' && n.shadow !== b.shadow) indicator = 'box-shadow ' + n.shadow;
      else if (n.bg !== b.bg) indicator = 'background ' + b.bg + ' to ' + n.bg;
    }
  }
  return JSON.stringify({index, desc, indicator});
})()`

// checkForms finds the forms on the page at url and, for each in turn on a
// fresh load, tabs to its submit button and presses Enter. If the page that
// comes back has an NHS error summary, the focus must be on it, so a screen
// reader announces the errors. It returns how many forms it found.
func checkForms(ctx context.Context, url string) (int, []string, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return 0, nil, fmt.Errorf("forms: load %s: %w", url, err)
	}
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.forms.length`))
	if err != nil {
		return 0, nil, fmt.Errorf("forms: %w", err)
	}
	var problems []string
	for k := range n {
		p, err := checkForm(ctx, url, k)
		if err != nil {
			return n, problems, err
		}
		problems = append(problems, p...)
	}
	return n, problems, nil
}

func checkForm(ctx context.Context, url string, k int) ([]string, error) {
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return nil, fmt.Errorf("forms: load %s: %w", url, err)
	}
	var form struct {
		Desc, Submit string
		Stops        int
	}
	if err := evalJSON(ctx, fmt.Sprintf(`(() => {
  const f = document.forms[%d];
  window.__submit = [...f.elements].find(e => (e.type === 'submit' || e.type === 'image') && !e.disabled) || null;
  return JSON.stringify({desc: jp.path(f) + ' (action ' + f.getAttribute('action') + ')',
    submit: window.__submit ? jp.html(window.__submit) : '', stops: jp.tabStops().length});
})()`, k), &form); err != nil {
		return nil, fmt.Errorf("forms: %w", err)
	}
	if form.Submit == "" {
		return []string{"form " + form.Desc + " has no submit button, so it cannot be submitted from one with Enter"}, nil
	}
	reached := false
	for range maxTabs(form.Stops) {
		if err := press(ctx, kb.Tab); err != nil {
			return nil, err
		}
		on, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement === window.__submit`))
		if err != nil {
			return nil, fmt.Errorf("forms: %w", err)
		}
		if on {
			reached = true
			break
		}
	}
	if !reached {
		return []string{"form " + form.Desc + ": Tab never reached its submit button " + form.Submit}, nil
	}
	wait, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	_, err := chromedp.Run(wait, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter)))
	if errors.Is(err, context.DeadlineExceeded) {
		return []string{"form " + form.Desc + ": Enter on " + form.Submit +
			" loaded no page within 10s (is browser validation, such as `required` without `novalidate`, stopping it?)"}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("forms: submit: %w", err)
	}
	var res struct {
		Summary, Active string
		Focused         bool
		Location        string
	}
	// Browsers apply autofocus at a rendering step after the load event, so
	// give the focus up to two seconds to arrive before judging.
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](jsHelpers+`new Promise(resolve => {
  const started = performance.now();
  const check = () => {
    const s = document.querySelector('.nhsuk-error-summary'), ae = document.activeElement;
    const focused = !!s && !!ae && s.contains(ae);
    if (!s || focused || performance.now() - started > 2000) {
      resolve(JSON.stringify({summary: s ? jp.path(s) : '', focused: focused,
        active: ae && ae !== document.body ? jp.path(ae) : '(nothing)', location: location.pathname + location.search}));
      return;
    }
    setTimeout(check, 50);
  };
  check();
})`, chromedp.EvalAwaitPromise))
	if err == nil {
		err = json.Unmarshal([]byte(raw), &res)
	}
	if err != nil {
		return nil, fmt.Errorf("forms: after submit: %w", err)
	}
	if res.Summary != "" && !res.Focused {
		return []string{fmt.Sprintf("form %s: after submitting, %s shows the error summary %s but the focus is on %s; "+
			"the summary must take the focus (tabindex=\"-1\" and autofocus on it)", form.Desc, res.Location, res.Summary, res.Active)}, nil
	}
	return nil, nil
}
