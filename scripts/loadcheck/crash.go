package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

func crash(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("crash", flag.ContinueOnError)
	runs := fs.Int("runs", 20, "how many times to kill the server")
	writers := fs.Int("writers", 8, "residents writing at once")
	minKill := fs.Duration("min", 4*time.Second, "shortest time to let writes run before kill -9")
	maxKill := fs.Duration("max", 8*time.Second, "longest time to let writes run before kill -9")
	keep := fs.Bool("keep", false, "keep the temp dir (data dir, server log) afterwards")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *maxKill < *minKill {
		return errors.New("-max must not be below -min")
	}
	srv, s, done, err := setUp(ctx, "joinedup-crash-", "", *writers, *keep)
	if err != nil {
		return err
	}
	defer done()
	dataDir := srv.dataDir
	fmt.Printf("crash: %d runs of kill -9 after %s to %s of writes by %d residents, SQLite at %s\n\n",
		*runs, *minKill, *maxKill, *writers, srv.url())
	fmt.Printf("%4s %8s %8s %10s %8s %10s %s\n", "run", "acked", "total", "integrity", "missing", "restart", "healthy")

	var all []ack
	var problems []string
	for run := 1; run <= *runs && ctx.Err() == nil; run++ {
		acks, errs := writeUntilKilled(ctx, s, srv, *writers, *minKill+rand.N(*maxKill-*minKill+1))
		all = append(all, acks...)
		for _, e := range errs {
			problems = append(problems, fmt.Sprintf("run %d: %s", run, e))
		}
		d, err := openDB(ctx, dataDir, "")
		if err != nil {
			return fmt.Errorf("run %d: open the database after kill -9: %w", run, err)
		}
		check, err := integrity(ctx, d)
		if err != nil {
			d.Close()
			return fmt.Errorf("run %d: integrity check: %w", run, err)
		}
		missing, err := stored(ctx, d, s.eventID, all)
		d.Close()
		if err != nil {
			return fmt.Errorf("run %d: %w", run, err)
		}
		if check != "ok" {
			problems = append(problems, fmt.Sprintf("run %d: integrity_check: %s", run, check))
		}
		for _, m := range missing {
			problems = append(problems, fmt.Sprintf("run %d: lost: %s", run, m))
		}
		began := time.Now()
		healthy := "yes"
		if err := srv.start(); err != nil {
			return fmt.Errorf("run %d: restart: %w", run, err)
		}
		restart := time.Since(began)
		if res, err := s.do(ctx, http.MethodGet, "/events/"+s.eventSlug, nil); err != nil || res.status != http.StatusOK {
			healthy = fmt.Sprintf("no: event page status %d %v", res.status, err)
			problems = append(problems, fmt.Sprintf("run %d: after restart: %s", run, healthy))
		}
		fmt.Printf("%4d %8d %8d %10s %8d %10s %s\n", run, len(acks), len(all), check, len(missing), restart.Round(time.Millisecond), healthy)
	}
	if err := srv.stop(); err != nil {
		problems = append(problems, "graceful stop after the runs: "+err.Error())
	}
	fmt.Printf("\nacknowledged writes: %d over %d kills; problems: %d\n", len(all), *runs, len(problems))
	for i, p := range problems {
		if i == 30 {
			break
		}
		fmt.Println("  ", p)
	}
	if len(all) == 0 {
		problems = append(problems, "no write was acknowledged")
	}
	if len(problems) > 0 {
		return fmt.Errorf("crash: %d problems", len(problems))
	}
	fmt.Println("PASS: integrity ok after every kill, every acknowledged write present, every restart healthy")
	return nil
}

// writeUntilKilled has residents write for the given time, then kills the
// server with SIGKILL while they are at it. It returns the writes
// acknowledged before the kill, and the errors met before it (those
// after it are the kill's doing).
func writeUntilKilled(ctx context.Context, s *site, srv *server, writers int, after time.Duration) ([]ack, []string) {
	runCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var acks []ack
	var errs []string
	var killed atomic.Bool
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			kind := []string{"question", "registration"}[i%2]
			for runCtx.Err() == nil {
				w, res, err := s.openForm(runCtx, kind)
				if err == nil {
					select {
					case <-runCtx.Done():
						return
					case <-time.After(time.Until(w.due)):
					}
					var a ack
					a, res, err = s.send(runCtx, w)
					if err == nil {
						mu.Lock()
						acks = append(acks, a)
						mu.Unlock()
						continue
					}
				}
				if killed.Load() || runCtx.Err() != nil {
					return
				}
				mu.Lock()
				errs = append(errs, fmt.Sprintf("%v %.200s", err, strings.TrimSpace(res.body)))
				mu.Unlock()
				time.Sleep(100 * time.Millisecond)
			}
		})
	}
	select {
	case <-ctx.Done():
	case <-time.After(after):
	}
	killed.Store(true)
	srv.kill()
	cancel()
	wg.Wait()
	return acks, errs
}
