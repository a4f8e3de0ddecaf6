// Package testenv decides what a test does when something it needs from the
// machine (Chromium, Java, PostgreSQL) is missing: skip with a message that
// says what to install, or, when the CI environment variable is set, fail.
package testenv

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Missing skips the test, or fails it under CI, because what is missing,
// telling the reader how to install it.
func Missing(t testing.TB, what, install string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing and CI is set, so this test must run: %s", what, install)
	}
	t.Skipf("%s is missing; %s to run this test", what, install)
}

// MissingForAll is Missing for a whole run of tests, from TestMain, where
// there is no test to skip: it prints why those tests do not run, and
// reports whether that is a failure (because CI is set).
func MissingForAll(what, install, tests string) (fail bool) {
	if os.Getenv("CI") != "" {
		fmt.Fprintf(os.Stderr, "%s is missing and CI is set, so %s must run: %s\n", what, tests, install)
		return true
	}
	fmt.Printf("%s is missing; %s to run %s\n", what, install, tests)
	return false
}

// LookPath returns the first of names found on PATH, or calls Missing.
func LookPath(t testing.TB, install string, names ...string) string {
	t.Helper()
	for _, name := range names {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	Missing(t, names[0], install)
	return ""
}

// RepoRoot returns the module's root directory (the one holding go.mod).
func RepoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("testenv: no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Python returns a Python 3 interpreter that can import module, preferring
// Debian's /usr/bin/python3 (where apt installs python3-* packages) over
// others on PATH, or calls Missing.
func Python(t testing.TB, module, install string) string {
	t.Helper()
	candidates := []string{"/usr/bin/python3"}
	if p, err := exec.LookPath("python3"); err == nil {
		candidates = append(candidates, p)
	}
	for _, py := range candidates {
		if exec.Command(py, "-c", "import "+module).Run() == nil {
			return py
		}
	}
	Missing(t, "the Python module "+module, install)
	return ""
}
