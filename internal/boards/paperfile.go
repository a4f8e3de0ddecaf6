package boards

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// PDFs are kept in the data directory, named by their SHA-256, so the same
// file uploaded twice is stored once and a name can never escape the
// directory. (The media library, when it lands, can take these over.)

// MaxPDFBytes is the largest PDF paper accepted.
const MaxPDFBytes = 20 << 20

// ErrNotPDF is returned for an upload that is not a PDF file.
var ErrNotPDF = errors.New("boards: not a PDF")

// CheckPDF checks by content, not by name, that data is a PDF: it starts
// with the PDF header and has an end-of-file marker near its end.
func CheckPDF(data []byte) error {
	if len(data) > MaxPDFBytes {
		return fmt.Errorf("%w: larger than %d bytes", ErrNotPDF, MaxPDFBytes)
	}
	if !bytes.HasPrefix(data, []byte("%PDF-")) {
		return fmt.Errorf("%w: no PDF header", ErrNotPDF)
	}
	tail := data[max(0, len(data)-1024):]
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return fmt.Errorf("%w: no end-of-file marker", ErrNotPDF)
	}
	return nil
}

// PaperDir is where PDF papers are kept under the data directory.
func PaperDir(dataDir string) string { return filepath.Join(dataDir, "papers") }

// SavePDF checks data and stores it in dir, returning its key (file name),
// SHA-256 and size. Nothing is written when the check fails.
func SavePDF(dir string, data []byte) (key, sum string, size int64, err error) {
	if err := CheckPDF(data); err != nil {
		return "", "", 0, err
	}
	h := sha256.Sum256(data)
	sum = hex.EncodeToString(h[:])
	key = sum + ".pdf"
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return "", "", 0, fmt.Errorf("boards: paper dir: %w", err)
	}
	path := filepath.Join(dir, key)
	if _, err := os.Stat(path); err == nil {
		return key, sum, int64(len(data)), nil
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return "", "", 0, fmt.Errorf("boards: save paper: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return "", "", 0, fmt.Errorf("boards: save paper: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return "", "", 0, fmt.Errorf("boards: save paper: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return "", "", 0, fmt.Errorf("boards: save paper: %w", err)
	}
	return key, sum, int64(len(data)), nil
}

// OpenPDF opens a stored PDF by key.
func OpenPDF(dir, key string) (*os.File, error) {
	if len(key) != 68 || filepath.Base(key) != key {
		return nil, fmt.Errorf("boards: paper %q: %w", key, os.ErrNotExist)
	}
	return os.Open(filepath.Join(dir, key))
}
