package oruk

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
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
	maxFeedPages   = 10000
	importPageSize = 100
)

// ImportOptions says where an import lists the services of a feed.
type ImportOptions struct {
	// Places lists each service in the place whose area holds its
	// postcode.
	Places []directory.PlaceArea
	// FallbackPlaceID, when not 0, lists there the services whose
	// postcodes lie in no place's area (or that have none).
	FallbackPlaceID int64
}

// ImportFeed imports another publisher's Open Referral UK 3.0 feed into the
// directory. source is the feed's address (its base, such as
// https://host/api/oruk, or its /services endpoint) or a local JSON file
// holding one page of /services or an array of services. It pages through
// every page, fetches each service whole when the list does not nest it,
// checks every record against the UK profile's rules and saves the good
// ones in one transaction: all or nothing. Each service is listed in the
// place of opts.Places whose area holds its location's postcode (see
// directory.PlaceServices). Rejected records are reported with their number in the feed
// (Line) and the reason. Importing the same feed again changes nothing.
func ImportFeed(ctx context.Context, d *db.DB, source string, opts ImportOptions, progress io.Writer) (directory.ImportSummary, error) {
	if progress == nil {
		progress = io.Discard
	}
	var f feed
	var err error
	if strings.HasPrefix(source, "http://") || strings.HasPrefix(source, "https://") {
		f, err = newHTTPFeed(source)
	} else {
		f, err = newFileFeed(source)
	}
	if err != nil {
		return directory.ImportSummary{}, fmt.Errorf("oruk: import %s: %w", source, err)
	}
	var sum directory.ImportSummary
	im := newImporter(f.host())
	n := 0
	err = f.each(ctx, progress, func(raw json.RawMessage) error {
		n++
		if err := im.add(n, raw); err != nil {
			sum.Rejected = append(sum.Rejected, directory.RowError{Line: n, Reason: err.Error()})
		}
		return nil
	})
	if err != nil {
		return directory.ImportSummary{}, fmt.Errorf("oruk: import %s: %w", source, err)
	}
	fmt.Fprintf(progress, "read %d services: %d to save, %d rejected\n", n, len(im.services), len(sum.Rejected))
	err = d.Tx(ctx, func(q db.Querier) error {
		// Counted afresh each time: on PostgreSQL a transaction may run again.
		sum.Added, sum.Updated, sum.Unchanged, sum.Conflicts = 0, 0, 0, nil
		st := directory.NewStore(q)
		// Terms first without their parents, then with them, so that a
		// parent is always there when a child points at it; a parent the
		// feed never described is dropped.
		known := map[string]bool{}
		for _, t := range im.taxonomies {
			for _, term := range t.terms {
				known[term.ID] = true
			}
		}
		for _, t := range im.taxonomies {
			flat := make([]directory.TaxonomyTerm, len(t.terms))
			for i, term := range t.terms {
				flat[i] = term
				flat[i].ParentID = ""
				if !known[term.ParentID] {
					t.terms[i].ParentID = ""
				}
			}
			if err := st.SaveTaxonomy(ctx, t.taxonomy, flat); err != nil {
				return err
			}
		}
		for _, t := range im.taxonomies {
			if err := st.SaveTaxonomy(ctx, t.taxonomy, t.terms); err != nil {
				return err
			}
		}
		if err := directory.PlaceServices(ctx, q, im.services, opts.Places, opts.FallbackPlaceID); err != nil {
			return err
		}
		// Editors' corrections are kept over what the feed says.
		for _, id := range im.orgOrder {
			org := im.orgs[id]
			conflicts, err := st.KeepOrganizationCorrections(ctx, &org)
			if err != nil {
				return err
			}
			sum.Conflicts = append(sum.Conflicts, conflicts...)
			if err := st.SaveOrganization(ctx, org); err != nil {
				return err
			}
		}
		for _, svc := range im.services {
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
		return nil
	})
	if err != nil {
		return directory.ImportSummary{}, fmt.Errorf("oruk: import %s: %w", source, err)
	}
	fmt.Fprintf(progress, "saved: %d added, %d updated, %d unchanged, %d rejected\n",
		sum.Added, sum.Updated, sum.Unchanged, len(sum.Rejected))
	return sum, nil
}

// feed is where services come from: a publisher's API or a file.
type feed interface {
	host() string
	// each calls fn with every service in the feed, whole, in order.
	each(ctx context.Context, progress io.Writer, fn func(json.RawMessage) error) error
}

// fileFeed is a JSON file: one page of /services, an array of services or
// a single service.
type fileFeed struct {
	path  string
	items []json.RawMessage
}

func newFileFeed(path string) (*fileFeed, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	b = bytes.TrimSpace(b)
	f := &fileFeed{path: path}
	switch {
	case len(b) > 0 && b[0] == '[':
		err = json.Unmarshal(b, &f.items)
	case len(b) > 0 && b[0] == '{':
		var page struct {
			Contents *[]json.RawMessage `json:"contents"`
		}
		if err = json.Unmarshal(b, &page); err == nil {
			if page.Contents != nil {
				f.items = *page.Contents
			} else {
				f.items = []json.RawMessage{b}
			}
		}
	default:
		err = errors.New("not a JSON object or array")
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return f, nil
}

func (f *fileFeed) host() string { return "file" }

func (f *fileFeed) each(ctx context.Context, progress io.Writer, fn func(json.RawMessage) error) error {
	fmt.Fprintf(progress, "%s: %d services\n", f.path, len(f.items))
	for _, it := range f.items {
		if err := fn(it); err != nil {
			return err
		}
	}
	return nil
}

// httpFeed is a publisher's ORUK API.
type httpFeed struct {
	base   *url.URL // the API's base, without a trailing slash
	client *http.Client
}

func newHTTPFeed(source string) (*httpFeed, error) {
	u, err := url.Parse(source)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not a web address", source)
	}
	u.RawQuery, u.Fragment = "", ""
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/services")
	host := u.Host
	client := &http.Client{
		Timeout: fetchTimeout,
		// Follow redirects only within the publisher's own host.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Host != host || len(via) >= 5 {
				return fmt.Errorf("refusing to follow a redirect to %s", req.URL.Redacted())
			}
			return nil
		},
	}
	return &httpFeed{base: u, client: client}, nil
}

func (f *httpFeed) host() string { return f.base.Host }

// get fetches a path under the base and returns its body.
func (f *httpFeed) get(ctx context.Context, path string, query url.Values) ([]byte, error) {
	u := *f.base
	u.Path += path
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	res, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", u.Redacted(), err)
	}
	if len(body) > maxBodyBytes {
		return nil, fmt.Errorf("GET %s: the response is larger than %d MB", u.Redacted(), maxBodyBytes>>20)
	}
	if res.StatusCode != http.StatusOK {
		return body, &statusError{url: u.Redacted(), status: res.StatusCode}
	}
	return body, nil
}

type statusError struct {
	url    string
	status int
}

func (e *statusError) Error() string { return fmt.Sprintf("GET %s: status %d", e.url, e.status) }

func (f *httpFeed) each(ctx context.Context, progress io.Writer, fn func(json.RawMessage) error) error {
	for page := 1; page <= maxFeedPages; page++ {
		body, err := f.get(ctx, "/services", url.Values{"page": {strconv.Itoa(page)}, "per_page": {strconv.Itoa(importPageSize)}})
		if err != nil {
			return err
		}
		var p struct {
			TotalPages int               `json:"total_pages"`
			LastPage   *bool             `json:"last_page"`
			Contents   []json.RawMessage `json:"contents"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			return fmt.Errorf("page %d of /services is not a page of services: %w", page, err)
		}
		fmt.Fprintf(progress, "page %d of %d: %d services\n", page, p.TotalPages, len(p.Contents))
		for _, item := range p.Contents {
			full, err := f.whole(ctx, item)
			if err != nil {
				return err
			}
			if err := fn(full); err != nil {
				return err
			}
		}
		last := len(p.Contents) == 0 || (p.LastPage != nil && *p.LastPage) || (p.LastPage == nil && page >= p.TotalPages)
		if last {
			return nil
		}
	}
	return fmt.Errorf("the feed has more than %d pages", maxFeedPages)
}

// whole returns a service from a list fully nested, fetching it from
// /services/{id} when the list gives only its own fields. A service the
// feed cannot give is passed on as listed, to be judged and reported.
func (f *httpFeed) whole(ctx context.Context, item json.RawMessage) (json.RawMessage, error) {
	var head struct {
		ID                 string           `json:"id"`
		ServiceAtLocations *json.RawMessage `json:"service_at_locations"`
	}
	if err := json.Unmarshal(item, &head); err != nil || head.ServiceAtLocations != nil || head.ID == "" {
		return item, nil
	}
	body, err := f.get(ctx, "/services/"+url.PathEscape(head.ID), nil)
	var se *statusError
	if errors.As(err, &se) {
		return item, nil
	}
	if err != nil {
		return nil, err
	}
	return body, nil
}
