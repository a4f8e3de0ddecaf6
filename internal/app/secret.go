package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/joinedup/joinedup/internal/config"
)

// secretKey reads the 32-byte key that seals secrets in the database (the
// second factor's), from its file, written in hex. A missing file is made
// with a new random key, readable by joinedup alone. The key is kept out of
// the database so that a copy of the database alone does not give the
// secrets away: back the key file up apart from the database.
func secretKey(cfg config.Config) ([]byte, error) {
	path := cfg.SecretKeyPath()
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, fmt.Errorf("secret key: %w", err)
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("secret key %s: %w", path, err)
		}
		// O_EXCL: when instances start together, one writes the key and
		// the others read it.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			_, err = f.WriteString(hex.EncodeToString(key) + "\n")
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return nil, fmt.Errorf("secret key %s: %w", path, err)
			}
			return key, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("secret key %s: %w", path, err)
		}
		raw, err = os.ReadFile(path)
	}
	if err != nil {
		return nil, fmt.Errorf("secret key %s: %w", path, err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("secret key %s: want 64 hexadecimal digits (32 bytes)", path)
	}
	return key, nil
}
