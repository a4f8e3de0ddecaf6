// Package backup writes a whole joinedup site (its SQLite database and the
// files in its data dir) to one tar.gz archive while the site runs, and
// restores such an archive into a data dir, checking every byte on the way.
//
// An archive holds data/joinedup.db (a consistent snapshot of the
// database), data/... (the other content of the data dir, such as uploaded
// media) and, last, manifest.json: the joinedup and schema versions, each
// table's row count and checksum, and each member's size and SHA-256.
//
// The files are read after the snapshot is taken, so the archive holds
// every file the database refers to, unless one was deleted meanwhile.
//
// Left out of the data dir: the live database files (the snapshot stands
// for them), outbox/ (copies of email already sent, or written for a
// developer to read; every message is kept whole in the database's outbox
// table), hidden files (temporary files of a write in progress) and
// secret.key, the key sealing two-factor secrets: it is kept apart from the
// database so that a copy of one alone reveals nothing, and must be backed
// up separately and put back beside a restored database.
package backup

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/tables"
)

// Format is the version of the archive layout this package writes.
const Format = 1

// DatabaseName is the database's file name in the data dir and, under
// data/, in the archive.
const DatabaseName = "joinedup.db"

const (
	manifestName = "manifest.json"
	dataPrefix   = "data/"
)

// Manifest describes an archive.
type Manifest struct {
	Format        int              `json:"format"`
	CreatedAt     time.Time        `json:"created_at"`
	Version       string           `json:"joinedup_version"`
	Engine        db.Engine        `json:"engine"`
	SchemaVersion int              `json:"schema_version"`
	Tables        []tables.Summary `json:"tables"`
	Files         []File           `json:"files"`
}

// File is one member of the archive.
type File struct {
	Path   string `json:"path"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Options say what to back up.
type Options struct {
	DataDir string
	// Version is joinedup's version, recorded in the manifest.
	Version string
	// TempDir holds the database snapshot while it is archived (default:
	// the system's temporary directory); it needs room for the database.
	TempDir string
	// Skipped, if not nil, is told of each file of the data dir left out
	// because it is not a regular file (a symbolic link, a socket).
	Skipped func(path string)
}

// SecretKeyName is the file in the data dir of the key that seals secrets
// in the database (see config.SecretKeyPath); backups leave it out.
const SecretKeyName = "secret.key"

// excluded reports whether a path of the data dir (slash-separated,
// relative) is not content.
func excluded(rel string) bool {
	top, _, _ := strings.Cut(rel, "/")
	switch {
	case top == DatabaseName, strings.HasPrefix(top, DatabaseName+"-"):
		return true // the live database, its WAL and shared memory
	case top == "outbox":
		return true
	case rel == SecretKeyName:
		return true // kept apart from the database on purpose: back it up separately
	}
	for _, part := range strings.Split(rel, "/") {
		if strings.HasPrefix(part, ".") {
			return true
		}
	}
	return false
}

// Create writes an archive of the site in opts.DataDir to w and returns its
// manifest. The site may go on serving, and writing, meanwhile.
func Create(ctx context.Context, opts Options, w io.Writer) (Manifest, error) {
	m := Manifest{Format: Format, CreatedAt: db.Now(), Version: opts.Version, Engine: db.SQLite}
	tmp, err := os.MkdirTemp(opts.TempDir, "joinedup-backup-")
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(tmp)
	snap := filepath.Join(tmp, DatabaseName)
	if err := db.SnapshotSQLite(ctx, filepath.Join(opts.DataDir, DatabaseName), snap); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	if m.SchemaVersion, m.Tables, err = describe(ctx, snap); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	f, err := addFile(tw, dataPrefix+DatabaseName, snap)
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	m.Files = append(m.Files, f)
	err = filepath.WalkDir(opts.DataDir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(opts.DataDir, p)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if excluded(rel) {
			if e.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			return ctx.Err()
		}
		if !e.Type().IsRegular() {
			if opts.Skipped != nil {
				opts.Skipped(rel)
			}
			return nil
		}
		f, err := addFile(tw, dataPrefix+rel, p)
		if err != nil {
			return err
		}
		m.Files = append(m.Files, f)
		return nil
	})
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	body, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	body = append(body, '\n')
	hdr := &tar.Header{Name: manifestName, Mode: 0o640, Size: int64(len(body)), ModTime: m.CreatedAt, Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	if _, err := tw.Write(body); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	if err := errors.Join(tw.Close(), gz.Close()); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

// addFile writes the file at src to the archive as name, hashing what it
// writes. A file that grows meanwhile is archived as it was when opened; one
// that shrinks fails the backup.
func addFile(tw *tar.Writer, name, src string) (File, error) {
	f := File{Path: name}
	in, err := os.Open(src)
	if err != nil {
		return f, err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return f, err
	}
	f.Size = info.Size()
	hdr := &tar.Header{Name: name, Mode: 0o640, Size: f.Size, ModTime: info.ModTime().UTC(), Format: tar.FormatPAX}
	if err := tw.WriteHeader(hdr); err != nil {
		return f, err
	}
	h := sha256.New()
	if _, err := io.CopyN(tw, io.TeeReader(in, h), f.Size); err != nil {
		return f, fmt.Errorf("%s changed while it was read: %w", src, err)
	}
	f.SHA256 = hex.EncodeToString(h.Sum(nil))
	return f, nil
}

// describe returns the schema version and the table summaries of the
// SQLite database at p.
func describe(ctx context.Context, p string) (int, []tables.Summary, error) {
	d, err := db.OpenSQLite(ctx, p)
	if err != nil {
		return 0, nil, err
	}
	defer d.Close()
	var version int
	if err := d.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&version); err != nil {
		return 0, nil, fmt.Errorf("schema version: %w", err)
	}
	ts, err := tables.Load(ctx, d)
	if err != nil {
		return 0, nil, err
	}
	sums, err := tables.Summarise(ctx, d, ts)
	return version, sums, err
}

// hashingWriter counts and hashes what passes through it.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
	n int64
}

func (hw *hashingWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	hw.n += int64(n)
	return n, err
}

// memberPath checks an archive member's name and returns it as a relative
// path under the data dir ("" for the manifest).
func memberPath(name string) (string, error) {
	if name == manifestName {
		return "", nil
	}
	rel, ok := strings.CutPrefix(name, dataPrefix)
	if !ok || rel == "" || path.Clean(rel) != rel || strings.HasPrefix(rel, "../") || rel == ".." ||
		path.IsAbs(rel) || strings.Contains(rel, "\\") {
		return "", fmt.Errorf("unexpected member %q", name)
	}
	return rel, nil
}
