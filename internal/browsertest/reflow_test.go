package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/chromedp/chromedp"
)

// viewport is a window size to emulate, in CSS pixels.
type viewport struct {
	name          string
	width, height int64
	scale         float64 // device pixels per CSS pixel
}

var (
	desktop = viewport{"1280px window", 1280, 1024, 1}
	// narrow is WCAG 1.4.10's 320 CSS px: content must reflow, not scroll sideways.
	narrow = viewport{"320 CSS px", 320, 640, 1}
	// zoom200 is a 1280px window zoomed to 200%: half the CSS pixels, each twice the size.
	zoom200 = viewport{"1280px window at 200% zoom", 640, 512, 2}
)

func setViewport(v viewport) chromedp.Action[chromedp.Void] {
	// Not mobile: a mobile viewport would widen itself to fit content and
	// hide the very overflow this looks for.
	return chromedp.EmulateViewport(v.width, v.height, chromedp.EmulateScale(v.scale))
}

// overflow is what made a page wider than its viewport.
type overflow struct {
	ScrollWidth float64   `json:"scrollWidth"`
	InnerWidth  float64   `json:"innerWidth"`
	Culprits    []culprit `json:"culprits"`
	Viewport    viewport  `json:"-"`
}

// culprit is an element that sticks out past the right edge of the
// viewport while its parent does not, so it is where a fix belongs.
type culprit struct {
	Selector string  `json:"selector"`
	HTML     string  `json:"html"`
	Right    float64 `json:"right"`
	Width    float64 `json:"width"`
	Text     bool    `json:"text"` // its text, not its box, overflows
}

func (o overflow) ok() bool {
	return o.ScrollWidth <= o.InnerWidth && len(o.Culprits) == 0
}

func (o overflow) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "at %s (%gx%g CSS px, scale %g) the page scrolls sideways: scrollWidth %g > innerWidth %g",
		o.Viewport.name, float64(o.Viewport.width), float64(o.Viewport.height), o.Viewport.scale, o.ScrollWidth, o.InnerWidth)
	if o.ScrollWidth <= o.InnerWidth {
		fmt.Fprintf(&b, " (or would, but the overflow is clipped, hiding content)")
	}
	for _, c := range o.Culprits {
		what := "box"
		if c.Text {
			what = "text"
		}
		fmt.Fprintf(&b, "\n    %s %s reaches x=%g (width %g): %s", c.Selector, what, c.Right, c.Width, c.HTML)
	}
	return b.String()
}

// checkReflow emulates v on the page already loaded in ctx and reports
// whether anything scrolls or sticks out sideways.
func checkReflow(ctx context.Context, v viewport) (overflow, error) {
	if err := chromedp.Do(ctx, setViewport(v)); err != nil {
		return overflow{}, fmt.Errorf("emulate %s: %w", v.name, err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](overflowJS))
	if err != nil {
		return overflow{}, fmt.Errorf("measure overflow at %s: %w", v.name, err)
	}
	var o overflow
	if err := json.Unmarshal([]byte(raw), &o); err != nil {
		return overflow{}, fmt.Errorf("decode overflow: %w", err)
	}
	o.Viewport = v
	return o, nil
}

// overflowJS finds boxes and text that reach past the right edge of the
// viewport, skipping what a scrolling or clipping container (other than the
// page itself) keeps inside the viewport, and visually hidden 1px boxes.
const overflowJS = jsHelpers + `(() => {
  const vw = window.innerWidth, doc = document.documentElement;
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body && a !== doc; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= vw + 0.5) return true;
    }
    return false;
  };
  const sticksOut = new Set();
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || r.right <= vw + 0.5) continue;
    if (getComputedStyle(el).display === 'none' || clipped(el)) continue;
    sticksOut.add(el);
  }
  const culprits = [];
  for (const el of sticksOut) {
    if (sticksOut.has(el.parentElement)) continue;
    const r = el.getBoundingClientRect();
    culprits.push({selector: jp.path(el), html: jp.html(el), right: r.right, width: r.width, text: false});
  }
  // Text, such as a long word or address, can overflow a box that fits.
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  const seen = new Set();
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || seen.has(el) || !n.textContent.trim()) continue;
    range.selectNodeContents(n);
    const r = range.getBoundingClientRect();
    if (r.width <= 1 || r.height <= 1 || r.right <= vw + 0.5) continue;
    let inWide = false;
    for (let a = el; a; a = a.parentElement) if (sticksOut.has(a)) { inWide = true; break; }
    if (inWide || clipped(n)) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden' || cs.clipPath === 'inset(50%)') continue;
    seen.add(el);
    culprits.push({selector: jp.path(el), html: jp.html(el), right: r.right, width: r.width, text: true});
  }
  return JSON.stringify({scrollWidth: doc.scrollWidth, innerWidth: vw, culprits: culprits.slice(0, 20)});
})()`

// jsHelpers defines window.jp: a short CSS path to an element and the start
// of its markup, for messages, and the list of the page's tab stops.
const jsHelpers = `window.jp = window.jp || {
  path(el) {
    const parts = [];
    for (; el && el.nodeType === 1 && el !== document.documentElement; el = el.parentElement) {
      let p = el.localName;
      if (el.id) { parts.unshift(p + '#' + CSS.escape(el.id)); break; }
      const cls = [...el.classList].slice(0, 2).map(c => '.' + CSS.escape(c)).join('');
      p += cls;
      const sibs = el.parentElement ? [...el.parentElement.children].filter(s => s.localName === el.localName) : [];
      if (sibs.length > 1) p += ':nth-of-type(' + (sibs.indexOf(el) + 1) + ')';
      parts.unshift(p);
    }
    return parts.join(' > ');
  },
  // tabStops lists the elements Tab should reach, in DOM order, with one
  // stop for each group of radios (the checked one, else the first).
  tabStops() {
    const sel = 'a[href], area[href], button, input, select, textarea, iframe, summary, [tabindex], [contenteditable]';
    const items = [], radioGroups = new Map();
    for (const el of document.querySelectorAll(sel)) {
      if (el.disabled || el.tabIndex < 0 || el.closest('[inert]')) continue;
      if (el.localName === 'input' && el.type === 'hidden') continue;
      if (el.localName === 'summary' && !(el.parentElement && el.parentElement.localName === 'details' &&
          el.parentElement.querySelector(':scope > summary') === el)) continue;
      if (el.hasAttribute('contenteditable') && !el.isContentEditable) continue;
      if (getComputedStyle(el).visibility !== 'visible' || el.getClientRects().length === 0) continue;
      if (el.localName === 'input' && el.type === 'radio' && el.name) {
        const key = el.name + '\u0000' + (el.form ? [...document.forms].indexOf(el.form) : -1);
        const g = radioGroups.get(key);
        if (g) {
          if (el.checked && !items[g.at].checked) items[g.at] = el;
          continue;
        }
        radioGroups.set(key, {at: items.length});
      }
      items.push(el);
    }
    return items;
  },
  html(el) {
    const h = el.outerHTML.replace(/\s+/g, ' ');
    return h.length > 160 ? h.slice(0, 160) + '…' : h;
  },
};
`
