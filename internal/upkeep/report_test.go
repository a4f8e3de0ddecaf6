package upkeep

import (
	"context"
	"slices"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/privacy"
)

func (f *fixture) report(t *testing.T, serviceID string, kind Kind, email string) int64 {
	t.Helper()
	var id int64
	err := f.d.TxPrivate(context.Background(), func(q db.Querier) error {
		var err error
		id, err = insertReport(context.Background(), q, Report{ServiceID: serviceID, Kind: kind, Email: email, CreatedAt: f.clock.Now().UTC()})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// Closing a report emails its reporter once; the reporter's address is
// erased 6 months after it closed, with that email, and the report stays.
func TestReportClosedAndAddressExpired(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.service(t, f.org(t, "Reported"), "Reported service", nil)
	withEmail := f.report(t, svc, WrongPhone, "Res.Ident@example.org")
	without := f.report(t, svc, Closed, "")
	ed := accounts.User{Email: "ed@joinedup.example"}
	if _, err := f.s.SetStatus(ctx, ed, withEmail, Change{Status: InHand}); err != nil {
		t.Fatal(err)
	}
	if got := f.sent(t, "listing-report-closed"); len(got) != 0 {
		t.Fatalf("putting a report in hand emailed %v", got)
	}
	after, err := f.s.SetStatus(ctx, ed, withEmail, Change{Status: Fixed, Note: "The number is corrected."})
	if err != nil || after.ClosedAt == nil {
		t.Fatalf("closing: %+v, %v", after, err)
	}
	// Changing its mind between the closing statuses does not email again.
	if _, err := f.s.SetStatus(ctx, ed, withEmail, Change{Status: NotAProblem}); err != nil {
		t.Fatal(err)
	}
	if n, err := f.s.CloseAll(ctx, ed, []int64{withEmail, without}, NotAProblem, ""); err != nil || n != 1 {
		t.Fatalf("closing both: %d closed, %v; want 1 (the other was closed)", n, err)
	}
	if got := f.sent(t, "listing-report-closed"); !slices.Equal(got, []string{"Res.Ident@example.org"}) {
		t.Fatalf("closing emails went to %v; want the one reporter once", got)
	}
	reg := privacy.New(f.d, f.clock.Now)
	reg.Register(Holding(box))
	if got, err := reg.Export(ctx, "res.ident@example.org"); err != nil || got.Holdings["listing-reports"] == nil {
		t.Fatalf("export: %+v, %v; want the report", got, err)
	}
	f.clock.AddDate(0, 6, 0)
	if n, err := reg.Expire(ctx, f.clock.Now()); err != nil || n["listing-reports"] != 0 {
		t.Fatalf("expire at 6 months: %v, %v; want nothing yet", n, err)
	}
	f.clock.AddDate(0, 0, 1)
	if n, err := reg.Expire(ctx, f.clock.Now()); err != nil || n["listing-reports"] != 1 {
		t.Fatalf("expire after 6 months: %v, %v; want 1", n, err)
	}
	r, err := f.s.Report(ctx, withEmail)
	if err != nil || r.Email != "" || !r.Erased || r.Kind != WrongPhone {
		t.Errorf("after expiry the report is %+v, %v; want kept without its address", r, err)
	}
	if got := f.sent(t, "listing-report-closed"); len(got) != 0 {
		t.Errorf("the email about the report outlived its address: %v", got)
	}
	// A report never closed keeps its address for 12 months at most.
	open := f.report(t, svc, WrongAddress, "waiting@example.org")
	f.clock.AddDate(0, 12, 0)
	if n, _ := reg.Expire(ctx, f.clock.Now()); n["listing-reports"] != 0 {
		t.Fatalf("an open report's address erased before 12 months")
	}
	f.clock.AddDate(0, 0, 1)
	if n, err := reg.Expire(ctx, f.clock.Now()); err != nil || n["listing-reports"] != 1 {
		t.Fatalf("expire an open report after 12 months: %v, %v; want 1", n, err)
	}
	if r, _ := f.s.Report(ctx, open); r.Email != "" || r.Status != New {
		t.Errorf("the open report after 12 months: %+v; want open, without its address", r)
	}
}

// A provider's queue holds the reports about its organisation's services
// only.
func TestReportsForOrganization(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	mine, theirs := f.org(t, "Mine"), f.org(t, "Theirs")
	a := f.report(t, f.service(t, mine, "My service", nil), WrongPhone, "")
	f.report(t, f.service(t, theirs, "Their service", nil), WrongPhone, "")
	got, err := f.s.ReportsForOrganization(ctx, mine, New, InHand)
	if err != nil || len(got) != 1 || got[0].ID != a || got[0].ServiceName != "My service" {
		t.Fatalf("my organisation's reports: %+v, %v", got, err)
	}
	if got, err := f.s.ReportsForOrganization(ctx, f.org(t, "Empty")); err != nil || len(got) != 0 {
		t.Errorf("an organisation without services: %+v, %v", got, err)
	}
}

// A resident's request to erase their details erases their address from
// every report, open or not.
func TestReportErasedOnRequest(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	svc := f.service(t, f.org(t, "Erased"), "Erased service", nil)
	id := f.report(t, svc, WrongHours, "Someone@Example.org")
	other := f.report(t, svc, WrongHours, "other@example.org")
	reg := privacy.New(f.d, f.clock.Now)
	reg.Register(Holding(box))
	if n, err := reg.Erase(ctx, "someone@example.org", nil); err != nil || n["listing-reports"] != 1 {
		t.Fatalf("erase: %v, %v; want 1", n, err)
	}
	if r, _ := f.s.Report(ctx, id); r.Email != "" {
		t.Errorf("the erased report still has %q", r.Email)
	}
	if r, _ := f.s.Report(ctx, other); r.Email != "other@example.org" {
		t.Errorf("another resident's report lost its address: %+v", r)
	}
}
