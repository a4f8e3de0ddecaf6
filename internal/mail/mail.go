// Package mail queues and delivers email. A change that causes a message
// queues it with Enqueue in the change's own transaction, so the message
// exists exactly when the change does; the delivery job (Deliver) sends what
// is due through a Sender and retries failures with back-off, so a mail
// outage delays messages but loses none.
package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"sort"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string // file name shown to the reader
	ContentType string // for example "text/calendar; method=REQUEST"
	Data        []byte
}

// Message is an email to queue. From, Date and Message-ID are filled in
// when it is queued.
type Message struct {
	// Kind names the flow that sent it ("question-received",
	// "registration-confirmed"), for the outbox's records and tests.
	Kind    string
	To      string // one address, "Name <addr>" or "addr"
	Subject string
	Text    string // the plain-text body
	// Headers are extra headers, such as List-Unsubscribe.
	Headers     map[string]string
	Attachments []Attachment
	// Ref names the record of personal data the message is about, such as
	// "registration:12": erasing the record deletes the message (Forget).
	Ref string
	// Keep, when set, is how long after it is queued the message is
	// deleted, sent or not; otherwise it goes with its Ref's record, or
	// RetentionMonths after it was queued when it has none.
	Keep time.Duration
	// DeleteWhenSent has the retention run delete the message once sent.
	DeleteWhenSent bool
}

// ErrInvalid is returned for a message that cannot be sent as given.
var ErrInvalid = errors.New("mail: invalid message")

// Outbox queues messages from one sender address.
type Outbox struct {
	From mail.Address
	// Domain is the right-hand side of Message-IDs.
	Domain string
	// Dir is where the offline sender writes each message as <id>.eml
	// (DATA_DIR/outbox); deleting a message removes its file too.
	Dir string
}

// Enqueue composes m and queues it in q, which should be the transaction
// of the change that causes it. It returns the outbox id.
func (o Outbox) Enqueue(ctx context.Context, q db.Querier, m Message) (int64, error) {
	to, err := mail.ParseAddress(m.To)
	if err != nil {
		return 0, fmt.Errorf("%w: recipient %q: %v", ErrInvalid, m.To, err)
	}
	now := db.Now()
	raw, err := o.compose(m, to, now)
	if err != nil {
		return 0, err
	}
	var id int64
	var expires any
	if m.Keep > 0 {
		expires = now.Add(m.Keep)
	}
	err = q.QueryRowContext(ctx, `INSERT INTO mail_outbox (kind, to_addr, subject, message, created_at, next_attempt_at,
		ref, expires_at, delete_when_sent) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		m.Kind, to.Address, m.Subject, raw, now, now, m.Ref, expires, m.DeleteWhenSent).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("mail: queue %s: %w", m.Kind, err)
	}
	return id, nil
}

// compose writes m as an RFC 5322 message: plain text, quoted-printable,
// and multipart/mixed when it has attachments.
func (o Outbox) compose(m Message, to *mail.Address, now time.Time) ([]byte, error) {
	if strings.ContainsAny(m.Subject, "\r\n") {
		return nil, fmt.Errorf("%w: subject has a line break", ErrInvalid)
	}
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", o.From.String())
	header("To", to.String())
	header("Subject", mime.QEncoding.Encode("utf-8", m.Subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+randomID()+"@"+o.Domain+">")
	header("MIME-Version", "1.0")
	header("Auto-Submitted", "auto-generated")
	keys := make([]string, 0, len(m.Headers))
	for k := range m.Headers {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m.Headers[k]
		if strings.ContainsAny(k+v, "\r\n") || textproto.CanonicalMIMEHeaderKey(k) != k {
			return nil, fmt.Errorf("%w: header %q", ErrInvalid, k)
		}
		header(k, v)
	}
	if len(m.Attachments) == 0 {
		header("Content-Type", "text/plain; charset=utf-8")
		header("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		// The body is written before b.Bytes() is taken: returning both
		// in one statement would return the headers alone.
		if err := writeQP(&b, m.Text); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	mw := multipart.NewWriter(&b)
	header("Content-Type", "multipart/mixed; boundary="+mw.Boundary())
	b.WriteString("\r\n")
	part, err := mw.CreatePart(textproto.MIMEHeader{
		"Content-Type":              {"text/plain; charset=utf-8"},
		"Content-Transfer-Encoding": {"quoted-printable"},
	})
	if err != nil {
		return nil, err
	}
	if err := writeQP(part, m.Text); err != nil {
		return nil, err
	}
	for _, a := range m.Attachments {
		if strings.ContainsAny(a.Name+a.ContentType, "\r\n\"") || a.ContentType == "" {
			return nil, fmt.Errorf("%w: attachment %q", ErrInvalid, a.Name)
		}
		part, err := mw.CreatePart(textproto.MIMEHeader{
			"Content-Type":              {a.ContentType},
			"Content-Transfer-Encoding": {"base64"},
			"Content-Disposition":       {mime.FormatMediaType("attachment", map[string]string{"filename": a.Name})},
		})
		if err != nil {
			return nil, err
		}
		if err := writeBase64(part, a.Data); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeQP(w interface{ Write([]byte) (int, error) }, text string) error {
	qp := quotedprintable.NewWriter(w)
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
	if _, err := qp.Write([]byte(text)); err != nil {
		return err
	}
	return qp.Close()
}

// writeBase64 writes data in lines of 76 characters, as MIME requires.
func writeBase64(w interface{ Write([]byte) (int, error) }, data []byte) error {
	enc := base64.StdEncoding.EncodeToString(data)
	for len(enc) > 0 {
		n := min(76, len(enc))
		if _, err := fmt.Fprintf(w, "%s\r\n", enc[:n]); err != nil {
			return err
		}
		enc = enc[n:]
	}
	return nil
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
