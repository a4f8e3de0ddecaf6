package joinedup_test

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// go.mod marks as indirect only modules no package here imports.
func TestGoModIndirectOnlyWhenNotImported(t *testing.T) {
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	var indirect []string
	for _, line := range strings.Split(string(gomod), "\n") {
		if f := strings.Fields(line); len(f) >= 4 && f[2] == "//" && f[3] == "indirect" {
			indirect = append(indirect, f[0])
		} else if len(f) >= 5 && f[0] == "require" && f[3] == "//" && f[4] == "indirect" {
			indirect = append(indirect, f[1])
		}
	}
	if len(indirect) == 0 {
		t.Skip("go.mod has no indirect requirements")
	}
	importLine := regexp.MustCompile(`"([^"\s]+)"`)
	goFiles(t, ".go", func(path string, src []byte) {
		// The import block ends before the first declaration.
		s := string(src)
		if i := firstDecl.FindStringIndex(s); i != nil {
			s = s[:i[0]]
		}
		for _, m := range importLine.FindAllStringSubmatch(s, -1) {
			for _, mod := range indirect {
				if m[1] == mod || strings.HasPrefix(m[1], mod+"/") {
					t.Errorf("%s imports %s, but go.mod marks %s indirect", path, m[1], mod)
				}
			}
		}
	})
}

var firstDecl = regexp.MustCompile(`(?m)^(func|var|const|type) `)
