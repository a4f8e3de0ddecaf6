package app

import (
	"context"
	"errors"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/registrations"
)

// outboxRows counts the outbox rows to addr, and the .eml files left.
func (s *adminSite) outboxLeft(addr string) (rows int, files int) {
	s.t.Helper()
	ids, err := db.Column[int64](context.Background(), s.db, `SELECT id FROM mail_outbox WHERE lower(to_addr) = $1`, addr)
	if err != nil {
		s.t.Fatal(err)
	}
	for _, id := range ids {
		if _, err := os.Stat(filepath.Join(s.cfg.Outbox(), itoa(id)+".eml")); err == nil {
			files++
		} else if !errors.Is(err, fs.ErrNotExist) {
			s.t.Fatal(err)
		}
	}
	return len(ids), files
}

// Emails that hold residents' addresses are deleted as the privacy notice
// says: the "we have deleted your details" email once sent, the emails of
// a subscription when it ends (unconfirmed or unsubscribed), and any sent
// email after the retention period.
func TestRetentionDeletesResidentsEmails(t *testing.T) {
	s := newAdminSite(t)
	ctx := context.Background()
	runner, err := newJobs(s.db, s.cfg, quietLog(), s.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	run := func() { // the mail and retention jobs, as the site runs them
		t.Helper()
		s.clock.Add(time.Minute) // past the real time the emails were queued at
		if err := runner.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(7 * time.Hour)
	}
	emlFiles := func() int {
		files, _ := filepath.Glob(filepath.Join(s.cfg.Outbox(), "*.eml"))
		return len(files)
	}

	// 1. The email confirming an erasure is itself deleted once sent.
	s.registrationEvent("erased", 5, true)
	if res := s.visitor().post("/events/erased/register", registrationForm("Gil", "gil@example.org")); res.status != http.StatusSeeOther {
		t.Fatalf("register: %d", res.status)
	}
	erase := link(t, s.mailTo("gil@example.org", "registration-confirmed")[0].Text, "/privacy/erase")
	if res := s.visitor().post("/privacy/erase", queryForm(t, erase)); res.status != http.StatusOK {
		t.Fatalf("erase: %d", res.status)
	}
	if n := len(s.mailTo("gil@example.org", "data-erased")); n != 1 {
		t.Fatalf("erasure emails queued: %d", n)
	}
	if _, err := mail.Deliver(ctx, s.db, mail.FileSender{Dir: s.cfg.Outbox()}, "no-reply@joinedup.example", time.Now().Add(time.Minute), 100); err != nil {
		t.Fatal(err)
	}
	if files := emlFiles(); files != 1 {
		t.Fatalf("the erasure email was not sent (%d files)", files)
	}
	run() // the next retention run deletes it
	if rows, files := s.outboxLeft("gil@example.org"); rows != 0 || files != 0 {
		t.Errorf("after sending, the erasure email is still kept: %d rows, %d files", rows, files)
	}

	// 2. A sign-up nobody confirmed is purged after a week, with its email.
	b, err := boards.NewStore(s.db).BoardBySlug(ctx, "southwark", "strategic-board")
	if err != nil {
		t.Fatal(err)
	}
	v := s.visitor()
	for _, addr := range []string{"jo@example.org", "ivy@example.org"} {
		if res := v.post(b.Path()+"/subscribe", url.Values{"email": {addr}}); res.status != http.StatusOK {
			t.Fatalf("subscribe %s: %d", addr, res.status)
		}
	}
	confirm := link(t, s.mailTo("ivy@example.org", "subscription-confirm")[0].Text, "/subscriptions/confirm")
	if res := v.post("/subscriptions/confirm", queryForm(t, confirm)); res.status != http.StatusOK {
		t.Fatalf("confirm: %d", res.status)
	}
	if err := s.db.Tx(ctx, func(q db.Querier) error {
		_, err := s.Subscriptions().NotifyPapersPublished(ctx, q, b.ID, registrations.Meeting{Title: "Strategic Board", Path: "/events/x", StartsAt: time.Now()})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	run() // sends the confirmations and the papers email
	if rows, files := s.outboxLeft("jo@example.org"); rows != 1 || files != 1 {
		t.Fatalf("jo's confirmation: %d rows, %d files", rows, files)
	}
	for range 4 * 8 { // eight days of retention runs
		run()
	}
	if n := s.count(`SELECT COUNT(*) FROM board_subscriptions WHERE email = 'jo@example.org'`); n != 0 {
		t.Fatalf("an unconfirmed sign-up was kept a week")
	}
	if rows, files := s.outboxLeft("jo@example.org"); rows != 0 || files != 0 {
		t.Errorf("the confirmation of a purged sign-up is kept: %d rows, %d files", rows, files)
	}

	// 3. Unsubscribing deletes every email the subscription sent.
	if rows, _ := s.outboxLeft("ivy@example.org"); rows == 0 {
		t.Fatalf("ivy's papers email is gone before she unsubscribed")
	}
	unsub := link(t, s.mailTo("ivy@example.org", "papers-published")[0].Text, "/subscriptions/unsubscribe")
	if res := v.post("/subscriptions/unsubscribe", queryForm(t, unsub)); res.status != http.StatusOK {
		t.Fatalf("unsubscribe: %d", res.status)
	}
	if rows, files := s.outboxLeft("ivy@example.org"); rows != 0 || files != 0 {
		t.Errorf("after unsubscribing, her emails are kept: %d rows, %d files", rows, files)
	}

	// 4. Any other sent email goes after the retention period.
	now := s.clock.Now()
	old := s.addSent("zed@example.org", now.AddDate(0, -13, 0), true)
	recent := s.addSent("zed@example.org", now.AddDate(0, -11, 0), true)
	run()
	if n := s.count(`SELECT COUNT(*) FROM mail_outbox WHERE id = $1`, old); n != 0 {
		t.Errorf("a sent email 13 months old is kept")
	}
	if n := s.count(`SELECT COUNT(*) FROM mail_outbox WHERE id = $1`, recent); n != 1 {
		t.Errorf("a sent email 11 months old is deleted")
	}
}
