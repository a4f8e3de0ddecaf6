package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/jobs"
)

// Two runners on one database, as two instances would be: every due slot
// runs once, on one of them.
func TestEachSlotRunsOnce(t *testing.T) {
	ctx := context.Background()
	d := dbtest.Open(t)
	var mu sync.Mutex
	clock := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	var runs atomic.Int64
	var runners []*jobs.Runner
	for range 2 {
		r := jobs.NewRunner(d, now, log)
		r.Every("tick", time.Minute, func(context.Context, time.Time) error { runs.Add(1); return nil })
		runners = append(runners, r)
	}
	for slot := range 5 {
		var wg sync.WaitGroup
		for _, r := range runners {
			for range 3 {
				wg.Go(func() {
					if err := r.RunDue(ctx); err != nil {
						t.Error(err)
					}
				})
			}
		}
		wg.Wait()
		if got := runs.Load(); got != int64(slot+1) {
			t.Fatalf("after slot %d: %d runs, want %d", slot, got, slot+1)
		}
		mu.Lock()
		clock = clock.Add(time.Minute)
		mu.Unlock()
	}
	var n int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM job_runs WHERE name = 'tick'`).Scan(&n); err != nil || n != 5 {
		t.Errorf("job_runs has %d rows (%v), want 5", n, err)
	}
}

// A job running when its runner is stopped (a shutdown) finishes, and its
// run is recorded and its lease released, so that after a restart the job
// runs at once rather than after the lease.
func TestStopDuringRunReleasesLease(t *testing.T) {
	d := dbtest.Open(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := jobs.NewRunner(d, nil, log)
	started, stopped := make(chan struct{}), make(chan struct{})
	r.Every("long", time.Minute, func(ctx context.Context, _ time.Time) error {
		close(started)
		<-ctx.Done() // works until told to stop, as the mail job does
		close(stopped)
		return nil
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.Run(ctx, time.Hour); close(done) }()
	<-started
	cancel()
	<-done
	select {
	case <-stopped:
	default:
		t.Fatal("Run returned before its running job did")
	}
	var locked bool
	var runs int
	if err := d.QueryRowContext(context.Background(), `SELECT locked_until IS NOT NULL FROM jobs WHERE name = 'long'`).Scan(&locked); err != nil {
		t.Fatal(err)
	}
	if locked {
		t.Error("the job's lease is still held after its run stopped")
	}
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM job_runs WHERE name = 'long'`).Scan(&runs); err != nil || runs != 1 {
		t.Errorf("%d runs recorded (%v), want 1", runs, err)
	}
	// Another runner (the restarted instance) may run it at once.
	r2 := jobs.NewRunner(d, func() time.Time { return time.Now().Add(time.Minute) }, log)
	ran := false
	r2.Every("long", time.Minute, func(context.Context, time.Time) error { ran = true; return nil })
	if err := r2.RunDue(context.Background()); err != nil || !ran {
		t.Errorf("after the restart the job did not run (%v)", err)
	}
}
