package app

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/backup"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/tables"
)

// run runs a joinedup command and returns its exit code and output.
func run(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Main(context.Background(), args, &stdout, &stderr, noEnv)
	return code, stdout.String(), stderr.String()
}

// summaries describes and sums up every table of d.
func summaries(t *testing.T, d *db.DB) []tables.Summary {
	t.Helper()
	ctx := context.Background()
	ts, err := tables.Load(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	sums, err := tables.Summarise(ctx, d, ts)
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

// writePosts adds a post and its place in one transaction, again and again,
// until stop is closed; it returns how many it committed.
func writePosts(t *testing.T, d *db.DB, stop <-chan struct{}, written *atomic.Int64) {
	ctx := context.Background()
	var place int64
	if err := d.QueryRowContext(ctx, `SELECT id FROM places WHERE slug = 'southwark'`).Scan(&place); err != nil {
		t.Error(err)
		return
	}
	for i := 0; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		err := d.Tx(ctx, func(q db.Querier) error {
			now := db.Now()
			var id int64
			if err := q.QueryRowContext(ctx, `INSERT INTO posts (kind, slug, title, summary, body, published_at, created_at, updated_at)
				VALUES ('news', $1, $2, 'Written during a backup.', 'Body.', $3, $3, $3) RETURNING id`,
				fmt.Sprintf("during-backup-%d", i), fmt.Sprintf("During backup %d", i), now).Scan(&id); err != nil {
				return err
			}
			_, err := q.ExecContext(ctx, `INSERT INTO post_places (post_id, place_id) VALUES ($1, $2)`, id, place)
			return err
		})
		if err != nil {
			t.Error(err)
			return
		}
		written.Add(1)
	}
}

// sqliteOnly skips a test of the embedded database on the PostgreSQL pass.
func sqliteOnly(t *testing.T) {
	t.Helper()
	if dbtest.Engine() != db.SQLite {
		t.Skip("joinedup backup snapshots the embedded SQLite database; PostgreSQL is backed up with its own tools")
	}
}

func TestBackupWhileWritingRestoresTheSameSite(t *testing.T) {
	sqliteOnly(t)
	s := newTestSite(t)
	dir := s.cfg.DataDir
	media := []byte("\xff\xd8\xffa photograph of the Southwark board")
	for name, body := range map[string][]byte{
		"media/2026/11/board.jpg": media,
		"outbox/1.eml":            []byte("Subject: sent already\r\n\r\n"),
		".write-check-123":        nil,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o750); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, body, 0o640); err != nil {
			t.Fatal(err)
		}
	}
	// Writers keep committing while the backup runs.
	stop := make(chan struct{})
	var written atomic.Int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); writePosts(t, s.db, stop, &written) }()
	for written.Load() < 20 {
		time.Sleep(time.Millisecond)
	}
	before := written.Load()
	archive := filepath.Join(t.TempDir(), "site.tar.gz")
	code, stdout, stderr := run(t, "backup", archive, "--data-dir", dir)
	after := written.Load()
	close(stop)
	wg.Wait()
	if code != 0 {
		t.Fatalf("backup: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "backed up") || !strings.Contains(stdout, "1 other files") {
		t.Errorf("backup said %q, want a summary with the one media file", stdout)
	}

	restored := filepath.Join(t.TempDir(), "restored")
	code, stdout, stderr = run(t, "restore", archive, "--data-dir", restored)
	if code != 0 {
		t.Fatalf("restore: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "match the manifest") {
		t.Errorf("restore said %q", stdout)
	}
	got, err := os.ReadFile(filepath.Join(restored, "media", "2026", "11", "board.jpg"))
	if err != nil || !bytes.Equal(got, media) {
		t.Errorf("restored media file = %q, %v; want the original", got, err)
	}
	for _, left := range []string{"outbox", ".write-check-123"} {
		if _, err := os.Stat(filepath.Join(restored, left)); err == nil {
			t.Errorf("%s was restored; it is not content", left)
		}
	}
	// The key sealing two-factor secrets stays out of the archive: it is
	// backed up apart from the database.
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); err != nil {
		t.Fatalf("the site has no secret.key to leave out: %v", err)
	}
	if _, err := os.Stat(filepath.Join(restored, "secret.key")); err == nil {
		t.Error("secret.key was restored from the archive; it must be kept apart from the database")
	}

	r := openTestSite(t, config.Config{DataDir: restored, BaseURL: "https://joinedup.example"})
	// The snapshot is one moment: each post came with its place, and it
	// holds the posts committed before the backup began and none written
	// after it ended.
	ctx := context.Background()
	var posts, orphans int64
	if err := r.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM posts WHERE slug LIKE 'during-backup-%'`).Scan(&posts); err != nil {
		t.Fatal(err)
	}
	if err := r.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM posts p WHERE slug LIKE 'during-backup-%'
		AND NOT EXISTS (SELECT 1 FROM post_places pp WHERE pp.post_id = p.id)`).Scan(&orphans); err != nil {
		t.Fatal(err)
	}
	t.Logf("before %d, in backup %d, after %d", before, posts, after)
	if posts < before || posts > after || orphans != 0 {
		t.Errorf("the backup holds %d posts written during it (%d without their place); want between %d and %d, none without",
			posts, orphans, before, after)
	}
	// Every table is as the manifest says, and every table the writers
	// did not touch is as it is on the live site.
	m := readManifest(t, archive)
	if diffs := tables.Diff(m.Tables, summaries(t, r.db)); len(diffs) > 0 {
		t.Errorf("restored database differs from the manifest: %v", diffs)
	}
	live := map[string]tables.Summary{}
	for _, sum := range summaries(t, s.db) {
		live[sum.Table] = sum
	}
	for _, sum := range m.Tables {
		if sum.Table == "posts" || sum.Table == "post_places" || sum.Table == "job_runs" || sum.Table == "jobs" {
			continue
		}
		if live[sum.Table] != sum {
			t.Errorf("table %s: backup %+v, live site %+v", sum.Table, sum, live[sum.Table])
		}
	}
	// The restored site serves it.
	r.page("/in-your-area/southwark")
	r.page(fmt.Sprintf("/news/during-backup-%d", posts-1))
	if res, _ := r.get("/directory?q=pharmacy"); res.StatusCode != 200 {
		t.Errorf("directory search on the restored site: status %d", res.StatusCode)
	}
}

func readManifest(t *testing.T, archive string) backup.Manifest {
	t.Helper()
	var m backup.Manifest
	members := readArchive(t, archive)
	if err := json.Unmarshal(members["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func readArchive(t *testing.T, archive string) map[string][]byte {
	t.Helper()
	f, err := os.Open(archive)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	out := map[string][]byte{}
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		if out[hdr.Name], err = io.ReadAll(tr); err != nil {
			t.Fatal(err)
		}
	}
}

func writeArchive(t *testing.T, archive string, members map[string][]byte, order []string) {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	for _, name := range order {
		if _, ok := members[name]; !ok {
			continue
		}
		if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o640, Size: int64(len(members[name]))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(members[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(archive, buf.Bytes(), 0o640); err != nil {
		t.Fatal(err)
	}
}

func TestRestoreRefusesWhatItCannotTrust(t *testing.T) {
	sqliteOnly(t)
	s := newTestSite(t)
	if err := os.MkdirAll(filepath.Join(s.cfg.DataDir, "media"), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(s.cfg.DataDir, "media", "a.png"), []byte("png"), 0o640); err != nil {
		t.Fatal(err)
	}
	archive := filepath.Join(t.TempDir(), "site.tar.gz")
	if code, _, stderr := run(t, "backup", archive, "--data-dir", s.cfg.DataDir); code != 0 {
		t.Fatalf("backup: %s", stderr)
	}
	good := readArchive(t, archive)
	order := []string{"data/joinedup.db", "data/media/a.png", "manifest.json"}

	tamper := func(change func(map[string][]byte)) string {
		members := map[string][]byte{}
		for k, v := range good {
			members[k] = v
		}
		change(members)
		p := filepath.Join(t.TempDir(), "bad.tar.gz")
		writeArchive(t, p, members, order)
		return p
	}
	var m backup.Manifest
	if err := json.Unmarshal(good["manifest.json"], &m); err != nil {
		t.Fatal(err)
	}
	newer := m
	newer.SchemaVersion = 9999
	newerJSON, _ := json.Marshal(newer)

	tests := []struct {
		name, archive, want string
	}{
		{"a file changed", tamper(func(ms map[string][]byte) { ms["data/media/a.png"] = []byte("PNG") }), "does not match its checksum"},
		{"no manifest", tamper(func(ms map[string][]byte) { delete(ms, "manifest.json") }), "no manifest.json"},
		{"a newer schema", tamper(func(ms map[string][]byte) { ms["manifest.json"] = newerJSON }), "newer than this joinedup's"},
		{"escaping path", func() string {
			p := filepath.Join(t.TempDir(), "escape.tar.gz")
			writeArchive(t, p, map[string][]byte{"data/../../etc/x": []byte("x")}, []string{"data/../../etc/x"})
			return p
		}(), "unexpected member"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "restored")
			code, _, stderr := run(t, "restore", tt.archive, "--data-dir", dir)
			if code != 1 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr %q; want 1 and %q", code, stderr, tt.want)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) > 0 {
				t.Errorf("a refused restore left %s in the data dir", entries[0].Name())
			}
		})
	}

	t.Run("not empty", func(t *testing.T) {
		before, _ := os.ReadFile(filepath.Join(s.cfg.DataDir, "media", "a.png"))
		code, _, stderr := run(t, "restore", archive, "--data-dir", s.cfg.DataDir)
		if code != 1 || !strings.Contains(stderr, "not empty") || !strings.Contains(stderr, "--overwrite") {
			t.Errorf("exit %d, stderr %q; want a refusal naming --overwrite", code, stderr)
		}
		after, _ := os.ReadFile(filepath.Join(s.cfg.DataDir, "media", "a.png"))
		if !bytes.Equal(before, after) {
			t.Error("a refused restore changed the data dir")
		}
	})
	t.Run("overwrite", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "joinedup.db-wal"), []byte("stale"), 0o640); err != nil {
			t.Fatal(err)
		}
		if code, _, stderr := run(t, "restore", archive, "--data-dir", dir, "--overwrite"); code != 0 {
			t.Fatalf("restore --overwrite: %s", stderr)
		}
		if _, err := os.Stat(filepath.Join(dir, "joinedup.db-wal")); err == nil {
			t.Error("the old database's write-ahead log survived the restore")
		}
		openTestSite(t, config.Config{DataDir: dir, BaseURL: "https://joinedup.example"}).page("/in-your-area/southwark")
	})
	t.Run("through a pipe", func(t *testing.T) {
		code, piped, stderr := run(t, "backup", "-", "--data-dir", s.cfg.DataDir)
		if code != 0 || len(piped) == 0 {
			t.Fatalf("backup to standard output: exit %d, %d bytes, %s", code, len(piped), stderr)
		}
		prev := userStdin
		userStdin = strings.NewReader(piped)
		defer func() { userStdin = prev }()
		dir := filepath.Join(t.TempDir(), "piped")
		if code, _, stderr := run(t, "restore", "-", "--data-dir", dir); code != 0 {
			t.Fatalf("restore from standard input: exit %d, %s", code, stderr)
		}
		if got, err := os.ReadFile(filepath.Join(dir, "media", "a.png")); err != nil || string(got) != "png" {
			t.Errorf("restored through a pipe: media file %q, %v", got, err)
		}
	})
	t.Run("misuse", func(t *testing.T) {
		if code, _, stderr := run(t, "backup", filepath.Join(s.cfg.DataDir, "x.tar.gz"), "--data-dir", s.cfg.DataDir); code != 2 ||
			!strings.Contains(stderr, "outside the data dir") {
			t.Errorf("backup into the data dir: exit %d, %q", code, stderr)
		}
		if code, _, stderr := run(t, "backup", archive, "--data-dir", s.cfg.DataDir); code != 1 || !strings.Contains(stderr, "already exists") {
			t.Errorf("backup over an archive: exit %d, %q", code, stderr)
		}
		if code, _, _ := run(t, "restore", "--data-dir", s.cfg.DataDir); code != 2 {
			t.Errorf("restore without a file: exit %d, want 2", code)
		}
	})
}

// joinedup backup covers the embedded SQLite database only: with
// DATABASE_URL set it refuses, and says to use pg_dump.
func TestBackupRefusesPostgreSQL(t *testing.T) {
	var stdout, stderr bytes.Buffer
	archive := filepath.Join(t.TempDir(), "site.tar.gz")
	env := func(k string) string {
		return map[string]string{"DATABASE_URL": "postgres://joinedup@db.internal/joinedup"}[k]
	}
	code := Main(context.Background(), []string{"backup", archive, "--data-dir", t.TempDir()}, &stdout, &stderr, env)
	if code != 1 || !strings.Contains(stderr.String(), "pg_dump") {
		t.Errorf("exit %d, stderr %q; want 1 and advice to use pg_dump", code, stderr.String())
	}
	if _, err := os.Stat(archive); err == nil {
		t.Error("an archive was written")
	}
}
