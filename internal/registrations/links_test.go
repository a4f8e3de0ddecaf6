package registrations_test

import (
	"context"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/registrations"
)

func openDB(t *testing.T) *db.DB {
	t.Helper()
	d := dbtest.Open(t)
	return d
}

func TestSignedLinks(t *testing.T) {
	ctx := context.Background()
	d := openDB(t)
	a, b := registrations.NewSigner(d), registrations.NewSigner(d) // two instances
	sig, err := a.Sign(ctx, "cancel", "42")
	if err != nil || len(sig) < 40 {
		t.Fatalf("Sign = %q, %v", sig, err)
	}
	for _, c := range []struct {
		purpose, value, sig string
		ok                  bool
	}{
		{"cancel", "42", sig, true},       // the other instance agrees
		{"cancel", "43", sig, false},      // another registration
		{"unsubscribe", "42", sig, false}, // another purpose
		{"cancel", "42", sig[:20], false}, // cut short
		{"cancel", "42", "", false},       // none
		{"cancel", "42\x00x", sig, false}, // value with the separator
	} {
		if ok, err := b.Check(ctx, c.purpose, c.value, c.sig); err != nil || ok != c.ok {
			t.Errorf("Check(%q, %q) = %v, %v; want %v", c.purpose, c.value, ok, err, c.ok)
		}
	}
	// Another database has another key.
	other, err := registrations.NewSigner(openDB(t)).Sign(ctx, "cancel", "42")
	if err != nil || other == sig {
		t.Errorf("two databases share a key: %q (%v)", other, err)
	}
}

func TestThrottleWindows(t *testing.T) {
	ctx := context.Background()
	th := registrations.NewThrottle(openDB(t))
	at := time.Date(2026, 3, 1, 10, 5, 0, 0, time.UTC)
	for i, want := range []bool{true, true, false} {
		if ok, err := th.Allow(ctx, "form:address:a@example.org", 2, at.Add(time.Duration(i)*time.Minute)); err != nil || ok != want {
			t.Errorf("hit %d: %v, %v; want %v", i+1, ok, err, want)
		}
	}
	if ok, _ := th.Allow(ctx, "form:address:B@example.org", 2, at); !ok {
		t.Error("another key was limited")
	}
	if ok, _ := th.Allow(ctx, "FORM:address:A@example.org", 2, at.Add(55*time.Minute)); !ok {
		t.Error("the next hour's window still counted the last one's hits")
	}
}
