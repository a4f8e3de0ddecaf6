package app

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/places"
)

// testClock is the admin's clock in tests, moved by hand instead of
// sleeping.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// adminSite is a test site whose admin runs on a clock the test moves.
type adminSite struct {
	*testSite
	clock *testClock
}

func newAdminSite(t *testing.T) *adminSite {
	t.Helper()
	return openAdminSite(t, config.Config{DataDir: t.TempDir(), BaseURL: "https://joinedup.example"})
}

func openAdminSite(t *testing.T, cfg config.Config) *adminSite {
	t.Helper()
	d, err := Open(context.Background(), cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	clock := &testClock{t: time.Now()}
	h, err := handler(d, cfg, quietLog(), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		d.Close()
	})
	return &adminSite{testSite: &testSite{t: t, cfg: cfg, db: d, srv: srv}, clock: clock}
}

const testPassword = "correct horse battery staple"

// addUser creates an account with testPassword.
func (s *adminSite) addUser(email string, role accounts.Role, placeSlugs ...string) accounts.User {
	s.t.Helper()
	ctx := context.Background()
	nu := accounts.NewUser{Email: email, Name: strings.Split(email, "@")[0], Role: role, Password: testPassword}
	for _, slug := range placeSlugs {
		id, err := places.NewStore(s.db).IDBySlug(ctx, slug)
		if err != nil {
			s.t.Fatal(err)
		}
		nu.Places = append(nu.Places, id)
	}
	var u accounts.User
	err := s.db.Tx(ctx, func(q db.Querier) error {
		var err error
		u, err = accounts.NewStore(q).Create(ctx, nu)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

// browser is one visitor: it keeps the session cookie itself, because the
// test site's base URL is https (so the cookie is Secure) while the test
// server speaks plain HTTP; and it does not follow redirects.
type browser struct {
	s      *adminSite
	cookie *http.Cookie
}

func (s *adminSite) visitor() *browser { return &browser{s: s} }

type response struct {
	status   int
	location string
	header   http.Header
	body     string
}

func (b *browser) do(method, path string, form url.Values, header ...string) response {
	b.s.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.s.srv.URL+path, body)
	if err != nil {
		b.s.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	return b.send(req)
}

// send sends req with the browser's cookie, keeping any new one.
func (b *browser) send(req *http.Request) response {
	b.s.t.Helper()
	if b.cookie != nil {
		req.AddCookie(&http.Cookie{Name: b.cookie.Name, Value: b.cookie.Value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		b.s.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		b.s.t.Fatal(err)
	}
	for _, c := range res.Cookies() {
		if c.Name == "__Host-joinedup" {
			if c.MaxAge < 0 || c.Value == "" {
				b.cookie = nil
			} else {
				b.cookie = c
			}
		}
	}
	return response{status: res.StatusCode, location: res.Header.Get("Location"), header: res.Header, body: string(raw)}
}

func (b *browser) get(path string) response { return b.do(http.MethodGet, path, nil) }

func (b *browser) post(path string, form url.Values, header ...string) response {
	if form == nil {
		form = url.Values{}
	}
	return b.do(http.MethodPost, path, form, header...)
}

// login signs in with email and password and returns the response.
func (b *browser) login(email, password string) response {
	return b.post("/admin/login", url.Values{"email": {email}, "password": {password}})
}

// mustLogin signs in and fails the test if that did not work.
func (b *browser) mustLogin(email string) *browser {
	b.s.t.Helper()
	res := b.login(email, testPassword)
	if res.status != http.StatusSeeOther || res.location != "/admin/" || b.cookie == nil {
		b.s.t.Fatalf("login %s: status %d, location %q, cookie %v\n%s", email, res.status, res.location, b.cookie, res.body)
	}
	return b
}
