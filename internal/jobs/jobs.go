// Package jobs runs scheduled work (sending email, reminders, erasing
// expired personal data) on every instance, while making sure that each
// scheduled run happens once across all of them: an instance runs a job
// only after claiming its due slot with one conditional UPDATE, which only
// one instance can win.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync/atomic"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Func is the work of a job. now is the time of the slot being run.
type Func func(ctx context.Context, now time.Time) error

type job struct {
	name     string
	interval time.Duration
	fn       Func
	// registered: the job's row exists, so claims need not insert it.
	registered atomic.Bool
	// runs and failures count this runner's runs of the job, for /metrics.
	runs, failures atomic.Uint64
}

// Runner runs jobs on a schedule.
type Runner struct {
	db     *db.DB
	holder string
	now    func() time.Time
	log    *slog.Logger
	jobs   []job
	// Lease is how long a claimed run may take before another instance
	// may take the job over (the holder is presumed dead).
	Lease time.Duration
}

// NewRunner returns a runner for d. now is its clock (time.Now if nil).
func NewRunner(d *db.DB, now func() time.Time, log *slog.Logger) *Runner {
	if now == nil {
		now = time.Now
	}
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return &Runner{db: d, holder: fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b[:])),
		now: now, log: log, Lease: 10 * time.Minute}
}

// Holder names this runner in the jobs table.
func (r *Runner) Holder() string { return r.holder }

// Every schedules fn to run every interval. Register jobs before Run.
func (r *Runner) Every(name string, interval time.Duration, fn Func) {
	r.jobs = append(r.jobs, job{name: name, interval: interval, fn: fn})
}

// Run checks for due jobs every tick until ctx ends. A job running then
// is told to stop (its ctx ends) and Run returns once it has, with the
// run recorded and the job's lease released.
func (r *Runner) Run(ctx context.Context, tick time.Duration) {
	t := time.NewTicker(tick)
	defer t.Stop()
	for {
		if err := r.RunDue(ctx); err != nil && ctx.Err() == nil {
			r.log.Error("jobs", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// RunDue runs, once each, the jobs whose slot is due and that this runner
// wins. It returns the first error of the bookkeeping; a job's own error is
// logged and recorded against the run.
func (r *Runner) RunDue(ctx context.Context) error {
	for i := range r.jobs {
		j := &r.jobs[i]
		if ctx.Err() != nil {
			return nil // stopped: claim nothing more
		}
		now := r.now().UTC().Truncate(time.Second)
		// A claim under way is finished, not cut off by a stop: cut off,
		// it might still commit and lock the job for its lease.
		won, err := r.claim(context.WithoutCancel(ctx), j, now)
		if err != nil {
			return err
		}
		if !won {
			continue
		}
		runErr := j.fn(ctx, now)
		j.runs.Add(1)
		if ctx.Err() != nil && (runErr == nil || errors.Is(runErr, ctx.Err())) {
			runErr = nil // stopped for a shutdown: not a failure
		} else if runErr != nil {
			j.failures.Add(1)
			r.log.Error("job failed", "job", j.name, "err", runErr)
		}
		// A shutdown cancels ctx; the run is still recorded and its lease
		// released, so that the job is not locked for the rest of its
		// lease after a restart.
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		err = r.finish(fctx, j, now, runErr)
		cancel()
		if err != nil {
			return err
		}
		if ctx.Err() != nil {
			return nil // no further jobs once stopped
		}
	}
	return nil
}

// claim moves the job's next slot forward if it is due and nobody holds
// it; only one instance's UPDATE can match.
func (r *Runner) claim(ctx context.Context, j *job, now time.Time) (bool, error) {
	if !j.registered.Load() {
		if _, err := r.db.ExecPrivate(ctx, `INSERT INTO jobs (name, next_run_at) VALUES ($1, $2)
			ON CONFLICT (name) DO NOTHING`, j.name, now); err != nil {
			return false, fmt.Errorf("jobs: register %s: %w", j.name, err)
		}
		j.registered.Store(true)
	}
	res, err := r.db.ExecPrivate(ctx, `UPDATE jobs SET next_run_at = $3, holder = $4, locked_until = $5, last_started_at = $2
		WHERE name = $1 AND next_run_at <= $2 AND (locked_until IS NULL OR locked_until < $2)`,
		j.name, now, now.Add(j.interval), r.holder, now.Add(r.Lease))
	if err != nil {
		return false, fmt.Errorf("jobs: claim %s: %w", j.name, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

func (r *Runner) finish(ctx context.Context, j *job, started time.Time, runErr error) error {
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	finished := r.now().UTC().Truncate(time.Second)
	if _, err := r.db.ExecPrivate(ctx, `UPDATE jobs SET locked_until = NULL, last_finished_at = $3, last_error = $4
		WHERE name = $1 AND holder = $2`, j.name, r.holder, finished, msg); err != nil {
		return fmt.Errorf("jobs: finish %s: %w", j.name, err)
	}
	if _, err := r.db.ExecPrivate(ctx, `INSERT INTO job_runs (name, holder, started_at, finished_at, error)
		VALUES ($1, $2, $3, $4, $5)`, j.name, r.holder, started, finished, msg); err != nil {
		return fmt.Errorf("jobs: record %s: %w", j.name, err)
	}
	return nil
}

// Count is how often this runner has run a job, and how many of those
// runs failed.
type Count struct {
	Name           string
	Runs, Failures uint64
}

// Counts returns the runs of each job on this runner, in the order the
// jobs were scheduled.
func (r *Runner) Counts() []Count {
	out := make([]Count, len(r.jobs))
	for i := range r.jobs {
		j := &r.jobs[i]
		out[i] = Count{Name: j.name, Runs: j.runs.Load(), Failures: j.failures.Load()}
	}
	return out
}
