package upkeep

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
)

// ErrNotOpen is returned when closing a report that is closed already.
var ErrNotOpen = errors.New("upkeep: the report is closed already")

// maxNote is the longest note an editor may write to a reporter.
const maxNote = 2000

// Change is an editor's change of a report's status.
type Change struct {
	Status Status
	// Note is sent to the reporter when the change closes the report.
	Note string
}

// SetStatus moves report id to ch.Status as user u, in one transaction
// with its audit entry; a change that closes the report queues the email
// to its reporter (if they gave an address) in the same transaction.
func (s *Service) SetStatus(ctx context.Context, u accounts.User, id int64, ch Change) (Report, error) {
	if !ch.Status.Valid() {
		return Report{}, fmt.Errorf("upkeep: status %q: %w", ch.Status, db.ErrNotFound)
	}
	var after Report
	// The queue is not public: the page cache stays.
	err := s.db.TxPrivate(ctx, func(q db.Querier) error {
		var err error
		after, err = s.setStatus(ctx, q, u, id, ch)
		return err
	})
	return after, err
}

func (s *Service) setStatus(ctx context.Context, q db.Querier, u accounts.User, id int64, ch Change) (Report, error) {
	before, err := report(ctx, q, id)
	if err != nil {
		return Report{}, err
	}
	now := s.now()
	after := before
	after.Status, after.Note, after.UpdatedAt = ch.Status, ch.Note, now
	closing := ch.Status.Closes() && !before.Status.Closes()
	var closedAt any
	switch {
	case closing:
		after.ClosedAt = &now
		closedAt = now
	case ch.Status.Closes():
		closedAt = *before.ClosedAt
	default:
		after.ClosedAt = nil
	}
	if _, err := q.ExecContext(ctx, `UPDATE listing_reports SET status = $2, note = $3, updated_at = $4, closed_at = $5 WHERE id = $1`,
		id, ch.Status, ch.Note, now, closedAt); err != nil {
		return Report{}, fmt.Errorf("upkeep: report %d: %w", id, err)
	}
	if err := accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: "listing_report_" + string(ch.Status),
		Record: "listing_report:" + strconv.FormatInt(id, 10), Before: auditView(before), After: auditView(after)}); err != nil {
		return Report{}, err
	}
	if closing {
		names, err := s.dirIn(q).ServiceNames(ctx, []string{after.ServiceID})
		if err != nil {
			return Report{}, err
		}
		if err := s.tellReporter(ctx, q, after, names[after.ServiceID]); err != nil {
			return Report{}, err
		}
	}
	return after, nil
}

// auditView is a report as the audit log keeps it: without the reporter's
// address, which the log (kept for good) must not hold.
func auditView(r Report) map[string]any {
	return map[string]any{"service_id": r.ServiceID, "kind": r.Kind, "status": r.Status, "note": r.Note,
		"reply_wanted": r.Email != ""}
}

// CloseAll closes the reports ids as status (Fixed or NotAProblem) with
// one note, in one transaction: each one still open is closed and its
// reporter emailed; those closed already are left as they are. It returns
// how many it closed.
func (s *Service) CloseAll(ctx context.Context, u accounts.User, ids []int64, status Status, note string) (int, error) {
	if !status.Closes() {
		return 0, fmt.Errorf("upkeep: close as %q: not a closing status", status)
	}
	var n int
	err := s.db.TxPrivate(ctx, func(q db.Querier) error {
		n = 0
		for _, id := range ids {
			r, err := report(ctx, q, id)
			if err != nil {
				return err
			}
			if r.Status.Closes() {
				continue
			}
			if _, err := s.setStatus(ctx, q, u, id, Change{Status: status, Note: note}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}
