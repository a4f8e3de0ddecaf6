package oruk

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
)

// staleAfter is how long the staged rows of an import that stopped
// reporting are kept before another import clears them.
const staleAfter = time.Hour

// stage holds what one import will change, in the oruk_import_* tables,
// until it is applied. Every write to it is private (db.TxPrivate): no
// page shows staged rows, so staging leaves the page cache alone.
type stage struct {
	d        *db.DB
	run      string
	seq      int64
	services int // staged so far
}

func newStage(ctx context.Context, d *db.DB, source string) (*stage, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	s := &stage{d: d, run: hex.EncodeToString(b)}
	now := db.Now()
	err := d.TxPrivate(ctx, func(q db.Querier) error {
		stale := now.Add(-staleAfter)
		for _, table := range []string{"oruk_import_services", "oruk_import_organizations"} {
			if _, err := q.ExecContext(ctx, `DELETE FROM `+table+
				` WHERE run_id IN (SELECT id FROM oruk_import_runs WHERE seen_at < $1)`, stale); err != nil {
				return err
			}
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM oruk_import_runs WHERE seen_at < $1`, stale); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `INSERT INTO oruk_import_runs (id, source, started_at, seen_at) VALUES ($1, $2, $3, $3)`,
			s.run, source, now)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("start staging: %w", err)
	}
	return s, nil
}

// clear removes what the import staged.
func (s *stage) clear(ctx context.Context) error {
	return s.d.TxPrivate(ctx, func(q db.Querier) error {
		for _, table := range []string{"oruk_import_services", "oruk_import_organizations"} {
			if _, err := q.ExecContext(ctx, `DELETE FROM `+table+` WHERE run_id = $1`, s.run); err != nil {
				return err
			}
		}
		_, err := q.ExecContext(ctx, `DELETE FROM oruk_import_runs WHERE id = $1`, s.run)
		return err
	})
}

// add places a batch of accepted services, compares each with the
// directory and stages those that differ, with the organisations given.
// It returns how many services are as stored.
func (s *stage) add(ctx context.Context, batch []directory.Service, orgs []directory.Organization, opts ImportOptions) (int, error) {
	if len(batch) == 0 && len(orgs) == 0 {
		return 0, nil
	}
	if err := directory.PlaceServices(ctx, s.d, batch, opts.Places, opts.FallbackPlaceID); err != nil {
		return 0, err
	}
	ids := make([]string, len(batch))
	for i, svc := range batch {
		ids[i] = svc.ID
	}
	stored, err := directory.NewStore(s.d).ServiceHashes(ctx, ids)
	if err != nil {
		return 0, err
	}
	type row struct {
		seq  int64
		id   string
		body []byte
	}
	var rows []row
	unchanged := 0
	for _, svc := range batch {
		if h, ok := stored[svc.ID]; ok && h == directory.ServiceHash(svc) {
			unchanged++
			continue
		}
		body, err := json.Marshal(svc)
		if err != nil {
			return 0, err
		}
		s.seq++
		rows = append(rows, row{s.seq, svc.ID, body})
	}
	orgRows := make([]row, len(orgs))
	for i, o := range orgs {
		body, err := json.Marshal(o)
		if err != nil {
			return 0, err
		}
		s.seq++
		orgRows[i] = row{s.seq, o.ID, body}
	}
	err = s.d.TxPrivate(ctx, func(q db.Querier) error {
		for _, r := range rows {
			if _, err := q.ExecContext(ctx, `INSERT INTO oruk_import_services (run_id, seq, service_id, body) VALUES ($1, $2, $3, $4)`,
				s.run, r.seq, r.id, string(r.body)); err != nil {
				return err
			}
		}
		for _, r := range orgRows {
			if _, err := q.ExecContext(ctx, `INSERT INTO oruk_import_organizations (run_id, id, seq, body) VALUES ($1, $2, $3, $4)
				ON CONFLICT (run_id, id) DO UPDATE SET seq = excluded.seq, body = excluded.body`,
				s.run, r.id, r.seq, string(r.body)); err != nil {
				return err
			}
		}
		_, err := q.ExecContext(ctx, `UPDATE oruk_import_runs SET seen_at = $2 WHERE id = $1`, s.run, db.Now())
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("stage services: %w", err)
	}
	s.services += len(rows)
	return unchanged, nil
}

// stagedBatch is how many staged rows are read at a time.
const stagedBatch = 500

// eachStaged calls fn with the staged rows of table after the one keyed
// after, in key order, a batch at a time; the rows are read before fn
// runs, so fn may write on q.
func (s *stage) eachStaged(ctx context.Context, q db.Querier, table, key string, fn func(keys []string, bodies [][]byte) error) error {
	after := ""
	if key == "seq" {
		after = "0"
	}
	for {
		cond := key + ` > $2`
		var arg any = after
		if key == "seq" {
			var n int64
			fmt.Sscan(after, &n)
			arg = n
		}
		rows, err := q.QueryContext(ctx, `SELECT `+key+`, body FROM `+table+` WHERE run_id = $1 AND `+cond+
			` ORDER BY `+key+` LIMIT `+fmt.Sprint(stagedBatch), s.run, arg)
		if err != nil {
			return err
		}
		var keys []string
		var bodies [][]byte
		for rows.Next() {
			var k string
			var body []byte
			if err := rows.Scan(&k, &body); err != nil {
				rows.Close()
				return err
			}
			keys, bodies = append(keys, k), append(bodies, body)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if len(keys) == 0 {
			return nil
		}
		if err := fn(keys, bodies); err != nil {
			return err
		}
		after = keys[len(keys)-1]
	}
}

// keepChangedOrganizations drops from the stage the organisations the
// directory already holds as the feed describes them, and returns how
// many are left to save.
func (s *stage) keepChangedOrganizations(ctx context.Context) (int, error) {
	changed := 0
	var same []string
	err := s.eachStaged(ctx, s.d, "oruk_import_organizations", "id", func(ids []string, bodies [][]byte) error {
		stored, err := directory.NewStore(s.d).OrganizationsByID(ctx, ids)
		if err != nil {
			return err
		}
		for _, body := range bodies {
			var o directory.Organization
			if err := json.Unmarshal(body, &o); err != nil {
				return err
			}
			if old, ok := stored[o.ID]; ok && directory.SameOrganization(old, o) {
				same = append(same, o.ID)
			} else {
				changed++
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("compare organizations: %w", err)
	}
	for start := 0; start < len(same); start += stagedBatch {
		part := same[start:min(start+stagedBatch, len(same))]
		args := []any{s.run}
		marks := make([]string, len(part))
		for i, id := range part {
			args = append(args, id)
			marks[i] = fmt.Sprintf("$%d", i+2)
		}
		if err := s.d.TxPrivate(ctx, func(q db.Querier) error {
			_, err := q.ExecContext(ctx, `DELETE FROM oruk_import_organizations WHERE run_id = $1 AND id IN (`+
				strings.Join(marks, ", ")+`)`, args...)
			return err
		}); err != nil {
			return 0, fmt.Errorf("compare organizations: %w", err)
		}
	}
	return changed, nil
}

// apply saves what is staged to the directory on q, a transaction:
// taxonomies, then organisations, then services, each through the
// directory's own save functions (which keep its search up to date).
func (s *stage) apply(ctx context.Context, q db.Querier, taxonomies []*importTaxonomy, sum *directory.ImportSummary, rep *reporter) error {
	st := directory.NewStore(q)
	if err := saveTaxonomies(ctx, st, taxonomies); err != nil {
		return err
	}
	err := s.eachStaged(ctx, q, "oruk_import_organizations", "id", func(_ []string, bodies [][]byte) error {
		for _, body := range bodies {
			var o directory.Organization
			if err := json.Unmarshal(body, &o); err != nil {
				return err
			}
			// Editors' corrections are kept over what the feed says.
			conflicts, err := st.KeepOrganizationCorrections(ctx, &o)
			if err != nil {
				return err
			}
			sum.Conflicts = append(sum.Conflicts, conflicts...)
			if err := st.SaveOrganization(ctx, o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	done := 0
	return s.eachStaged(ctx, q, "oruk_import_services", "seq", func(_ []string, bodies [][]byte) error {
		for _, body := range bodies {
			var svc directory.Service
			if err := json.Unmarshal(body, &svc); err != nil {
				return err
			}
			conflicts, err := st.KeepServiceCorrections(ctx, &svc, nil)
			if err != nil {
				return err
			}
			sum.Conflicts = append(sum.Conflicts, conflicts...)
			res, err := st.SaveService(ctx, svc)
			if err != nil {
				return err
			}
			switch res {
			case directory.Added:
				sum.Added++
			case directory.Updated:
				sum.Updated++
			default:
				sum.Unchanged++
			}
		}
		done += len(bodies)
		rep.saved(done, s.services)
		return nil
	})
}
