package oruk

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
)

// Bounds on what an import fetches, so a slow or endless feed cannot hang
// or exhaust the importer.
const (
	fetchTimeout   = 30 * time.Second
	maxBodyBytes   = 64 << 20
	maxFeedPages   = 100000
	importPageSize = 100
	// importBatch is how many accepted services are placed, compared with
	// the directory and staged at once.
	importBatch = 500
	// maxRejectedListed is how many rejected records a summary keeps one
	// by one; the rest are counted.
	maxRejectedListed = 1000
)

// ImportOptions says where an import lists the services of a feed, and
// how it reads the feed.
type ImportOptions struct {
	// Places lists each service in the place whose area holds its
	// postcode.
	Places []directory.PlaceArea
	// FallbackPlaceID, when not 0, lists there the services whose
	// postcodes lie in no place's area (or that have none).
	FallbackPlaceID int64

	// Concurrency is how many pages are fetched at once (default 4).
	Concurrency int
	// Attempts is how many times a request is tried before the import
	// gives up (default 5); Backoff the wait after the first failure,
	// doubling each time (default 500ms); Timeout bounds each request
	// (default 30s).
	Attempts int
	Backoff  time.Duration
	Timeout  time.Duration
	// ProgressEvery is the time between progress lines when progress is
	// not a terminal (default 5s).
	ProgressEvery time.Duration
}

func (o ImportOptions) concurrency() int { return positive(o.Concurrency, 4) }
func (o ImportOptions) attempts() int    { return positive(o.Attempts, 5) }
func (o ImportOptions) backoff() time.Duration {
	return time.Duration(positive(int(o.Backoff), int(500*time.Millisecond)))
}
func (o ImportOptions) timeout() time.Duration {
	return time.Duration(positive(int(o.Timeout), int(fetchTimeout)))
}
func (o ImportOptions) progressEvery() time.Duration {
	return time.Duration(positive(int(o.ProgressEvery), int(5*time.Second)))
}

func positive(v, def int) int {
	if v > 0 {
		return v
	}
	return def
}

// ImportFeed imports another publisher's Open Referral UK 3.0 feed into the
// directory. source is the feed's address (its base, such as
// https://host/api/oruk, or its /services endpoint) or a local JSON file
// holding one page of /services or an array of services.
//
// It streams: pages are fetched a few at a time (each request tried again
// with back-off after a timeout or a 5xx), every record is checked against
// the UK profile's rules, and the accepted ones are placed (see
// directory.PlaceServices) and compared with the directory a batch at a
// time. Only services whose content differs from the directory's are
// staged, so memory stays bounded whatever the feed's length, and a
// second import of an unchanged feed writes nothing to the directory.
// Once the whole feed is read, the staged changes are applied in one
// transaction through the directory's own save functions: a feed that
// fails part-way, or an import stopped through ctx, changes nothing that
// residents see, and the site serves from the directory as it was until
// that transaction commits. Rejected records are reported with their
// number in the feed (Line) and the reason.
func ImportFeed(ctx context.Context, d *db.DB, source string, opts ImportOptions, progress io.Writer) (directory.ImportSummary, error) {
	sum, err := importFeed(ctx, d, source, opts, newReporter(progress, opts.progressEvery()))
	if err != nil {
		return directory.ImportSummary{}, fmt.Errorf("oruk: import %s: %w", source, err)
	}
	return sum, nil
}

func importFeed(ctx context.Context, d *db.DB, source string, opts ImportOptions, rep *reporter) (directory.ImportSummary, error) {
	var f feed
	var err error
	if strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://") {
		f, err = newHTTPFeed(source, opts)
	} else {
		f, err = newFileFeed(source)
	}
	if err != nil {
		return directory.ImportSummary{}, err
	}
	st, err := newStage(ctx, d, source)
	if err != nil {
		return directory.ImportSummary{}, err
	}
	// The staged rows go whatever happens, even when ctx is cancelled.
	defer st.clear(context.WithoutCancel(ctx))

	var sum directory.ImportSummary
	im := newImporter(f.host())
	var batch []directory.Service
	var orgs []directory.Organization
	flush := func() error {
		unchanged, err := st.add(ctx, batch, orgs, opts)
		sum.Unchanged += unchanged
		batch, orgs = batch[:0], orgs[:0]
		return err
	}
	n := 0
	err = f.each(ctx, rep, func(raw json.RawMessage) error {
		n++
		svc, org, err := im.add(n, raw)
		if err != nil {
			if len(sum.Rejected) < maxRejectedListed {
				sum.Rejected = append(sum.Rejected, directory.RowError{Line: n, Reason: err.Error()})
			} else {
				sum.RejectedNotListed++
			}
			return nil
		}
		batch = append(batch, svc)
		if org != nil {
			orgs = append(orgs, *org)
		}
		if len(batch) >= importBatch {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
	}
	if err != nil {
		return directory.ImportSummary{}, err
	}
	rejected := len(sum.Rejected) + sum.RejectedNotListed
	rep.println("page %d of %d read: %d services in %s, %d unchanged, %d to save, %d rejected",
		rep.pages, max(rep.total, rep.pages), n, formatDuration(rep.elapsed()), sum.Unchanged, st.services, rejected)

	changedOrgs, err := st.keepChangedOrganizations(ctx)
	if err != nil {
		return directory.ImportSummary{}, err
	}
	taxonomies, err := changedTaxonomies(ctx, d, im.taxonomies)
	if err != nil {
		return directory.ImportSummary{}, err
	}
	if st.services == 0 && changedOrgs == 0 && len(taxonomies) == 0 {
		rep.println("nothing to change")
		return sum, nil
	}
	saved := directory.ImportSummary{}
	err = d.Tx(ctx, func(q db.Querier) error {
		// Counted afresh each time: on PostgreSQL a transaction may run again.
		saved = directory.ImportSummary{}
		return st.apply(ctx, q, taxonomies, &saved, rep)
	})
	if err != nil {
		return directory.ImportSummary{}, err
	}
	sum.Added, sum.Updated, sum.Conflicts = saved.Added, saved.Updated, saved.Conflicts
	sum.Unchanged += saved.Unchanged
	rep.println("saved in %s: %d added, %d updated, %d unchanged, %d rejected",
		formatDuration(rep.elapsed()), sum.Added, sum.Updated, sum.Unchanged, rejected)
	return sum, nil
}

// changedTaxonomies returns the taxonomies of the feed whose saving would
// change the directory, with their terms ready to save: a parent the feed
// never described is dropped.
func changedTaxonomies(ctx context.Context, d *db.DB, all map[string]*importTaxonomy) ([]*importTaxonomy, error) {
	known := map[string]bool{}
	for _, t := range all {
		for _, term := range t.terms {
			known[term.ID] = true
		}
	}
	st := directory.NewStore(d)
	var out []*importTaxonomy
	for _, t := range all {
		for i, term := range t.terms {
			if !known[term.ParentID] {
				t.terms[i].ParentID = ""
			}
		}
		changed, err := st.TaxonomyChanged(ctx, t.taxonomy, t.terms)
		if err != nil {
			return nil, err
		}
		if changed {
			out = append(out, t)
		}
	}
	return out, nil
}

// saveTaxonomies saves terms first without their parents, then with them,
// so that a parent is always there when a child points at it.
func saveTaxonomies(ctx context.Context, st *directory.Store, taxonomies []*importTaxonomy) error {
	for _, t := range taxonomies {
		flat := make([]directory.TaxonomyTerm, len(t.terms))
		for i, term := range t.terms {
			flat[i] = term
			flat[i].ParentID = ""
		}
		if err := st.SaveTaxonomy(ctx, t.taxonomy, flat); err != nil {
			return err
		}
	}
	for _, t := range taxonomies {
		if err := st.SaveTaxonomy(ctx, t.taxonomy, t.terms); err != nil {
			return err
		}
	}
	return nil
}
