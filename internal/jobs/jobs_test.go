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
