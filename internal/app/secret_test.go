package app

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/config"
)

// The key sealing two-factor secrets is made on first start, in the data
// dir or in the file --secret-key-file names, readable by joinedup alone,
// and read back unchanged on later starts; a damaged key file stops the
// start with a clear message.
func TestSecretKeyFile(t *testing.T) {
	elsewhere := filepath.Join(t.TempDir(), "keys", "joinedup.key")
	for _, tt := range []struct {
		name     string
		keyFile  string
		wantPath func(dataDir string) string
	}{
		{"in the data dir", "", func(dir string) string { return filepath.Join(dir, "secret.key") }},
		{"named by --secret-key-file", elsewhere, func(string) string { return elsewhere }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg := config.Config{DataDir: t.TempDir(), SecretKeyFile: tt.keyFile}
			first, err := secretKey(cfg)
			if err != nil {
				t.Fatal(err)
			}
			path := tt.wantPath(cfg.DataDir)
			fi, err := os.Stat(path)
			if err != nil {
				t.Fatalf("no key file at %s: %v", path, err)
			}
			if fi.Mode().Perm() != 0o600 {
				t.Errorf("key file mode %v, want 0600", fi.Mode().Perm())
			}
			raw, _ := os.ReadFile(path)
			if !regexp.MustCompile(`^[0-9a-f]{64}\n$`).Match(raw) || len(first) != 32 {
				t.Errorf("key file %q, want 64 hex digits (a 32-byte key)", raw)
			}
			if tt.keyFile != "" {
				if _, err := os.Stat(filepath.Join(cfg.DataDir, "secret.key")); err == nil {
					t.Error("a key was made in the data dir as well")
				}
			}
			again, err := secretKey(cfg)
			if err != nil || !bytes.Equal(again, first) {
				t.Errorf("the second start read another key (%v)", err)
			}
			if err := os.WriteFile(path, []byte("not a key\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := secretKey(cfg); err == nil || !strings.Contains(err.Error(), "64 hexadecimal digits") {
				t.Errorf("a damaged key file: %v, want a clear error", err)
			}
		})
	}
}
