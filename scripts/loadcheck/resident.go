package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/net/html"
)

// minFill is how long a resident takes over the question form: longer
// than the form's own minimum (3 s), which refuses faster robots.
const minFill = 3200 * time.Millisecond

// site is what the load needs to know about the site under test.
type site struct {
	base        string
	client      *http.Client
	meetingSlug string // its question form is /events/{slug}/questions
	eventSlug   string // takes registrations
	eventID     int64
	reads       []string
	seq         atomic.Int64 // numbers residents: each has their own email and address
	run         string       // tells this run's residents from another's
}

func newClient(conns int) *http.Client {
	tr := &http.Transport{MaxIdleConns: conns * 2, MaxIdleConnsPerHost: conns * 2, MaxConnsPerHost: 0,
		IdleConnTimeout: time.Minute, ResponseHeaderTimeout: 60 * time.Second}
	return &http.Client{Transport: tr, Timeout: 90 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// response is what a request got.
type response struct {
	status   int
	location string
	body     string
	took     time.Duration
}

func (s *site) do(ctx context.Context, method, path string, form url.Values, header ...string) (response, error) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, s.base+path, body)
	if err != nil {
		return response{}, err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	start := time.Now()
	res, err := s.client.Do(req)
	if err != nil {
		return response{took: time.Since(start)}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	took := time.Since(start)
	if err != nil {
		return response{took: took}, err
	}
	return response{status: res.StatusCode, location: res.Header.Get("Location"), body: string(b), took: took}, nil
}

// formValues reads the form whose action ends in action as a browser
// would send it untouched: hidden and text fields with their values,
// checked boxes and radios, each select's chosen option, textareas.
func formValues(page, action string) (url.Values, error) {
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		return nil, err
	}
	attr := func(n *html.Node, k string) (string, bool) {
		for _, a := range n.Attr {
			if a.Key == k {
				return a.Val, true
			}
		}
		return "", false
	}
	var form *html.Node
	var find func(*html.Node)
	find = func(n *html.Node) {
		if form != nil {
			return
		}
		if n.Type == html.ElementNode && n.Data == "form" {
			if a, _ := attr(n, "action"); strings.HasSuffix(a, action) {
				form = n
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			find(c)
		}
	}
	find(doc)
	if form == nil {
		return nil, fmt.Errorf("no form posting to %s on the page", action)
	}
	v := url.Values{}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			name, named := attr(n, "name")
			switch n.Data {
			case "input":
				typ, _ := attr(n, "type")
				val, _ := attr(n, "value")
				_, checked := attr(n, "checked")
				switch typ {
				case "checkbox", "radio":
					if checked && named {
						v.Add(name, val)
					}
				case "submit", "button", "file":
				default:
					if named {
						v.Add(name, val)
					}
				}
			case "textarea":
				if named {
					var b strings.Builder
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						b.WriteString(c.Data)
					}
					v.Add(name, strings.TrimPrefix(b.String(), "\n"))
				}
			case "select":
				if named {
					first, chosen := "", ""
					have := false
					for c := n.FirstChild; c != nil; c = c.NextSibling {
						if c.Type != html.ElementNode || c.Data != "option" {
							continue
						}
						val, _ := attr(c, "value")
						if !have {
							first, have = val, true
						}
						if _, sel := attr(c, "selected"); sel {
							chosen = val
						}
					}
					if chosen == "" {
						chosen = first
					}
					if have {
						v.Add(name, chosen)
					}
				}
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(form)
	return v, nil
}

// write is one resident's write: the form as fetched, to send when due.
type write struct {
	kind   string // "question" or "registration"
	email  string
	client string // the address the resident writes from
	path   string
	form   url.Values
	due    time.Time
}

// ack is an acknowledged write: the site answered 303 to its confirmation.
type ack struct {
	kind, email, ref string
}

// resident returns the next resident's email and address.
func (s *site) resident() (email, client string) {
	n := s.seq.Add(1)
	return fmt.Sprintf("resident-%s-%d@example.org", s.run, n),
		fmt.Sprintf("10.%d.%d.%d", (n>>16)&0xff, (n>>8)&0xff, n&0xff)
}

// openForm fetches a form as a resident and fills it in; the write is due
// once the resident has taken the time a person would.
func (s *site) openForm(ctx context.Context, kind string) (write, response, error) {
	email, client := s.resident()
	w := write{kind: kind, email: email, client: client}
	var formPath string
	switch kind {
	case "question":
		formPath, w.path = "/events/"+s.meetingSlug+"/questions", "/events/"+s.meetingSlug+"/questions"
	default:
		formPath, w.path = "/events/"+s.eventSlug+"/register", "/events/"+s.eventSlug+"/register"
	}
	res, err := s.do(ctx, http.MethodGet, formPath, nil, "X-Forwarded-For", client)
	if err != nil {
		return w, res, err
	}
	if res.status != http.StatusOK {
		return w, res, fmt.Errorf("GET %s: status %d", formPath, res.status)
	}
	f, err := formValues(res.body, w.path)
	if err != nil {
		return w, res, err
	}
	f.Set("name", "Resident "+email[:strings.IndexByte(email, '@')])
	f.Set("email", email)
	f.Set("privacy", "yes")
	if kind == "question" {
		f.Set("question", "When will the new clinic open, and how will residents hear about it?")
		f.Set("publish", "name")
		w.due = time.Now().Add(minFill)
	} else {
		w.due = time.Now()
	}
	w.form = f
	return w, res, nil
}

var sentRef = regexp.MustCompile(`[?&]ref=([^&]+)`)

// send posts the write; it is acknowledged by a 303 to its confirmation.
func (s *site) send(ctx context.Context, w write) (ack, response, error) {
	res, err := s.do(ctx, http.MethodPost, w.path, w.form, "X-Forwarded-For", w.client)
	if err != nil {
		return ack{}, res, err
	}
	if res.status != http.StatusSeeOther {
		return ack{}, res, fmt.Errorf("POST %s: status %d", w.path, res.status)
	}
	a := ack{kind: w.kind, email: w.email}
	switch w.kind {
	case "question":
		m := sentRef.FindStringSubmatch(res.location)
		if m == nil {
			return ack{}, res, fmt.Errorf("POST %s: redirected to %q, not a confirmation", w.path, res.location)
		}
		a.ref, _ = url.QueryUnescape(m[1])
	default:
		if !strings.HasPrefix(res.location, "/events/"+s.eventSlug+"/register/done") {
			return ack{}, res, fmt.Errorf("POST %s: redirected to %q, not a confirmation", w.path, res.location)
		}
	}
	return a, res, nil
}

var (
	adminEventRow = regexp.MustCompile(`<a href="/admin/events/(\d+)">[^<]*</a></td>\s*<td[^>]*>([^<]*)</td>\s*<td[^>]*><time datetime="([^"]+)"`)
	sampleMeeting = regexp.MustCompile(`href="/events/(partnership-southwark-strategic-board-[a-z0-9-]+)"`)
)

// prepare signs in as the administrator, opens registration on an event
// to come, finds the meeting that takes questions and checks the pages
// the load reads.
func (s *site) prepare(ctx context.Context, email, password string) error {
	cookie := ""
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, s.base+"/admin/login",
		strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := s.client.Do(req)
	if err != nil {
		return err
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		return fmt.Errorf("admin sign-in: status %d", res.StatusCode)
	}
	for _, c := range res.Cookies() {
		if c.Value != "" {
			cookie = c.Name + "=" + c.Value
		}
	}
	if cookie == "" {
		return errors.New("admin sign-in set no session cookie")
	}
	admin := func(method, path string, form url.Values) (response, error) {
		return s.do(ctx, method, path, form, "Cookie", cookie)
	}
	list, err := admin(http.MethodGet, "/admin/events", nil)
	if err != nil || list.status != http.StatusOK {
		return fmt.Errorf("admin events list: status %d, %v", list.status, err)
	}
	now := time.Now()
	for _, m := range adminEventRow.FindAllStringSubmatch(list.body, -1) {
		starts, err := time.Parse(time.RFC3339, m[3])
		if err != nil || starts.Before(now.Add(24*time.Hour)) || strings.Contains(m[2], "repeats") {
			continue
		}
		ev, err := admin(http.MethodGet, "/admin/events/"+m[1], nil)
		if err != nil || ev.status != http.StatusOK {
			continue
		}
		f, err := formValues(ev.body, "/admin/events/"+m[1])
		if err != nil || f.Get("slug") == "" {
			continue
		}
		reg, err := admin(http.MethodGet, "/admin/events/"+m[1]+"/registration", nil)
		if err != nil || reg.status != http.StatusOK {
			continue
		}
		rf, err := formValues(reg.body, "/admin/events/"+m[1]+"/registration")
		if err != nil {
			return err
		}
		rf["settings"] = []string{"enabled", "waiting_list"}
		rf.Set("capacity", "100000")
		rf.Set("reminder_hours", "0")
		saved, err := admin(http.MethodPost, "/admin/events/"+m[1]+"/registration", rf)
		if err != nil || saved.status != http.StatusSeeOther {
			return fmt.Errorf("open registration on event %s: status %d, %v", m[1], saved.status, err)
		}
		fmt.Sscan(m[1], &s.eventID)
		s.eventSlug = f.Get("slug")
		break
	}
	if s.eventSlug == "" {
		return errors.New("no event to come found to open registration on")
	}
	events, err := s.do(ctx, http.MethodGet, "/events", nil)
	if err != nil {
		return err
	}
	m := sampleMeeting.FindStringSubmatch(events.body)
	if m == nil {
		return errors.New("no board meeting to come on /events")
	}
	s.meetingSlug = m[1]
	for _, kind := range []string{"question", "registration"} {
		if _, res, err := s.openForm(ctx, kind); err != nil {
			return fmt.Errorf("%s form: %v\n%.2000s", kind, err, res.body)
		}
	}
	candidates := []string{"/", "/news", "/events", "/in-your-area/", "/in-your-area/southwark",
		"/events/" + s.meetingSlug, "/events/" + s.eventSlug, "/directory?q=pharmacy",
		"/directory?q=pharmacy&postcode=SE1+2QH", "/search?q=health", "/api/oruk/services?per_page=20",
		"/privacy", "/feeds/news.xml"}
	for _, p := range candidates {
		res, err := s.do(ctx, http.MethodGet, p, nil)
		if err == nil && res.status == http.StatusOK {
			s.reads = append(s.reads, p)
		}
	}
	if len(s.reads) == 0 {
		return errors.New("no page to read answers 200")
	}
	return nil
}
