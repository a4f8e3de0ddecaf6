package app

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/joinedup/joinedup/internal/accounts"
)

// A session lives in the database and ends after 30 minutes without a
// request, and 12 hours after sign-in whatever happens.
func TestAdminSessionLifetimes(t *testing.T) {
	for _, tt := range []struct {
		name string
		// end moves the stored session past one of its limits.
		end func(t *testing.T, s *adminSite, b *browser, userID int64)
	}{
		{"idle for 30 minutes", func(t *testing.T, s *adminSite, b *browser, userID int64) {
			if _, err := s.db.ExecContext(context.Background(), `UPDATE sessions SET expiry = $2 WHERE user_id = $1`,
				userID, time.Now().Add(-time.Second).UnixNano()); err != nil {
				t.Fatal(err)
			}
		}},
		{"12 hours old", func(t *testing.T, s *adminSite, b *browser, userID int64) {
			// Signed in 11 hours 59 minutes ago: a request now keeps the
			// session only until its 12 hours are up, not for 30 minutes
			// more; after that it is idle-expired as above.
			_, values := storedSession(t, s, userID)
			deadline := time.Now().Add(time.Minute).UTC().Truncate(time.Second)
			data, err := (scs.GobCodec{}).Encode(deadline, values)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.db.ExecContext(context.Background(), `UPDATE sessions SET data = $2 WHERE user_id = $1`, userID, data); err != nil {
				t.Fatal(err)
			}
			if res := b.get("/admin/"); res.status != http.StatusOK {
				t.Fatalf("a minute before the 12 hours are up: status %d", res.status)
			}
			var expiry int64
			if err := s.db.QueryRowContext(context.Background(), `SELECT expiry FROM sessions WHERE user_id = $1`, userID).Scan(&expiry); err != nil {
				t.Fatal(err)
			}
			if got := time.Unix(0, expiry); !got.Equal(deadline) {
				t.Errorf("after a request a minute before the 12 hours are up, the session lasts until %v, want %v", got, deadline)
			}
			if _, err := s.db.ExecContext(context.Background(), `UPDATE sessions SET expiry = $2 WHERE user_id = $1`,
				userID, deadline.Add(-2*time.Minute).UnixNano()); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newAdminSite(t)
			u := s.addUser("ed@example.org", accounts.Editor)
			before := time.Now()
			b := s.visitor().mustLogin("ed@example.org")
			if res := b.get("/admin/"); res.status != http.StatusOK {
				t.Fatalf("signed in: /admin/ status %d", res.status)
			}
			after := time.Now()
			deadline, _ := storedSession(t, s, u.ID)
			var expiry int64
			if err := s.db.QueryRowContext(context.Background(), `SELECT expiry FROM sessions WHERE user_id = $1`, u.ID).Scan(&expiry); err != nil {
				t.Fatal(err)
			}
			idle := time.Unix(0, expiry)
			if idle.Before(before.Add(accounts.IdleTimeout)) || idle.After(after.Add(accounts.IdleTimeout)) || accounts.IdleTimeout != 30*time.Minute {
				t.Errorf("the session ends idle at %v, want 30 minutes after the last request (%v)", idle, after)
			}
			if deadline.Before(before.Add(accounts.Lifetime)) || deadline.After(after.Add(accounts.Lifetime)) || accounts.Lifetime != 12*time.Hour {
				t.Errorf("the session ends at %v whatever happens, want 12 hours after sign-in (%v)", deadline, before)
			}
			tt.end(t, s, b, u.ID)
			if res := b.get("/admin/"); res.status != http.StatusSeeOther {
				t.Errorf("after the session ended: /admin/ status %d, want 303 to sign in", res.status)
			}
		})
	}
}

// storedSession decodes the signed-in session of a user as the database
// holds it: its absolute deadline and its values.
func storedSession(t *testing.T, s *adminSite, userID int64) (time.Time, map[string]any) {
	t.Helper()
	var data []byte
	if err := s.db.QueryRowContext(context.Background(), `SELECT data FROM sessions WHERE user_id = $1`, userID).Scan(&data); err != nil {
		t.Fatal(err)
	}
	deadline, values, err := (scs.GobCodec{}).Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return deadline, values
}
