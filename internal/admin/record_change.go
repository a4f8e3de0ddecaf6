package admin

import (
	"context"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/revisions"
)

// recordChange writes, in the transaction q of a change to a record, the
// audit entry (the record before and after) and the record's new revision.
// kind and id name the record ("post", "12"); before is nil for a new one.
func recordChange(ctx context.Context, q db.Querier, u accounts.User, kind, id, action string, before, after any, note string) error {
	if err := accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: action,
		Record: kind + ":" + id, Before: before, After: after}); err != nil {
		return err
	}
	_, err := revisions.NewStore(q).Record(ctx, kind, id, u.ID, u.Email, note, after)
	return err
}
