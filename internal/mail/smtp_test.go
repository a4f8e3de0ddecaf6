package mail_test

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"slices"
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
// DATA (with dot-unstuffing), RSET, NOOP and QUIT, no TLS, no auth. With
// offerTLS it offers STARTTLS, and hangs up when a client takes it up.
type smtpServer struct {
	ln       net.Listener
	mu       sync.Mutex
	got      []received
	verbs    []string // every command received, in order
	wg       sync.WaitGroup
	addr     string
	offerTLS bool
}

func startSMTP(t testing.TB, addr string) *smtpServer {
	t.Helper()
	return startSMTPServer(t, addr, false)
}

func startSMTPServer(t testing.TB, addr string, offerTLS bool) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, addr: ln.Addr().String(), offerTLS: offerTLS}
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

func (s *smtpServer) commands() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.verbs...)
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
		s.mu.Lock()
		s.verbs = append(s.verbs, verb)
		s.mu.Unlock()
		switch {
		case verb == "EHLO":
			reply("250-test.invalid greets you")
			if s.offerTLS {
				reply("250-STARTTLS")
			}
			reply("250 8BITMIME")
		case verb == "STARTTLS" && s.offerTLS:
			reply("220 ready to start TLS")
			return // no certificate here: the client's handshake fails
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

// The SMTP URL decides how much the sender insists on TLS: smtp:// takes up
// STARTTLS whenever the server offers it (and then sends nothing in plain
// text), ?tls=required refuses a server that does not offer it, and
// smtps:// speaks TLS from the first byte.
func TestSMTPSenderTLS(t *testing.T) {
	for _, tt := range []struct {
		name     string
		scheme   string
		query    string
		offerTLS bool
		sent     bool   // the plain-text server got the message
		err      string // what the failed send says, when it fails
		commands []string
	}{
		{"plain server, plain allowed", "smtp", "", false, true, "", []string{"EHLO", "MAIL", "RCPT", "DATA", "QUIT"}},
		{"plain server, TLS required", "smtp", "?tls=required", false, false, "does not offer STARTTLS", []string{"EHLO"}},
		{"server offering STARTTLS", "smtp", "", true, false, "", []string{"EHLO", "STARTTLS"}},
		{"TLS from the start", "smtps", "", false, false, "", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := startSMTPServer(t, "127.0.0.1:0", tt.offerTLS)
			d := openDB(t)
			queue(t, d, mail.Message{Kind: "test", To: "zoe@example.org", Subject: "Papers", Text: "Hello"})
			sender, err := mail.NewSender(tt.scheme+"://"+srv.addr+tt.query, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			sent, err := mail.Deliver(ctx, d, sender, "no-reply@joinedup.example", time.Now().UTC(), 10)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(srv.messages()) == 1; got != tt.sent || (sent == 1) != tt.sent {
				t.Errorf("delivered %d, server got %d messages; want sent %v", sent, len(srv.messages()), tt.sent)
			}
			var lastErr string
			if err := d.QueryRowContext(ctx, `SELECT last_error FROM mail_outbox`).Scan(&lastErr); err != nil {
				t.Fatal(err)
			}
			if tt.err != "" && !strings.Contains(lastErr, tt.err) {
				t.Errorf("last_error %q, want it to say %q", lastErr, tt.err)
			}
			cmds := srv.commands()
			if tt.commands != nil && strings.Join(cmds, " ") != strings.Join(tt.commands, " ") {
				t.Errorf("the server got %q, want %q", cmds, tt.commands)
			}
			if tt.scheme == "smtps" && slices.Contains(cmds, "EHLO") {
				t.Errorf("smtps spoke plain SMTP: %q", cmds)
			}
		})
	}
}
