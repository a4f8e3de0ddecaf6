package browsertest

import (
	"image/color"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/joinedup/joinedup/internal/media/mediatest"
)

// TestEditorUploadsImageByKeyboard uploads an image with its alt text and
// makes it a post's lead image, by keyboard alone: only choosing the file,
// which a person does in the system's file dialog, is done through
// DevTools.
func TestEditorUploadsImageByKeyboard(t *testing.T) {
	execPath := requireChromium(t)
	base := startSiteWithEditor(t)
	browser := newBrowser(t, execPath)
	ctx := newTab(t, browser, 90*time.Second)
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s (on %s, focus on #%s): %v", what, location(ctx), activeID(ctx), err)
		}
	}
	checkAxe := func() {
		t.Helper()
		vs, err := runAxe(ctx)
		step("axe", err)
		for _, v := range vs {
			t.Errorf("axe on %s: %s", location(ctx), v)
		}
	}
	photo := filepath.Join(t.TempDir(), "walk.jpg")
	step("write the photo", os.WriteFile(photo,
		mediatest.JPEGWithEXIF(mediatest.Halves(900, 600, color.NRGBA{G: 160, A: 255}, color.NRGBA{B: 200, A: 255}), 1), 0o600))
	const alt = "Walkers gathering at the park gate"

	signInAs(journey{t: t, ctx: ctx}, base, journeyEmail)
	step("tab to the media library", tabTo(ctx, `main a[href="/admin/media"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	step("tab to Upload a file", tabTo(ctx, `a[href="/admin/media/new"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	checkAxe()
	step("tab to the alt text", tabTo(ctx, "#alt"))
	step("type the alt text", typeText(ctx, alt))
	step("tab to the file", tabTo(ctx, "#file"))
	step("choose the file", chromedp.Do(ctx, chromedp.SetUploadFiles(chromedp.ID("file"), []string{photo})))
	step("tab to Upload", tabTo(ctx, `main form button[type="submit"]`))
	step("submit with Enter", pressAndLoad(ctx, kb.Enter))
	if loc := location(ctx); !regexp.MustCompile(`^/admin/media/\d+$`).MatchString(loc) {
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
		t.Fatalf("after uploading: on %s, saying:\n%.600s", loc, text)
	}
	checkAxe()

	step("tab to Posts", tabTo(ctx, `a[href="/admin/posts"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	step("tab to Add a post", tabTo(ctx, `a[href="/admin/posts/new"]`))
	step("follow it", pressAndLoad(ctx, kb.Enter))
	for _, f := range []struct{ id, text string }{
		{"#title", "Walk for health"}, {"#slug", "walk-for-health"}, {"#summary", "A walk in the park."},
	} {
		step("tab to "+f.id, tabTo(ctx, f.id))
		step("type "+f.id, typeText(ctx, f.text))
	}
	step("tab to the lead image", tabTo(ctx, "#lead_image"))
	step("choose the image", press(ctx, kb.ArrowDown))
	step("tab to the publication", tabTo(ctx, `input[name="publish"]`))
	step("choose Publish now", press(ctx, kb.ArrowDown))
	step("tab to Save", tabTo(ctx, `main form button[type="submit"]`))
	step("submit with Enter", pressAndLoad(ctx, kb.Enter))
	if loc := location(ctx); !regexp.MustCompile(`^/admin/posts/\d+$`).MatchString(loc) {
		text, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('main').innerText`))
		t.Fatalf("after saving the post: on %s, saying:\n%.600s", loc, text)
	}
	checkAxe()

	step("open the post", chromedp.Do(ctx, chromedp.Navigate(base+"/news/walk-for-health")))
	var img struct {
		Alt, Srcset string
		Width       int
		Loaded      bool
	}
	step("read the lead image", evalJSON(ctx, `(() => {
  const img = document.querySelector('main figure img');
  if (!img) return JSON.stringify({});
  return JSON.stringify({alt: img.alt, srcset: img.srcset, width: img.width, loaded: img.complete && img.naturalWidth > 0});
})()`, &img))
	if img.Alt != alt || !strings.Contains(img.Srcset, "640w") || !img.Loaded {
		t.Errorf("the post's lead image: %+v; want the alt text typed, a srcset, and the image loaded", img)
	}
	checkAxe()

	// The pages with images, and the two-factor set-up, pass axe and
	// reflow at 320 CSS pixels and at 200% zoom.
	for _, path := range []string{"/news/walk-for-health", "/news", "/admin/media", "/admin/media/new", "/admin/media/1",
		"/admin/account/two-factor"} {
		step("open "+path, chromedp.Do(ctx, chromedp.Navigate(base+path)))
		// Details shown, as a user may open them.
		_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll('details')].every(d => d.open = true)`))
		step("open the details", err)
		checkAxe()
		for _, v := range []viewport{narrow, zoom200} {
			o, err := checkReflow(ctx, v)
			step("reflow", err)
			if !o.ok() {
				t.Errorf("%s at %s: %s", path, v.name, o)
			}
		}
		step("back to the desktop", chromedp.Do(ctx, setViewport(desktop)))
	}
}
