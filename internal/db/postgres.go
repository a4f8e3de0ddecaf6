package db

import (
	"context"
	crand "crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// notifyChannel is the PostgreSQL channel on which instances announce
// their committed writes; the payload is the writer's instance id.
const notifyChannel = "joinedup_generation"

// maxTxAttempts bounds how often Tx runs a transaction that PostgreSQL
// keeps aborting for conflicts with others. A burst of writes to one hot
// row (200 residents' questions at once, each taking the next reference)
// needs many rounds: only one of the colliding transactions wins each.
const maxTxAttempts = 40

// maxTxBackoff caps the random wait between attempts.
const maxTxBackoff = 250 * time.Millisecond

// IsPostgresURL reports whether s names a PostgreSQL database.
func IsPostgresURL(s string) bool {
	return strings.HasPrefix(s, "postgres://") || strings.HasPrefix(s, "postgresql://")
}

// pgState is what a DB needs on PostgreSQL beyond its pool.
type pgState struct {
	config   *pgx.ConnConfig
	instance string // tells this DB's notices from other instances'
	bump     func() // moves the generation when another instance writes
	cancel   context.CancelFunc
	done     chan struct{}
}

// OpenPostgres connects to the PostgreSQL database at url (postgres://...)
// and starts listening for the writes of other instances.
func OpenPostgres(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("db: parse database URL: %w", errors.New(redactURLError(err)))
	}
	// Times come back in UTC, as on SQLite, whatever the server's zone.
	cfg.RuntimeParams["timezone"] = "UTC"
	pool := stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(utcTimes))
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(4)
	pool.SetConnMaxIdleTime(5 * time.Minute)
	if err := pool.PingContext(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("db: connect to PostgreSQL: %w", err)
	}
	b := make([]byte, 8)
	_, _ = crand.Read(b)
	d := &DB{engine: Postgres, read: pool, write: pool}
	lctx, cancel := context.WithCancel(context.Background())
	d.pg = &pgState{config: cfg, instance: hex.EncodeToString(b), cancel: cancel, done: make(chan struct{}),
		bump: func() { d.generation.Add(1) }}
	ready := make(chan struct{})
	go d.pg.listen(lctx, ready)
	select {
	case <-ready:
	case <-ctx.Done():
		d.Close()
		return nil, ctx.Err()
	}
	return d, nil
}

// redactURLError keeps a password in a malformed URL out of the message.
func redactURLError(err error) string {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) {
		return "invalid PostgreSQL URL"
	}
	return err.Error()
}

// utcTimes makes TIMESTAMPTZ values scan as UTC times.
func utcTimes(_ context.Context, c *pgx.Conn) error {
	c.TypeMap().RegisterType(&pgtype.Type{Name: "timestamptz", OID: pgtype.TimestamptzOID,
		Codec: &pgtype.TimestamptzCodec{ScanLocation: time.UTC}})
	return nil
}

func (p *pgState) stop() {
	p.cancel()
	<-p.done
}

// listen holds a connection of its own listening on notifyChannel until
// ctx ends, reconnecting when it fails. ready is closed once the first
// LISTEN is in place (or given up on), so a write made after OpenPostgres
// returns is seen.
func (p *pgState) listen(ctx context.Context, ready chan struct{}) {
	defer close(p.done)
	once := sync.OnceFunc(func() { close(ready) })
	defer once()
	backoff := 100 * time.Millisecond
	for first := true; ctx.Err() == nil; first = false {
		err := p.listenOnce(ctx, func() {
			once()
			backoff = 100 * time.Millisecond
			if !first {
				// Writes may have been missed while disconnected.
				p.bump()
			}
		})
		if ctx.Err() != nil {
			return
		}
		once()
		slog.Warn("database listener failed; reconnecting", slog.Any("err", err))
		select {
		case <-ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, 5*time.Second)
	}
}

func (p *pgState) listenOnce(ctx context.Context, listening func()) error {
	conn, err := pgx.ConnectConfig(ctx, p.config.Copy())
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	listening()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload != p.instance {
			p.bump()
		}
	}
}

// notify tells other instances about a write made outside a transaction.
// A failure only delays their caches, so it is logged, not returned.
func (p *pgState) notify(ctx context.Context, pool *sql.DB) {
	if _, err := pool.ExecContext(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, p.instance); err != nil {
		slog.Warn("database notify failed", slog.Any("err", err))
	}
}

// retry runs attempt until it succeeds, fails for a reason other than a
// conflict with another transaction, or has been tried maxTxAttempts times.
func (p *pgState) retry(ctx context.Context, attempt func() error) error {
	var err error
	for i := range maxTxAttempts {
		if err = attempt(); err == nil || !retryable(err) {
			return err
		}
		// Back off a little, at random, so the transactions that collided
		// do not collide again.
		wait := time.Duration(rand.Int64N(int64(min(time.Millisecond<<min(i, 10), maxTxBackoff))))
		select {
		case <-ctx.Done():
			return errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
	}
	return err
}

// retryable reports whether err is PostgreSQL aborting a transaction that
// would succeed if run again: a serialization failure or a deadlock.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40001" || pe.Code == "40P01")
}
