package upkeep

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Kind is what a resident says is wrong with a listing.
type Kind string

// The kinds of problem a resident can report.
const (
	WrongPhone   Kind = "phone"
	WrongAddress Kind = "address"
	WrongHours   Kind = "hours"
	Closed       Kind = "closed"
	Other        Kind = "other"
)

// Kinds lists the kinds in the order the form offers them.
var Kinds = []Kind{WrongPhone, WrongAddress, WrongHours, Closed, Other}

// Label is the kind as the form and the queue name it.
func (k Kind) Label() string {
	switch k {
	case WrongPhone:
		return "The phone number is wrong"
	case WrongAddress:
		return "The address is wrong"
	case WrongHours:
		return "The opening hours are wrong"
	case Closed:
		return "The service has closed"
	case Other:
		return "Something else"
	}
	return string(k)
}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Status is where a report is in its queue.
type Status string

// The statuses of a report; Fixed and NotAProblem close it.
const (
	New         Status = "new"
	InHand      Status = "in_hand"
	Fixed       Status = "fixed"
	NotAProblem Status = "not_a_problem"
)

// Statuses lists the statuses in queue order.
var Statuses = []Status{New, InHand, Fixed, NotAProblem}

// Label is the status in words.
func (s Status) Label() string {
	switch s {
	case New:
		return "New"
	case InHand:
		return "In hand"
	case Fixed:
		return "Fixed"
	case NotAProblem:
		return "Not a problem"
	}
	return string(s)
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	for _, x := range Statuses {
		if x == s {
			return true
		}
	}
	return false
}

// Closes reports whether a report with status s is closed.
func (s Status) Closes() bool { return s == Fixed || s == NotAProblem }

// Report is a resident's report of a problem with a listing.
type Report struct {
	ID        int64
	ServiceID string
	Kind      Kind
	Details   string
	// Email is the reporter's address for a reply, or "" (none given, or
	// erased).
	Email     string
	Status    Status
	Note      string // the editor's note, sent to the reporter on closing
	CreatedAt time.Time
	UpdatedAt time.Time
	ClosedAt  *time.Time
	Erased    bool
	// ServiceName is the service's name when listed with others.
	ServiceName string
}

// Ref is what the emails about report id are about, so that erasing the
// report's personal data deletes them.
func Ref(id int64) string { return "listing-report:" + strconv.FormatInt(id, 10) }

const reportColumns = `id, service_id, kind, details, email, status, note, created_at, updated_at, closed_at, erased_at`

func scanReport(r db.Scanner) (Report, error) {
	var x Report
	var closed, erased sql.NullTime
	err := r.Scan(&x.ID, &x.ServiceID, &x.Kind, &x.Details, &x.Email, &x.Status, &x.Note, &x.CreatedAt, &x.UpdatedAt, &closed, &erased)
	if closed.Valid {
		t := closed.Time.UTC()
		x.ClosedAt = &t
	}
	x.Erased = erased.Valid
	x.CreatedAt, x.UpdatedAt = x.CreatedAt.UTC(), x.UpdatedAt.UTC()
	return x, err
}

// insertReport stores a new report and returns its id.
func insertReport(ctx context.Context, q db.Querier, r Report) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO listing_reports (service_id, kind, details, email, status, created_at, updated_at)
		VALUES ($1, $2, $3, $4, 'new', $5, $5) RETURNING id`, r.ServiceID, r.Kind, r.Details, r.Email, r.CreatedAt).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("upkeep: save report: %w", err)
	}
	return id, nil
}

// Report returns the report with id.
func (s *Service) Report(ctx context.Context, id int64) (Report, error) {
	return report(ctx, s.db, id)
}

func report(ctx context.Context, q db.Querier, id int64) (Report, error) {
	x, err := scanReport(q.QueryRowContext(ctx, `SELECT `+reportColumns+` FROM listing_reports WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Report{}, fmt.Errorf("upkeep: report %d: %w", id, db.ErrNotFound)
	}
	if err != nil {
		return Report{}, fmt.Errorf("upkeep: report %d: %w", id, err)
	}
	return x, nil
}

// ReportFilter chooses reports for a queue.
type ReportFilter struct {
	// Statuses keeps to these statuses; none means every one.
	Statuses []Status
	// ServiceIDs keeps to these services (a provider's); nil means every
	// service.
	ServiceIDs []string
}

func (f ReportFilter) where() (string, []any) {
	var conds []string
	var args []any
	if len(f.Statuses) > 0 {
		var ps []string
		for _, st := range f.Statuses {
			args = append(args, string(st))
			ps = append(ps, "$"+strconv.Itoa(len(args)))
		}
		conds = append(conds, "status IN ("+strings.Join(ps, ", ")+")")
	}
	if f.ServiceIDs != nil {
		if len(f.ServiceIDs) == 0 {
			conds = append(conds, "1 = 0")
		}
		var ps []string
		for _, id := range f.ServiceIDs {
			args = append(args, id)
			ps = append(ps, "$"+strconv.Itoa(len(args)))
		}
		if len(ps) > 0 {
			conds = append(conds, "service_id IN ("+strings.Join(ps, ", ")+")")
		}
	}
	if len(conds) == 0 {
		return "", args
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// Reports returns the reports f chooses, oldest first, with the services'
// names.
func (s *Service) Reports(ctx context.Context, f ReportFilter) ([]Report, error) {
	where, args := f.where()
	list, err := db.QueryAll(ctx, s.db, scanReport, `SELECT `+reportColumns+` FROM listing_reports`+where+` ORDER BY created_at, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("upkeep: reports: %w", err)
	}
	return s.named(ctx, list)
}

// named fills in the services' names.
func (s *Service) named(ctx context.Context, list []Report) ([]Report, error) {
	ids := make([]string, 0, len(list))
	for _, r := range list {
		ids = append(ids, r.ServiceID)
	}
	names, err := s.dir.ServiceNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].ServiceName = names[list[i].ServiceID]
	}
	return list, nil
}

// CountReports counts the reports of each status.
func (s *Service) CountReports(ctx context.Context) (map[Status]int, error) {
	out := map[Status]int{}
	rows, err := s.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM listing_reports GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("upkeep: count reports: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var st Status
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// ReportsForOrganization returns the reports about the services of
// organisation orgID that have one of statuses (every status when none),
// oldest first: a provider's own queue.
func (s *Service) ReportsForOrganization(ctx context.Context, orgID string, statuses ...Status) ([]Report, error) {
	ids, err := s.dir.OrganizationServiceIDs(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if ids == nil {
		ids = []string{}
	}
	return s.Reports(ctx, ReportFilter{Statuses: statuses, ServiceIDs: ids})
}
