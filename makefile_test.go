// Package joinedup_test checks promises the repository's own files make:
// the Makefile, go.mod and the deployment example in docs.
package joinedup_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// fuzzFunc matches the declaration of a fuzz test.
var fuzzFunc = regexp.MustCompile(`(?m)^func (Fuzz\w+)\(\w+ \*testing\.F\)`)

// Every fuzz test in the repository is in the Makefile's FUZZ_TARGETS
// with its own package, so `make fuzz` runs them all.
func TestMakeFuzzRunsEveryFuzzTest(t *testing.T) {
	want := map[string]string{} // name → ./package/
	goFiles(t, "_test.go", func(path string, src []byte) {
		for _, m := range fuzzFunc.FindAllSubmatch(src, -1) {
			want[string(m[1])] = "./" + filepath.ToSlash(filepath.Dir(path)) + "/"
		}
	})
	if len(want) == 0 {
		t.Fatal("found no fuzz tests in the repository")
	}
	makefile, err := os.ReadFile("Makefile")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]string{}
	for _, m := range regexp.MustCompile(`(Fuzz\w+):(\./[\w/.-]+)`).FindAllSubmatch(makefile, -1) {
		listed[string(m[1])] = string(m[2])
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if got, ok := listed[name]; !ok {
			t.Errorf("make fuzz leaves out %s (%s)", name, want[name])
		} else if got != want[name] {
			t.Errorf("make fuzz runs %s in %s; it is in %s", name, got, want[name])
		}
	}
	for name, pkg := range listed {
		if _, ok := want[name]; !ok {
			t.Errorf("make fuzz lists %s (%s), which does not exist", name, pkg)
		}
	}
}

// goFiles calls fn with each file in the repository whose name ends in
// suffix, outside node_modules and hidden directories.
func goFiles(t *testing.T, suffix string, fn func(path string, src []byte)) {
	t.Helper()
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && path != "." && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, suffix) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err == nil {
			fn(path, src)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}
