// Package browsertest holds joinedup's browser tests, the quality gates a
// person using a keyboard, a screen reader or a small screen would notice.
//
// The tests start the real site in-process, crawl its own links and open
// every page in Debian's headless Chromium through chromedp. On each page
// they run axe-core for WCAG 2.2 A and AA, check that nothing scrolls
// sideways at 320 CSS pixels and at 200% zoom, walk the page with the Tab key
// checking order and visible focus, and save screenshots under
// $JOINEDUP_TEST_OUTPUT (default testoutput/browser at the repository root).
//
// Without Chromium the tests skip, saying what to install; with CI set they
// fail instead, so a CI machine cannot pass without running them.
//
// testdata/axe.min.js is node_modules/axe-core/axe.min.js, copied after
// `npm install` so the tests need no npm at run time; copy it again when
// package.json moves axe-core to a new version.
package browsertest
