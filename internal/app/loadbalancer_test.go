package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"text/template"
	"time"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/testenv"
)

// instance is one `joinedup serve` on the shared database.
type instance struct {
	*adminSite
	dataDir string
	log     *lockedBuffer
}

// startInstance runs `joinedup serve` on a free loopback port, as the
// command line would, until the test ends.
func startInstance(t *testing.T, databaseURL, baseURL string) (*instance, error) {
	dir := t.TempDir()
	env := map[string]string{"DATABASE_URL": databaseURL, "JOINEDUP_DATA_DIR": dir}
	cfg, err := config.ParseServe([]string{"--addr", "127.0.0.1:0", "--base-url", baseURL, "--trusted-proxies", "127.0.0.1"},
		func(k string) string { return env[k] }, os.Stderr)
	if err != nil {
		return nil, err
	}
	logs := &lockedBuffer{}
	ctx, cancel := context.WithCancel(context.Background())
	ready, done := make(chan string, 1), make(chan error, 1)
	go func() {
		done <- Serve(ctx, cfg, slog.New(slog.NewTextHandler(logs, nil)), func(addr string) { ready <- addr })
	}()
	select {
	case addr := <-ready:
		t.Cleanup(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("instance stopped with %v\n%s", err, logs)
			}
		})
		// The admin helpers need only the server's URL.
		site := &adminSite{testSite: &testSite{t: t, cfg: cfg, srv: &httptest.Server{URL: "http://" + addr}}}
		return &instance{adminSite: site, dataDir: dir, log: logs}, nil
	case err := <-done:
		cancel()
		return nil, fmt.Errorf("instance did not start: %v\n%s", err, logs)
	case <-time.After(2 * time.Minute):
		cancel()
		return nil, fmt.Errorf("instance did not start within two minutes\n%s", logs)
	}
}

// nginxConf load-balances round robin between the instances, and says in
// a header which one answered.
var nginxConf = template.Must(template.New("nginx").Parse(`{{if .Root}}user root;
{{end}}daemon off;
worker_processes 1;
pid {{.Dir}}/nginx.pid;
error_log {{.Dir}}/error.log warn;
events { worker_connections 256; }
http {
    access_log {{.Dir}}/access.log;
    client_body_temp_path {{.Dir}}/client_body;
    proxy_temp_path {{.Dir}}/proxy;
    fastcgi_temp_path {{.Dir}}/fastcgi;
    uwsgi_temp_path {{.Dir}}/uwsgi;
    scgi_temp_path {{.Dir}}/scgi;
    upstream joinedup {
{{range .Upstreams}}        server {{.}};
{{end}}    }
    server {
        listen {{.Listen}};
        location / {
            proxy_pass http://joinedup;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_next_upstream off;
            add_header X-Upstream $upstream_addr always;
        }
    }
}
`))

// startNginx runs the Debian nginx in front of upstreams, with its
// configuration, pid and logs in a temp dir, until the test ends. It
// returns its URL.
func startNginx(t *testing.T, upstreams []string) string {
	t.Helper()
	bin := "/usr/sbin/nginx"
	if _, err := os.Stat(bin); err != nil {
		bin = testenv.LookPath(t, "apt-get install nginx", "nginx")
	}
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	listen := ln.Addr().String()
	ln.Close()
	var conf bytes.Buffer
	if err := nginxConf.Execute(&conf, map[string]any{"Root": os.Geteuid() == 0, "Dir": dir,
		"Upstreams": upstreams, "Listen": listen}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), conf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var out lockedBuffer
	cmd := exec.Command(bin, "-p", dir, "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGQUIT) // graceful stop
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	base := "http://" + listen
	deadline := time.Now().Add(30 * time.Second)
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return base
			}
		}
		select {
		case err := <-exited:
			logs, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx exited: %v\n%s%s", err, out.String(), logs)
		default:
		}
		if time.Now().After(deadline) {
			logs, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not answer within 30s\n%s%s", out.String(), logs)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// eventually polls check until it returns nil or the deadline passes.
func eventually(t *testing.T, what string, check func() error) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		err := check()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s: still not so after a minute: %v", what, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// shows is a check that the public page at path on each site holds want.
func shows(path, want string, sites ...*adminSite) func() error {
	return func() error {
		for _, s := range sites {
			res := s.visitor().get(path)
			if res.status != http.StatusOK || !strings.Contains(res.body, want) {
				return fmt.Errorf("%s%s answers %d without %q", s.srv.URL, path, res.status, want)
			}
		}
		return nil
	}
}

// Two instances on one PostgreSQL behind nginx: a session started on one
// works on the other, an edit on one shows at once on both, login back-off
// counts attempts on both, and each scheduled run happens on one only.
func TestSeveralInstancesBehindNginx(t *testing.T) {
	if dbtest.Engine() != db.Postgres {
		t.Skip("several instances share a PostgreSQL database; this test runs on the PostgreSQL pass")
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err != nil {
		testenv.LookPath(t, "apt-get install nginx", "nginx")
	}
	ctx := context.Background()
	databaseURL := dbtest.Empty(t)
	const baseURL = "https://joinedup.example"

	// Both start at once on an empty database: migrations and the default
	// data are applied once between them.
	type result struct {
		in  *instance
		err error
	}
	started := make(chan result, 2)
	for range 2 {
		go func() {
			in, err := startInstance(t, databaseURL, baseURL)
			started <- result{in, err}
		}()
	}
	var ins []*instance
	for range 2 {
		r := <-started
		if r.err != nil {
			t.Fatal(r.err)
		}
		ins = append(ins, r.in)
	}
	a, b := ins[0], ins[1]
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("instance A's log:\n%s\ninstance B's log:\n%s", a.log, b.log)
		}
	})
	lb := startNginx(t, []string{strings.TrimPrefix(a.srv.URL, "http://"), strings.TrimPrefix(b.srv.URL, "http://")})
	viaNginx := &adminSite{testSite: &testSite{t: t, srv: &httptest.Server{URL: lb}}}

	d, err := db.OpenPostgres(ctx, databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	a.db, b.db = d, d
	a.addUser("ed@example.org", "editor", "southwark")

	// nginx takes turns.
	seen := map[string]bool{}
	for range 4 {
		res := viaNginx.visitor().get("/healthz")
		seen[res.header.Get("X-Upstream")] = true
	}
	if len(seen) != 2 {
		t.Errorf("nginx sent four requests to %v, want both instances", seen)
	}

	t.Run("session and edits across instances", func(t *testing.T) {
		// Signed in on A; the post is created on B with A's cookie.
		onA := a.visitor().mustLogin("ed@example.org")
		onB := &browser{s: b.adminSite, cookie: onA.cookie}
		res := onB.post("/admin/posts", postForm("walk-for-health", "now"))
		if res.status != http.StatusSeeOther || !savedPost.MatchString(res.location) {
			t.Fatalf("create a post on B with A's session: status %d, location %q\n%s", res.status, res.location, res.body)
		}
		edit := res.location
		eventually(t, "the new post on both instances", shows("/news/walk-for-health", "Walk for health", a.adminSite, b.adminSite))

		// Both have the page cached now; an edit on B shows on both.
		res = onB.post(edit, postForm("walk-for-health", "now", "title", "Walk for health, edited on B"))
		if res.status != http.StatusSeeOther {
			t.Fatalf("edit on B: status %d\n%s", res.status, res.body)
		}
		eventually(t, "the edit made on B, on both", shows("/news/walk-for-health", "edited on B", a.adminSite, b.adminSite))

		// The same through nginx: sign in through it, edit through it,
		// see it on each instance directly.
		lbEditor := viaNginx.visitor().mustLogin("ed@example.org")
		for i := range 3 { // three requests: both instances serve some
			title := fmt.Sprintf("Walk for health, edit %d through nginx", i)
			if res := lbEditor.post(edit, postForm("walk-for-health", "now", "title", title)); res.status != http.StatusSeeOther {
				t.Fatalf("edit through nginx: status %d\n%s", res.status, res.body)
			}
			eventually(t, "an edit through nginx, on both", shows("/news/walk-for-health", title, a.adminSite, b.adminSite, viaNginx))
		}
	})

	t.Run("login back-off counts attempts on both", func(t *testing.T) {
		// Eight wrong passwords, alternately on A and on B: four each,
		// under the five free attempts an instance would allow alone.
		throttled := 0
		for i := range 8 {
			site := []*instance{a, b}[i%2]
			res := site.visitor().login("nobody@example.org", fmt.Sprintf("wrong %d", i))
			if res.status == http.StatusTooManyRequests {
				throttled++
			}
		}
		if throttled == 0 {
			t.Error("eight failed logins split between two instances were never throttled: back-off is counted per instance")
		}
		// Through nginx, the address counted is the client's, not nginx's.
		res := viaNginx.visitor().post("/admin/login", url.Values{"email": {"someone@example.org"}, "password": {"wrong"}},
			"X-Forwarded-For", "203.0.113.7")
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("failed login through nginx: status %d", res.status)
		}
		var failures int
		if err := d.QueryRowContext(ctx, `SELECT failures FROM login_throttle WHERE key = 'ip:203.0.113.7'`).Scan(&failures); err != nil || failures != 1 {
			t.Errorf("the client's address has %d failures (%v); want 1: back-off counts nginx's address instead", failures, err)
		}
	})

	t.Run("each scheduled run happens once", func(t *testing.T) {
		// Each instance writes the email it sends to its own data dir's
		// outbox, so a message sent twice would show in both.
		out := outbox(a.cfg)
		var ids []int64
		for round := range 2 {
			for i := range 4 {
				err := d.Tx(ctx, func(q db.Querier) error {
					id, err := out.Enqueue(ctx, q, mail.Message{Kind: "test", To: "ed@example.org",
						Subject: fmt.Sprintf("Round %d, message %d", round, i), Text: "Hello."})
					ids = append(ids, id)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			eventually(t, "the queued email sent", func() error {
				var unsent int
				if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL`).Scan(&unsent); err != nil {
					return err
				}
				if unsent > 0 {
					return fmt.Errorf("%d messages unsent", unsent)
				}
				return nil
			})
		}
		for _, id := range ids {
			var copies []string
			for _, in := range []*instance{a, b} {
				if _, err := os.Stat(filepath.Join(in.dataDir, "outbox", fmt.Sprintf("%d.eml", id))); err == nil {
					copies = append(copies, in.srv.URL)
				} else if !errors.Is(err, os.ErrNotExist) {
					t.Fatal(err)
				}
			}
			var attempts int
			if err := d.QueryRowContext(ctx, `SELECT attempts FROM mail_outbox WHERE id = $1`, id).Scan(&attempts); err != nil {
				t.Fatal(err)
			}
			if len(copies) != 1 || attempts != 1 {
				t.Errorf("message %d was written by %v after %d attempts; want once, by one instance", id, copies, attempts)
			}
		}
		rows, err := d.QueryContext(ctx, `SELECT started_at, COUNT(*) FROM job_runs WHERE name = 'mail'
			GROUP BY started_at HAVING COUNT(*) > 1`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var at time.Time
			var n int
			if err := rows.Scan(&at, &n); err != nil {
				t.Fatal(err)
			}
			t.Errorf("the mail job's slot at %s ran %d times", at, n)
		}
		var runs, holders int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*), COUNT(DISTINCT holder) FROM job_runs WHERE name = 'mail'`).Scan(&runs, &holders); err != nil {
			t.Fatal(err)
		}
		t.Logf("the mail job ran %d times, on %d instances", runs, holders)
	})
}
