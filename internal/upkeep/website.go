package upkeep

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Checker checks services' websites politely: a short timeout, a user
// agent that says who is asking and why, redirects followed (at most
// maxRedirects), and at most one request to a host every HostInterval,
// however many services share the host and whichever redirects lead there.
type Checker struct {
	// UserAgent names the checker to the sites it visits.
	UserAgent string
	// Timeout bounds one check, redirects included.
	Timeout time.Duration
	// HostInterval is the least time between two requests to one host.
	HostInterval time.Duration
	// AllowPrivate lets the checker visit loopback and private addresses,
	// for tests; a site's checker refuses them, so a listing cannot make
	// it probe the site's own network.
	AllowPrivate bool
	// LoopbackOnly refuses every address but loopback ones, and every
	// host name but localhost, so that a test suite never reaches out.
	LoopbackOnly bool

	once   sync.Once
	client *http.Client
	hosts  *hostLimiter
}

// Default settings of a site's checker.
const (
	DefaultCheckTimeout = 10 * time.Second
	DefaultHostInterval = 5 * time.Second
	maxRedirects        = 10
)

func (c *Checker) init() {
	c.once.Do(func() {
		if c.Timeout <= 0 {
			c.Timeout = DefaultCheckTimeout
		}
		if c.HostInterval <= 0 {
			c.HostInterval = DefaultHostInterval
		}
		if c.UserAgent == "" {
			c.UserAgent = "joinedup-listing-checker/1.0"
		}
		c.hosts = &hostLimiter{every: c.HostInterval, next: map[string]time.Time{}}
		dialer := &net.Dialer{Timeout: c.Timeout, Control: c.control}
		tr := &http.Transport{DialContext: dialer.DialContext, TLSHandshakeTimeout: c.Timeout,
			ResponseHeaderTimeout: c.Timeout, MaxIdleConnsPerHost: 1, IdleConnTimeout: 30 * time.Second,
			TLSClientConfig: &tls.Config{MinVersion: tls.VersionTLS12}}
		// No client timeout: it would count the wait for a host's slot.
		// The transport's timeouts bound each request, and Website's
		// context the whole check.
		c.client = &http.Client{Transport: limited{next: tr, hosts: c.hosts},
			CheckRedirect: func(req *http.Request, via []*http.Request) error {
				if len(via) >= maxRedirects {
					return errTooManyRedirects
				}
				return nil
			}}
	})
}

var (
	errTooManyRedirects = errors.New("too many redirects")
	errPrivate          = errors.New("a private or loopback address")
	errOutside          = errors.New("not a loopback address (the checker is kept to loopback)")
)

// control refuses connections to addresses inside the site's own network.
func (c *Checker) control(_, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip := net.ParseIP(host)
	if c.LoopbackOnly {
		if ip == nil || !ip.IsLoopback() {
			return errOutside
		}
		return nil
	}
	if c.AllowPrivate {
		return nil
	}
	if ip == nil || ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsUnspecified() || ip.IsMulticast() {
		return errPrivate
	}
	return nil
}

// hostLimiter spaces requests to each host by every.
type hostLimiter struct {
	mu    sync.Mutex
	every time.Duration
	next  map[string]time.Time
}

// wait blocks until a request to host may go, and books its slot.
func (l *hostLimiter) wait(ctx context.Context, host string) error {
	l.mu.Lock()
	now := time.Now()
	at := l.next[host]
	if at.Before(now) {
		at = now
	}
	l.next[host] = at.Add(l.every)
	l.mu.Unlock()
	if d := time.Until(at); d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
	}
	return nil
}

// limited is a transport that waits for each request's host slot, so
// redirects are spaced too.
type limited struct {
	next  http.RoundTripper
	hosts *hostLimiter
}

func (t limited) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := t.hosts.wait(req.Context(), strings.ToLower(req.URL.Hostname())); err != nil {
		return nil, err
	}
	return t.next.RoundTrip(req)
}

// Website checks the site at raw and says whether it answered, and if not
// why. A page that answers (after redirects) with a status below 400 is
// fine.
func (c *Checker) Website(ctx context.Context, raw string) (bool, string) {
	c.init()
	target := strings.TrimSpace(raw)
	if !strings.Contains(target, "://") {
		target = "http://" + target
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return false, "It is not a web address"
	}
	if h := u.Hostname(); c.LoopbackOnly && h != "localhost" && net.ParseIP(h) == nil {
		return false, "Not checked: the checker is kept to loopback"
	}
	// The host slot is waited for before the timeout starts.
	ctx, cancel := context.WithTimeout(ctx, c.Timeout+c.HostInterval*maxRedirects)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return false, "It is not a web address"
	}
	req.Header.Set("User-Agent", c.UserAgent)
	req.Header.Set("Accept", "text/html,*/*;q=0.5")
	res, err := c.client.Do(req)
	if err != nil {
		return false, websiteError(err, c.Timeout)
	}
	defer res.Body.Close()
	_, _ = io.CopyN(io.Discard, res.Body, 64<<10)
	if res.StatusCode >= 400 {
		return false, fmt.Sprintf("It answered %d %s", res.StatusCode, http.StatusText(res.StatusCode))
	}
	if res.Request != nil && res.Request.URL.String() != u.String() {
		return true, "Answers at " + res.Request.URL.String()
	}
	return true, ""
}

// websiteError says in words why a site could not be reached.
func websiteError(err error, timeout time.Duration) string {
	var dnsErr *net.DNSError
	var netErr net.Error
	switch {
	case errors.Is(err, errTooManyRedirects):
		return fmt.Sprintf("It redirected more than %d times", maxRedirects)
	case errors.Is(err, errPrivate):
		return "Its address is inside a private network"
	case errors.Is(err, errOutside):
		return "Not checked: the checker is kept to loopback"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return "Its domain does not exist"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "It did not answer within " + strconv.FormatFloat(timeout.Seconds(), 'f', -1, 64) + " seconds"
	case errors.Is(err, syscall.ECONNREFUSED):
		return "It refused the connection"
	case strings.Contains(err.Error(), "tls:"), strings.Contains(err.Error(), "x509:"):
		return "Its secure connection failed"
	}
	return "It could not be reached"
}
