package mail_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
)

// counting records how often each message was sent, taking a moment per
// message as a real server does.
type counting struct {
	mu    sync.Mutex
	sends map[int64]int
	delay time.Duration
	fail  bool
}

func (c *counting) Send(_ context.Context, id int64, _, _ string, _ []byte) error {
	time.Sleep(c.delay)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.sends == nil {
		c.sends = map[int64]int{}
	}
	c.sends[id]++
	if c.fail {
		return errors.New("550 mailbox unavailable")
	}
	return nil
}

func (c *counting) total() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, k := range c.sends {
		n += k
	}
	return n
}

func queueMany(t *testing.T, d *db.DB, n int) {
	t.Helper()
	ctx := context.Background()
	if err := d.Tx(ctx, func(q db.Querier) error {
		for i := range n {
			if _, err := box.Enqueue(ctx, q, mail.Message{Kind: "test", To: fmt.Sprintf("r%d@example.org", i), Subject: "Papers", Text: "Hi"}); err != nil {
				return err
			}
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

// Several instances delivering at once, as when a run outlives its job's
// lease: each message is sent once.
func TestConcurrentDeliveriesSendEachMessageOnce(t *testing.T) {
	d := openDB(t)
	queueMany(t, d, 120)
	s := &counting{delay: time.Millisecond}
	now := time.Now().UTC()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if _, err := mail.Deliver(context.Background(), d, s, "x@joinedup.example", now, 1000); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if len(s.sends) != 120 {
		t.Errorf("%d of 120 messages sent", len(s.sends))
	}
	for id, n := range s.sends {
		if n != 1 {
			t.Errorf("message %d sent %d times", id, n)
		}
	}
}

// A message that keeps failing is tried a bounded number of times, then
// marked failed and left alone.
func TestDeliveryAttemptsCapped(t *testing.T) {
	ctx := context.Background()
	d := openDB(t)
	queueMany(t, d, 1)
	s := &counting{fail: true}
	now := time.Now().UTC().Truncate(time.Second)
	for range 40 {
		if _, err := mail.Deliver(ctx, d, s, "x@joinedup.example", now, 10); err != nil {
			t.Fatal(err)
		}
		now = now.Add(6*time.Hour + time.Minute) // past the longest back-off
	}
	if n := s.total(); n != 12 {
		t.Errorf("a failing message was tried %d times in 40 runs, want 12", n)
	}
	var failed bool
	if err := d.QueryRowContext(ctx, `SELECT failed_at IS NOT NULL FROM mail_outbox`).Scan(&failed); err != nil || !failed {
		t.Errorf("the message is not marked failed (%v)", err)
	}
}

// Stopping a delivery (a shutdown) lets the messages being sent finish and
// be recorded, and leaves no message claimed, so the next start sends the
// rest at once, each message once in all.
func TestDeliveryStopsCleanly(t *testing.T) {
	d := openDB(t)
	queueMany(t, d, 60)
	s := &counting{delay: 20 * time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for s.total() < 5 {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	res, err := mail.Delivery{DB: d, Sender: s, From: "x@joinedup.example", Workers: 4}.Run(ctx)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Run after a stop: %v, want context.Canceled", err)
	}
	var sent, held int
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NOT NULL`).Scan(&sent); err != nil {
		t.Fatal(err)
	}
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM mail_outbox WHERE claimed_until IS NOT NULL`).Scan(&held); err != nil {
		t.Fatal(err)
	}
	if sent != s.total() || sent != res.Sent || sent == 60 {
		t.Errorf("stopped after %d sends: %d marked sent, Run says %d (want all equal, and fewer than 60)", s.total(), sent, res.Sent)
	}
	if held != 0 {
		t.Errorf("%d messages still claimed after the stop", held)
	}
	if _, err := (mail.Delivery{DB: d, Sender: s, From: "x@joinedup.example", Workers: 4}).Run(context.Background()); err != nil {
		t.Fatal(err)
	}
	for id, n := range s.sends {
		if n != 1 {
			t.Errorf("message %d sent %d times", id, n)
		}
	}
	if len(s.sends) != 60 {
		t.Errorf("%d of 60 messages sent after the restart", len(s.sends))
	}
}

// A failed send waits one minute before the next try, then twice as long
// each time, at most six hours: 12 tries span about a day (MaxAttempts).
func TestBackoff(t *testing.T) {
	for _, tt := range []struct {
		failures int
		want     time.Duration
	}{
		{1, time.Minute}, {2, 2 * time.Minute}, {3, 4 * time.Minute}, {6, 32 * time.Minute},
		{9, 256 * time.Minute}, {10, 6 * time.Hour}, {11, 6 * time.Hour}, {500, 6 * time.Hour},
	} {
		if got := mail.Backoff(tt.failures); got != tt.want {
			t.Errorf("Backoff(%d) = %v, want %v", tt.failures, got, tt.want)
		}
	}
	var span time.Duration
	for n := 1; n < mail.MaxAttempts; n++ {
		span += mail.Backoff(n)
	}
	if mail.MaxAttempts != 12 || span < 18*time.Hour || span > 30*time.Hour {
		t.Errorf("%d tries span %v, want 12 tries over about a day", mail.MaxAttempts, span)
	}
}

// While a message is being sent it is held by its sender for the lease (5
// minutes), so no other instance takes it up meanwhile.
func TestMessageHeldWhileSending(t *testing.T) {
	d := openDB(t)
	queueMany(t, d, 1)
	now := time.Now().UTC().Truncate(time.Second)
	s := &peeking{d: d}
	res, err := mail.Delivery{DB: d, Sender: s, From: "x@joinedup.example", Now: func() time.Time { return now }}.Run(context.Background())
	if err != nil || res.Sent != 1 {
		t.Fatalf("Run = %+v, %v", res, err)
	}
	if mail.DefaultLease != 5*time.Minute || !s.held.Equal(now.Add(mail.DefaultLease)) {
		t.Errorf("held until %v while sending, want %v (lease %v)", s.held, now.Add(5*time.Minute), mail.DefaultLease)
	}
	var held int
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM mail_outbox WHERE claimed_until IS NOT NULL`).Scan(&held); err != nil || held != 0 {
		t.Errorf("%d messages still held after sending (%v)", held, err)
	}
}

// peeking reads, while it sends, until when the message is held.
type peeking struct {
	d    *db.DB
	held time.Time
}

func (p *peeking) Send(ctx context.Context, id int64, _, _ string, _ []byte) error {
	return p.d.QueryRowContext(ctx, `SELECT claimed_until FROM mail_outbox WHERE id = $1`, id).Scan(&p.held)
}

// A delivery with 8 workers (as the mail job runs it) has 8 messages on
// their way at once, and never more.
func TestWorkersSendAtOnce(t *testing.T) {
	d := openDB(t)
	queueMany(t, d, 24)
	g := &gate{release: make(chan struct{}), want: 8}
	res, err := mail.Delivery{DB: d, Sender: g, From: "x@joinedup.example", Workers: 8}.Run(context.Background())
	if err != nil || res.Sent != 24 {
		t.Fatalf("Run = %+v, %v", res, err)
	}
	if g.peak != 8 {
		t.Errorf("at most %d messages were on their way at once, want 8", g.peak)
	}
}

// gate holds each send until want sends are on their way together (or,
// if that never happens, a while), noting the most at once.
type gate struct {
	mu             sync.Mutex
	inFlight, peak int
	want           int
	release        chan struct{}
	released       bool
}

func (g *gate) Send(context.Context, int64, string, string, []byte) error {
	g.mu.Lock()
	g.inFlight++
	g.peak = max(g.peak, g.inFlight)
	if g.inFlight == g.want && !g.released {
		close(g.release)
		g.released = true
	}
	g.mu.Unlock()
	select {
	case <-g.release:
	case <-time.After(10 * time.Second):
	}
	g.mu.Lock()
	g.inFlight--
	g.mu.Unlock()
	return nil
}
