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
)

// feed is where services come from: a publisher's API or a file.
type feed interface {
	host() string
	// each calls fn with every service in the feed, whole, in feed order,
	// and tells rep of each page read.
	each(ctx context.Context, rep *reporter, fn func(json.RawMessage) error) error
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

func (f *fileFeed) each(ctx context.Context, rep *reporter, fn func(json.RawMessage) error) error {
	for _, it := range f.items {
		if err := fn(it); err != nil {
			return err
		}
	}
	rep.page(1, 1, len(f.items))
	return nil
}

// httpFeed is a publisher's ORUK API, read a few pages at a time.
type httpFeed struct {
	base   *url.URL // the API's base, without a trailing slash
	client *http.Client
	// concurrency is how many pages are fetched at once; attempts how many
	// times a request is tried before the import gives up; backoff the
	// wait after the first failed try, doubling after each.
	concurrency int
	attempts    int
	backoff     time.Duration
}

func newHTTPFeed(source string, opts ImportOptions) (*httpFeed, error) {
	u, err := url.Parse(source)
	if err != nil || u.Host == "" {
		return nil, fmt.Errorf("%q is not a web address", source)
	}
	u.RawQuery, u.Fragment = "", ""
	u.Path = strings.TrimSuffix(strings.TrimSuffix(u.Path, "/"), "/services")
	host := u.Host
	client := &http.Client{
		Timeout: opts.timeout(),
		// Follow redirects only within the publisher's own host.
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if req.URL.Host != host || len(via) >= 5 {
				return fmt.Errorf("refusing to follow a redirect to %s", req.URL.Redacted())
			}
			return nil
		},
	}
	return &httpFeed{base: u, client: client, concurrency: opts.concurrency(), attempts: opts.attempts(),
		backoff: opts.backoff()}, nil
}

func (f *httpFeed) host() string { return f.base.Host }

func (f *httpFeed) url(path string, query url.Values) *url.URL {
	u := *f.base
	u.Path += path
	u.RawQuery = query.Encode()
	return &u
}

// get fetches a path under the base once and returns its body.
func (f *httpFeed) get(ctx context.Context, u *url.URL) ([]byte, error) {
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
		return nil, &tooLargeError{url: u.Redacted()}
	}
	if res.StatusCode != http.StatusOK {
		return body, &statusError{url: u.Redacted(), status: res.StatusCode}
	}
	return body, nil
}

// getRetried is get, tried again with back-off after a timeout, a broken
// connection, a 5xx or a 429; other failures are final at once.
func (f *httpFeed) getRetried(ctx context.Context, u *url.URL) ([]byte, error) {
	wait := f.backoff
	for try := 1; ; try++ {
		body, err := f.get(ctx, u)
		if err == nil || !retryable(err) || ctx.Err() != nil {
			return body, err
		}
		if try >= f.attempts {
			return body, fmt.Errorf("%w (gave up after %d tries)", err, try)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		case <-t.C:
		}
		wait *= 2
	}
}

// retryable reports whether a failed request may succeed if tried again.
func retryable(err error) bool {
	var se *statusError
	if errors.As(err, &se) {
		return se.status >= 500 || se.status == http.StatusTooManyRequests
	}
	var tl *tooLargeError
	return !errors.As(err, &tl) && !errors.Is(err, context.Canceled)
}

type statusError struct {
	url    string
	status int
}

func (e *statusError) Error() string { return fmt.Sprintf("GET %s: status %d", e.url, e.status) }

type tooLargeError struct{ url string }

func (e *tooLargeError) Error() string {
	return fmt.Sprintf("GET %s: the response is larger than %d MB", e.url, maxBodyBytes>>20)
}

// feedPage is one page of /services, with every service whole.
type feedPage struct {
	number int
	total  int // total_pages as the feed says; 0 if it does not
	last   bool
	items  []json.RawMessage
	err    error
}

// fetchPage reads page n of /services and completes its services.
func (f *httpFeed) fetchPage(ctx context.Context, n int) feedPage {
	p := feedPage{number: n}
	u := f.url("/services", url.Values{"page": {strconv.Itoa(n)}, "per_page": {strconv.Itoa(importPageSize)}})
	fail := func(err error) feedPage {
		p.err = fmt.Errorf("page %d of %s: %w", n, f.url("/services", nil).Redacted(), err)
		return p
	}
	body, err := f.getRetried(ctx, u)
	if err != nil {
		return fail(err)
	}
	var head struct {
		TotalPages int               `json:"total_pages"`
		LastPage   *bool             `json:"last_page"`
		Contents   []json.RawMessage `json:"contents"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return fail(fmt.Errorf("not a page of services: %w", err))
	}
	p.total = head.TotalPages
	p.last = len(head.Contents) == 0 || (head.LastPage != nil && *head.LastPage) ||
		(head.LastPage == nil && n >= head.TotalPages)
	p.items = head.Contents
	for i, item := range p.items {
		full, err := f.whole(ctx, item)
		if err != nil {
			return fail(err)
		}
		p.items[i] = full
	}
	return p
}

// each reads the pages in order, up to f.concurrency of them at once, and
// hands on their services in feed order. At most that many pages are held
// in memory, however long the feed.
func (f *httpFeed) each(ctx context.Context, rep *reporter, fn func(json.RawMessage) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // stops the fetches still running when a page fails
	deliver := func(p feedPage) error {
		if p.err != nil {
			return p.err
		}
		for _, item := range p.items {
			if err := fn(item); err != nil {
				return err
			}
		}
		rep.page(p.number, p.total, len(p.items))
		return nil
	}
	first := f.fetchPage(ctx, 1)
	if err := deliver(first); err != nil || first.last {
		return err
	}
	// With total_pages known, fetch no further; without it, fetch ahead
	// until a page says it is the last.
	limit := first.total
	if limit <= 0 || limit > maxFeedPages {
		limit = maxFeedPages
	}
	var queue []chan feedPage
	next := 2
	fill := func() {
		for len(queue) < f.concurrency && next <= limit {
			ch := make(chan feedPage, 1)
			go func(n int) { ch <- f.fetchPage(ctx, n) }(next)
			queue = append(queue, ch)
			next++
		}
	}
	defer func() {
		cancel()
		for _, ch := range queue {
			<-ch // no fetch outlives the import
		}
	}()
	for fill(); len(queue) > 0; fill() {
		p := <-queue[0]
		queue = queue[1:]
		if err := deliver(p); err != nil || p.last {
			return err
		}
	}
	if first.total > 0 && first.total <= maxFeedPages {
		return nil
	}
	return fmt.Errorf("the feed has more than %d pages", maxFeedPages)
}

// whole returns a service from a list fully nested, fetching it from
// /services/{id} when the list gives only its own fields. A service the
// feed answers with a 4xx for is passed on as listed, to be judged and
// reported.
func (f *httpFeed) whole(ctx context.Context, item json.RawMessage) (json.RawMessage, error) {
	var head struct {
		ID                 string           `json:"id"`
		ServiceAtLocations *json.RawMessage `json:"service_at_locations"`
	}
	if err := json.Unmarshal(item, &head); err != nil || head.ServiceAtLocations != nil || head.ID == "" {
		return item, nil
	}
	body, err := f.getRetried(ctx, f.url("/services/"+url.PathEscape(head.ID), nil))
	var se *statusError
	if errors.As(err, &se) && !retryable(err) {
		return item, nil
	}
	if err != nil {
		return nil, fmt.Errorf("service %s: %w", head.ID, err)
	}
	return body, nil
}
