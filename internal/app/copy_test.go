package app

import (
	"context"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbcopy"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/tables"
)

// populate fills a seeded site with what editors and visitors add: an
// account with a live session, a post and an event made in the admin, a
// place figure changed, an email queued, and directory records whose
// parents sort after them.
func populate(t *testing.T, s *adminSite) *browser {
	t.Helper()
	ctx := context.Background()
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")
	if res := b.post("/admin/posts", postForm("walk-for-health", "now")); res.status != http.StatusSeeOther {
		t.Fatalf("create post: status %d\n%s", res.status, res.body)
	}
	if res := b.post("/admin/events", eventForm("drop-in")); res.status != http.StatusSeeOther {
		t.Fatalf("create event: status %d\n%s", res.status, res.body)
	}
	err := s.db.Tx(ctx, func(q db.Querier) error {
		if _, err := q.ExecContext(ctx, `UPDATE place_figures SET value = 333000 WHERE key = (SELECT MIN(key) FROM place_figures)`); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO dir_taxonomy_terms (id, taxonomy_id, parent_id, code, name, description, term_uri)
			SELECT '0-child', taxonomy_id, id, 'child', 'A narrower term', '', '' FROM dir_taxonomy_terms ORDER BY id DESC LIMIT 1`); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO dir_organizations (id, name, parent_organization_id, last_modified)
			SELECT '0-branch', 'A branch', id, $1 FROM dir_organizations ORDER BY id DESC LIMIT 1`, db.Now()); err != nil {
			return err
		}
		_, err := outbox(s.cfg).Enqueue(ctx, q, mail.Message{Kind: "test", To: "ed@example.org", Subject: "Queued", Text: "Hello."})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCopyComparesEqualAndServesTheSameSite(t *testing.T) {
	ctx := context.Background()
	// The source is always SQLite; the target is the engine under test:
	// a new PostgreSQL database, or on the SQLite pass a new SQLite file.
	dir := t.TempDir()
	src := serveAdminSite(t, config.Config{DataDir: dir, BaseURL: "https://joinedup.example"})
	b := populate(t, src)
	targetDir := t.TempDir()
	target := dbtest.Empty(t)
	copied := config.Config{DataDir: targetDir, BaseURL: "https://joinedup.example", DatabaseURL: target}
	if target == "" {
		target = "sqlite:" + filepath.Join(targetDir, "joinedup.db")
	}

	code, stdout, stderr := run(t, "copy", "--from", "sqlite:"+dir, "--to", target, "--batch", "7")
	if code != 0 {
		t.Fatalf("copy: exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "every row count and checksum is equal") || !strings.Contains(stdout, "copied dir_services") {
		t.Errorf("copy said:\n%s", stdout)
	}

	dst := serveAdminSite(t, copied)
	// Checked again here, independently of the command's own check.
	ts, err := tables.Load(ctx, src.db)
	if err != nil {
		t.Fatal(err)
	}
	want, err := tables.Summarise(ctx, src.db, ts)
	if err != nil {
		t.Fatal(err)
	}
	got, err := tables.Summarise(ctx, dst.db, ts)
	if err != nil {
		t.Fatal(err)
	}
	if diffs := tables.Diff(want, got); len(diffs) > 0 {
		t.Errorf("the copy differs: %v", diffs)
	}
	for _, sum := range want {
		if sum.Rows == 0 && (sum.Table == "sessions" || sum.Table == "posts" || sum.Table == "dir_services" ||
			sum.Table == "users" || sum.Table == "mail_outbox" || sum.Table == "events") {
			t.Errorf("table %s is empty: the test copies nothing of it", sum.Table)
		}
	}

	// The copy serves the same pages, finds the same things, and knows the
	// editor's session.
	for _, path := range []string{
		"/in-your-area/southwark",
		"/news/walk-for-health",
		"/events/drop-in",
		"/api/oruk/services?per_page=10",
		"/directory/services/" + firstService(t, src.db),
	} {
		_, a := src.get(path)
		res, c := dst.get(path)
		if res.StatusCode != http.StatusOK || a != c {
			t.Errorf("GET %s: the copy answers %d and differs from the source", path, res.StatusCode)
		}
	}
	for path, link := range map[string]string{
		"/search?q=walk+for+health": `href="/news/walk-for-health"`,
		"/directory?q=pharmacy":     `href="/directory/services/`,
	} {
		_, a := src.get(path)
		_, c := dst.get(path)
		if !strings.Contains(a, link) || !strings.Contains(c, link) {
			t.Errorf("GET %s: the copy does not find %s: its search indexes were not rebuilt", path, link)
		}
	}
	if res := (&browser{s: dst, cookie: b.cookie}).get("/admin/"); res.status != http.StatusOK {
		t.Errorf("the editor's session does not work on the copy: status %d", res.status)
	}
	// New rows get new ids: the sequences moved past the copied ones.
	b2 := dst.visitor().mustLogin("ed@example.org")
	if res := b2.post("/admin/posts", postForm("after-the-move", "now")); res.status != http.StatusSeeOther {
		t.Fatalf("create a post on the copy: status %d\n%s", res.status, res.body)
	}
	if res, _ := dst.get("/news/after-the-move"); res.StatusCode != http.StatusOK {
		t.Errorf("new post on the copy: status %d", res.StatusCode)
	}
	// A new service at a new location gets new keys for its position and
	// words, and is found by both.
	lat, lon := 51.4721, -0.0689
	err = dst.db.Tx(ctx, func(q db.Querier) error {
		st := directory.NewStore(q)
		org := directory.Organization{ID: directory.NewID(), Name: "Quokka Trust"}
		if err := st.SaveOrganization(ctx, org); err != nil {
			return err
		}
		_, err := st.SaveService(ctx, directory.Service{ID: directory.NewID(), OrganizationID: org.ID, Name: "Quokka Sanctuary",
			Locations: []directory.ServiceLocation{{ID: directory.NewID(), Location: directory.Location{ID: directory.NewID(),
				Latitude: &lat, Longitude: &lon}}}})
		return err
	})
	if err != nil {
		t.Fatalf("add a service on the copy: %v", err)
	}
	found, err := directory.NewStore(dst.db).Search(ctx, directory.Query{Text: "quokka", Near: &directory.Point{Lat: lat, Lon: lon},
		RadiusMetres: 100})
	if err != nil || found.Total != 1 {
		t.Errorf("the new service on the copy: found %d near it (%v)", found.Total, err)
	}

	// A second copy into the now populated target is refused, and
	// changes nothing.
	code, _, stderr = run(t, "copy", "--from", "sqlite:"+dir, "--to", target)
	if code != 1 || !strings.Contains(stderr, "not empty") {
		t.Errorf("copy into a site: exit %d, %q; want a refusal", code, stderr)
	}
	var posts int
	if err := dst.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM posts WHERE slug = 'walk-for-health'`).Scan(&posts); err != nil || posts != 1 {
		t.Errorf("after a refused copy the target has %d copies of the post (%v)", posts, err)
	}
}

func firstService(t *testing.T, d *db.DB) string {
	t.Helper()
	var id string
	if err := d.QueryRowContext(context.Background(), `SELECT id FROM dir_services WHERE status = 'active' ORDER BY id LIMIT 1`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestCopyAndMigrateMisuse(t *testing.T) {
	sqliteOnly(t)
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"copy", "--to", "postgres://x/y"}, 2, "--from must be sqlite:PATH"},
		{[]string{"copy", "--from", "sqlite:/nonexistent"}, 2, "--to is required"},
		{[]string{"copy", "--from", "sqlite:x", "--to", "mysql://x"}, 2, "--to must be"},
		{[]string{"copy", "--from", "sqlite:/nonexistent/dir", "--to", "sqlite:/tmp/x.db"}, 1, "source:"},
		{[]string{"migrate", "--database", "mysql://x"}, 1, "invalid --database"},
		{[]string{"migrate", "extra"}, 2, `unexpected argument "extra"`},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, %q; want %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
	dir := t.TempDir()
	code, stdout, stderr := run(t, "migrate", "--data-dir", dir)
	ms, err := db.Migrations(db.SQLite)
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("sqlite database at schema version %d", ms[len(ms)-1].Version); code != 0 || !strings.Contains(stdout, want) {
		t.Errorf("migrate: exit %d, %q %q", code, stdout, stderr)
	}
	if code, stdout, _ = run(t, "migrate", "--data-dir", dir); code != 0 || !strings.Contains(stdout, "applied 0 migrations") {
		t.Errorf("migrate again: exit %d, %q", code, stdout)
	}
}

// Any difference between the copy and its source, found when every table
// is compared before committing, rolls the whole copy back: the target is
// left as empty as it was, so the copy can simply be run again.
func TestCopyRollsBackOnAnyDifference(t *testing.T) {
	ctx := context.Background()
	src := serveAdminSite(t, config.Config{DataDir: t.TempDir(), BaseURL: "https://joinedup.example"})
	for _, tt := range []struct {
		name   string
		tamper string // run on the target, in the copy's transaction, before the comparison
		differ string // the table the refusal names
	}{
		{"a changed value", `UPDATE posts SET title = title || ' (changed)' WHERE id = (SELECT MIN(id) FROM posts)`, "posts"},
		{"a row lost", `DELETE FROM place_partners WHERE id = (SELECT MAX(id) FROM place_partners)`, "place_partners"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			target := dbtest.Empty(t)
			var dst *db.DB
			var err error
			if target == "" {
				dst, err = db.OpenSQLite(ctx, filepath.Join(t.TempDir(), "joinedup.db"))
			} else {
				dst, err = db.OpenPostgres(ctx, target)
			}
			if err != nil {
				t.Fatal(err)
			}
			defer dst.Close()
			if _, err := dst.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			_, err = dbcopy.Copy(ctx, src.db, dst, dbcopy.Options{Rebuild: func(ctx context.Context, q db.Querier) error {
				_, err := q.ExecContext(ctx, tt.tamper)
				return err
			}})
			if err == nil || !strings.Contains(err.Error(), "differs from the source") || !strings.Contains(err.Error(), tt.differ) {
				t.Fatalf("copy with %s: %v, want a refusal naming %s", tt.name, err, tt.differ)
			}
			for _, table := range []string{"places", "posts", "place_partners", "dir_services"} {
				var n int
				if err := dst.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil || n != 0 {
					t.Errorf("after the refused copy the target's %s holds %d rows (%v)", table, n, err)
				}
			}
		})
	}
}
