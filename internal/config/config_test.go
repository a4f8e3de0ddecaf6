package config

import (
	"errors"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestParseServe(t *testing.T) {
	env := func(m map[string]string) func(string) string {
		return func(k string) string { return m[k] }
	}
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    Config
		wantErr string
	}{
		{name: "defaults", want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", BaseURL: "http://127.0.0.1:8080"}},
		{name: "env", env: map[string]string{"JOINEDUP_ADDR": "127.0.0.1:9000", "JOINEDUP_DATA_DIR": "/tmp/x", "JOINEDUP_BASE_URL": "https://example.org/"},
			want: Config{Addr: "127.0.0.1:9000", DataDir: "/tmp/x", BaseURL: "https://example.org"}},
		{name: "flag beats env", args: []string{"--addr", "127.0.0.1:7000"}, env: map[string]string{"JOINEDUP_ADDR": "127.0.0.1:9000"},
			want: Config{Addr: "127.0.0.1:7000", DataDir: "./joinedup-data", BaseURL: "http://127.0.0.1:7000"}},
		{name: "all interfaces", args: []string{"--addr", ":8081"}, want: Config{Addr: ":8081", DataDir: "./joinedup-data", BaseURL: "http://localhost:8081"}},
		{name: "unknown flag", args: []string{"--port", "80"}, wantErr: "flag provided but not defined: -port"},
		{name: "addr without port", args: []string{"--addr", "localhost"}, wantErr: `invalid --addr "localhost"`},
		{name: "port out of range", args: []string{"--addr", "127.0.0.1:70000"}, wantErr: "port must be a number from 0 to 65535"},
		{name: "bad base url", args: []string{"--base-url", "example.org"}, wantErr: `invalid --base-url "example.org"`},
		{name: "base url with query", args: []string{"--base-url", "https://example.org/?a=1"}, wantErr: "invalid --base-url"},
		{name: "empty data dir", args: []string{"--data-dir", " "}, wantErr: "invalid --data-dir"},
		{name: "trusted proxies", env: map[string]string{"JOINEDUP_TRUSTED_PROXIES": "10.1.2.3/8, 192.0.2.7,::1"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", BaseURL: "http://127.0.0.1:8080",
				TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("192.0.2.7/32"),
					netip.MustParsePrefix("::1/128")}, proxies: "10.1.2.3/8, 192.0.2.7,::1"}},
		{name: "bad trusted proxy", args: []string{"--trusted-proxies", "10.0.0.0/8,nginx"}, wantErr: `invalid --trusted-proxies "nginx"`},
		{name: "stray argument", args: []string{"now"}, wantErr: `unexpected argument "now"`},
		{name: "postgres from the environment", env: map[string]string{"DATABASE_URL": "postgres://app@db.internal/joinedup"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", DatabaseURL: "postgres://app@db.internal/joinedup", BaseURL: "http://127.0.0.1:8080"}},
		{name: "postgresql scheme", args: []string{"--database", "postgresql://app@db.internal/joinedup"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", DatabaseURL: "postgresql://app@db.internal/joinedup", BaseURL: "http://127.0.0.1:8080"}},
		{name: "database not postgres", args: []string{"--database", "mysql://db/joinedup"}, wantErr: "invalid --database: want a postgres://"},
		{name: "database as a path", args: []string{"--database", "/srv/joinedup.db"}, wantErr: "invalid --database"},
		{name: "trusted proxies as a flag", args: []string{"--trusted-proxies", "10.0.0.5, 10.0.1.0/24"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", BaseURL: "http://127.0.0.1:8080",
				TrustedProxies: []netip.Prefix{netip.MustParsePrefix("10.0.0.5/32"), netip.MustParsePrefix("10.0.1.0/24")}, proxies: "10.0.0.5, 10.0.1.0/24"}},
		{name: "trusted proxy as a name", env: map[string]string{"JOINEDUP_TRUSTED_PROXIES": "balancer.internal"}, wantErr: "invalid --trusted-proxies"},
		{name: "metrics token from the environment", env: map[string]string{"JOINEDUP_METRICS_TOKEN": "0123456789abcdef0123"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", BaseURL: "http://127.0.0.1:8080", MetricsToken: "0123456789abcdef0123"}},
		{name: "metrics token too short", args: []string{"--metrics-token", "secret"}, wantErr: "invalid --metrics-token"},
		{name: "metrics token with a space", args: []string{"--metrics-token", "0123456789 abcdef0123"}, wantErr: "invalid --metrics-token"},
		{name: "page cache off for a benchmark", env: map[string]string{"JOINEDUP_NO_PAGE_CACHE": "1"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", BaseURL: "http://127.0.0.1:8080", NoPageCache: true}},
		{name: "page cache off as a flag", args: []string{"--no-page-cache"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", BaseURL: "http://127.0.0.1:8080", NoPageCache: true}},
		{name: "smtp and sender from the environment", env: map[string]string{"JOINEDUP_SMTP_URL": "smtps://mailer:pw@smtp.example.org:465", "JOINEDUP_MAIL_FROM": "Partnership Southwark <news@example.org>"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", BaseURL: "http://127.0.0.1:8080",
				SMTPURL: "smtps://mailer:pw@smtp.example.org:465", MailFrom: "Partnership Southwark <news@example.org>"}},
		{name: "smtp url of another scheme", args: []string{"--smtp-url", "http://smtp.example.org"}, wantErr: "invalid --smtp-url"},
		{name: "smtp url without a host", env: map[string]string{"JOINEDUP_SMTP_URL": "smtp://"}, wantErr: "invalid --smtp-url"},
		{name: "sender not an address", args: []string{"--mail-from", "Partnership Southwark"}, wantErr: `invalid --mail-from "Partnership Southwark"`},
		{name: "secret key file from the environment", env: map[string]string{"JOINEDUP_SECRET_KEY_FILE": "/etc/joinedup/secret.key"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", BaseURL: "http://127.0.0.1:8080", SecretKeyFile: "/etc/joinedup/secret.key"}},
		{name: "base url from the address on all interfaces", args: []string{"--addr", "0.0.0.0:8080"},
			want: Config{Addr: "0.0.0.0:8080", DataDir: "./joinedup-data", BaseURL: "http://localhost:8080"}},
		{name: "stale period from the environment", env: map[string]string{"JOINEDUP_STALE_AFTER_MONTHS": "12"},
			want: Config{Addr: "127.0.0.1:8080", DataDir: "./joinedup-data", BaseURL: "http://127.0.0.1:8080", StaleMonths: 12, staleMonths: "12"}},
		{name: "stale period of none", args: []string{"--stale-after-months", "0"}, wantErr: "invalid --stale-after-months"},
		{name: "stale period in words", args: []string{"--stale-after-months", "six"}, wantErr: "invalid --stale-after-months"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseServe(tt.args, env(tt.env), io.Discard)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.want.StaleMonths == 0 { // the default
				tt.want.StaleMonths, tt.want.staleMonths = 6, "6"
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestHelpListsEveryFlag(t *testing.T) {
	var out strings.Builder
	_, err := ParseServe([]string{"--help"}, func(string) string { return "" }, &out)
	if !errors.Is(err, ErrHelp) {
		t.Fatalf("err = %v, want ErrHelp", err)
	}
	// Every flag of the README's table, with its environment variable.
	for _, want := range []string{"-addr", "JOINEDUP_ADDR", "-data-dir", "JOINEDUP_DATA_DIR", "-database", "DATABASE_URL",
		"-base-url", "JOINEDUP_BASE_URL", "-trusted-proxies", "JOINEDUP_TRUSTED_PROXIES", "-no-page-cache", "JOINEDUP_NO_PAGE_CACHE",
		"-smtp-url", "JOINEDUP_SMTP_URL", "-mail-from", "JOINEDUP_MAIL_FROM", "-secret-key-file", "JOINEDUP_SECRET_KEY_FILE",
		"-metrics-token", "JOINEDUP_METRICS_TOKEN"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help does not mention %s:\n%s", want, out.String())
		}
	}
}

func TestPrepareDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "data")
	if err := (Config{DataDir: dir}).PrepareDataDir(); err != nil {
		t.Fatalf("new dir: %v", err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("dir not created: %v", err)
	}
	// A file where the directory should be cannot be used.
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	err := (Config{DataDir: filepath.Join(file, "data")}).PrepareDataDir()
	if err == nil || !strings.Contains(err.Error(), "cannot be created") {
		t.Fatalf("err = %v, want a cannot-be-created error", err)
	}
	if os.Geteuid() != 0 { // root can write anywhere
		ro := t.TempDir()
		if err := os.Chmod(ro, 0o500); err != nil {
			t.Fatal(err)
		}
		err = (Config{DataDir: ro}).PrepareDataDir()
		if err == nil || !strings.Contains(err.Error(), "not writable") {
			t.Fatalf("err = %v, want a not-writable error", err)
		}
	}
}
