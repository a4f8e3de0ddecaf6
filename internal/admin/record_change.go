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
// A record first changed in the admin (seeded or imported) also gets a
// revision of how it was before, so that it can be restored.
func recordChange(ctx context.Context, q db.Querier, u accounts.User, kind, id, action string, before, after any, note string) error {
	if err := accounts.Audit(ctx, q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: action,
		Record: kind + ":" + id, Before: before, After: after}); err != nil {
		return err
	}
	store := revisions.NewStore(q)
	if before != nil {
		seen, err := store.Any(ctx, kind, id)
		if err != nil {
			return err
		}
		if !seen {
			if _, err := store.Record(ctx, kind, id, 0, "", baselineNote, before); err != nil {
				return err
			}
		}
	}
	_, err := store.Record(ctx, kind, id, u.ID, u.Email, note, after)
	return err
}

// baselineNote marks the revision of a record as it was before its first
// change in the admin.
const baselineNote = "As it was before it was first changed in the admin"
