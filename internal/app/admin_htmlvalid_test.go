package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/testenv"
)

// Every admin page, and its forms shown again with errors, is valid HTML
// as the W3C's Nu HTML Checker sees it.
func TestAdminPagesAreValidHTML(t *testing.T) {
	root := testenv.RepoRoot(t)
	jar := filepath.Join(root, "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	if _, err := os.Stat(jar); err != nil {
		testenv.Missing(t, "the Nu HTML Checker", "run npm ci in the repository root")
	}
	java := testenv.LookPath(t, "install Java: apt-get install default-jre-headless", "java")

	s := newAdminSite(t)
	boss := s.addUser("boss@example.org", accounts.Administrator)
	b := s.visitor()
	pages := map[string]string{
		"GET /admin/login":          b.get("/admin/login").body,
		"POST /admin/login (empty)": b.post("/admin/login", nil).body,
	}
	ctx := context.Background()
	setup, err := accounts.NewLinkToken(ctx, s.db, accounts.PurposeSetup, 0, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	pages["GET /admin/setup"] = b.get("/admin/setup?token=" + setup).body
	pages["POST /admin/setup (empty)"] = b.post("/admin/setup", url.Values{"token": {setup}}).body
	reset, err := accounts.NewLinkToken(ctx, s.db, accounts.PurposeReset, boss.ID, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	pages["GET /admin/reset"] = b.get("/admin/reset?token=" + reset).body
	pages["POST /admin/reset (empty)"] = b.post("/admin/reset", url.Values{"token": {reset}}).body
	pages["404 link"] = b.get("/admin/reset?token=nonsense").body

	b.mustLogin("boss@example.org")
	id := strconv.FormatInt(boss.ID, 10)
	for _, path := range []string{"/admin/", "/admin/account/password", "/admin/account/sessions", "/admin/users",
		"/admin/users/new", "/admin/users/" + id, "/admin/places", "/admin/places/southwark"} {
		pages["GET "+path] = b.get(path).body
	}
	for _, path := range []string{"/admin/account/password", "/admin/users", "/admin/users/" + id, "/admin/places/southwark"} {
		pages["POST "+path+" (empty)"] = b.post(path, nil).body
	}

	dir := t.TempDir()
	files := map[string]string{}
	var args []string
	i := 0
	for what, body := range pages {
		name := filepath.Join(dir, fmt.Sprintf("admin%03d.html", i))
		i++
		if err := os.WriteFile(name, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		files["file:"+name] = what
		args = append(args, name)
	}
	var out bytes.Buffer
	cmd := exec.Command(java, append([]string{"-jar", jar, "--errors-only", "--format", "json", "--exit-zero-always"}, args...)...)
	cmd.Stderr = &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("vnu: %v\n%s", err, out.String())
	}
	var report struct {
		Messages []struct {
			URL, Type, Message, Extract string
			LastLine                    int
		}
	}
	if err := json.Unmarshal(out.Bytes(), &report); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, out.String())
	}
	for _, m := range report.Messages {
		t.Errorf("%s line %d: %s: %s\n\t%s", files[m.URL], m.LastLine, m.Type, m.Message, m.Extract)
	}
	t.Logf("validated %d admin pages", len(args))
}
