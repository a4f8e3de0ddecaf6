package app

import (
	"context"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/config"
)

// The site's scheduled jobs, and how often each is due, as the README
// gives them: the outbox every 5 seconds, reminders every 5 minutes, and
// the retention of personal data every 6 hours. A run moves the job's next
// slot on by its interval.
func TestJobSchedule(t *testing.T) {
	s := newAdminSite(t)
	ctx := context.Background()
	runner, err := newJobs(s.db, s.cfg, quietLog(), s.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.RunDue(ctx); err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{
		"mail":                   5 * time.Second,
		"registration-reminders": 5 * time.Minute,
		"retention":              6 * time.Hour,
		"listing-checks":         10 * time.Minute,
		"listing-reminders":      24 * time.Hour,
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name, last_started_at, next_run_at FROM jobs`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]time.Duration{}
	for rows.Next() {
		var name string
		var started, next time.Time
		if err := rows.Scan(&name, &started, &next); err != nil {
			t.Fatal(err)
		}
		got[name] = next.Sub(started)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for name, every := range want {
		if got[name] != every {
			t.Errorf("job %s: next run %v after its start, want %v", name, got[name], every)
		}
	}
	if len(got) != len(want) {
		t.Errorf("jobs %v, want only %v", got, want)
	}
	// Each run is recorded.
	var runs int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM job_runs`).Scan(&runs); err != nil || runs != len(want) {
		t.Errorf("%d runs recorded (%v), want %d", runs, err, len(want))
	}
}

// The site's email comes from --mail-from, or else from no-reply at the
// base URL's host.
func TestMailSender(t *testing.T) {
	for _, tt := range []struct {
		base, from string
		want       string
	}{
		{"https://partnership.example.org", "", "no-reply@partnership.example.org"},
		{"http://localhost:8080", "", "no-reply@localhost"},
		{"https://partnership.example.org", "Partnership Southwark <news@southwark.example>", "news@southwark.example"},
		{"https://partnership.example.org", "board@southwark.example", "board@southwark.example"},
	} {
		got := outbox(config.Config{BaseURL: tt.base, MailFrom: tt.from}).From
		if got.Address != tt.want || (tt.from != "" && tt.from != tt.want && got.Name != "Partnership Southwark") {
			t.Errorf("base %s, --mail-from %q: sender %v, want %s", tt.base, tt.from, got, tt.want)
		}
	}
}
