package app

import (
	"bytes"
	"context"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/registrations"
)

// email is a queued message as a resident would read it.
type email struct {
	ID          int64
	Kind, To    string
	Subject     string
	Text        string
	Headers     netmail.Header
	Attachments map[string]string // file name: content
}

// parseEmail reads a raw message: its text and attachments decoded.
func parseEmail(t *testing.T, raw []byte) email {
	t.Helper()
	m, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("read message: %v", err)
	}
	e := email{Headers: m.Header, Attachments: map[string]string{}}
	e.Subject, _ = new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if to, err := m.Header.AddressList("To"); err == nil && len(to) == 1 {
		e.To = to[0].Address
	}
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	decode := func(enc string, r io.Reader) string {
		switch enc {
		case "quoted-printable":
			r = quotedprintable.NewReader(r)
		case "base64":
			r = base64.NewDecoder(base64.StdEncoding, r)
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return strings.ReplaceAll(string(b), "\r\n", "\n")
	}
	if !strings.HasPrefix(mt, "multipart/") {
		e.Text = decode(m.Header.Get("Content-Transfer-Encoding"), m.Body)
		return e
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body := decode(p.Header.Get("Content-Transfer-Encoding"), p)
		if p.FileName() != "" {
			e.Attachments[p.FileName()] = body
		} else {
			e.Text = body
		}
	}
	return e
}

// outbox returns the messages queued so far, oldest first.
func (s *testSite) outbox() []email {
	s.t.Helper()
	rows, err := s.db.QueryContext(context.Background(), `SELECT id, kind, message FROM mail_outbox ORDER BY id`)
	if err != nil {
		s.t.Fatal(err)
	}
	defer rows.Close()
	var out []email
	for rows.Next() {
		var id int64
		var kind string
		var raw []byte
		if err := rows.Scan(&id, &kind, &raw); err != nil {
			s.t.Fatal(err)
		}
		e := parseEmail(s.t, raw)
		e.ID, e.Kind = id, kind
		out = append(out, e)
	}
	return out
}

// mailTo returns the messages of kind to addr.
func (s *testSite) mailTo(addr, kind string) []email {
	var out []email
	for _, e := range s.outbox() {
		if e.To == addr && (kind == "" || e.Kind == kind) {
			out = append(out, e)
		}
	}
	return out
}

var linkIn = regexp.MustCompile(`https://joinedup\.example(/[^\s]+)`)

// link returns the path (with query) of the first link in text that
// contains part.
func link(t *testing.T, text, part string) string {
	t.Helper()
	for _, m := range linkIn.FindAllStringSubmatch(text, -1) {
		if strings.Contains(m[1], part) {
			return m[1]
		}
	}
	t.Fatalf("no link with %q in:\n%s", part, text)
	return ""
}

// registrationEvent adds a published Southwark event starting in 48 hours
// that takes registrations with the given capacity.
func (s *testSite) registrationEvent(slug string, capacity int, waitingList bool) events.Event {
	s.t.Helper()
	start := time.Now().Add(48 * time.Hour).Truncate(time.Hour)
	e := s.addEvent(events.Event{Slug: slug, Title: "Health walk " + slug, Summary: "A walk.", StartsAt: start,
		EndsAt: start.Add(2 * time.Hour), Venue: "Burgess Park", Organiser: "Partnership Southwark"}, "southwark")
	st := registrations.DefaultSettings(e.ID)
	st.Enabled, st.Capacity, st.WaitingList = true, capacity, waitingList
	if err := s.db.Tx(context.Background(), func(q db.Querier) error {
		return registrations.NewStore(q).SaveSettings(context.Background(), st)
	}); err != nil {
		s.t.Fatal(err)
	}
	return e
}

// registrationForm is a complete, valid registration.
func registrationForm(name, addr string, extra ...string) url.Values {
	f := url.Values{"name": {name}, "email": {addr}, "privacy": {"yes"}}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return f
}

// statuses returns each address's registration status at the event.
func (s *testSite) statuses(eventID int64) map[string]registrations.Status {
	s.t.Helper()
	list, err := registrations.NewStore(s.db).ForEvent(context.Background(), eventID)
	if err != nil {
		s.t.Fatal(err)
	}
	out := map[string]registrations.Status{}
	for _, r := range list {
		if _, dup := out[r.Email]; dup && r.Email != "" {
			s.t.Errorf("%s is registered twice", r.Email)
		}
		out[r.Email] = r.Status
	}
	return out
}

// queryForm turns the query of a link into a form, to post what the
// link's page would.
func queryForm(t *testing.T, link string) url.Values {
	t.Helper()
	_, q, _ := strings.Cut(link, "?")
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Subscriptions returns the board subscriptions of the site's database.
func (s *testSite) Subscriptions() *registrations.Subscriptions {
	return registrations.NewService(s.db, outbox(s.cfg), s.cfg.BaseURL, s.cfg.Outbox(), nil).Subscriptions()
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
