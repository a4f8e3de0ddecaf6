package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/smtp"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// Sender hands a composed message to the world.
type Sender interface {
	Send(ctx context.Context, id int64, from, to string, raw []byte) error
}

// NewSender returns an SMTP sender for smtpURL, or, when it is empty, one
// that writes each message as an .eml file in dir, so that every flow works
// offline and in tests.
//
// smtpURL is smtp://user:password@host:port (STARTTLS when the server offers
// it; add ?tls=required to refuse plain text) or smtps://… for TLS from the
// start.
func NewSender(smtpURL, dir string) (Sender, error) {
	if smtpURL == "" {
		return FileSender{Dir: dir}, nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil || u.Host == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, fmt.Errorf("smtp url must look like smtp://user:password@host:587 or smtps://host:465")
	}
	s := &SMTPSender{Host: u.Hostname(), Port: u.Port(), Implicit: u.Scheme == "smtps",
		RequireTLS: u.Query().Get("tls") == "required"}
	if s.Port == "" {
		s.Port = map[bool]string{true: "465", false: "587"}[s.Implicit]
	}
	if u.User != nil {
		s.User = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	return s, nil
}

// FileSender writes messages as DIR/<id>.eml.
type FileSender struct{ Dir string }

// Send writes the message, whole or not at all.
func (f FileSender) Send(_ context.Context, id int64, _, _ string, raw []byte) error {
	if err := os.MkdirAll(f.Dir, 0o750); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(f.Dir, ".eml-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(f.Dir, strconv.FormatInt(id, 10)+".eml"))
}

// SMTPSender sends through an SMTP server.
type SMTPSender struct {
	Host, Port     string
	User, Password string
	Implicit       bool // TLS from the first byte (smtps)
	RequireTLS     bool // refuse a server that does not offer STARTTLS
}

// Send delivers one message.
func (s *SMTPSender) Send(ctx context.Context, _ int64, from, to string, raw []byte) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	addr := net.JoinHostPort(s.Host, s.Port)
	var conn net.Conn
	var err error
	tlsConfig := &tls.Config{ServerName: s.Host, MinVersion: tls.VersionTLS12}
	if s.Implicit {
		conn, err = (&tls.Dialer{Config: tlsConfig}).DialContext(ctx, "tcp", addr)
	} else {
		conn, err = (&net.Dialer{}).DialContext(ctx, "tcp", addr)
	}
	if err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	c, err := smtp.NewClient(conn, s.Host)
	if err != nil {
		conn.Close()
		return err
	}
	defer c.Close()
	if !s.Implicit {
		if ok, _ := c.Extension("STARTTLS"); ok {
			if err := c.StartTLS(tlsConfig); err != nil {
				return err
			}
		} else if s.RequireTLS {
			return errors.New("smtp server does not offer STARTTLS")
		}
	}
	if s.User != "" {
		if err := c.Auth(smtp.PlainAuth("", s.User, s.Password, s.Host)); err != nil {
			return err
		}
	}
	if err := c.Mail(from); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// Backoff is how long to wait before attempt n+1 after n failures: one
// minute, doubling, at most six hours.
func Backoff(n int) time.Duration {
	d := time.Minute << min(max(n-1, 0), 10)
	return min(d, 6*time.Hour)
}

// Deliver sends, one at a time, up to batch messages that are due at
// now, marking each sent or scheduling its retry (see Delivery, which it
// runs with one worker). It returns how many were sent.
func Deliver(ctx context.Context, d *db.DB, s Sender, from string, now time.Time, batch int) (int, error) {
	res, err := Delivery{DB: d, Sender: s, From: from, Now: func() time.Time { return now }, Limit: batch}.Run(ctx)
	return res.Sent, err
}
