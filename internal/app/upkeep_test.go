package app

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	ldn "github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/upkeep"
)

func withProviders(t *testing.T) (*adminSite, func(orgID, email string)) {
	t.Helper()
	s := newAdminSite(t)
	return s, func(orgID, email string) { s.addProvider(email, orgID) }
}

var startedStamp = regexp.MustCompile(`name="started" value="([^"]+)"`)

// reportForm opens the report form of a service as a resident, and waits
// (on the site's clock) as long as a person takes to fill it in.
func (s *adminSite) reportForm(b *browser, serviceID string) url.Values {
	s.t.Helper()
	res := b.get("/directory/services/" + serviceID + "/report")
	if res.status != http.StatusOK {
		s.t.Fatalf("report form: status %d", res.status)
	}
	m := startedStamp.FindStringSubmatch(res.body)
	if m == nil {
		s.t.Fatalf("the report form has no stamp:\n%s", res.body)
	}
	s.clock.Add(5 * time.Second)
	return url.Values{"started": {m[1]}}
}

// listingReport sends a report about a service through its form and
// returns the report's id.
func (s *adminSite) listingReport(serviceID, email string) int64 {
	s.t.Helper()
	b := s.visitor()
	form := s.reportForm(b, serviceID)
	form.Set("kind", "phone")
	form.Set("details", "The number rings out.")
	form.Set("email", email)
	if res := b.post("/directory/services/"+serviceID+"/report", form); res.status != http.StatusSeeOther {
		s.t.Fatalf("sending a report: status %d\n%s", res.status, res.body)
	}
	var id int64
	if err := s.db.QueryRowContext(context.Background(), `SELECT MAX(id) FROM listing_reports`).Scan(&id); err != nil {
		s.t.Fatal(err)
	}
	return id
}

func (s *adminSite) countReports() int {
	s.t.Helper()
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM listing_reports`).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// A resident's report reaches the directory editors' queue and the
// service's provider; closing it emails the resident.
func TestListingReportReachesQueueAndProvider(t *testing.T) {
	s, addProvider := withProviders(t)
	svc := s.someService()
	addProvider(s.organizationOf(svc), "keeper@provider.example.org")
	page := s.visitor().get("/directory/services/" + svc)
	if !strings.Contains(page.body, `href="/directory/services/`+svc+`/report">Report a problem with this listing</a>`) {
		t.Fatalf("the service page does not link to the report form:\n%s", page.body)
	}

	resident := s.visitor()
	form := s.reportForm(resident, svc)
	form.Set("kind", "hours")
	form.Set("details", "They close at 5pm on Fridays, not 6pm.")
	form.Set("email", "Resident.One@example.org")
	res := resident.post("/directory/services/"+svc+"/report", form)
	if res.status != http.StatusSeeOther || res.location != "/directory/services/"+svc+"/report/sent" {
		t.Fatalf("sending the report: status %d to %q\n%s", res.status, res.location, res.body)
	}
	if sent := resident.get(res.location); sent.status != http.StatusOK || !strings.Contains(sent.body, "Report sent") {
		t.Errorf("the confirmation page: status %d\n%s", sent.status, sent.body)
	}
	toProvider := s.mailTo("keeper@provider.example.org", "listing-report-provider")
	if len(toProvider) != 1 || !strings.Contains(toProvider[0].Text, "They close at 5pm on Fridays") ||
		!strings.Contains(toProvider[0].Text, "The opening hours are wrong") {
		t.Fatalf("the provider's emails: %+v", toProvider)
	}
	reportPath := link(t, toProvider[0].Text, "/admin/directory/reports/")

	s.addUser("dir@example.org", accounts.DirectoryEditor)
	ed := s.visitor().mustLogin("dir@example.org")
	queue := ed.get("/admin/directory/reports")
	if queue.status != http.StatusOK || !strings.Contains(queue.body, `href="`+reportPath+`"`) || !strings.Contains(queue.body, "The opening hours are wrong") {
		t.Fatalf("the queue lacks the report %s:\n%s", reportPath, queue.body)
	}
	shown := ed.get(reportPath)
	if !strings.Contains(shown.body, "Resident.One@example.org") || !strings.Contains(shown.body, "They close at 5pm") {
		t.Errorf("the report's page lacks its details:\n%s", shown.body)
	}
	// A status that is not one: the form again, nothing changed, nobody emailed.
	if bad := ed.post(reportPath, url.Values{"status": {"done"}, "note": {"kept note"}}); bad.status != http.StatusUnprocessableEntity ||
		!strings.Contains(bad.body, "Choose the report") || !strings.Contains(bad.body, "kept note</textarea>") {
		t.Errorf("an unknown status: status %d\n%s", bad.status, bad.body)
	}
	if got := ed.post(reportPath, url.Values{"status": {"in_hand"}}); got.status != http.StatusSeeOther {
		t.Fatalf("putting it in hand: status %d", got.status)
	}
	if got := s.mailTo("Resident.One@example.org", ""); len(got) != 0 {
		t.Fatalf("the resident was emailed before the report closed: %+v", got)
	}
	if got := ed.post(reportPath, url.Values{"status": {"fixed"}, "note": {"Thank you: the hours are corrected."}}); got.status != http.StatusSeeOther {
		t.Fatalf("closing it: status %d\n%s", got.status, got.body)
	}
	closed := s.mailTo("Resident.One@example.org", "listing-report-closed")
	if len(closed) != 1 || !strings.Contains(closed[0].Text, "corrected it") || !strings.Contains(closed[0].Text, "the hours are corrected") {
		t.Fatalf("the resident's emails on closing: %+v", closed)
	}
	if open := ed.get("/admin/directory/reports"); strings.Contains(open.body, `href="`+reportPath+`"`) {
		t.Errorf("the closed report is still in the open queue")
	}
	if fixed := ed.get("/admin/directory/reports?status=fixed"); !strings.Contains(fixed.body, `href="`+reportPath+`"`) {
		t.Errorf("the closed report is not among the fixed ones")
	}
}

// The report form turns robots and bad input away with a specific error,
// keeps what was typed, and stores nothing.
func TestListingReportFormRefuses(t *testing.T) {
	s := newAdminSite(t)
	svc := s.someService()
	for _, tc := range []struct {
		name   string
		edit   func(url.Values)
		status int
		want   string
	}{
		{"honeypot", func(v url.Values) { v.Set("website", "http://spam.example") }, http.StatusUnprocessableEntity, "automated program"},
		{"no stamp", func(v url.Values) { v.Del("started") }, http.StatusUnprocessableEntity, "We could not check this form"},
		{"no kind", func(v url.Values) { v.Del("kind") }, http.StatusUnprocessableEntity, "Choose what is wrong with the listing"},
		{"other without words", func(v url.Values) { v.Set("kind", "other"); v.Set("details", "") }, http.StatusUnprocessableEntity, "Tell us what is wrong"},
		{"bad email", func(v url.Values) { v.Set("email", "not-an-address") }, http.StatusUnprocessableEntity, "Enter an email address in the correct format"},
		{"too long", func(v url.Values) { v.Set("details", strings.Repeat("a", 2001)) }, http.StatusUnprocessableEntity, "2000 characters or fewer"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := s.visitor()
			form := s.reportForm(b, svc)
			form.Set("kind", "address")
			form.Set("details", "Moved to 12 High Street")
			form.Set("email", "kept@example.org")
			tc.edit(form)
			res := b.post("/directory/services/"+svc+"/report", form)
			if res.status != tc.status || !strings.Contains(res.body, tc.want) {
				t.Fatalf("status %d, want %d with %q:\n%s", res.status, tc.status, tc.want, res.body)
			}
			if !strings.Contains(res.body, `<title>Error: `) || !strings.Contains(res.body, "nhsuk-error-summary") {
				t.Errorf("no error summary")
			}
			if tc.name != "bad email" && !strings.Contains(res.body, `value="kept@example.org"`) {
				t.Errorf("the typed email is not kept")
			}
			if n := s.countReports(); n != 0 {
				t.Errorf("%d reports stored", n)
			}
		})
	}
	// Sent too quickly after the form was shown.
	b := s.visitor()
	m := startedStamp.FindStringSubmatch(b.get("/directory/services/" + svc + "/report").body)
	res := b.post("/directory/services/"+svc+"/report", url.Values{"started": {m[1]}, "kind": {"phone"}})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "too quickly") {
		t.Errorf("sent at once: status %d\n%s", res.status, res.body)
	}
	if res := b.get("/directory/services/not-a-service/report"); res.status != http.StatusNotFound {
		t.Errorf("the form of no service: status %d", res.status)
	}
}

// Closing several reports at once asks first, then closes the open ones
// and emails each reporter who gave an address.
func TestListingReportsClosedTogether(t *testing.T) {
	s := newAdminSite(t)
	svc := s.someService()
	a := s.listingReport(svc, "first@example.org")
	b := s.listingReport(svc, "")
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	ed := s.visitor().mustLogin("dir@example.org")
	form := url.Values{"report": {strconv.FormatInt(a, 10), strconv.FormatInt(b, 10)}, "status": {"not_a_problem"}, "note": {"We rang them: it is right."}}
	ask := ed.post("/admin/directory/reports/close", form)
	if ask.status != http.StatusOK || !strings.Contains(ask.body, "Close 2 reports as Not a problem?") || !strings.Contains(ask.body, "One resident gave an address") {
		t.Fatalf("asking: status %d\n%s", ask.status, ask.body)
	}
	if got := s.mailTo("first@example.org", "listing-report-closed"); len(got) != 0 {
		t.Fatalf("asking closed the reports already")
	}
	form.Set("confirm", "yes")
	if res := ed.post("/admin/directory/reports/close", form); res.status != http.StatusSeeOther {
		t.Fatalf("confirming: status %d\n%s", res.status, res.body)
	}
	if got := s.mailTo("first@example.org", "listing-report-closed"); len(got) != 1 || !strings.Contains(got[0].Text, "We rang them") {
		t.Fatalf("the reporter's emails: %+v", got)
	}
	if res := ed.post("/admin/directory/reports/close", url.Values{"status": {"fixed"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Choose the reports to close") {
		t.Errorf("closing none: status %d\n%s", res.status, res.body)
	}
}

// An editor confirms a record in one click: its page and its Open
// Referral record say a person checked it today, and who.
func TestConfirmShowsOnPageAndAPI(t *testing.T) {
	s := newAdminSite(t)
	svc := s.someService()
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	ed := s.visitor().mustLogin("dir@example.org")
	if page := s.visitor().get("/directory/services/" + svc); !strings.Contains(page.body, "Nobody has confirmed these details yet") {
		t.Fatalf("an unconfirmed record's page does not say so")
	}
	if stale := ed.get("/admin/directory/stale"); !strings.Contains(stale.body, `/admin/directory/services/`+svc+`"`) {
		t.Fatalf("an unconfirmed record is not listed as stale")
	}
	if res := ed.post("/admin/directory/services/"+svc+"/confirm", url.Values{"back": {"stale"}}); res.status != http.StatusSeeOther || res.location != "/admin/directory/stale" {
		t.Fatalf("confirming: status %d to %q", res.status, res.location)
	}
	today := ldn.In(s.clock.Now()).Format(time.DateOnly)
	page := s.visitor().get("/directory/services/" + svc)
	if !strings.Contains(page.body, `Last checked by a person <time datetime="`+today) {
		t.Errorf("the page does not say it was checked today (%s):\n%s", today, page.body)
	}
	res, err := http.Get(s.srv.URL + "/api/oruk/services/" + svc)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var got struct {
		AssuredDate  string `json:"assured_date"`
		AssurerEmail string `json:"assurer_email"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.AssuredDate != today || got.AssurerEmail != "dir@example.org" {
		t.Errorf("the API says assured %q by %q; want %s by dir@example.org", got.AssuredDate, got.AssurerEmail, today)
	}
	var audited int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE action = 'service_confirmed' AND record = $1`,
		"service:"+svc).Scan(&audited); err != nil || audited != 1 {
		t.Errorf("the confirmation is in the audit log %d times (%v), want once", audited, err)
	}
	if stale := ed.get("/admin/directory/stale"); strings.Contains(stale.body, `/admin/directory/services/`+svc+`"`) {
		t.Errorf("a record confirmed today is listed as stale")
	}
	edit := ed.get("/admin/directory/services/" + svc)
	if !strings.Contains(edit.body, "A person last confirmed it on") || !strings.Contains(edit.body, "Automatic checks") {
		t.Errorf("the admin's service page lacks the record's upkeep:\n%s", edit.body)
	}
	// A reviewer sees the record's upkeep but may not confirm it.
	s.addUser("rev@example.org", accounts.Reviewer)
	if view := s.visitor().mustLogin("rev@example.org").get("/admin/directory/services/" + svc); strings.Contains(view.body, "/confirm") {
		t.Errorf("a reviewer is offered the confirm button")
	}
}

// The report form limits how many reports come from one address (and one
// email) in an hour, as the question form does.
func TestListingReportRateLimit(t *testing.T) {
	reportLimits = upkeep.Limits{MinFill: upkeep.DefaultLimits.MinFill, MaxAge: upkeep.DefaultLimits.MaxAge, Window: time.Hour, PerAddress: 2, PerEmail: 10}
	t.Cleanup(func() { reportLimits = upkeep.DefaultLimits })
	s := newAdminSite(t)
	svc := s.someService()
	s.listingReport(svc, "")
	s.listingReport(svc, "")
	b := s.visitor()
	form := s.reportForm(b, svc)
	form.Set("kind", "closed")
	res := b.post("/directory/services/"+svc+"/report", form)
	if res.status != http.StatusTooManyRequests || !strings.Contains(res.body, "Too many reports") {
		t.Fatalf("the third report in an hour: status %d\n%s", res.status, res.body)
	}
	if n := s.countReports(); n != 2 {
		t.Errorf("%d reports stored, want 2", n)
	}
	s.clock.Add(61 * time.Minute)
	if id := s.listingReport(svc, ""); id == 0 {
		t.Errorf("a report an hour later was refused")
	}
}

// A record not confirmed for 6 months is stale, and the site's daily job
// reminds its provider once; later runs within the month do not.
func TestStaleListingProviderRemindedOnce(t *testing.T) {
	ctx := context.Background()
	s, addProvider := withProviders(t)
	svc := s.someService()
	addProvider(s.organizationOf(svc), "keeper@provider.example.org")
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	ed := s.visitor().mustLogin("dir@example.org")
	if res := ed.post("/admin/directory/services/"+svc+"/confirm", nil); res.status != http.StatusSeeOther {
		t.Fatalf("confirming: status %d", res.status)
	}
	var jobs interface{ RunDue(context.Context) error }
	runJobs := func() {
		t.Helper()
		if jobs == nil {
			r, err := newJobs(s.db, s.cfg, quietLog(), s.clock.Now)
			if err != nil {
				t.Fatal(err)
			}
			jobs = r
		}
		if err := jobs.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	runJobs()
	if got := s.mailTo("keeper@provider.example.org", "listing-stale-reminder"); len(got) != 0 {
		t.Fatalf("a record confirmed today was reminded about: %+v", got)
	}
	s.clock.Add(s.clock.Now().AddDate(0, 6, 1).Sub(s.clock.Now()))
	runJobs()
	got := s.mailTo("keeper@provider.example.org", "listing-stale-reminder")
	if len(got) != 1 || !strings.Contains(got[0].Text, "/directory/services/"+svc) || !strings.Contains(got[0].Text, "last confirmed") {
		t.Fatalf("after 6 months and a day, the provider's reminders: %+v", got)
	}
	for range 3 {
		s.clock.Add(25 * time.Hour) // the job runs daily
		runJobs()
	}
	if got := s.mailTo("keeper@provider.example.org", "listing-stale-reminder"); len(got) != 1 {
		t.Errorf("after three more daily runs, %d reminders; want still 1", len(got))
	}
	// Never-confirmed records come first: the one confirmed 6 months ago
	// is on the last page.
	var active int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM dir_services WHERE status = 'active'`).Scan(&active); err != nil {
		t.Fatal(err)
	}
	last := strconv.Itoa((active + 49) / 50)
	ed = s.visitor().mustLogin("dir@example.org") // the first session ended months ago
	if stale := ed.get("/admin/directory/stale?page=" + last); !strings.Contains(stale.body, `/admin/directory/services/`+svc+`"`) {
		t.Errorf("the stale record is not on the last page (%s) of the editors' list:\n%s", last, stale.body)
	}
}

// The site's checks job visits each listing's website: one on loopback
// that answers 404 is listed as a problem, one that answers 200 is not.
func TestListingChecksJobMarksBrokenSite(t *testing.T) {
	ctx := context.Background()
	s := newAdminSite(t)
	broken := httptest.NewServer(http.NotFoundHandler())
	defer broken.Close()
	working := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "open") }))
	defer working.Close()
	var ids []string
	if err := func() error {
		var err error
		ids, err = db.Column[string](ctx, s.db, `SELECT id FROM dir_services WHERE status = 'active' ORDER BY name, id LIMIT 2`)
		return err
	}(); err != nil || len(ids) != 2 {
		t.Fatal(ids, err)
	}
	for i, u := range []string{broken.URL + "/gone", working.URL + "/"} {
		if _, err := s.db.ExecContext(ctx, `UPDATE dir_services SET url = $1 WHERE id = $2`, u, ids[i]); err != nil {
			t.Fatal(err)
		}
	}
	runner, err := newJobs(s.db, s.cfg, quietLog(), s.clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	// Each run checks up to 200 services: a few runs check them all.
	for range 4 {
		if err := runner.RunDue(ctx); err != nil {
			t.Fatal(err)
		}
		s.clock.Add(11 * time.Minute)
	}
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	ed := s.visitor().mustLogin("dir@example.org")
	problems := ed.get("/admin/directory/checks")
	if !strings.Contains(problems.body, `/admin/directory/services/`+ids[0]+`"`) || !strings.Contains(problems.body, "It answered 404 Not Found") {
		t.Errorf("the problems list lacks the site answering 404:\n%s", problems.body)
	}
	if strings.Contains(problems.body, `/admin/directory/services/`+ids[1]+`"`) {
		t.Errorf("the problems list has the site answering 200")
	}
	if page := ed.get("/admin/directory/services/" + ids[1]); !strings.Contains(page.body, working.URL+"/</td><td class=\"nhsuk-table__cell\">Passed") {
		t.Errorf("the working site's admin page does not say its check passed:\n%s", page.body)
	}
}

// Stale records are confirmed together from the stale list: the first
// step lists them and changes nothing, the second confirms each, with an
// audit entry; choosing none, or a record that does not exist, changes
// nothing.
func TestStaleRecordsConfirmedTogether(t *testing.T) {
	s := newAdminSite(t)
	ctx := context.Background()
	var ids []string
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM dir_services WHERE status = 'active' ORDER BY id LIMIT 2`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	// Every other record confirmed, so the two are the stale list's.
	if _, err := s.db.ExecContext(ctx, `UPDATE dir_services SET confirmed_at = $1 WHERE id NOT IN ($2, $3)`, s.clock.Now().UTC(), ids[0], ids[1]); err != nil {
		t.Fatal(err)
	}
	s.addUser("dir@example.org", accounts.DirectoryEditor)
	ed := s.visitor().mustLogin("dir@example.org")
	confirmed := func() int {
		return s.count(`SELECT COUNT(*) FROM dir_services WHERE confirmed_at IS NOT NULL AND id IN ('` + ids[0] + `', '` + ids[1] + `')`)
	}
	list := ed.get("/admin/directory/stale")
	for _, id := range ids {
		if !strings.Contains(list.body, `name="service" type="checkbox" value="`+id+`" form="confirm-chosen"`) {
			t.Fatalf("the stale list has no checkbox for %s", id)
		}
	}
	form := url.Values{"service": ids}
	ask := ed.post("/admin/directory/stale/confirm", form)
	if ask.status != http.StatusOK || !strings.Contains(ask.body, "Confirm 2 records as still correct?") || confirmed() != 0 {
		t.Fatalf("asking: status %d, %d confirmed\n%s", ask.status, confirmed(), ask.body)
	}
	if res := ed.post("/admin/directory/stale/confirm", url.Values{"service": {ids[0], "no-such-service"}, "confirm": {"yes"}}); res.status != http.StatusNotFound || confirmed() != 0 {
		t.Errorf("confirming a record that does not exist: status %d, %d confirmed", res.status, confirmed())
	}
	if res := ed.post("/admin/directory/stale/confirm", url.Values{"confirm": {"yes"}}); res.status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.body, "Choose the records to confirm as still correct") {
		t.Errorf("confirming none: status %d\n%s", res.status, res.body)
	}
	form.Set("confirm", "yes")
	if res := ed.post("/admin/directory/stale/confirm", form); res.status != http.StatusSeeOther || res.location != "/admin/directory/stale" {
		t.Fatalf("confirming: status %d → %q\n%s", res.status, res.location, res.body)
	}
	if n := confirmed(); n != 2 {
		t.Errorf("%d records confirmed, want 2", n)
	}
	if n := s.count(`SELECT COUNT(*) FROM audit_log WHERE action = 'service_confirmed'`); n != 2 {
		t.Errorf("%d audit entries, want 2", n)
	}
	list = ed.get("/admin/directory/stale")
	for _, id := range ids {
		if strings.Contains(list.body, `/admin/directory/services/`+id+`"`) {
			t.Errorf("%s is still listed as stale", id)
		}
	}
	for _, id := range ids {
		if page := s.visitor().get("/directory/services/" + id); strings.Contains(page.body, "Nobody has confirmed these details yet") {
			t.Errorf("the page of %s does not say it was checked", id)
		}
	}
}
