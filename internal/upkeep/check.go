package upkeep

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
)

// The kinds of automatic check.
const (
	CheckWebsite = "website"
	CheckEmail   = "email"
	CheckPhone   = "phone"
)

// Defaults of the checks job.
const (
	// CheckEvery is how long a service's checks last before they are due
	// again: each record is checked at most once a week.
	CheckEvery = 7 * 24 * time.Hour
	// FlagAfter is how many failures in a row flag a website: one failure
	// may be a site's bad hour. An email address or phone number that
	// fails is wrong each time, so it is flagged at once.
	FlagAfter = 3
	// checkWorkers check that many services at once (each host still gets
	// one request at a time, spaced by the checker).
	checkWorkers = 4
)

// CheckResult is the latest result of one check of one service.
type CheckResult struct {
	ServiceID   string
	ServiceName string
	Kind        string
	Target      string
	OK          bool
	Detail      string
	// Failures counts the failures in a row; Flagged is set once they
	// are enough to need an editor.
	Failures  int
	Flagged   bool
	CheckedAt time.Time
}

// KindLabel names the check's kind for pages.
func (c CheckResult) KindLabel() string {
	switch c.Kind {
	case CheckWebsite:
		return "Website"
	case CheckEmail:
		return "Email address"
	case CheckPhone:
		return "Phone number"
	}
	return c.Kind
}

// CheckRun is what one run of the checks job did.
type CheckRun struct {
	Services, Checks, Failed int
}

// targets lists what to check of a service: its website, each email
// address and each phone number, without repeats.
func targets(svc directory.Service) map[string][]string {
	out := map[string][]string{}
	seen := map[string]bool{}
	add := func(kind, v string) {
		v = strings.TrimSpace(v)
		if v == "" || seen[kind+"|"+v] {
			return
		}
		seen[kind+"|"+v] = true
		out[kind] = append(out[kind], v)
	}
	add(CheckWebsite, svc.URL)
	add(CheckEmail, svc.Email)
	for _, c := range svc.Contacts {
		add(CheckEmail, c.Email)
		for _, p := range c.Phones {
			add(CheckPhone, p.Number)
		}
	}
	for _, p := range svc.Phones {
		add(CheckPhone, p.Number)
	}
	for _, sl := range svc.Locations {
		for _, p := range sl.Location.Phones {
			add(CheckPhone, p.Number)
		}
	}
	return out
}

// dueServices returns, oldest check first (never checked before all),
// at most limit active services whose checks are older than CheckEvery.
func (s *Service) dueServices(ctx context.Context, now time.Time, limit int) ([]string, error) {
	ids, err := s.dir.ActiveServiceIDs(ctx)
	if err != nil {
		return nil, err
	}
	last := map[string]time.Time{}
	rows, err := s.db.QueryContext(ctx, `SELECT service_id, checked_at FROM listing_check_runs`)
	if err != nil {
		return nil, fmt.Errorf("upkeep: checks due: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		last[id] = at
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	cutoff := now.Add(-CheckEvery)
	var due []string
	for _, id := range ids {
		if at, ok := last[id]; !ok || !at.After(cutoff) {
			due = append(due, id)
		}
	}
	sort.SliceStable(due, func(i, j int) bool { return last[due[i]].Before(last[due[j]]) })
	if len(due) > limit {
		due = due[:limit]
	}
	return due, nil
}

// RunChecks checks, at now, up to limit services whose checks are due,
// and records each result: the websites through c, the email addresses
// and phone numbers by their rules. It stops early, keeping what it has
// recorded, when ctx ends.
func (s *Service) RunChecks(ctx context.Context, c *Checker, now time.Time, limit int) (CheckRun, error) {
	now = now.UTC().Truncate(time.Second)
	due, err := s.dueServices(ctx, now, limit)
	if err != nil {
		return CheckRun{}, err
	}
	var run CheckRun
	var mu sync.Mutex
	var firstErr error
	work := make(chan directory.Service)
	var wg sync.WaitGroup
	for range checkWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for svc := range work {
				results := s.checkService(ctx, c, svc, now)
				if ctx.Err() != nil {
					continue // cut off: record nothing half done
				}
				err := s.record(ctx, svc.ID, now, results)
				mu.Lock()
				if err != nil && firstErr == nil {
					firstErr = err
				}
				if err == nil {
					run.Services++
					run.Checks += len(results)
					for _, r := range results {
						if !r.OK {
							run.Failed++
						}
					}
				}
				mu.Unlock()
			}
		}()
	}
	const batch = 50
feed:
	for start := 0; start < len(due); start += batch {
		svcs, err := s.dir.Services(ctx, due[start:min(start+batch, len(due))])
		if err != nil {
			mu.Lock()
			if firstErr == nil {
				firstErr = err
			}
			mu.Unlock()
			break
		}
		for _, svc := range svcs {
			select {
			case work <- svc:
			case <-ctx.Done():
				break feed
			}
		}
	}
	close(work)
	wg.Wait()
	if firstErr != nil {
		return run, firstErr
	}
	return run, ctx.Err()
}

func (s *Service) checkService(ctx context.Context, c *Checker, svc directory.Service, now time.Time) []CheckResult {
	var out []CheckResult
	ts := targets(svc)
	for _, kind := range []string{CheckWebsite, CheckEmail, CheckPhone} {
		for _, t := range ts[kind] {
			r := CheckResult{ServiceID: svc.ID, Kind: kind, Target: t, CheckedAt: now}
			switch kind {
			case CheckWebsite:
				r.OK, r.Detail = c.Website(ctx, t)
			case CheckEmail:
				r.OK, r.Detail = checkEmail(t)
			case CheckPhone:
				r.OK, r.Detail = checkPhone(t)
			}
			out = append(out, r)
		}
	}
	return out
}

// record saves a service's results: failures in a row count up, a pass
// resets them, and the results of targets the service no longer has go.
func (s *Service) record(ctx context.Context, serviceID string, now time.Time, results []CheckResult) error {
	// Results are for editors only: the page cache stays.
	err := s.db.TxPrivate(ctx, func(q db.Querier) error {
		old := map[string]int{}
		rows, err := q.QueryContext(ctx, `SELECT kind, target, failures FROM listing_checks WHERE service_id = $1`, serviceID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var kind, target string
			var n int
			if err := rows.Scan(&kind, &target, &n); err != nil {
				rows.Close()
				return err
			}
			old[kind+"|"+target] = n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM listing_checks WHERE service_id = $1`, serviceID); err != nil {
			return err
		}
		for _, r := range results {
			failures := 0
			if !r.OK {
				failures = old[r.Kind+"|"+r.Target] + 1
			}
			flagged := failures >= FlagAfter || (failures > 0 && r.Kind != CheckWebsite)
			if _, err := q.ExecContext(ctx, `INSERT INTO listing_checks (service_id, kind, target, ok, detail, failures, flagged, checked_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, serviceID, r.Kind, r.Target, r.OK, r.Detail, failures, flagged, now); err != nil {
				return err
			}
		}
		_, err = q.ExecContext(ctx, `INSERT INTO listing_check_runs (service_id, checked_at) VALUES ($1, $2)
			ON CONFLICT (service_id) DO UPDATE SET checked_at = excluded.checked_at`, serviceID, now)
		return err
	})
	if err != nil {
		return fmt.Errorf("upkeep: record checks of %s: %w", serviceID, err)
	}
	return nil
}

const checkColumns = `service_id, kind, target, ok, detail, failures, flagged, checked_at`

func scanCheck(r db.Scanner) (CheckResult, error) {
	var c CheckResult
	err := r.Scan(&c.ServiceID, &c.Kind, &c.Target, &c.OK, &c.Detail, &c.Failures, &c.Flagged, &c.CheckedAt)
	c.CheckedAt = c.CheckedAt.UTC()
	return c, err
}

// ServiceChecks returns the latest results of a service's checks, and
// when it was last checked (zero when never).
func (s *Service) ServiceChecks(ctx context.Context, serviceID string) ([]CheckResult, time.Time, error) {
	list, err := db.QueryAll(ctx, s.db, scanCheck, `SELECT `+checkColumns+` FROM listing_checks WHERE service_id = $1
		ORDER BY kind DESC, target`, serviceID)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("upkeep: checks of %s: %w", serviceID, err)
	}
	var at time.Time
	err = s.db.QueryRowContext(ctx, `SELECT checked_at FROM listing_check_runs WHERE service_id = $1`, serviceID).Scan(&at)
	if err != nil && err != sql.ErrNoRows {
		return nil, time.Time{}, fmt.Errorf("upkeep: checks of %s: %w", serviceID, err)
	}
	return list, at.UTC(), nil
}

// Problems returns every failing check, flagged ones first, with the
// services' names.
func (s *Service) Problems(ctx context.Context) ([]CheckResult, error) {
	list, err := db.QueryAll(ctx, s.db, scanCheck, `SELECT `+checkColumns+` FROM listing_checks WHERE ok = FALSE
		ORDER BY flagged DESC, failures DESC, service_id, kind, target`)
	if err != nil {
		return nil, fmt.Errorf("upkeep: problems: %w", err)
	}
	ids := make([]string, len(list))
	for i, c := range list {
		ids[i] = c.ServiceID
	}
	names, err := s.dir.ServiceNames(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range list {
		list[i].ServiceName = names[list[i].ServiceID]
	}
	return list, nil
}

// CountFailing counts the services with a flagged check.
func (s *Service) CountFailing(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT COUNT(DISTINCT service_id) FROM listing_checks WHERE flagged = TRUE`).Scan(&n); err != nil {
		return 0, fmt.Errorf("upkeep: count failing: %w", err)
	}
	return n, nil
}
