package app

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/config"
)

var (
	secretText    = regexp.MustCompile(`<code class="jp-secret">([A-Z2-7 ]+)</code>`)
	recoveryCodes = regexp.MustCompile(`<code>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code>`)
)

// enrolment is a second factor turned on: its secret, its recovery codes,
// and the page that showed them.
type enrolment struct {
	secret []byte
	codes  []string
	page   string
}

// enrol turns on the second factor of the signed-in browser's user.
func (b *browser) enrol() enrolment {
	b.s.t.Helper()
	page := b.get("/admin/account/two-factor").body
	m := secretText.FindStringSubmatch(page)
	if m == nil || !strings.Contains(page, "otpauth://totp/") {
		b.s.t.Fatalf("the set-up page shows no key and otpauth:// address:\n%s", page)
	}
	secret, err := accounts.ParseSecretText(m[1])
	if err != nil {
		b.s.t.Fatal(err)
	}
	qr := b.get("/admin/account/two-factor/qr")
	if qr.status != http.StatusOK || qr.header.Get("Content-Type") != "image/png" || !strings.HasPrefix(qr.body, "\x89PNG") {
		b.s.t.Errorf("QR code: status %d, type %q", qr.status, qr.header.Get("Content-Type"))
	}
	if res := b.post("/admin/account/two-factor", url.Values{"code": {"000000"}}); res.status != http.StatusUnprocessableEntity {
		b.s.t.Errorf("a wrong code turned the second factor on: status %d", res.status)
	}
	res := b.post("/admin/account/two-factor", url.Values{"code": {accounts.TOTPCode(secret, b.s.clock.Now())}})
	var codes []string
	for _, c := range recoveryCodes.FindAllStringSubmatch(res.body, -1) {
		codes = append(codes, c[1])
	}
	if res.status != http.StatusOK || len(codes) != accounts.RecoveryCodes {
		b.s.t.Fatalf("confirming the second factor: status %d, %d recovery codes\n%s", res.status, len(codes), errorSummary(res.body))
	}
	// The code that confirmed it is used up; the next login needs the
	// next one.
	b.s.clock.Add(30 * time.Second)
	return enrolment{secret: secret, codes: codes, page: res.body}
}

// signIn signs in with the password and then code, and reports the
// status of the code's answer.
func (b *browser) signIn(email, code string) response {
	b.s.t.Helper()
	res := b.login(email, testPassword)
	if res.status != http.StatusSeeOther || res.location != "/admin/login/code" {
		b.s.t.Fatalf("password of %s: status %d, location %q; want the code page", email, res.status, res.location)
	}
	return b.post("/admin/login/code", url.Values{"code": {code}})
}

func TestTwoFactorLogin(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor)
	e := s.visitor().mustLogin("ed@example.org").enrol()
	secret, codes := e.secret, e.codes

	// The password alone does not sign in.
	b := s.visitor()
	if res := b.login("ed@example.org", testPassword); res.location != "/admin/login/code" {
		t.Fatalf("the password alone: location %q, want the code page", res.location)
	}
	if res := b.get("/admin/"); res.status != http.StatusSeeOther || !strings.HasPrefix(res.location, "/admin/login") {
		t.Errorf("before the code, the admin answers %d %q", res.status, res.location)
	}
	if res := b.get("/admin/login/code"); res.status != http.StatusOK || !strings.Contains(res.body, `autocomplete="one-time-code"`) {
		t.Errorf("the code page: status %d", res.status)
	}
	if res := b.post("/admin/login/code", url.Values{"code": {"123456"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(errorSummary(res.body), "6-digit code") {
		t.Errorf("a wrong code: status %d, %s", res.status, errorSummary(res.body))
	}
	code := accounts.TOTPCode(secret, s.clock.Now())
	if res := b.post("/admin/login/code", url.Values{"code": {code}}); res.status != http.StatusSeeOther || res.location != "/admin/" {
		t.Fatalf("the right code: status %d, location %q", res.status, res.location)
	}
	if res := b.get("/admin/"); res.status != http.StatusOK {
		t.Errorf("signed in with the code, the admin answers %d", res.status)
	}

	// A code works once, even within its 30 seconds.
	if res := s.visitor().signIn("ed@example.org", code); res.status != http.StatusUnprocessableEntity {
		t.Errorf("a code used again: status %d, want 422", res.status)
	}
	// A code from the step before, typed late, still works once; so does
	// a recovery code, once.
	s.clock.Add(30 * time.Second)
	if res := s.visitor().signIn("ed@example.org", accounts.TOTPCode(secret, s.clock.Now())); res.status != http.StatusSeeOther {
		t.Errorf("the next code: status %d, %s", res.status, errorSummary(res.body))
	}
	if res := s.visitor().signIn("ed@example.org", strings.ToLower(codes[0])); res.status != http.StatusSeeOther {
		t.Errorf("a recovery code: status %d, %s", res.status, errorSummary(res.body))
	}
	if res := s.visitor().signIn("ed@example.org", codes[0]); res.status != http.StatusUnprocessableEntity {
		t.Errorf("a recovery code used again: status %d, want 422", res.status)
	}
	page := s.visitor().mustLoginWith("ed@example.org", codes[1]).get("/admin/account/two-factor").body
	if !strings.Contains(page, "8 unused recovery codes") {
		t.Error("the account page does not count the recovery codes left")
	}
}

// mustLoginWith signs in with the password and a second-factor code.
func (b *browser) mustLoginWith(email, code string) *browser {
	b.s.t.Helper()
	if res := b.signIn(email, code); res.status != http.StatusSeeOther {
		b.s.t.Fatalf("sign in with a code: status %d, %s", res.status, errorSummary(res.body))
	}
	return b
}

func TestTwoFactorWrongCodesBackOff(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor)
	secret := s.visitor().mustLogin("ed@example.org").enrol().secret
	b := s.visitor()
	b.login("ed@example.org", testPassword)
	for i := 0; i < 5; i++ {
		if res := b.post("/admin/login/code", url.Values{"code": {"000000"}}); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong code %d: status %d", i+1, res.status)
		}
	}
	// Even the right code, and the password again, wait now.
	right := url.Values{"code": {accounts.TOTPCode(secret, s.clock.Now())}}
	if res := b.post("/admin/login/code", right); res.status != http.StatusTooManyRequests {
		t.Errorf("after 5 wrong codes: status %d, want 429", res.status)
	}
	if res := s.visitor().login("ed@example.org", testPassword); res.status != http.StatusTooManyRequests {
		t.Errorf("the password after 5 wrong codes: status %d, want 429", res.status)
	}
	s.clock.Add(3 * time.Second)
	if res := b.post("/admin/login/code", right); res.status != http.StatusSeeOther {
		t.Errorf("the right code after the wait: status %d, %s", res.status, errorSummary(res.body))
	}
}

func TestTwoFactorOff(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	ed := s.addUser("ed@example.org", accounts.Editor)
	secret := s.visitor().mustLogin("ed@example.org").enrol().secret
	b := s.visitor().mustLoginWith("ed@example.org", accounts.TOTPCode(secret, s.clock.Now()))
	s.clock.Add(30 * time.Second)

	// Turning it off needs the password and a code.
	code := accounts.TOTPCode(secret, s.clock.Now())
	if res := b.post("/admin/account/two-factor/disable", url.Values{"password": {"wrong password!"}, "code": {code}}); res.status != http.StatusUnprocessableEntity {
		t.Errorf("turning off with a wrong password: status %d", res.status)
	}
	if res := b.post("/admin/account/two-factor/disable", url.Values{"password": {testPassword}, "code": {code}}); res.status != http.StatusSeeOther {
		t.Fatalf("turning off: status %d, %s", res.status, errorSummary(res.body))
	}
	s.visitor().mustLogin("ed@example.org")

	// An administrator turns off the second factor of someone who lost
	// their phone.
	s.visitor().mustLogin("ed@example.org").enrol()
	boss := s.visitor().mustLogin("boss@example.org")
	id := "/admin/users/" + strconv.FormatInt(ed.ID, 10)
	if page := boss.get(id).body; !strings.Contains(page, "Turn off two-factor authentication for ed@example.org") {
		t.Error("the account page offers no reset of the second factor")
	}
	if res := boss.post(id+"/two-factor", nil); res.status != http.StatusSeeOther {
		t.Fatalf("reset: status %d", res.status)
	}
	s.visitor().mustLogin("ed@example.org")
}

func TestTrustedProxy(t *testing.T) {
	fail := func(s *adminSite, i int, forwardedFor string) int {
		b := s.visitor()
		return b.post("/admin/login", url.Values{"email": {"nobody" + strconv.Itoa(i) + "@example.org"}, "password": {"wrong password"}},
			"X-Forwarded-For", forwardedFor).status
	}
	proxies, err := config.ParseProxies("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name    string
		proxies bool
		// other is the status of a login from another forwarded address
		// once one address has failed 20 times.
		other int
	}{
		{"behind a trusted proxy, clients are told apart", true, http.StatusUnprocessableEntity},
		{"without one, X-Forwarded-For is not believed", false, http.StatusTooManyRequests},
	} {
		t.Run(c.name, func(t *testing.T) {
			cfg := config.Config{DataDir: t.TempDir(), BaseURL: "https://joinedup.example"}
			if c.proxies {
				cfg.TrustedProxies = proxies
			}
			s := openAdminSite(t, cfg)
			for i := 0; i < 20; i++ {
				if st := fail(s, i, "203.0.113.5"); st != http.StatusUnprocessableEntity {
					t.Fatalf("failure %d: status %d", i+1, st)
				}
			}
			if st := fail(s, 100, "203.0.113.5"); st != http.StatusTooManyRequests {
				t.Errorf("after 20 failures from one address: status %d, want 429", st)
			}
			if st := fail(s, 101, "198.51.100.9"); st != c.other {
				t.Errorf("from another address: status %d, want %d", st, c.other)
			}
			// A client cannot pick its address by sending the header: the
			// proxy appends the real one, which is read.
			if st := fail(s, 102, "198.51.100.9, 203.0.113.5"); st != http.StatusTooManyRequests {
				t.Errorf("a forged address before the real one: status %d, want 429", st)
			}
		})
	}
}

// The database holds neither the second factor's secret nor the recovery
// codes as they are: the secret is sealed with the key kept outside it,
// and the codes are kept as hashes. The codes are shown once, when the
// second factor is turned on.
func TestTwoFactorSecretsNotKeptPlain(t *testing.T) {
	s := newAdminSite(t)
	ed := s.addUser("ed@example.org", accounts.Editor)
	b := s.visitor().mustLogin("ed@example.org")
	e := b.enrol()
	ctx := context.Background()
	var sealed string
	if err := s.db.QueryRowContext(ctx, `SELECT secret FROM user_totp WHERE user_id = $1`, ed.ID).Scan(&sealed); err != nil {
		t.Fatal(err)
	}
	for _, plain := range []string{accounts.SecretText(e.secret), strings.ReplaceAll(accounts.SecretText(e.secret), " ", ""),
		base64.StdEncoding.EncodeToString(e.secret), hex.EncodeToString(e.secret)} {
		if strings.Contains(strings.ToUpper(sealed), strings.ToUpper(plain)) {
			t.Errorf("the database holds the secret as it is: %q", sealed)
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT code_hash FROM user_recovery_codes WHERE user_id = $1`, ed.ID)
	if err != nil {
		t.Fatal(err)
	}
	var hashes []string
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h)
	}
	rows.Close()
	if len(hashes) != 10 || len(e.codes) != 10 {
		t.Fatalf("%d recovery codes kept, %d shown; want 10", len(hashes), len(e.codes))
	}
	for _, c := range e.codes {
		for _, h := range hashes {
			if strings.Contains(strings.ToUpper(h), strings.ReplaceAll(c, "-", "")) || strings.Contains(strings.ToUpper(h), c) {
				t.Errorf("recovery code %s is kept as it is", c)
			}
		}
	}
	page := b.get("/admin/account/two-factor").body
	for _, c := range e.codes {
		if strings.Contains(page, c) {
			t.Errorf("the account page shows recovery code %s again", c)
		}
	}
}
