package browsertest

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/joinedup/joinedup/internal/testenv"
)

// browserNames are the names Chromium goes by on PATH, Debian's first.
var browserNames = []string{"chromium", "chromium-browser", "google-chrome"}

// requireChromium returns the path of the browser to drive. Without one,
// testenv skips the test, so `go test ./...` passes on a machine with no
// browser, or fails it when CI is set, because CI must run these tests.
func requireChromium(t testing.TB) string {
	t.Helper()
	return testenv.LookPath(t, "install Chromium: apt-get install chromium", browserNames...)
}

// newBrowser starts one headless Chromium for the whole test, with a fresh
// profile, and returns a context that holds it. Tabs are opened with newTab.
func newBrowser(t *testing.T, execPath string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(execPath),
		chromedp.Headless, // also hides scrollbars, so innerWidth is the layout width
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cancel()
		cancelAlloc() // waits for the browser to exit, before TempDir is removed
	})
	startCtx, cancelStart := context.WithTimeout(ctx, 30*time.Second)
	defer cancelStart()
	// A timeout on the first run would close the browser when it ends, so the
	// browser starts on ctx and the deadline only bounds the wait for it.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			t.Fatalf("start Chromium at %s: %v", execPath, err)
		}
	case <-startCtx.Done():
		t.Fatalf("Chromium at %s did not start within 30s", execPath)
	}
	return ctx
}

// newTab opens a tab in the browser with a 1280×1024 window. Each action run
// on the returned context is bounded by timeout, so nothing hangs.
func newTab(t *testing.T, browser context.Context, timeout time.Duration) context.Context {
	t.Helper()
	tab, closeTab := chromedp.NewContext(browser)
	if err := chromedp.Do(tab); err != nil {
		closeTab()
		t.Fatalf("open tab: %v", err)
	}
	ctx, cancel := context.WithTimeout(tab, timeout)
	t.Cleanup(func() {
		cancel()
		closeTab()
	})
	if err := chromedp.Do(ctx, setViewport(desktop)); err != nil {
		t.Fatalf("set viewport: %v", err)
	}
	return ctx
}
