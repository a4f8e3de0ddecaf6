package mail

import (
	"cmp"
	"context"
	"crypto/rand"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// MaxAttempts is how many times a message is tried before it is marked
// failed and left for an administrator to see: with Backoff, about a day
// of trying.
const MaxAttempts = 12

// DefaultLease is how long a claim on a message holds. It is longer than
// a send may take (SMTPSender gives up after a minute), so no other
// instance takes over a message that is still being sent.
const DefaultLease = 5 * time.Minute

// Delivery sends the outbox's due messages. Each message is claimed on its
// own, with one conditional UPDATE that only one instance can win and
// that holds the message for Lease, so no two instances (or workers) send
// the same message. Workers send at once, each its own message.
type Delivery struct {
	DB     *db.DB
	Sender Sender
	From   string
	// Holder names this run in its claims (random if empty).
	Holder string
	// Workers is how many messages are sent at once (1 if 0).
	Workers int
	// Lease is how long a claim holds (DefaultLease if 0).
	Lease time.Duration
	// MaxAttempts is the number of tries before a message is marked
	// failed (the package's MaxAttempts if 0).
	MaxAttempts int
	// Now is the clock (time.Now if nil).
	Now func() time.Time
	// Limit bounds the messages claimed in one Run (no bound if 0).
	Limit int
	// MaxDuration: after this long a Run claims no more messages, and
	// finishes those it holds (no bound if 0).
	MaxDuration time.Duration
}

// Result counts what a Run did.
type Result struct {
	Sent    int // delivered
	Retry   int // failed, to be tried again after Backoff
	Failed  int // failed for the last time (MaxAttempts reached)
	Claimed int
}

// due is a claimed message.
type due struct {
	id       int64
	to       string
	raw      []byte
	attempts int
}

// Run sends messages due now until none is left, Limit or MaxDuration is
// reached, or ctx ends. When ctx ends it claims no more; messages already
// being sent are finished and recorded (on a context of their own, so a
// shutdown neither cuts a message off half-sent nor leaves it marked
// unsent). A message is claimed only just before it is sent.
func (dl Delivery) Run(ctx context.Context) (Result, error) {
	if dl.Now == nil {
		dl.Now = time.Now
	}
	if dl.Workers <= 0 {
		dl.Workers = 1
	}
	if dl.Lease <= 0 {
		dl.Lease = DefaultLease
	}
	if dl.MaxAttempts <= 0 {
		dl.MaxAttempts = MaxAttempts
	}
	if dl.Holder == "" {
		dl.Holder = "delivery/" + rand.Text()
	}
	var (
		mu       sync.Mutex
		res      Result
		firstErr error
	)
	note := func(f func(*Result), err error) {
		mu.Lock()
		defer mu.Unlock()
		if f != nil {
			f(&res)
		}
		if err != nil && firstErr == nil {
			firstErr = err
		}
	}
	// Sent messages are marked in batches, by one recorder, to spare the
	// database a commit per message; failures are recorded one by one.
	sent := make(chan int64, 2*sentBatch)
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		note(nil, dl.recordSent(ctx, sent, func(n int) { note(func(r *Result) { r.Sent += n }, nil) }))
	}()
	// The claimer lists due messages a page at a time and hands them out;
	// each worker claims the message it is given, then sends it, so that
	// claims, like sends, go on at once. A page's claims are all decided
	// before the next page is read, so a message is never handed out twice.
	work := make(chan due)
	var (
		wg       sync.WaitGroup
		page     sync.WaitGroup
		reserved atomic.Int64 // claims made or under way, for Limit
	)
	stopped := func() bool {
		mu.Lock()
		defer mu.Unlock()
		return firstErr != nil || ctx.Err() != nil
	}
	for range dl.Workers {
		wg.Go(func() {
			for m := range work {
				won, err := false, error(nil)
				if n := reserved.Add(1); !stopped() && (dl.Limit <= 0 || n <= int64(dl.Limit)) {
					// A claim under way is finished, not cut off: cut off,
					// it might still commit, and hold the message for the
					// lease after a restart. One won as the stop came is
					// given back.
					won, err = dl.claim(context.WithoutCancel(ctx), m, dl.Now().UTC())
					if won && ctx.Err() != nil {
						won, err = false, dl.release(context.WithoutCancel(ctx), m.id)
					}
				}
				if !won {
					reserved.Add(-1) // another instance holds it, or has sent it
				}
				page.Done()
				if err != nil || !won {
					note(nil, err)
					continue
				}
				note(func(r *Result) { r.Claimed++ }, nil)
				f, err := dl.send(ctx, m, sent)
				note(f, err)
			}
		})
	}
	claimErr := dl.hand(ctx, work, &page, stopped, func() bool { return dl.Limit > 0 && reserved.Load() >= int64(dl.Limit) })
	close(work)
	wg.Wait()
	close(sent)
	<-recorded
	if claimErr != nil && ctx.Err() == nil {
		note(nil, claimErr)
	}
	if firstErr == nil && ctx.Err() != nil {
		firstErr = ctx.Err()
	}
	return res, firstErr
}

// hand lists the due messages a page at a time and hands each to a
// worker, until none is left, stop or full says so, or MaxDuration passes.
func (dl Delivery) hand(ctx context.Context, work chan<- due, page *sync.WaitGroup, stop, full func() bool) error {
	start := time.Now()
	for {
		if stop() || full() || (dl.MaxDuration > 0 && time.Since(start) > dl.MaxDuration) {
			return nil
		}
		list, err := dl.candidates(ctx, dl.Now().UTC(), 200)
		if err != nil || len(list) == 0 {
			return err
		}
		for _, m := range list {
			page.Add(1)
			select {
			case work <- m:
			case <-ctx.Done():
				page.Done()
			}
		}
		page.Wait()
	}
}

// candidates lists up to n messages due at now that nobody holds.
func (dl Delivery) candidates(ctx context.Context, now time.Time, n int) ([]due, error) {
	list, err := db.QueryAll(ctx, dl.DB, func(r db.Scanner) (due, error) {
		var m due
		err := r.Scan(&m.id, &m.to, &m.raw, &m.attempts)
		return m, err
	}, `SELECT id, to_addr, message, attempts FROM mail_outbox
		WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= $1
			AND (claimed_until IS NULL OR claimed_until < $1)
		ORDER BY id LIMIT $2`, now, n)
	if err != nil {
		return nil, fmt.Errorf("mail: due messages: %w", err)
	}
	return list, nil
}

// claim takes one message for Lease with a conditional UPDATE: it matches
// only while the message is unsent, unheld and tried as often as when it
// was read, so of two instances claiming it only one wins.
func (dl Delivery) claim(ctx context.Context, m due, now time.Time) (bool, error) {
	r, err := dl.DB.ExecPrivate(ctx, `UPDATE mail_outbox SET claimed_by = $2, claimed_until = $3
		WHERE id = $1 AND sent_at IS NULL AND failed_at IS NULL AND attempts = $4 AND next_attempt_at <= $5
			AND (claimed_until IS NULL OR claimed_until < $5)`,
		m.id, dl.Holder, now.Add(dl.Lease), m.attempts, now)
	if err != nil {
		return false, fmt.Errorf("mail: claim message %d: %w", m.id, err)
	}
	n, err := r.RowsAffected()
	return n == 1, err
}

// release gives back a claimed message that was not sent.
func (dl Delivery) release(ctx context.Context, id int64) error {
	if _, err := dl.DB.ExecPrivate(ctx, `UPDATE mail_outbox SET claimed_by = '', claimed_until = NULL
		WHERE id = $1 AND claimed_by = $2 AND sent_at IS NULL`, id, dl.Holder); err != nil {
		return fmt.Errorf("mail: release message %d: %w", id, err)
	}
	return nil
}

// send sends one claimed message and records the outcome: sent (handed
// to the recorder on sent), to be tried again after Backoff, or failed
// for good after MaxAttempts. Both
// the send and the record run on ctx without its cancellation (the send
// has its own timeout), so a shutdown lets them finish.
func (dl Delivery) send(ctx context.Context, m due, sent chan<- int64) (func(*Result), error) {
	ctx = context.WithoutCancel(ctx)
	sendErr := dl.Sender.Send(ctx, m.id, dl.From, m.to, m.raw)
	if sendErr == nil {
		sent <- m.id
		return nil, nil
	}
	now := dl.Now().UTC()
	rec, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if m.attempts+1 >= dl.MaxAttempts {
		if _, err := dl.DB.ExecPrivate(rec, `UPDATE mail_outbox SET attempts = attempts + 1, failed_at = $2, last_error = $3,
			claimed_by = '', claimed_until = NULL WHERE id = $1`, m.id, now, sendErr.Error()); err != nil {
			return nil, fmt.Errorf("mail: mark message %d failed: %w", m.id, err)
		}
		return func(r *Result) { r.Failed++ }, nil
	}
	if _, err := dl.DB.ExecPrivate(rec, `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $2, last_error = $3,
		claimed_by = '', claimed_until = NULL WHERE id = $1`, m.id, now.Add(Backoff(m.attempts+1)), sendErr.Error()); err != nil {
		return nil, fmt.Errorf("mail: schedule retry of message %d: %w", m.id, err)
	}
	return func(r *Result) { r.Retry++ }, nil
}

// sentBatch is how many sent messages are marked in one UPDATE, at most;
// the recorder also marks what it has every sentFlush.
const (
	sentBatch = 100
	sentFlush = 100 * time.Millisecond
)

// recordSent marks the messages whose ids come on ids sent, in batches,
// until ids is closed, and reports each batch marked to done. It runs on
// ctx without its cancellation, so that what was sent is recorded.
func (dl Delivery) recordSent(ctx context.Context, ids <-chan int64, done func(int)) error {
	ctx = context.WithoutCancel(ctx)
	var batch []int64
	var firstErr error
	flush := func() {
		if len(batch) == 0 {
			return
		}
		if err := dl.markSent(ctx, batch); err != nil {
			firstErr = cmp.Or(firstErr, err)
		} else {
			done(len(batch))
		}
		batch = batch[:0]
	}
	tick := time.NewTicker(sentFlush)
	defer tick.Stop()
	for {
		select {
		case id, ok := <-ids:
			if !ok {
				flush()
				return firstErr
			}
			if batch = append(batch, id); len(batch) >= sentBatch {
				flush()
			}
		case <-tick.C:
			flush()
		}
	}
}

// markSent marks the messages ids sent, in one UPDATE.
func (dl Delivery) markSent(ctx context.Context, ids []int64) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	args := []any{dl.Now().UTC()}
	marks := make([]string, len(ids))
	for i, id := range ids {
		args = append(args, id)
		marks[i] = "$" + strconv.Itoa(i+2)
	}
	if _, err := dl.DB.ExecPrivate(ctx, `UPDATE mail_outbox SET attempts = attempts + 1, sent_at = $1, last_error = '',
		claimed_by = '', claimed_until = NULL WHERE id IN (`+strings.Join(marks, ", ")+`)`, args...); err != nil {
		return fmt.Errorf("mail: mark %d messages sent: %w", len(ids), err)
	}
	return nil
}

// FailedMessage is a message given up on after MaxAttempts.
type FailedMessage struct {
	ID        int64
	Kind      string
	To        string
	Subject   string
	Attempts  int
	LastError string
	Created   time.Time
	FailedAt  time.Time
}

// Failed returns the newest limit messages marked failed, and how many
// there are in all.
func Failed(ctx context.Context, q db.Querier, limit int) ([]FailedMessage, int, error) {
	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE failed_at IS NOT NULL`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("mail: count failed: %w", err)
	}
	list, err := db.QueryAll(ctx, q, func(r db.Scanner) (FailedMessage, error) {
		var m FailedMessage
		err := r.Scan(&m.ID, &m.Kind, &m.To, &m.Subject, &m.Attempts, &m.LastError, &m.Created, &m.FailedAt)
		return m, err
	}, `SELECT id, kind, to_addr, subject, attempts, last_error, created_at, failed_at
		FROM mail_outbox WHERE failed_at IS NOT NULL ORDER BY failed_at DESC, id DESC LIMIT $1`, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("mail: failed messages: %w", err)
	}
	return list, total, nil
}
