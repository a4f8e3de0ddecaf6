package main

import (
	"context"
	"fmt"
	"net/mail"
	"os"
	"path/filepath"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// openDB opens the site's database, the server being stopped.
func openDB(ctx context.Context, dataDir, databaseURL string) (*db.DB, error) {
	if databaseURL != "" {
		return db.OpenPostgres(ctx, databaseURL)
	}
	return db.OpenSQLite(ctx, filepath.Join(dataDir, "joinedup.db"))
}

// integrity runs SQLite's own check of the whole file.
func integrity(ctx context.Context, d *db.DB) (string, error) {
	if d.Engine() != db.SQLite {
		return "not checked (PostgreSQL)", nil
	}
	rows, err := d.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
		out = append(out, s)
	}
	return strings.Join(out, "; "), rows.Err()
}

// stored returns the acknowledged writes that are not in the database
// whole: the question or registration, and the email it queued.
func stored(ctx context.Context, d *db.DB, eventID int64, acks []ack) ([]string, error) {
	var missing []string
	for _, a := range acks {
		var n int
		var err error
		switch a.kind {
		case "question":
			err = d.QueryRowContext(ctx, `SELECT COUNT(*) FROM questions WHERE reference = $1 AND email = $2`, a.ref, a.email).Scan(&n)
		default:
			err = d.QueryRowContext(ctx, `SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND email = $2
				AND status IN ('confirmed', 'waiting')`, eventID, a.email).Scan(&n)
		}
		if err != nil {
			return nil, err
		}
		if n != 1 {
			missing = append(missing, fmt.Sprintf("%s of %s %s: %d stored", a.kind, a.email, a.ref, n))
			continue
		}
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE to_addr = $1`, a.email).Scan(&n); err != nil {
			return nil, err
		}
		if n < 1 {
			missing = append(missing, fmt.Sprintf("%s of %s %s: no email queued", a.kind, a.email, a.ref))
		}
	}
	return missing, nil
}

// emailed returns the acknowledged writes whose email is not in the
// outbox directory as an .eml file.
func emailed(dataDir string, acks []ack) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dataDir, "outbox", "*.eml"))
	if err != nil {
		return nil, err
	}
	to := map[string]bool{}
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		m, err := mail.ReadMessage(fh)
		if err == nil {
			if list, err := m.Header.AddressList("To"); err == nil {
				for _, a := range list {
					to[strings.ToLower(a.Address)] = true
				}
			}
		}
		fh.Close()
	}
	var missing []string
	for _, a := range acks {
		if !to[a.email] {
			missing = append(missing, a.kind+" of "+a.email)
		}
	}
	return missing, nil
}
