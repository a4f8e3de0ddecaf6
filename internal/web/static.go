package web

import (
	"embed"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strings"
)

//go:embed static
var staticFiles_ embed.FS

// fingerprinted matches names like app.0123456789.css, whose content never
// changes under that name.
var fingerprinted = regexp.MustCompile(`\.[0-9a-f]{8,}\.[a-z0-9]+$`)

type staticFile struct {
	contentType string
	etag        string
	body, gz    []byte
	immutable   bool
}

type staticFiles struct {
	files map[string]*staticFile
	// css maps a stylesheet's name ("app", "forms") to its fingerprinted path.
	css map[string]string
}

// loadStatic reads the embedded static files once, compressing the text ones
// ahead of time so serving them costs nothing.
func loadStatic() (*staticFiles, error) {
	st := &staticFiles{files: map[string]*staticFile{}, css: map[string]string{}}
	err := fs.WalkDir(staticFiles_, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := staticFiles_.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		ct := mime.TypeByExtension(path.Ext(name))
		if ct == "" {
			ct = "application/octet-stream"
		}
		f := &staticFile{contentType: ct, etag: etagOf(body), body: body, immutable: fingerprinted.MatchString(name)}
		if strings.HasPrefix(ct, "text/") || strings.Contains(ct, "svg") || strings.Contains(ct, "javascript") {
			f.gz = compress(body)
		}
		st.files[name] = f
		if sheet, _, ok := strings.Cut(name, "."); ok && strings.HasSuffix(name, ".css") && f.immutable {
			if prev := st.css[sheet]; prev != "" {
				return fmt.Errorf("web: stylesheet %q built twice: %s and %s", sheet, prev, name)
			}
			st.css[sheet] = "/static/" + name
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load static files: %w", err)
	}
	for _, sheet := range []string{"app", "forms"} {
		if st.css[sheet] == "" {
			return nil, fmt.Errorf("web: no built stylesheet static/%s.*.css; run make assets", sheet)
		}
	}
	return st, nil
}

func (st *staticFiles) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f, ok := st.files[r.PathValue("file")]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if f.immutable {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "public, max-age=3600")
	}
	writeEncoded(w, r, http.StatusOK, f.contentType, f.etag, f.body, f.gz, f.gz != nil)
}
