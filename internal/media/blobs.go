package media

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"
)

// Blobs keeps the bytes of the library's files by name. Names are made by
// Item.FileName: a fingerprint, and for images a width, so a name's content
// never changes and may be cached for ever. Put must be atomic: a reader
// sees the whole file or nothing.
//
// On one server Dir is enough. When several instances serve the site, they
// must see the same files: put Dir's directory on shared storage, or supply
// another Blobs (an object store) here.
type Blobs interface {
	Put(ctx context.Context, name string, data []byte) error
	// Open returns the file's content and when it was stored, or an error
	// wrapping fs.ErrNotExist.
	Open(ctx context.Context, name string) (io.ReadSeekCloser, time.Time, error)
	// Delete removes a file; deleting one that is not there is no error.
	Delete(ctx context.Context, name string) error
}

// blobName is what a stored name looks like, so a name from a URL can
// never leave the store's directory.
var blobName = regexp.MustCompile(`^[0-9a-f]{32}(-[0-9]{1,5})?\.(jpg|png|pdf)$`)

// Dir is Blobs in a directory, spread over subdirectories named by the
// first two characters of each name.
type Dir struct {
	root string
}

// NewDir returns Blobs kept under root, which is created when first needed.
func NewDir(root string) *Dir { return &Dir{root: root} }

func (d *Dir) path(name string) (string, error) {
	if !blobName.MatchString(name) {
		return "", fmt.Errorf("media: blob name %q: %w", name, fs.ErrNotExist)
	}
	return filepath.Join(d.root, name[:2], name), nil
}

// Put writes the file to a temporary name and renames it into place.
func (d *Dir) Put(_ context.Context, name string, data []byte) error {
	p, err := d.path(name)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
		return fmt.Errorf("media: put %s: %w", name, err)
	}
	f, err := os.CreateTemp(filepath.Dir(p), ".upload-*")
	if err != nil {
		return fmt.Errorf("media: put %s: %w", name, err)
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), p)
	}
	if err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("media: put %s: %w", name, err)
	}
	return nil
}

// Open opens a stored file.
func (d *Dir) Open(_ context.Context, name string) (io.ReadSeekCloser, time.Time, error) {
	p, err := d.path(name)
	if err != nil {
		return nil, time.Time{}, err
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("media: open %s: %w", name, err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, time.Time{}, fmt.Errorf("media: open %s: %w", name, err)
	}
	return f, st.ModTime(), nil
}

// Delete removes a stored file.
func (d *Dir) Delete(_ context.Context, name string) error {
	p, err := d.path(name)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("media: delete %s: %w", name, err)
	}
	return nil
}
