package mail_test

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
	"github.com/joinedup/joinedup/internal/mail"
)

func openDB(t testing.TB) *db.DB {
	t.Helper()
	d := dbtest.Open(t)
	return d
}

var box = mail.Outbox{From: netmail.Address{Name: "South East London", Address: "no-reply@joinedup.example"}, Domain: "joinedup.example"}

func TestEnqueueAndDeliverToFiles(t *testing.T) {
	ctx := context.Background()
	d := openDB(t)
	var id int64
	err := d.Tx(ctx, func(q db.Querier) error {
		var err error
		id, err = box.Enqueue(ctx, q, mail.Message{
			Kind: "test", To: "Ada Résident <ada@example.org>", Subject: "Your question — reference Q-123",
			Text:        "Thank you.\nWe received your question.",
			Headers:     map[string]string{"List-Unsubscribe": "<https://joinedup.example/u/abc>"},
			Attachments: []mail.Attachment{{Name: "meeting.ics", ContentType: "text/calendar; charset=utf-8", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}},
		})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	sent, err := mail.Deliver(ctx, d, mail.FileSender{Dir: dir}, "no-reply@joinedup.example", time.Now().UTC(), 10)
	if err != nil || sent != 1 {
		t.Fatalf("Deliver = %d, %v; want 1 sent", sent, err)
	}
	f, err := os.Open(filepath.Join(dir, "1.eml"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	m, err := netmail.ReadMessage(f)
	if err != nil {
		t.Fatal(err)
	}
	subject, _ := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if subject != "Your question — reference Q-123" {
		t.Errorf("subject = %q", subject)
	}
	if to, _ := m.Header.AddressList("To"); len(to) != 1 || to[0].Address != "ada@example.org" || to[0].Name != "Ada Résident" {
		t.Errorf("To = %v", to)
	}
	if m.Header.Get("List-Unsubscribe") == "" || !strings.HasSuffix(m.Header.Get("Message-ID"), "@joinedup.example>") {
		t.Errorf("headers = %v", m.Header)
	}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	var parts []string
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		var r io.Reader = p
		if p.Header.Get("Content-Transfer-Encoding") == "base64" {
			r = base64.NewDecoder(base64.StdEncoding, p)
		}
		body, _ := io.ReadAll(r)
		parts = append(parts, p.FileName()+"|"+string(body))
	}
	if len(parts) != 2 || !strings.Contains(parts[0], "We received your question.") || !strings.HasPrefix(parts[1], "meeting.ics|BEGIN:VCALENDAR") {
		t.Errorf("parts = %q", parts)
	}
	// Sent messages are not sent again.
	if sent, err := mail.Deliver(ctx, d, mail.FileSender{Dir: dir}, "x@y.z", time.Now().UTC(), 10); err != nil || sent != 0 {
		t.Errorf("second Deliver = %d, %v; want nothing to send", sent, err)
	}
	_ = id
}

type failing struct{ calls int }

func (f *failing) Send(context.Context, int64, string, string, []byte) error {
	f.calls++
	return errors.New("connection refused")
}

func TestDeliveryRetriesAndLosesNothing(t *testing.T) {
	ctx := context.Background()
	d := openDB(t)
	if err := d.Tx(ctx, func(q db.Querier) error {
		_, err := box.Enqueue(ctx, q, mail.Message{Kind: "test", To: "bo@example.org", Subject: "Hello", Text: "Hi"})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Second)
	down := &failing{}
	if sent, err := mail.Deliver(ctx, d, down, "x@y.z", now, 10); err != nil || sent != 0 || down.calls != 1 {
		t.Fatalf("Deliver during outage = %d, %v (calls %d)", sent, err, down.calls)
	}
	// Not retried before its back-off has passed.
	if _, err := mail.Deliver(ctx, d, down, "x@y.z", now.Add(30*time.Second), 10); err != nil || down.calls != 1 {
		t.Fatalf("retried too early: calls %d, %v", down.calls, err)
	}
	var lastErr string
	var attempts int
	if err := d.QueryRowContext(ctx, `SELECT attempts, last_error FROM mail_outbox`).Scan(&attempts, &lastErr); err != nil {
		t.Fatal(err)
	}
	if attempts != 1 || lastErr != "connection refused" {
		t.Errorf("attempts %d, last_error %q", attempts, lastErr)
	}
	dir := t.TempDir()
	if sent, err := mail.Deliver(ctx, d, mail.FileSender{Dir: dir}, "x@y.z", now.Add(mail.Backoff(1)), 10); err != nil || sent != 1 {
		t.Fatalf("Deliver after outage = %d, %v", sent, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "1.eml")); err != nil {
		t.Error(err)
	}
}

func TestEnqueueRefusesBadMessages(t *testing.T) {
	ctx := context.Background()
	d := openDB(t)
	for name, m := range map[string]mail.Message{
		"no address":         {To: "not an address", Subject: "x"},
		"header injection":   {To: "a@example.org", Subject: "x\r\nBcc: evil@example.org"},
		"bad header value":   {To: "a@example.org", Subject: "x", Headers: map[string]string{"X-Test": "a\nb"}},
		"attachment newline": {To: "a@example.org", Subject: "x", Attachments: []mail.Attachment{{Name: "a\r\n.ics", ContentType: "text/plain"}}},
	} {
		err := d.Tx(ctx, func(q db.Querier) error { _, err := box.Enqueue(ctx, q, m); return err })
		if !errors.Is(err, mail.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	var n int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox`).Scan(&n); err != nil || n != 0 {
		t.Errorf("outbox has %d messages (%v), want none", n, err)
	}
}

// A message without attachments carries its text.
func TestPlainMessageHasBody(t *testing.T) {
	ctx := context.Background()
	d := openDB(t)
	err := d.Tx(ctx, func(q db.Querier) error {
		_, err := box.Enqueue(ctx, q, mail.Message{Kind: "test", To: "ada@example.org", Subject: "Hello", Text: "The body of the message."})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	var raw []byte
	if err := d.QueryRowContext(ctx, `SELECT message FROM mail_outbox`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	msg, err := netmail.ReadMessage(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(msg.Body)
	if !strings.Contains(string(body), "The body of the message.") {
		t.Errorf("body %q, want the text", body)
	}
}
