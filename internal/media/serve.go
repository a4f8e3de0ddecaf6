package media

import (
	"errors"
	"io/fs"
	"mime"
	"net/http"
	"strings"

	"github.com/joinedup/joinedup/internal/web"
)

// Mount registers the public route of the library's files, /media/{file}.
func Mount(site *web.Site, store *Store, blobs Blobs) {
	site.GetUncached("/media/{file}", func(w http.ResponseWriter, r *http.Request) error {
		return serve(w, r, store, blobs)
	})
}

// serve sends a stored file. Its name is fingerprinted, so it is cached for
// a year and never revalidated; a PDF is a download, never shown inline.
func serve(w http.ResponseWriter, r *http.Request, store *Store, blobs Blobs) error {
	name := r.PathValue("file")
	if !blobName.MatchString(name) {
		return web.NotFound("")
	}
	it, err := store.ByFingerprint(r.Context(), name[:32])
	if err != nil {
		return err
	}
	if !fileOf(it, name) {
		return web.NotFound("")
	}
	f, modified, err := blobs.Open(r.Context(), name)
	if errors.Is(err, fs.ErrNotExist) {
		return web.NotFound("")
	}
	if err != nil {
		return err
	}
	defer f.Close()
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+strings.TrimSuffix(name, "."+it.ext())+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	switch it.Format {
	case FormatJPEG:
		h.Set("Content-Type", "image/jpeg")
	case FormatPNG:
		h.Set("Content-Type", "image/png")
	default:
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": it.Name}))
	}
	http.ServeContent(w, r, "", modified, f)
	return nil
}

// fileOf reports whether name is one of the item's stored files.
func fileOf(it Item, name string) bool {
	for _, n := range it.FileNames() {
		if n == name {
			return true
		}
	}
	return false
}
