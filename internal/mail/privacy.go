package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/privacy"
)

// Holding is the outbox as personal data: every email holds its
// recipient's address, and the offline sender's .eml copy holds it too.
// Register it last, after the holdings whose records its messages are about.
func (o Outbox) Holding() privacy.Holding {
	return privacy.Holding{
		Name:   "emails",
		Tables: []string{"mail_outbox"},
		Holds:  "The emails we send you, each with your email address.",
		Kept: fmt.Sprintf("Deleted with the registration, question or subscription they are about; the email confirming that we deleted your details once it is sent; any other email %d months after we wrote it.",
			privacy.DefaultRetentionMonths),
		Expire: o.expire,
		Erase: func(ctx context.Context, tx *privacy.Tx, email string) (int, error) {
			return o.delete(ctx, tx, `lower(to_addr) = $1`, email)
		},
		Export: o.export,
	}
}

// expire deletes the messages past their retention: those marked to go
// once sent, those past their own expiry, and those about no record that
// were queued longer ago than the retention period.
func (o Outbox) expire(ctx context.Context, tx *privacy.Tx) (int, error) {
	return o.delete(ctx, tx, `(delete_when_sent AND sent_at IS NOT NULL) OR expires_at < $1
		OR (ref = '' AND expires_at IS NULL AND created_at < $2)`, tx.Now, tx.Now.AddDate(0, -privacy.DefaultRetentionMonths, 0))
}

// Forget deletes, in tx, the messages about the records refs name (as
// their Ref), and their .eml copies once tx commits.
func (o Outbox) Forget(ctx context.Context, tx *privacy.Tx, refs ...string) (int, error) {
	n := 0
	for _, ref := range refs {
		if ref == "" {
			continue
		}
		m, err := o.delete(ctx, tx, `ref = $1`, ref)
		if err != nil {
			return n, err
		}
		n += m
	}
	return n, nil
}

// delete deletes the messages where selects, and their files after commit.
func (o Outbox) delete(ctx context.Context, tx *privacy.Tx, where string, args ...any) (int, error) {
	ids, err := db.Column[int64](ctx, tx, `DELETE FROM mail_outbox WHERE `+where+` RETURNING id`, args...)
	if err != nil {
		return 0, fmt.Errorf("mail: delete messages: %w", err)
	}
	if len(ids) > 0 && o.Dir != "" {
		tx.AfterCommit(func() error { return RemoveFiles(o.Dir, ids) })
	}
	return len(ids), nil
}

// RemoveFiles deletes the .eml copies of messages ids that the offline
// sender wrote in dir, if any.
func RemoveFiles(dir string, ids []int64) error {
	for _, id := range ids {
		err := os.Remove(filepath.Join(dir, strconv.FormatInt(id, 10)+".eml"))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("mail: remove sent email: %w", err)
		}
	}
	return nil
}

// Kept is one message as a resident's data export shows it.
type Kept struct {
	ID      int64      `json:"id"`
	Kind    string     `json:"kind"`
	Subject string     `json:"subject"`
	Queued  time.Time  `json:"queued_at"`
	Sent    *time.Time `json:"sent_at,omitempty"`
	Message string     `json:"message"`
}

func (o Outbox) export(ctx context.Context, q db.Querier, email string) (any, error) {
	list, err := db.QueryAll(ctx, q, func(row db.Scanner) (Kept, error) {
		var k Kept
		var raw []byte
		var sent sql.NullTime
		err := row.Scan(&k.ID, &k.Kind, &k.Subject, &k.Queued, &sent, &raw)
		if sent.Valid {
			k.Sent = &sent.Time
		}
		k.Message = string(raw)
		return k, err
	}, `SELECT id, kind, subject, created_at, sent_at, message FROM mail_outbox WHERE lower(to_addr) = $1 ORDER BY id`, email)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	return list, nil
}
