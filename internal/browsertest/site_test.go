package browsertest

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/joinedup/joinedup/internal/app"
	"github.com/joinedup/joinedup/internal/app/apptest"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/testenv"
)

// keyboardPages must be among the crawled pages: the skip link is checked
// on every page, and on these above all.
var keyboardPages = []string{"/", "/in-your-area/southwark", "/in-your-area/southwark/boards/strategic-board"}

// accessPages, with their SVG pictures and wide tables, are always checked
// too, and so is the first what-if the crawl reaches (the crawl's limit
// may stop before any of the hundreds linked; then accessWhatIf is).
var accessPages = []string{"/in-your-area/southwark/access", "/in-your-area/lewisham/access", "/in-your-area/access"}

const accessWhatIf = "/in-your-area/southwark/access?without=FK012"

// TestSite opens every page of the real site in Chromium and checks it
// as people using assistive technology, small screens and keyboards would.
func TestSite(t *testing.T) {
	execPath := requireChromium(t)
	base := startSite(t)
	pages, broken, err := crawl(base)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range broken {
		t.Errorf("broken link: %s", b)
	}
	t.Logf("crawled %d pages; page types checked: %s", len(pages), strings.Join(pageTypes(pages), ", "))
	for _, want := range keyboardPages {
		if !hasPage(pages, want) {
			t.Errorf("the crawl from / did not reach %s, which the keyboard checks need", want)
		}
	}
	always := append(append([]string(nil), keyboardPages...), accessPages...)
	for _, want := range accessPages {
		if !hasPage(pages, want) {
			t.Errorf("the crawl from / did not reach %s", want)
		}
	}
	whatIf := ""
	for _, p := range pages {
		if strings.Contains(p.Path, "/access?without=") {
			whatIf = p.Path
			break
		}
	}
	if whatIf == "" {
		whatIf = accessWhatIf
		pages = append(pages, sitePage{Path: whatIf, Status: http.StatusOK, From: "(a what-if)"})
	}
	t.Logf("what-if page checked: %s", whatIf)
	always = append(always, whatIf)
	// The markup does not depend on the engine: the PostgreSQL pass crawls
	// every page over HTTP as the SQLite pass does (each must answer as
	// linked), and checks one page of each type in the browser, not three.
	n := perType
	if dbtest.Engine() == db.Postgres {
		n = 1
	}
	checked := sample(pages, always, n)
	t.Logf("checking %d of them in the browser: up to %d of each type", len(checked), n)
	browser := newBrowser(t, execPath)
	out := outputDir(t)
	forms := 0
	for _, p := range checked {
		t.Run("page"+p.Path, func(t *testing.T) {
			forms += checkPage(t, browser, base, p, out)
		})
	}
	if forms == 0 {
		t.Error("no forms on any page checked: the form checks had nothing to submit")
	}
}

func hasPage(pages []sitePage, path string) bool {
	for _, p := range pages {
		if p.Path == path {
			return true
		}
	}
	return false
}

// checkPage runs every check on one page and returns how many forms it has.
func checkPage(t *testing.T, browser context.Context, base string, p sitePage, out string) int {
	ctx := newTab(t, browser, 60*time.Second)
	url := base + p.Path
	load := func() {
		t.Helper()
		resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(url))
		if err != nil {
			t.Fatalf("load %s: %v", url, err)
		}
		if int(resp.Status) != p.Status {
			t.Fatalf("load %s: status %d, want %d", url, resp.Status, p.Status)
		}
	}

	load()
	vs, err := runAxe(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range vs {
		t.Errorf("axe: %s", v)
	}

	problems, err := checkSkipLink(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range problems {
		t.Errorf("skip link: %s", pr)
	}

	load()
	stops, problems, err := checkTabOrder(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range problems {
		t.Errorf("keyboard: %s", pr)
	}

	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`),
		chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`)); err != nil {
		t.Fatal(err)
	}
	saveScreenshot(t, ctx, out, p.Path, desktop)
	widths := make([]string, 0, 2)
	for _, v := range []viewport{narrow, zoom200} {
		o, err := checkReflow(ctx, v)
		if err != nil {
			t.Fatal(err)
		}
		widths = append(widths, fmt.Sprintf("%g/%g", o.ScrollWidth, o.InnerWidth))
		if !o.ok() {
			t.Errorf("reflow: %s", o)
		}
		if v == narrow {
			saveScreenshot(t, ctx, out, p.Path, v)
		}
	}
	if err := chromedp.Do(ctx, setViewport(desktop)); err != nil {
		t.Fatal(err)
	}

	n, problems, err := checkForms(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range problems {
		t.Errorf("form: %s", pr)
	}
	t.Logf("status %d; axe: %d violations; Tab reached %d stops; page width/viewport at 320px and 200%%: %s; %d forms",
		p.Status, len(vs), stops, strings.Join(widths, ", "), n)
	return n
}

// startSite runs the real server in-process on a free port with a fresh
// database, and stops it when the test ends.
func startSite(t *testing.T) string {
	t.Helper()
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	cfg := apptest.Config(t, config.Config{
		Addr:    "127.0.0.1:0",
		DataDir: t.TempDir(),
		// Only used for canonical links; another host keeps the crawl off them.
		BaseURL: "http://joinedup.test",
	})
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	errc := make(chan error, 1)
	go func() { errc <- app.Serve(ctx, cfg, log, func(addr string) { addrc <- addr }) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("server stopped with: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Error("server did not stop within 20s")
		}
	})
	select {
	case addr := <-addrc:
		return "http://" + addr
	case err := <-errc:
		errc <- err // for the cleanup
		t.Fatalf("start server: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("server did not start within 30s")
	}
	return ""
}

// outputDir is where screenshots go: $JOINEDUP_TEST_OUTPUT, else
// testoutput/browser at the root of the repository.
func outputDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("JOINEDUP_TEST_OUTPUT")
	if dir == "" {
		dir = filepath.Join(testenv.RepoRoot(t), "testoutput", "browser")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("screenshot folder: %v", err)
	}
	return dir
}

// saveScreenshot saves the whole page as <path>.<width>.png, such as
// in-your-area_southwark.320.png.
func saveScreenshot(t *testing.T, ctx context.Context, dir, path string, v viewport) {
	t.Helper()
	if err := chromedp.Do(ctx, setViewport(v)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	name := screenshotName(path) + "." + strconv.FormatInt(v.width, 10) + ".png"
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatalf("screenshot: %v", err)
	}
}

func screenshotName(path string) string {
	name := strings.Trim(path, "/")
	if name == "" {
		return "home"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '.':
			return r
		}
		return '_'
	}, name)
}
