package mail_test

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/privacy"
)

// The outbox as personal data: which messages each retention run, each
// erased record and each erased address deletes, with their .eml copies.
func TestOutboxRetention(t *testing.T) {
	ctx := context.Background()
	d := openDB(t)
	out := box
	out.Dir = t.TempDir()
	reg := privacy.New(d, nil)
	reg.Register(out.Holding())
	queue := func(m mail.Message) int64 {
		var id int64
		if err := d.Tx(ctx, func(q db.Querier) error {
			var err error
			m.Kind, m.Subject, m.Text = "test", "Hello", "Hello"
			id, err = out.Enqueue(ctx, q, m)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	ids := map[string]int64{
		"erasure confirmation, sent":   queue(mail.Message{To: "a@example.org", DeleteWhenSent: true, Keep: 7 * 24 * time.Hour}),
		"erasure confirmation, unsent": queue(mail.Message{To: "b@example.org", DeleteWhenSent: true, Keep: 7 * 24 * time.Hour}),
		"about a record":               queue(mail.Message{To: "c@example.org", Ref: "registration:1"}),
		"about another record":         queue(mail.Message{To: "c@example.org", Ref: "registration:2"}),
		"about nothing":                queue(mail.Message{To: "d@example.org"}),
		"kept a day":                   queue(mail.Message{To: "e@example.org", Keep: 24 * time.Hour}),
	}
	// Everything is sent but the unsent confirmation.
	now := time.Now().Add(time.Minute)
	for name, id := range ids {
		if name == "erasure confirmation, unsent" {
			continue
		}
		if _, err := d.ExecContext(ctx, `UPDATE mail_outbox SET sent_at = $2 WHERE id = $1`, id, now); err != nil {
			t.Fatal(err)
		}
		if err := (mail.FileSender{Dir: out.Dir}).Send(ctx, id, "", "", []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	left := func() []string {
		t.Helper()
		var names []string
		for name, id := range ids {
			var n int
			if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE id = $1`, id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			_, statErr := os.Stat(filepath.Join(out.Dir, strconv.FormatInt(id, 10)+".eml"))
			if n == 1 {
				names = append(names, name)
			} else if statErr == nil {
				t.Errorf("%s: deleted, but its .eml file is still there", name)
			}
		}
		sort.Strings(names)
		return names
	}
	expire := func(at time.Time) {
		t.Helper()
		if _, err := reg.Expire(ctx, at); err != nil {
			t.Fatal(err)
		}
	}
	expire(now)
	if got := left(); len(got) != 5 || got[1] != "about another record" {
		t.Errorf("after the first run: %q (want the sent confirmation gone)", got)
	}
	expire(now.Add(25 * time.Hour))
	if got := left(); len(got) != 4 {
		t.Errorf("after a day: %q (want the one kept a day gone)", got)
	}
	expire(now.Add(8 * 24 * time.Hour))
	if got := left(); len(got) != 3 {
		t.Errorf("after eight days: %q (want the unsent confirmation gone)", got)
	}
	if err := privacy.Run(ctx, d, now, func(tx *privacy.Tx) error {
		_, err := out.Forget(ctx, tx, "registration:1")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := left(); len(got) != 2 || got[0] != "about another record" {
		t.Errorf("after forgetting registration 1: %q", got)
	}
	expire(now.AddDate(1, 0, 1))
	if got := left(); len(got) != 1 || got[0] != "about another record" {
		t.Errorf("after a year: %q (want the one about nothing gone)", got)
	}
	if _, err := reg.Erase(ctx, "C@example.org", nil); err != nil {
		t.Fatal(err)
	}
	if got := left(); len(got) != 0 {
		t.Errorf("after erasing c@example.org: %q", got)
	}
}
