package joinedup_test

import (
	"bufio"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// nginxSize reads an nginx size ("20m", "1g", "512k", "1000") as bytes.
func nginxSize(t *testing.T, s string) int64 {
	t.Helper()
	mult := int64(1)
	switch strings.ToLower(s[len(s)-1:]) {
	case "k":
		mult = 1 << 10
	case "m":
		mult = 1 << 20
	case "g":
		mult = 1 << 30
	}
	if mult != 1 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatalf("nginx size %q: %v", s, err)
	}
	return n * mult
}

// goConst returns the value of an integer constant declared in a Go
// source file as `Name = expr`, where expr is a sum of terms each either
// a number, `a << b`, or a constant declared earlier in the same file.
func goConst(t *testing.T, path, name string) int64 {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	consts := map[string]int64{}
	decl := regexp.MustCompile(`^\s*(\w+)\s*=\s*([\w\s<+]+?)\s*(//.*)?$`)
	sc := bufio.NewScanner(strings.NewReader(string(src)))
	for sc.Scan() {
		m := decl.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		var sum int64
		ok := true
		for _, term := range strings.Split(m[2], "+") {
			var v int64
			for i, part := range strings.Split(term, "<<") {
				part = strings.TrimSpace(part)
				n, err := strconv.ParseInt(strings.ReplaceAll(part, "_", ""), 0, 64)
				if err != nil {
					var known bool
					if n, known = consts[part]; !known {
						ok = false
						break
					}
				}
				if i == 0 {
					v = n
				} else {
					v <<= n
				}
			}
			sum += v
		}
		if ok {
			consts[m[1]] = sum
		}
	}
	v, ok := consts[name]
	if !ok {
		t.Fatalf("%s: no integer constant %s", path, name)
	}
	return v
}

// The example nginx configuration lets through the largest request body
// the app accepts (a PDF at its limit and the upload form's other
// fields), so such an upload gets the app's own page, not nginx's 413.
func TestNginxBodyLimitAboveAppLimit(t *testing.T) {
	conf, err := os.ReadFile("docs/nginx.conf")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^\s*client_max_body_size\s+(\w+);`).FindSubmatch(conf)
	if m == nil {
		t.Fatal("docs/nginx.conf sets no client_max_body_size (nginx's default is 1m)")
	}
	nginx := nginxSize(t, string(m[1]))
	pdf := goConst(t, "internal/media/media.go", "MaxPDFBytes")
	upload := goConst(t, "internal/media/media.go", "MaxUploadBytes")
	if upload <= pdf {
		t.Fatalf("MaxUploadBytes %d leaves no room for the form beside a %d-byte PDF", upload, pdf)
	}
	if nginx < upload {
		t.Errorf("docs/nginx.conf: client_max_body_size %s (%d bytes) is below the app's upload limit media.MaxUploadBytes (%d bytes: a %d MiB PDF and the form)",
			m[1], nginx, upload, pdf>>20)
	}
}
