package upkeep

import (
	"context"
	"slices"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/directory"
)

func staleIDs(t *testing.T, f *fixture) []string {
	t.Helper()
	list, total, err := f.s.Stale(context.Background(), 1, 50)
	if err != nil {
		t.Fatal(err)
	}
	if total != len(list) {
		t.Fatalf("stale: total %d, listed %d", total, len(list))
	}
	var ids []string
	for _, x := range list {
		ids = append(ids, x.ID)
	}
	return ids
}

// A record confirmed today is not stale for 6 months; then it is, and its
// organisation's providers are reminded once, not again within the month.
func TestStaleRecordRemindedOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	org, quiet := f.org(t, "Peckham Lunch Club"), f.org(t, "No Providers Trust")
	f.prov.add(t, org, "keeper@lunchclub.example.org")
	f.prov.add(t, org, "second@lunchclub.example.org")
	lunch := f.service(t, org, "Lunch club", nil)
	other := f.service(t, quiet, "Walks", nil)
	closed := f.service(t, org, "Closed club", func(s *directory.Service) { s.Status = directory.StatusDefunct })
	editor := accounts.User{ID: 0, Email: "ed@joinedup.example"}

	// Never confirmed: stale from the start; closed records never are.
	if got := staleIDs(t, f); !slices.Contains(got, lunch) || !slices.Contains(got, other) || slices.Contains(got, closed) {
		t.Fatalf("before any confirmation, stale = %v; want the two active services", got)
	}
	if err := f.s.Confirm(ctx, editor, lunch); err != nil {
		t.Fatal(err)
	}
	svc, err := directory.NewStore(f.d).Service(ctx, lunch)
	if err != nil {
		t.Fatal(err)
	}
	if svc.LastChecked() != "2026-03-02" || svc.AssurerEmail != "ed@joinedup.example" {
		t.Errorf("after confirming: last checked %q by %q, want 2026-03-02 by ed@joinedup.example", svc.LastChecked(), svc.AssurerEmail)
	}
	f.clock.AddDate(0, 6, 0) // exactly 6 months: not yet older than the period
	if slices.Contains(staleIDs(t, f), lunch) {
		t.Errorf("a record confirmed exactly 6 months ago is stale")
	}
	f.clock.AddDate(0, 0, 1)
	if !slices.Contains(staleIDs(t, f), lunch) {
		t.Fatalf("a record confirmed 6 months and a day ago is not stale")
	}
	if n, err := f.s.SendReminders(ctx, f.clock.Now()); err != nil || n != 1 {
		t.Fatalf("first reminders: %d organisations, %v; want 1 (the other has no providers)", n, err)
	}
	want := []string{"keeper@lunchclub.example.org", "second@lunchclub.example.org"}
	if got := f.sent(t, "listing-stale-reminder"); !slices.Equal(got, want) {
		t.Fatalf("reminders sent to %v, want %v", got, want)
	}
	// The job runs daily: later runs within the month send nothing more.
	for _, days := range []int{0, 1, 9, 18} { // 0, 1, 10 and 28 days after
		f.clock.AddDate(0, 0, days)
		if n, err := f.s.SendReminders(ctx, f.clock.Now()); err != nil || n != 0 {
			t.Fatalf("reminders %d more days later: %d, %v; want none", days, n, err)
		}
	}
	if got := f.sent(t, "listing-stale-reminder"); len(got) != 2 {
		t.Fatalf("after runs within the month, %d reminders; want still 2", len(got))
	}
	// Confirmed again: no longer stale, and nothing to remind about.
	if err := f.s.Confirm(ctx, editor, lunch); err != nil {
		t.Fatal(err)
	}
	f.clock.AddDate(0, 1, 1)
	if n, err := f.s.SendReminders(ctx, f.clock.Now()); err != nil || n != 0 {
		t.Fatalf("after confirming again: %d reminded, %v; want none", n, err)
	}
	if err := f.s.Confirm(ctx, editor, directory.NewID()); err == nil {
		t.Errorf("confirming a service that does not exist succeeded")
	}
}

// Counts say what waits for the editors, with the list each is on.
func TestCounts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	org := f.org(t, "Counted")
	f.service(t, org, "One", nil)
	counts, err := f.s.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, c := range counts {
		got[c.URL] = c.N
	}
	if got["/admin/directory/stale"] != 1 || got["/admin/directory/reports?status=new"] != 0 || got["/admin/directory/checks"] != 0 {
		t.Errorf("counts = %v", got)
	}
}
