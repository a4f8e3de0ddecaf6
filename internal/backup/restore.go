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
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/tables"
)

// ErrNotEmpty is returned when the data dir to restore into already holds
// something and overwriting was not asked for.
var ErrNotEmpty = errors.New("backup: the data dir is not empty")

// maxManifest bounds the manifest read into memory.
const maxManifest = 64 << 20

// Restore unpacks the archive read from r into dir, after checking every
// member against the manifest and every table of the database against its
// row count and checksum; on any mismatch nothing in dir is replaced.
//
// dir must be empty or missing unless overwrite is set, in which case the
// database is replaced and files of the archive replace those of the same
// name (other files are left). No site may be running on dir.
func Restore(ctx context.Context, r io.Reader, dir string, overwrite bool) (Manifest, error) {
	var m Manifest
	if err := checkEmpty(dir, overwrite); err != nil {
		return m, err
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	stage, err := os.MkdirTemp(dir, ".restore-")
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	defer os.RemoveAll(stage)
	got, manifest, err := unpack(ctx, r, stage)
	if err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	if manifest == nil {
		return m, errors.New("backup: the archive has no manifest.json; it was not made by joinedup backup, or it was cut short")
	}
	if err := json.Unmarshal(manifest, &m); err != nil {
		return m, fmt.Errorf("backup: read manifest: %w", err)
	}
	if err := check(ctx, m, got, stage); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	if err := install(stage, dir, m); err != nil {
		return m, fmt.Errorf("backup: %w", err)
	}
	return m, nil
}

func checkEmpty(dir string, overwrite bool) error {
	entries, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if len(entries) > 0 && !overwrite {
		return fmt.Errorf("%w: %s holds %s", ErrNotEmpty, dir, entries[0].Name())
	}
	return nil
}

// unpack writes the archive's data members under stage and returns what it
// read of each, with the manifest's bytes.
func unpack(ctx context.Context, r io.Reader, stage string) (map[string]File, []byte, error) {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return nil, nil, fmt.Errorf("not a tar.gz archive: %w", err)
	}
	defer gz.Close()
	tr := tar.NewReader(gz)
	got := map[string]File{}
	var manifest []byte
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("read archive: %w", err)
		}
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		rel, err := memberPath(hdr.Name)
		if err != nil {
			return nil, nil, err
		}
		if hdr.Typeflag != tar.TypeReg {
			return nil, nil, fmt.Errorf("member %q is not a regular file", hdr.Name)
		}
		if _, dup := got[hdr.Name]; dup || (rel == "" && manifest != nil) {
			return nil, nil, fmt.Errorf("member %q appears twice", hdr.Name)
		}
		if rel == "" {
			if manifest, err = io.ReadAll(io.LimitReader(tr, maxManifest)); err != nil {
				return nil, nil, fmt.Errorf("read manifest: %w", err)
			}
			continue
		}
		f, err := unpackFile(tr, hdr.Name, filepath.Join(stage, filepath.FromSlash(rel)))
		if err != nil {
			return nil, nil, err
		}
		got[hdr.Name] = f
	}
	return got, manifest, nil
}

func unpackFile(r io.Reader, name, dst string) (File, error) {
	f := File{Path: name}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return f, err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return f, err
	}
	hw := &hashingWriter{w: out, h: sha256.New()}
	_, err = io.Copy(hw, r)
	if err := errors.Join(err, out.Close()); err != nil {
		return f, fmt.Errorf("unpack %s: %w", name, err)
	}
	f.Size, f.SHA256 = hw.n, hex.EncodeToString(hw.h.Sum(nil))
	return f, nil
}

// check compares what was unpacked with the manifest, then the database's
// tables with their summaries.
func check(ctx context.Context, m Manifest, got map[string]File, stage string) error {
	if m.Format != Format {
		return fmt.Errorf("archive format %d is not one this joinedup reads (%d)", m.Format, Format)
	}
	if m.Engine != db.SQLite {
		return fmt.Errorf("the archive holds a %s database; only SQLite backups can be restored", m.Engine)
	}
	ms, err := db.Migrations(db.SQLite)
	if err != nil {
		return err
	}
	if latest := ms[len(ms)-1].Version; m.SchemaVersion > latest {
		return fmt.Errorf("the backup's schema version %d is newer than this joinedup's (%d): restore it with joinedup %s or later",
			m.SchemaVersion, latest, m.Version)
	}
	want := map[string]bool{}
	for _, f := range m.Files {
		want[f.Path] = true
		g, ok := got[f.Path]
		switch {
		case !ok:
			return fmt.Errorf("%s is listed in the manifest but missing from the archive", f.Path)
		case g.Size != f.Size || g.SHA256 != f.SHA256:
			return fmt.Errorf("%s does not match its checksum in the manifest: the archive is damaged", f.Path)
		}
	}
	for name := range got {
		if !want[name] {
			return fmt.Errorf("%s is in the archive but not in its manifest", name)
		}
	}
	if !want[dataPrefix+DatabaseName] {
		return fmt.Errorf("the archive has no %s", dataPrefix+DatabaseName)
	}
	_, sums, err := describe(ctx, filepath.Join(stage, DatabaseName))
	if err != nil {
		return fmt.Errorf("open the restored database: %w", err)
	}
	if diffs := tables.Diff(m.Tables, sums); len(diffs) > 0 {
		return fmt.Errorf("the restored database differs from the manifest: %s", strings.Join(diffs, "; "))
	}
	return nil
}

// install moves the staged files into dir, the database last, so that a
// failure part way leaves no database beside files it does not describe.
func install(stage, dir string, m Manifest) error {
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := os.Remove(filepath.Join(dir, DatabaseName+suffix)); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	for _, f := range m.Files {
		rel := strings.TrimPrefix(f.Path, dataPrefix)
		if rel == DatabaseName {
			continue
		}
		if err := move(stage, dir, rel); err != nil {
			return err
		}
	}
	return move(stage, dir, DatabaseName)
}

func move(stage, dir, rel string) error {
	dst := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		return err
	}
	return os.Rename(filepath.Join(stage, filepath.FromSlash(rel)), dst)
}
