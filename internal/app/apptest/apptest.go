// Package apptest gives the tests of other packages a whole joinedup
// database on the engine under test (see dbtest): SQLite in a data dir,
// or a migrated and seeded PostgreSQL database.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"testing"

	"github.com/joinedup/joinedup/internal/app"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/dbtest"
)

// Config points cfg at the database of the engine under test: unchanged
// on SQLite (the database in the data dir), or a fresh copy of a migrated
// and seeded PostgreSQL database, the same one for the same data dir while
// the test runs.
func Config(tb testing.TB, cfg config.Config) config.Config {
	tb.Helper()
	if cfg.DatabaseURL == "" {
		cfg.DatabaseURL = dbtest.DataDirURL(tb, cfg.DataDir, "seeded", func(ctx context.Context, url string) error {
			d, err := app.Open(ctx, config.Config{DatabaseURL: url}, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				return err
			}
			return d.Close()
		})
	}
	return cfg
}
