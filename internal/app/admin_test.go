package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/places"
)

func TestAdminCrossSitePostRefused(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")
	form := placeFormValues(t, s, "southwark")
	form.Set("name", "Hijacked")
	res := b.post("/admin/places/southwark", form, "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example")
	if res.status != http.StatusForbidden {
		t.Fatalf("cross-site POST: status %d, want 403", res.status)
	}
	res = s.visitor().post("/admin/login", url.Values{"email": {"ed@example.org"}, "password": {testPassword}},
		"Sec-Fetch-Site", "cross-site")
	if res.status != http.StatusForbidden {
		t.Errorf("cross-site login: status %d, want 403", res.status)
	}
	p, err := places.NewStore(s.db).BySlug(context.Background(), "southwark")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Southwark" {
		t.Errorf("a cross-site POST changed the place's name to %q", p.Name)
	}
}

func TestAdminPasswordChangeEndsOtherSessions(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor)
	laptop := s.visitor().mustLogin("ed@example.org")
	phone := s.visitor().mustLogin("ed@example.org")
	stolen := *laptop.cookie // the laptop's cookie from before the change
	res := laptop.post("/admin/account/password", url.Values{"current": {testPassword},
		"password": {"a brand new passphrase"}, "confirm": {"a brand new passphrase"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("change password: status %d\n%s", res.status, res.body)
	}
	if res := laptop.get("/admin/"); res.status != http.StatusOK || !strings.Contains(res.body, "Your password has been changed") {
		t.Errorf("the session that changed the password: status %d, or no success message", res.status)
	}
	if res := phone.get("/admin/"); res.status != http.StatusSeeOther {
		t.Errorf("another session after the password change: status %d, want 303 to the login page", res.status)
	}
	old := s.visitor()
	old.cookie = &stolen
	if res := old.get("/admin/"); res.status != http.StatusSeeOther {
		t.Errorf("a cookie from before the password change: status %d, want 303 to the login page", res.status)
	}
	if res := s.visitor().login("ed@example.org", testPassword); res.status == http.StatusSeeOther {
		t.Error("the old password still signs in")
	}
	s.visitor().login("ed@example.org", "a brand new passphrase")
}

func TestAdminLogoutEverywhere(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor)
	a := s.visitor().mustLogin("ed@example.org")
	b := s.visitor().mustLogin("ed@example.org")
	if res := a.post("/admin/account/sessions", nil); res.status != http.StatusSeeOther {
		t.Fatalf("log out everywhere: status %d", res.status)
	}
	if res := b.get("/admin/"); res.status != http.StatusSeeOther {
		t.Errorf("another session after logging out everywhere: status %d, want 303", res.status)
	}
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM sessions WHERE user_id IS NOT NULL`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d signed-in sessions left in the database", n)
	}
}

func TestAdminLoginBackoff(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor)
	for i := range 10 {
		if res := s.visitor().login("ed@example.org", "wrong password "+strconv.Itoa(i)); res.status == http.StatusSeeOther {
			t.Fatal("a wrong password signed in")
		}
	}
	res := s.visitor().login("ed@example.org", testPassword)
	if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, "too many attempts") {
		t.Fatalf("the right password straight after ten failures: status %d, want 429 with the back-off message", res.status)
	}
	// An unknown email is throttled the same way, so the answer says
	// nothing about which emails have accounts.
	for range 10 {
		s.visitor().login("nobody@example.org", "wrong password")
	}
	if res := s.visitor().login("nobody@example.org", "wrong password"); res.status != http.StatusTooManyRequests {
		t.Errorf("unknown email after ten failures: status %d, want 429", res.status)
	}
	s.clock.Add(16 * time.Minute)
	s.visitor().mustLogin("ed@example.org")
	var failures int
	if err := s.db.QueryRowContext(context.Background(),
		`SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND actor = 'ed@example.org'`).Scan(&failures); err != nil {
		t.Fatal(err)
	}
	if failures != 5 {
		t.Errorf("audit log holds %d failed logins for the email, want the 5 checked before the back-off", failures)
	}
}

// Wrong passwords sent all at once, over real HTTP, get no more tries
// than the same number sent one after another: the back-off is checked
// and the attempt counted in one transaction, before the slow hash.
func TestAdminLoginBackoffInParallel(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor)
	const attempts = 40
	statuses := make([]int, attempts)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range attempts {
		wg.Go(func() {
			<-start
			statuses[i] = s.visitor().login("ed@example.org", "wrong password "+strconv.Itoa(i)).status
		})
	}
	close(start)
	wg.Wait()
	checked := 0
	for _, st := range statuses {
		switch st {
		case http.StatusUnprocessableEntity:
			checked++
		case http.StatusTooManyRequests:
		default:
			t.Errorf("a wrong password: status %d, want 422 or 429", st)
		}
	}
	// Five tries are free for an email (accounts.freeFailures).
	if checked > 5 {
		t.Errorf("%d of %d wrong passwords sent at once were checked before the back-off, want at most 5", checked, attempts)
	}
	if res := s.visitor().login("ed@example.org", testPassword); res.status != http.StatusTooManyRequests {
		t.Errorf("the right password straight after: status %d, want 429", res.status)
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'login_failed' AND actor = 'ed@example.org'`); n != checked {
		t.Errorf("audit log holds %d failed logins, want the %d checked", n, checked)
	}
}

func TestAdminLoginNoUserEnumeration(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("known@example.org", accounts.Editor)
	s.addUser("gone@example.org", accounts.Editor)
	disable(t, s, "gone@example.org")
	answer := func(email, password string) (int, string) {
		res := s.visitor().login(email, password)
		return res.status, strings.ReplaceAll(res.body, email, "EMAIL")
	}
	wantStatus, wantBody := answer("nobody@example.org", "some password here")
	if wantStatus != http.StatusUnprocessableEntity || !strings.Contains(wantBody, accounts.ErrBadLogin.Error()) {
		t.Fatalf("unknown email: status %d, want 422 with %q", wantStatus, accounts.ErrBadLogin)
	}
	for _, c := range []struct{ email, password string }{
		{"known@example.org", "some password here"},
		{"KNOWN@example.org", "some password here"},
		{"gone@example.org", testPassword},
	} {
		status, body := answer(c.email, c.password)
		if status != wantStatus || body != wantBody {
			t.Errorf("login as %s: status %d and body differ from an unknown email's", c.email, status)
		}
	}
}

func disable(t *testing.T, s *adminSite, email string) {
	t.Helper()
	st := accounts.NewStore(s.db)
	u, err := st.ByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	u.Disabled = true
	if err := st.Update(context.Background(), u); err != nil {
		t.Fatal(err)
	}
}

// placeFormValues reads the place form as the admin shows it, so a test
// posts back every field.
func placeFormValues(t *testing.T, s *adminSite, slug string) url.Values {
	t.Helper()
	s.addUser("reader-"+slug+"@example.org", accounts.Administrator)
	b := s.visitor().mustLogin("reader-" + slug + "@example.org")
	res := b.get("/admin/places/" + slug)
	if res.status != http.StatusOK {
		t.Fatalf("place form: status %d", res.status)
	}
	return formValues(t, res.body)
}

var (
	inputRE    = regexp.MustCompile(`<input [^>]*name="([^"]+)"[^>]*>`)
	valueRE    = regexp.MustCompile(`value="([^"]*)"`)
	textareaRE = regexp.MustCompile(`(?s)<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>`)
)

// formValues returns the values of the text inputs and textareas of the
// page's forms (checkboxes unticked).
func formValues(t *testing.T, body string) url.Values {
	t.Helper()
	v := url.Values{}
	unescape := func(s string) string {
		return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&#34;", `"`, "&#39;", "'", "&quot;", `"`).Replace(s)
	}
	for _, m := range inputRE.FindAllStringSubmatch(body, -1) {
		if strings.Contains(m[0], `type="checkbox"`) || strings.Contains(m[0], `type="radio"`) {
			continue
		}
		val := ""
		if vm := valueRE.FindStringSubmatch(m[0]); vm != nil {
			val = unescape(vm[1])
		}
		v.Set(m[1], val)
	}
	for _, m := range textareaRE.FindAllStringSubmatch(body, -1) {
		v.Set(m[1], unescape(m[2]))
	}
	return v
}

func TestAdminPlaceEdit(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")
	// Fill the public page cache first, so the test shows it follows the edit.
	if res, _ := s.get("/in-your-area/southwark"); res.StatusCode != http.StatusOK {
		t.Fatalf("public page: %d", res.StatusCode)
	}
	form := formValues(t, b.get("/admin/places/southwark").body)
	form.Set("pop_value", "320123")
	form.Set("pop_as_of", "mid-2024")
	form.Set("aims", "first aim\n\nsecond aim\n")
	form.Set("partner-0-remove", "yes")        // Southwark Council
	n, _ := strconv.Atoi(form.Get("partners")) // existing plus blank rows
	form.Set("partner-"+strconv.Itoa(n-1)+"-name", "Peckham Community Trust")
	form.Set("partner-"+strconv.Itoa(n-1)+"-url", "https://peckham.example.org")
	res := b.post("/admin/places/southwark", form)
	if res.status != http.StatusSeeOther || res.location != "/admin/places/southwark" {
		t.Fatalf("save: status %d, location %q\n%s", res.status, res.location, errorSummary(res.body))
	}
	if res := b.get("/admin/places/southwark"); !strings.Contains(res.body, "have been saved") {
		t.Error("no success message after saving")
	}
	doc := s.page("/in-your-area/southwark")
	if got := figures(t, doc)["Population"]; got != "320,123" {
		t.Errorf("public page shows population %q, want 320,123", got)
	}
	partners := textOf(section(t, doc, "partners"))
	if strings.Contains(partners, "Southwark Council") || !strings.Contains(partners, "Peckham Community Trust") {
		t.Errorf("public page partners after removing one and adding one: %s", partners)
	}
	var before, after string
	if err := s.db.QueryRowContext(context.Background(), `SELECT before_json, after_json FROM audit_log
		WHERE action = 'place_updated' AND record = 'place:southwark'`).Scan(&before, &after); err != nil {
		t.Fatalf("audit log: %v", err)
	}
	if !strings.Contains(before, "319610") || !strings.Contains(after, "320123") {
		t.Errorf("audit log before/after do not hold the old and new population:\n%s\n%s", before, after)
	}
}

func errorSummary(body string) string {
	i := strings.Index(body, "nhsuk-error-summary__list")
	if i < 0 {
		return "(no error summary)"
	}
	return body[i:min(len(body), i+800)]
}

func TestAdminPlaceEditValidation(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")
	form := formValues(t, b.get("/admin/places/southwark").body)
	form.Set("name", "")
	form.Set("pop_value", "about 300k")
	form.Set("pop_source_url", "javascript:alert(1)")
	form.Set("partner-1-url", "www.example.org")
	form.Set("social-0-url", "ftp://example.org")
	form.Set("summary", "Kept as typed")
	res := b.post("/admin/places/southwark", form)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.status)
	}
	for _, id := range []string{"name", "pop_value", "pop_source_url", "partner-1-url", "social-0-url"} {
		if !strings.Contains(res.body, `<a href="#`+id+`">`) {
			t.Errorf("the error summary does not link to #%s", id)
		}
		if !strings.Contains(res.body, `id="`+id+`-error"`) {
			t.Errorf("no error message beside #%s", id)
		}
	}
	if !strings.Contains(res.body, `tabindex="-1" autofocus`) {
		t.Error("the error summary does not take the focus")
	}
	if !strings.Contains(res.body, "Kept as typed") || !strings.Contains(res.body, `value="about 300k"`) {
		t.Error("the form does not keep what was typed")
	}
	p, err := places.NewStore(s.db).BySlug(context.Background(), "southwark")
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Southwark" {
		t.Error("an invalid form changed the place")
	}
}

// TestAdminPlaceEditXSS puts script into every text field of the place form
// and checks that the public page shows it as text.
func TestAdminPlaceEditXSS(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Administrator)
	b := s.visitor().mustLogin("ed@example.org")
	form := formValues(t, b.get("/admin/places/southwark").body)
	// Short enough to fit the shortest field (a network's name).
	const payload = `<script>alert("x")</script>'&`
	fields := 0
	for name := range form {
		switch {
		case name == "partners" || name == "socials" || name == "pop_value" || strings.HasSuffix(name, "url"),
			form.Get(name) == "": // blank rows stay blank
			continue
		}
		form.Set(name, form.Get(name)+payload)
		fields++
	}
	form.Set("pop_source_url", `https://example.org/?q="><script>alert(1)</script>`)
	if res := b.post("/admin/places/southwark", form); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, `href="#pop_source_url"`) {
		t.Fatalf("a URL with markup in it: status %d, want 422 with an error on the field", res.status)
	}
	form.Set("pop_source_url", "https://example.org/?q=%3Cscript%3E")
	res := b.post("/admin/places/southwark", form)
	if res.status != http.StatusSeeOther {
		t.Fatalf("save: status %d\n%s", res.status, errorSummary(res.body))
	}
	t.Logf("payload put into %d fields", fields)
	for _, path := range []string{"/in-your-area/southwark", "/in-your-area/", "/", "/about/data", "/search?q=Southwark", "/admin/places/southwark"} {
		var body string
		if strings.HasPrefix(path, "/admin/") {
			body = b.get(path).body
		} else {
			_, body = s.get(path)
		}
		if strings.Contains(body, "<script>alert") {
			t.Errorf("%s carries the payload unescaped", path)
		}
		if (path == "/in-your-area/southwark" || path == "/search?q=Southwark") && !strings.Contains(body, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;") {
			i := strings.Index(body, "alert")
			t.Errorf("%s does not show the payload as text: %.300s", path, body[max(i-150, 0):])
		}
	}
}

func TestAdminPagesNotCachedForOthers(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Administrator)
	b := s.visitor().mustLogin("ed@example.org")
	res := b.get("/admin/")
	if !strings.Contains(res.header.Get("Cache-Control"), "no-store") || !strings.Contains(res.body, "Signed in as") {
		t.Fatalf("dashboard: Cache-Control %q", res.header.Get("Cache-Control"))
	}
	if res := s.visitor().get("/admin/"); res.status != http.StatusSeeOther || strings.Contains(res.body, "Signed in as") {
		t.Errorf("an anonymous visitor after an administrator: status %d", res.status)
	}
	_, public := s.get("/in-your-area/southwark")
	if strings.Contains(public, "Signed in") {
		t.Error("a public page shows admin content")
	}
}

func TestAdminUsers(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	b := s.visitor().mustLogin("boss@example.org")
	res := b.post("/admin/users", url.Values{"email": {"New.Editor@example.org"}, "name": {"New Editor"}, "role": {"editor"},
		"places": {"lewisham"}, "password": {testPassword}, "confirm": {testPassword}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("add user: status %d\n%s", res.status, errorSummary(res.body))
	}
	res = b.post("/admin/users", url.Values{"email": {"new.editor@EXAMPLE.org"}, "name": {"Again"}, "role": {"editor"},
		"password": {testPassword}, "confirm": {testPassword}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "already an account") {
		t.Errorf("an email differing only in case: status %d, want 422", res.status)
	}
	ed := s.visitor().mustLogin("new.editor@example.org")
	if res := ed.get("/admin/places/lewisham"); res.status != http.StatusOK {
		t.Errorf("the new editor on their place: %d", res.status)
	}
	if res := ed.get("/admin/places/southwark"); res.status != http.StatusForbidden {
		t.Errorf("the new editor on another place: %d, want 403", res.status)
	}
	u, err := accounts.NewStore(s.db).ByEmail(context.Background(), "new.editor@example.org")
	if err != nil {
		t.Fatal(err)
	}
	res = b.post("/admin/users/"+strconv.FormatInt(u.ID, 10), url.Values{"name": {"New Editor"}, "role": {"reviewer"}, "disabled": {"yes"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("disable: status %d\n%s", res.status, errorSummary(res.body))
	}
	if res := ed.get("/admin/"); res.status != http.StatusSeeOther {
		t.Errorf("a disabled user's session: status %d, want 303 to the login page", res.status)
	}
	if res := s.visitor().login("new.editor@example.org", testPassword); res.status == http.StatusSeeOther {
		t.Error("a disabled user signed in")
	}
}

func TestUserCommand(t *testing.T) {
	dir := t.TempDir()
	run := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		prev := userStdin
		userStdin = strings.NewReader(stdin)
		defer func() { userStdin = prev }()
		var out, errOut bytes.Buffer
		database := onTestEngine(t, configFor(dir)).DatabaseURL
		code := Main(context.Background(), append(args, "--data-dir", dir), &out, &errOut,
			func(k string) string { return map[string]string{"DATABASE_URL": database}[k] })
		return code, out.String(), errOut.String()
	}
	if code, _, stderr := run(testPassword+"\n", "user", "add", "--email", "ed@example.org", "--role", "boss", "--password-stdin"); code != 2 ||
		!strings.Contains(stderr, "--role must be one of") {
		t.Errorf("unknown role: exit %d, %s", code, stderr)
	}
	if code, _, stderr := run("short\n", "user", "add", "--email", "ed@example.org", "--role", "editor", "--password-stdin"); code != 1 ||
		!strings.Contains(stderr, "12 characters") {
		t.Errorf("short password: exit %d, %s", code, stderr)
	}
	if code, _, stderr := run(testPassword+"\n", "user", "add", "--email", "ed@example.org", "--role", "editor"); code != 2 ||
		!strings.Contains(stderr, "--password-stdin") {
		t.Errorf("no --password-stdin: exit %d, %s", code, stderr)
	}
	code, stdout, stderr := run(testPassword+"\n", "user", "add", "--email", "ed@example.org", "--role", "editor",
		"--place", "southwark", "--name", "Ed", "--password-stdin")
	if code != 0 || !strings.Contains(stdout, "added ed@example.org") {
		t.Fatalf("user add: exit %d\n%s%s", code, stdout, stderr)
	}
	if code, _, stderr := run(testPassword+"\n", "user", "add", "--email", "ED@example.org", "--role", "editor", "--password-stdin"); code != 1 ||
		!strings.Contains(stderr, "already an account") {
		t.Errorf("second account, same email: exit %d, %s", code, stderr)
	}
	code, stdout, stderr = run("", "user", "reset-password", "--email", "ed@example.org", "--base-url", "https://joinedup.example")
	if code != 0 {
		t.Fatalf("reset-password: exit %d\n%s", code, stderr)
	}
	link := regexp.MustCompile(`https://joinedup\.example(/admin/reset\?token=\S+)`).FindStringSubmatch(stdout)
	if link == nil {
		t.Fatalf("reset-password printed no link:\n%s", stdout)
	}
	var tokens int
	s := openAdminSite(t, configFor(dir))
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM account_tokens WHERE token_hash = $1`,
		strings.TrimPrefix(link[1], "/admin/reset?token=")).Scan(&tokens); err != nil {
		t.Fatal(err)
	}
	if tokens != 0 {
		t.Error("the reset token is stored as it is, not hashed")
	}
	ed := s.visitor().mustLogin("ed@example.org")
	if res := ed.get("/admin/places/southwark"); res.status != http.StatusOK {
		t.Errorf("the added editor on their place: %d", res.status)
	}
	if res := ed.get("/admin/places/lewisham"); res.status != http.StatusForbidden {
		t.Errorf("the added editor on another place: %d, want 403", res.status)
	}
	v := s.visitor()
	if res := v.get(link[1]); res.status != http.StatusOK {
		t.Fatalf("reset link: status %d", res.status)
	}
	token := strings.TrimPrefix(link[1], "/admin/reset?token=")
	if res := v.post("/admin/reset", url.Values{"token": {token}, "password": {"another long passphrase"},
		"confirm": {"another long passphrase"}}); res.status != http.StatusSeeOther {
		t.Fatalf("reset: status %d\n%s", res.status, errorSummary(res.body))
	}
	if res := ed.get("/admin/"); res.status != http.StatusSeeOther {
		t.Errorf("a session from before the reset: status %d, want 303 to the login page", res.status)
	}
	if res := s.visitor().login("ed@example.org", "another long passphrase"); res.status != http.StatusSeeOther {
		t.Errorf("login with the new password: status %d", res.status)
	}
	if res := v.get(link[1]); res.status != http.StatusNotFound {
		t.Errorf("the reset link a second time: status %d, want 404", res.status)
	}
	// A reset link works for an hour.
	code, stdout, stderr = run("", "user", "reset-password", "--email", "ed@example.org", "--base-url", "https://joinedup.example")
	late := regexp.MustCompile(`https://joinedup\.example(/admin/reset\?token=\S+)`).FindStringSubmatch(stdout)
	if code != 0 || late == nil {
		t.Fatalf("second reset-password: exit %d, %q\n%s", code, stdout, stderr)
	}
	s.clock.Add(59 * time.Minute)
	if res := s.visitor().get(late[1]); res.status != http.StatusOK {
		t.Errorf("a reset link after 59 minutes: status %d, want 200", res.status)
	}
	s.clock.Add(2 * time.Minute)
	if res := s.visitor().get(late[1]); res.status != http.StatusNotFound {
		t.Errorf("a reset link after an hour: status %d, want 404", res.status)
	}
}

func configFor(dir string) config.Config {
	return config.Config{DataDir: dir, BaseURL: "https://joinedup.example"}
}

func TestSetupLink(t *testing.T) {
	s := newAdminSite(t)
	link := func() string {
		t.Helper()
		var logs bytes.Buffer
		log := slog.New(slog.NewTextHandler(&logs, nil))
		if err := announceSetup(context.Background(), s.db, s.cfg, log, s.clock.Now()); err != nil {
			t.Fatal(err)
		}
		m := regexp.MustCompile(`https://joinedup\.example(/admin/setup\?token=[^"\s]+)`).FindStringSubmatch(logs.String())
		if m == nil {
			return ""
		}
		return m[1]
	}
	expired := link()
	s.clock.Add(61 * time.Minute)
	if res := s.visitor().get(expired); res.status != http.StatusNotFound {
		t.Errorf("a setup link after an hour: status %d, want 404", res.status)
	}
	path := link()
	if path == "" {
		t.Fatal("no setup link logged on a site without an administrator")
	}
	v := s.visitor()
	res := v.get(path)
	if res.status != http.StatusOK {
		t.Fatalf("setup link: status %d", res.status)
	}
	token := strings.TrimPrefix(path, "/admin/setup?token=")
	form := url.Values{"token": {token}, "name": {"First Admin"}, "email": {"first@example.org"},
		"password": {"first@example.org"}, "confirm": {"first@example.org"}}
	if res := v.post("/admin/setup", form); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "must not be your email") {
		t.Errorf("the email as password: status %d, want 422", res.status)
	}
	form.Set("password", testPassword)
	form.Set("confirm", testPassword)
	if res := v.post("/admin/setup", form); res.status != http.StatusSeeOther {
		t.Fatalf("setup: status %d\n%s", res.status, errorSummary(res.body))
	}
	if res := v.get("/admin/users"); res.status != http.StatusOK {
		t.Errorf("the first administrator on the accounts page: status %d", res.status)
	}
	if res := s.visitor().get(path); res.status != http.StatusNotFound {
		t.Errorf("the setup link a second time: status %d, want 404", res.status)
	}
	form.Set("email", "second@example.org")
	if res := s.visitor().post("/admin/setup", form); res.status != http.StatusNotFound {
		t.Errorf("posting the used setup link again: status %d, want 404", res.status)
	}
	if again := link(); again != "" {
		t.Error("a setup link was logged although an administrator exists")
	}
}

// setupLinks logs n setup links, as n starts without an administrator
// would, and returns their paths.
func (s *adminSite) setupLinks(n int) []string {
	s.t.Helper()
	var paths []string
	for range n {
		var logs bytes.Buffer
		if err := announceSetup(context.Background(), s.db, s.cfg, slog.New(slog.NewTextHandler(&logs, nil)), s.clock.Now()); err != nil {
			s.t.Fatal(err)
		}
		m := regexp.MustCompile(`https://joinedup\.example(/admin/setup\?token=[^"\s]+)`).FindStringSubmatch(logs.String())
		if m == nil {
			s.t.Fatal("no setup link logged")
		}
		paths = append(paths, m[1])
	}
	return paths
}

func setupForm(path, email string) url.Values {
	return url.Values{"token": {strings.TrimPrefix(path, "/admin/setup?token=")}, "name": {"Admin " + email},
		"email": {email}, "password": {testPassword}, "confirm": {testPassword}}
}

// A setup link logged by an earlier start does not make a second
// administrator once the first exists, even when links are used at once.
func TestStaleSetupLink(t *testing.T) {
	s := newAdminSite(t)
	links := s.setupLinks(2)
	if res := s.visitor().post("/admin/setup", setupForm(links[1], "first@example.org")); res.status != http.StatusSeeOther {
		t.Fatalf("setup: status %d\n%s", res.status, errorSummary(res.body))
	}
	if res := s.visitor().get(links[0]); res.status != http.StatusNotFound {
		t.Errorf("an older setup link after the first administrator: status %d, want 404", res.status)
	}
	if res := s.visitor().post("/admin/setup", setupForm(links[0], "second@example.org")); res.status != http.StatusNotFound {
		t.Errorf("posting an older setup link after the first administrator: status %d, want 404", res.status)
	}
	if n := s.count(`SELECT COUNT(*) FROM users WHERE role = 'administrator'`); n != 1 {
		t.Errorf("%d administrators, want 1", n)
	}

	// On a fresh site, several links sent at the same moment make one.
	s = newAdminSite(t)
	links = s.setupLinks(8)
	var wg sync.WaitGroup
	statuses := make([]int, len(links))
	for i, l := range links {
		wg.Go(func() {
			statuses[i] = s.visitor().post("/admin/setup", setupForm(l, fmt.Sprintf("admin%d@example.org", i))).status
		})
	}
	wg.Wait()
	made := 0
	for _, st := range statuses {
		if st == http.StatusSeeOther {
			made++
		} else if st != http.StatusNotFound {
			t.Errorf("a setup link sent at the same time: status %d, want 303 or 404", st)
		}
	}
	if n := s.count(`SELECT COUNT(*) FROM users WHERE role = 'administrator'`); n != 1 || made != 1 {
		t.Errorf("%d setup links at once made %d administrators (%d answered 303), want 1", len(links), n, made)
	}
}

func TestAdminSessionCookie(t *testing.T) {
	for _, c := range []struct {
		base, name string
		secure     bool
	}{
		{"https://joinedup.example", "__Host-joinedup", true},
		{"http://localhost:8080", "joinedup", false},
	} {
		s := openAdminSite(t, config.Config{DataDir: t.TempDir(), BaseURL: c.base})
		s.addUser("ed@example.org", accounts.Editor)
		res := s.visitor().login("ed@example.org", testPassword)
		if res.status != http.StatusSeeOther {
			t.Fatalf("%s: login status %d", c.base, res.status)
		}
		cookies := (&http.Response{Header: res.header}).Cookies()
		if len(cookies) != 1 {
			t.Fatalf("%s: %d cookies set, want 1", c.base, len(cookies))
		}
		ck := cookies[0]
		if ck.Name != c.name || ck.Secure != c.secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Path != "/" || ck.Domain != "" {
			t.Errorf("%s: cookie %s", c.base, res.header.Get("Set-Cookie"))
		}
		if _, body := s.get("/in-your-area/southwark"); strings.Contains(body, "Signed in") {
			t.Error("public page shows admin content")
		}
		if res, _ := s.get("/in-your-area/southwark"); res.Header.Get("Set-Cookie") != "" {
			t.Errorf("%s: a public page sets a cookie", c.base)
		}
	}
}

func TestAdminAuditsLogins(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor)
	s.visitor().login("ed@example.org", "the wrong password")
	b := s.visitor().mustLogin("ed@example.org")
	if res := b.post("/admin/logout", nil); res.status != http.StatusSeeOther || b.cookie != nil {
		t.Fatalf("logout: status %d, cookie %v", res.status, b.cookie)
	}
	rows, err := s.db.QueryContext(context.Background(), `SELECT action, actor, before_json || after_json FROM audit_log ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var actions []string
	for rows.Next() {
		var action, actor, data string
		if err := rows.Scan(&action, &actor, &data); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(data+actor, "wrong password") || strings.Contains(data+actor, testPassword) {
			t.Errorf("audit row %s holds a password", action)
		}
		actions = append(actions, action)
	}
	if got := strings.Join(actions, ","); got != "login_failed,login,logout" {
		t.Errorf("audit log actions %s, want login_failed,login,logout", got)
	}
}

// Signed-in requests renew the session in the database; that must not
// empty the public page cache each time.
func TestAdminBrowsingKeepsPageCache(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor)
	b := s.visitor().mustLogin("ed@example.org")
	gen := s.db.Generation()
	for _, path := range []string{"/admin/", "/admin/places", "/admin/places/southwark", "/admin/account/sessions"} {
		if res := b.get(path); res.status != http.StatusOK {
			t.Fatalf("%s: status %d", path, res.status)
		}
	}
	if got := s.db.Generation(); got != gen {
		t.Errorf("browsing the admin moved the database generation from %d to %d, emptying the page cache", gen, got)
	}
}

// An email given up on after its last try is listed for administrators,
// with the reason, and for nobody else.
func TestAdminFailedEmails(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	s.addUser("ed@example.org", accounts.Editor)
	boss := s.visitor().mustLogin("boss@example.org")
	if page := boss.get("/admin/mail"); page.status != http.StatusOK || !strings.Contains(page.body, "No email has failed") {
		t.Fatalf("with no failed email: status %d\n%s", page.status, page.body)
	}
	if err := s.db.Tx(context.Background(), func(q db.Querier) error {
		_, err := outbox(s.cfg).Enqueue(context.Background(), q, mail.Message{Kind: "question-accepted", To: "gone@example.org",
			Subject: "Your question Q-2026-0001: accepted", Text: "Hello"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	now := s.clock.Now().UTC()
	for range mail.MaxAttempts + 3 {
		if _, err := (mail.Delivery{DB: s.db, Sender: refusing{}, From: "x@joinedup.example", Now: func() time.Time { return now }}).Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		now = now.Add(7 * time.Hour)
	}
	page := boss.get("/admin/mail")
	for _, want := range []string{"1 email has failed", "gone@example.org", "Your question Q-2026-0001: accepted", "550 no such mailbox", strconv.Itoa(mail.MaxAttempts)} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the failed emails page lacks %q:\n%s", want, page.body)
		}
	}
	validateHTML(t, map[string]string{"failed email": page.body})
	if dash := boss.get("/admin/"); !strings.Contains(dash.body, `href="/admin/mail"`) || !strings.Contains(dash.body, "1 email could not be sent") {
		t.Errorf("the dashboard does not point administrators to the failed email:\n%s", dash.body)
	}
	if res := s.visitor().mustLogin("ed@example.org").get("/admin/mail"); res.status != http.StatusForbidden {
		t.Errorf("an editor on the failed emails page: status %d, want 403", res.status)
	}
}

// refusing is an SMTP server that refuses every message.
type refusing struct{}

func (refusing) Send(context.Context, int64, string, string, []byte) error {
	return errors.New("550 no such mailbox")
}
