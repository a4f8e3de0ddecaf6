package accounts

import (
	"strings"
	"testing"
	"time"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q is not an argon2id PHC string with the chosen parameters", h)
	}
	h2, _ := HashPassword("correct horse battery staple")
	if h == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !passwordMatches(h, "correct horse battery staple") {
		t.Error("the password does not match its own hash")
	}
	for _, wrong := range []string{"", "correct horse battery stapl", "Correct horse battery staple"} {
		if passwordMatches(h, wrong) {
			t.Errorf("%q matches", wrong)
		}
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA",
		"$argon2id$v=19$m=99999999,t=2,p=1$c2FsdA$aGFzaA", strings.Replace(h, "$v=19$", "$v=16$", 1)} {
		if passwordMatches(bad, "correct horse battery staple") {
			t.Errorf("malformed hash %q matches", bad)
		}
	}
}

func TestCheckNewPassword(t *testing.T) {
	for _, c := range []struct {
		password, email string
		ok              bool
	}{
		{"elevenchars", "", false},
		{"twelve chars", "", true},
		{"ÿÿÿÿÿÿÿÿÿÿÿÿ", "", true}, // counted in characters, not bytes
		{"Someone@Example.org", "someone@example.org", false},
		{strings.Repeat("x", 257), "", false},
	} {
		if err := CheckNewPassword(c.password, c.email); (err == nil) != c.ok {
			t.Errorf("CheckNewPassword(%q, %q) = %v, want ok %v", c.password, c.email, err, c.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	want := map[int]time.Duration{1: 0, 4: 0, 5: 2 * time.Second, 6: 4 * time.Second, 10: 64 * time.Second, 13: 512 * time.Second, 14: maxBackoff, 500: maxBackoff}
	for failures, d := range want {
		if got := backoff(failures, freeFailures); got != d {
			t.Errorf("backoff(%d) = %s, want %s", failures, got, d)
		}
	}
}

func TestPermissions(t *testing.T) {
	const southwark, lewisham = 6, 5
	ed := User{ID: 1, Role: Editor, Places: []int64{southwark}}
	if !ed.CanEditPlace(southwark) || ed.CanEditPlace(lewisham) {
		t.Error("an editor of Southwark must edit Southwark and not Lewisham")
	}
	if all := (User{ID: 2, Role: Editor}); !all.CanEditPlace(lewisham) {
		t.Error("an editor limited to no place may edit every place")
	}
	if rv := (User{ID: 3, Role: Reviewer}); rv.Can(EditPlace) || rv.CanEditPlace(southwark) || !rv.Can(ViewPlaces) {
		t.Error("a reviewer reads places and edits nothing")
	}
	if off := (User{ID: 4, Role: Administrator, Disabled: true}); off.Can(ViewAdmin) {
		t.Error("a disabled administrator can still use the admin")
	}
	if (User{}).Can(ViewAdmin) || !(User{}).Can(Anyone) {
		t.Error("nobody signed in may use Anyone routes only")
	}
	for _, r := range Roles {
		if !(User{ID: 1, Role: r}).Can(ViewAdmin) {
			t.Errorf("%s cannot reach the admin", r)
		}
	}
}
