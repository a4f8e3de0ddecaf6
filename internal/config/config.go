// Package config reads joinedup's settings from command-line flags and
// environment variables; a flag wins over its environment variable, which
// wins over the default.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// Config holds the settings of `joinedup serve`.
type Config struct {
	Addr    string // host:port to listen on
	DataDir string // holds the SQLite database and uploads
	// DatabaseURL, a postgres:// URL, selects PostgreSQL; empty keeps
	// the embedded SQLite database in the data dir.
	DatabaseURL string
	BaseURL     string // public address, for absolute links; no trailing slash
	// NoPageCache renders every page afresh instead of serving it from
	// memory until content changes; benchmarks use it to measure rendering.
	NoPageCache bool
	// SMTPURL is where email goes (smtp:// or smtps://); empty writes each
	// message as an .eml file in DATA_DIR/outbox.
	SMTPURL string
	// MailFrom is the sender of the site's email, "Name <address>".
	MailFrom string
	// TrustedProxies are the reverse proxies (such as nginx in front of
	// several instances) whose X-Forwarded-For header is believed when
	// telling clients apart for login back-off. Empty: none.
	TrustedProxies []netip.Prefix
	// SecretKeyFile holds the key that seals second-factor secrets in the
	// database; empty means secret.key in the data dir (see SecretKeyPath).
	SecretKeyFile string
	// MetricsToken, when set, serves /metrics to requests that bear it
	// (Authorization: Bearer TOKEN); empty: /metrics is not served.
	MetricsToken string
	// StaleMonths is how many months after a person last confirmed a
	// directory record it is listed as stale and its provider reminded.
	StaleMonths int
	proxies     string
	staleMonths string
}

// SecretKeyPath is the file of the key that seals secrets in the database.
// It is kept apart from the database, so a copy of the database alone does
// not reveal them; every instance of a site must use the same key.
func (c Config) SecretKeyPath() string {
	if c.SecretKeyFile != "" {
		return c.SecretKeyFile
	}
	return filepath.Join(c.DataDir, "secret.key")
}

// Outbox returns the directory where email is written when no SMTP server
// is configured.
func (c Config) Outbox() string { return filepath.Join(c.DataDir, "outbox") }

// Database returns the path of the SQLite database in the data dir.
func (c Config) Database() string { return filepath.Join(c.DataDir, "joinedup.db") }

type option struct {
	name, env, def, usage string
	dest                  *string
}

func options(c *Config) []option {
	return []option{
		{"addr", "JOINEDUP_ADDR", "127.0.0.1:8080", "`host:port` to listen on", &c.Addr},
		{"data-dir", "JOINEDUP_DATA_DIR", "./joinedup-data", "`directory` for the SQLite database and uploads (created if missing)", &c.DataDir},
		{"database", "DATABASE_URL", "", "PostgreSQL `URL` (postgres://user:password@host/db); empty uses SQLite in the data dir", &c.DatabaseURL},
		{"base-url", "JOINEDUP_BASE_URL", "", "public `URL` of the site, for absolute links in feeds (default http://ADDR)", &c.BaseURL},
		{"smtp-url", "JOINEDUP_SMTP_URL", "", "`URL` of the SMTP server for email, smtp://user:password@host:587 (default: write .eml files to DATA_DIR/outbox)", &c.SMTPURL},
		{"trusted-proxies", "JOINEDUP_TRUSTED_PROXIES", "", "comma-separated `addresses` or networks of the load balancers in front of joinedup, whose X-Forwarded-For names the client (default: none)", &c.proxies},
		{"mail-from", "JOINEDUP_MAIL_FROM", "", "sender of the site's email, `\"Name <address>\"` (default: no-reply at the base URL's host)", &c.MailFrom},
		{"metrics-token", "JOINEDUP_METRICS_TOKEN", "", "serve Prometheus metrics at /metrics to requests with the header \"Authorization: Bearer `TOKEN`\", at least 16 characters; prefer the environment variable, which ps does not show (default: /metrics is not served)", &c.MetricsToken},
		{"stale-after-months", "JOINEDUP_STALE_AFTER_MONTHS", "6", "`months` after a person last confirmed a directory record when it is listed as stale and its provider reminded (1 to 60)", &c.staleMonths},
		{"secret-key-file", "JOINEDUP_SECRET_KEY_FILE", "", "`file` of the key sealing two-factor secrets, shared by every instance (default DATA_DIR/secret.key, created if missing)", &c.SecretKeyFile},
	}
}

// ErrHelp is returned when the user asked for help, which has been printed.
var ErrHelp = flag.ErrHelp

// ParseServe reads the flags of `joinedup serve` from args and the
// environment through getenv, and checks them. Usage and errors go to out.
func ParseServe(args []string, getenv func(string) string, out io.Writer) (Config, error) {
	var c Config
	fs := flag.NewFlagSet("joinedup serve", flag.ContinueOnError)
	fs.SetOutput(out)
	opts := options(&c)
	for _, o := range opts {
		def := o.def
		if v := getenv(o.env); v != "" {
			def = v
		}
		fs.StringVar(o.dest, o.name, def, o.usage+" (env "+o.env+")")
	}
	fs.BoolVar(&c.NoPageCache, "no-page-cache", getenv("JOINEDUP_NO_PAGE_CACHE") != "",
		"render every public page afresh instead of serving it from memory; for benchmarks (env JOINEDUP_NO_PAGE_CACHE)")
	fs.Usage = func() {
		fmt.Fprintf(out, "Usage: joinedup serve [flags]\n\nServe the public site and the admin over HTTP.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected argument %q: joinedup serve takes only flags", fs.Arg(0))
	}
	if err := c.check(); err != nil {
		return Config{}, err
	}
	return c, nil
}

func (c *Config) check() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("invalid --addr %q: want host:port, such as 127.0.0.1:8080", c.Addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("invalid --addr %q: port must be a number from 0 to 65535", c.Addr)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return errors.New("invalid --data-dir: it must not be empty")
	}
	if err := c.checkDatabase(); err != nil {
		return err
	}
	if c.BaseURL == "" {
		if host == "" || host == "0.0.0.0" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("invalid --base-url %q: want an absolute http or https URL, such as https://example.org", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.SMTPURL != "" {
		su, err := url.Parse(c.SMTPURL)
		if err != nil || (su.Scheme != "smtp" && su.Scheme != "smtps") || su.Host == "" {
			return errors.New("invalid --smtp-url: want smtp://user:password@host:587 or smtps://user:password@host:465")
		}
	}
	if _, err := mail.ParseAddress(c.MailFrom); c.MailFrom != "" && err != nil {
		return fmt.Errorf("invalid --mail-from %q: want \"Name <address>\" or an address", c.MailFrom)
	}
	if c.MetricsToken != "" && (len(c.MetricsToken) < 16 || strings.ContainsFunc(c.MetricsToken, func(r rune) bool { return r <= ' ' || r > '~' })) {
		return errors.New("invalid --metrics-token: use at least 16 printable characters without spaces, such as the output of `openssl rand -hex 16`")
	}
	if n, err := strconv.Atoi(strings.TrimSpace(c.staleMonths)); c.staleMonths != "" && (err != nil || n < 1 || n > 60) {
		return fmt.Errorf("invalid --stale-after-months %q: want a whole number of months from 1 to 60", c.staleMonths)
	} else {
		c.StaleMonths = n
	}
	proxies, err := ParseProxies(c.proxies)
	if err != nil {
		return err
	}
	c.TrustedProxies = proxies
	return nil
}

// ParseProxies reads a comma-separated list of IP addresses and CIDR
// prefixes, such as "10.0.0.0/8, 192.0.2.7".
func ParseProxies(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, fmt.Errorf("invalid --trusted-proxies %q: want IP addresses or CIDR prefixes, such as 10.0.0.0/8, separated by commas", f)
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out, nil
}

// checkDatabase checks that --database, if given, names PostgreSQL.
func (c Config) checkDatabase() error {
	if c.DatabaseURL != "" && !db.IsPostgresURL(c.DatabaseURL) {
		return errors.New("invalid --database: want a postgres:// or postgresql:// URL, or nothing for SQLite in the data dir")
	}
	return nil
}

// PrepareDataDir creates the data dir if needed and checks that joinedup can
// write to it, so a bad directory fails at start-up with a clear message.
func (c Config) PrepareDataDir() error {
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return fmt.Errorf("data dir %s cannot be created: %w", c.DataDir, err)
	}
	f, err := os.CreateTemp(c.DataDir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("data dir %s is not writable: %w", c.DataDir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}
