// Package db opens the application's database, applies its migrations and
// runs transactions. Domains write their own SQL against the Querier it hands
// them; engine-specific behaviour is chosen here, once, at start-up.
package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// ErrNotFound is returned by stores when a record does not exist.
var ErrNotFound = errors.New("not found")

// Engine names a database engine.
type Engine string

// The engines joinedup runs on.
const (
	SQLite   Engine = "sqlite"
	Postgres Engine = "postgres"
)

// Querier is what a store needs to run SQL: either the DB itself (reads go
// to the read pool, writes to the writer) or a transaction.
type Querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	// Engine says which engine runs the SQL, for the few engine-specific
	// parts (full-text search, distance) to pick their implementation.
	Engine() Engine
}

// txq is a transaction that knows its engine. It prepares each distinct
// statement once for its life: imports run the same few statements
// thousands of times, and parsing them again each time was half their
// cost. (They cannot share the pool's prepared statements: preparing on
// the pool would wait for the one writer connection the transaction holds.)
type txq struct {
	*sql.Tx
	engine Engine
	stmts  map[string]*sql.Stmt // closed when the transaction ends; nil when the driver caches statements itself
}

func (t txq) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if t.stmts == nil {
		return nil, nil
	}
	if st, ok := t.stmts[query]; ok {
		return st, nil
	}
	if len(t.stmts) >= maxCachedStmts {
		return nil, nil
	}
	st, err := t.Tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	t.stmts[query] = st
	return st, nil
}

func (t txq) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := t.stmt(ctx, query)
	if err != nil || st == nil {
		return t.Tx.ExecContext(ctx, query, args...)
	}
	return st.ExecContext(ctx, args...)
}

func (t txq) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := t.stmt(ctx, query)
	if err != nil || st == nil {
		return t.Tx.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext reports an error preparing through Scan, as database/sql does.
func (t txq) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := t.stmt(ctx, query)
	if err != nil || st == nil {
		return t.Tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (t txq) Engine() Engine { return t.engine }

// DB is the application's database handle. On SQLite it keeps a pool of
// readers and a single writer connection, so writers queue in Go rather than
// fail with SQLITE_BUSY. On PostgreSQL one pool serves both, transactions
// are serializable and retried, and the generation follows the writes of
// every instance on the database (see postgres.go).
type DB struct {
	engine Engine
	read   *sql.DB
	write  *sql.DB  // the same pool as read on PostgreSQL
	pg     *pgState // nil on SQLite
	// generation counts committed writes, so caches of rendered pages can
	// tell cheaply whether anything has changed since they were filled.
	generation atomic.Uint64
	// readStmts keeps reads prepared: SQLite spends more time parsing a
	// short query than running it. database/sql prepares each statement
	// once per connection and keeps it.
	// It is not used on PostgreSQL, where pgx keeps each connection's
	// prepared statements itself.
	readStmts stmtCache
}

// maxCachedStmts bounds the statement cache, since some queries are built
// with a varying number of parameters; past it, statements are not kept.
const maxCachedStmts = 512

type stmtCache struct {
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// get returns the statement for query prepared on pool, preparing it the
// first time; ok is false when the cache is full and the caller should run
// the query unprepared.
func (c *stmtCache) get(ctx context.Context, pool *sql.DB, query string) (st *sql.Stmt, ok bool, err error) {
	c.mu.RLock()
	st = c.stmts[query]
	n := len(c.stmts)
	c.mu.RUnlock()
	if st != nil {
		return st, true, nil
	}
	if n >= maxCachedStmts {
		return nil, false, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if st = c.stmts[query]; st != nil {
		return st, true, nil
	}
	if st, err = pool.PrepareContext(ctx, query); err != nil {
		return nil, false, err
	}
	if c.stmts == nil {
		c.stmts = map[string]*sql.Stmt{}
	}
	c.stmts[query] = st
	return st, true, nil
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, st := range c.stmts {
		errs = append(errs, st.Close())
	}
	c.stmts = nil
	return errors.Join(errs...)
}

// OpenSQLite opens (creating if needed) the SQLite database at path with WAL
// journalling, foreign keys, a busy timeout and one writer.
func OpenSQLite(ctx context.Context, path string) (*DB, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("db: create directory: %w", err)
	}
	const pragmas = "_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(5000)" +
		"&_pragma=synchronous(NORMAL)&_pragma=cache_size(-16000)&_pragma=temp_store(MEMORY)&_time_format=sqlite"
	write, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("db: open writer: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxIdleTime(0)
	write.SetConnMaxLifetime(0)
	// Opening the writer first creates the file and switches it to WAL
	// before any reader connects.
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("db: open %s: %w", path, err)
	}
	read, err := sql.Open("sqlite", "file:"+path+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("db: open readers: %w", err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	read.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{engine: SQLite, read: read, write: write}, nil
}

// Engine reports which database engine is in use.
func (d *DB) Engine() Engine { return d.engine }

// Close closes both pools (and, on PostgreSQL, stops listening).
func (d *DB) Close() error {
	if d.pg != nil {
		d.pg.stop()
		return d.write.Close()
	}
	return errors.Join(d.readStmts.close(), d.read.Close(), d.write.Close())
}

// Generation returns a number that changes whenever a write commits.
func (d *DB) Generation() uint64 { return d.generation.Load() }

// Ping checks that the database answers.
func (d *DB) Ping(ctx context.Context) error {
	return d.read.PingContext(ctx)
}

// ExecContext runs a write outside a transaction, on the writer.
func (d *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	res, err := d.write.ExecContext(ctx, query, args...)
	if err == nil {
		d.wrote(ctx)
	}
	return res, err
}

// wrote moves the generation after a committed write and, on PostgreSQL,
// tells the other instances.
func (d *DB) wrote(ctx context.Context) {
	d.generation.Add(1)
	if d.pg != nil {
		d.pg.notify(ctx, d.write)
	}
}

// QueryContext runs a read on the reader pool.
func (d *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if d.pg != nil {
		return d.read.QueryContext(ctx, query, args...)
	}
	st, ok, err := d.readStmts.get(ctx, d.read, query)
	if err != nil {
		return nil, err
	}
	if !ok {
		return d.read.QueryContext(ctx, query, args...)
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext runs a single-row read on the reader pool.
func (d *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if d.pg != nil {
		return d.read.QueryRowContext(ctx, query, args...)
	}
	st, ok, err := d.readStmts.get(ctx, d.read, query)
	if err != nil || !ok {
		// An error preparing shows again, and is returned, from the query.
		return d.read.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

// Tx runs fn in a write transaction, committing if fn returns nil and
// rolling back otherwise. It is the only way the application opens one.
// On PostgreSQL the transaction is serializable, and fn runs again (a
// bounded number of times) when the database aborts it for conflicting
// with another, so fn must have no effects outside the database.
func (d *DB) Tx(ctx context.Context, fn func(q Querier) error) error {
	return d.txRetried(ctx, true, fn)
}

func (d *DB) txRetried(ctx context.Context, public bool, fn func(q Querier) error) error {
	if d.pg == nil {
		return d.tx(ctx, nil, public, fn)
	}
	return d.pg.retry(ctx, func() error {
		return d.tx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable}, public, fn)
	})
}

// tx runs one attempt of a transaction; public says whether its commit
// moves the generation (and tells the other instances).
func (d *DB) tx(ctx context.Context, opts *sql.TxOptions, public bool, fn func(q Querier) error) (err error) {
	tx, err := d.write.BeginTx(ctx, opts)
	if err != nil {
		return fmt.Errorf("db: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
	}()
	q := txq{Tx: tx, engine: d.engine}
	if d.pg == nil {
		q.stmts = map[string]*sql.Stmt{}
	}
	if err := fn(q); err != nil {
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			return errors.Join(err, fmt.Errorf("db: rollback: %w", rbErr))
		}
		return err
	}
	if public && d.pg != nil {
		// Sent inside the transaction, the notice reaches the other
		// instances only if, and when, it commits.
		if _, err := tx.ExecContext(ctx, `SELECT pg_notify($1, $2)`, notifyChannel, d.pg.instance); err != nil {
			_ = tx.Rollback()
			return fmt.Errorf("db: notify: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("db: commit: %w", err)
	}
	if public {
		d.generation.Add(1)
	}
	return nil
}

// PoolStats returns the statistics of the connection pools by name: on
// SQLite "read" and "write"; on PostgreSQL the one pool, "shared".
func (d *DB) PoolStats() map[string]sql.DBStats {
	if d.pg != nil {
		return map[string]sql.DBStats{"shared": d.write.Stats()}
	}
	return map[string]sql.DBStats{"read": d.read.Stats(), "write": d.write.Stats()}
}
