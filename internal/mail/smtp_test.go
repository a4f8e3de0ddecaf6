package mail_test

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/mail"
)

// received is one message as the test SMTP server got it.
type received struct {
	from, to string
	data     []byte
}

// smtpServer is a small SMTP server for tests: EHLO/HELO, MAIL, RCPT,
// DATA (with dot-unstuffing), RSET, NOOP and QUIT, no TLS, no auth.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	got  []received
	wg   sync.WaitGroup
	addr string
}

func startSMTP(t testing.TB, addr string) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, addr: ln.Addr().String()}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.serve(c)
			}()
		}
	}()
	t.Cleanup(s.stop)
	return s
}

func (s *smtpServer) stop() {
	s.ln.Close()
	s.wg.Wait()
}

func (s *smtpServer) messages() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.got...)
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(30 * time.Second))
	r := bufio.NewReader(c)
	reply := func(line string) { _, _ = c.Write([]byte(line + "\r\n")) }
	reply("220 test.invalid ESMTP ready")
	var cur received
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimRight(line, "\r\n")
		verb := strings.ToUpper(strings.SplitN(line, " ", 2)[0])
		switch {
		case verb == "EHLO":
			reply("250-test.invalid greets you")
			reply("250 8BITMIME")
		case verb == "HELO":
			reply("250 test.invalid")
		case strings.HasPrefix(strings.ToUpper(line), "MAIL FROM:"):
			cur = received{from: pathOf(line)}
			reply("250 OK")
		case strings.HasPrefix(strings.ToUpper(line), "RCPT TO:"):
			cur.to = pathOf(line)
			reply("250 OK")
		case verb == "DATA":
			reply("354 end with <CRLF>.<CRLF>")
			var data bytes.Buffer
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(strings.TrimPrefix(l, ".")) // undo dot-stuffing
			}
			cur.data = data.Bytes()
			s.mu.Lock()
			s.got = append(s.got, cur)
			s.mu.Unlock()
			reply("250 OK queued")
		case verb == "RSET", verb == "NOOP":
			reply("250 OK")
		case verb == "QUIT":
			reply("221 bye")
			return
		default:
			reply("502 not implemented")
		}
	}
}

// pathOf is the address in a MAIL or RCPT command, without its
// parameters: "MAIL FROM:<a@b> BODY=8BITMIME" is a@b.
func pathOf(line string) string {
	_, rest, _ := strings.Cut(line, "<")
	addr, _, _ := strings.Cut(rest, ">")
	return addr
}

// queue puts one message in the outbox and returns it as stored.
func queue(t *testing.T, d *db.DB, m mail.Message) []byte {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := d.Tx(ctx, func(q db.Querier) error {
		var err error
		id, err = box.Enqueue(ctx, q, m)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	var raw []byte
	if err := d.QueryRowContext(ctx, `SELECT message FROM mail_outbox WHERE id = $1`, id).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	return raw
}

func TestSMTPSenderDeliversIntact(t *testing.T) {
	srv := startSMTP(t, "127.0.0.1:0")
	d := openDB(t)
	raw := queue(t, d, mail.Message{Kind: "test", To: "Zoë <zoe@example.org>", Subject: "Papers — March",
		Text:        "Hello Zoë,\n.\n.A line that starts with a dot\nThe end.\n",
		Attachments: []mail.Attachment{{Name: "m.ics", ContentType: "text/calendar; charset=utf-8", Data: []byte("BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")}}})
	sender, err := mail.NewSender("smtp://"+srv.addr, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sent, err := mail.Deliver(context.Background(), d, sender, "no-reply@joinedup.example", time.Now().UTC(), 10)
	if err != nil || sent != 1 {
		t.Fatalf("Deliver = %d, %v", sent, err)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("server got %d messages", len(got))
	}
	if got[0].from != "no-reply@joinedup.example" || got[0].to != "zoe@example.org" {
		t.Errorf("envelope %q -> %q", got[0].from, got[0].to)
	}
	// net/smtp ends the data with CRLF; the message itself already does.
	if !bytes.Equal(bytes.TrimRight(got[0].data, "\r\n"), bytes.TrimRight(raw, "\r\n")) {
		t.Errorf("message changed on the way:\n--- sent\n%s\n--- received\n%s", raw, got[0].data)
	}
}

func TestSMTPOutageLosesNothing(t *testing.T) {
	// A port with nothing listening: take one, then free it.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	d := openDB(t)
	for _, to := range []string{"a@example.org", "b@example.org"} {
		queue(t, d, mail.Message{Kind: "test", To: to, Subject: "Hello", Text: "Hi " + to})
	}
	sender, err := mail.NewSender("smtp://"+addr, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	now := time.Now().UTC().Truncate(time.Second)
	if sent, err := mail.Deliver(ctx, d, sender, "x@joinedup.example", now, 10); err != nil || sent != 0 {
		t.Fatalf("Deliver while the server is down = %d, %v", sent, err)
	}
	var waiting int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND attempts = 1 AND last_error <> ''`).Scan(&waiting); err != nil || waiting != 2 {
		t.Fatalf("messages waiting after the outage: %d (%v), want 2", waiting, err)
	}
	srv := startSMTP(t, addr) // the server comes back on the same address
	if sent, err := mail.Deliver(ctx, d, sender, "x@joinedup.example", now.Add(mail.Backoff(1)), 10); err != nil || sent != 2 {
		t.Fatalf("Deliver after the outage = %d, %v", sent, err)
	}
	got := srv.messages()
	if len(got) != 2 || got[0].to != "a@example.org" || got[1].to != "b@example.org" || !bytes.Contains(got[1].data, []byte("Hi b@example.org")) {
		t.Errorf("server got %+v", got)
	}
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL`).Scan(&waiting); err != nil || waiting != 0 {
		t.Errorf("%d messages still waiting (%v)", waiting, err)
	}
}
