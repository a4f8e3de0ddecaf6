package revisions

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/joinedup/joinedup/internal/london"
)

// Change is one field that differs between two versions of a record, as
// people read it: "Title", "Partners 2 › Web address".
type Change struct {
	Field  string
	Before string // "" when the field is new
	After  string // "" when the field is gone
}

// skipped are fields that change on every save or are ids, which a
// comparison would only clutter.
var skipped = map[string]bool{"ID": true, "CreatedAt": true, "UpdatedAt": true, "LastModified": true, "Sequence": true,
	"SystemID": true, "TermIDs": true}

// Compare lists the fields that differ between two versions of a record
// (JSON objects; either may be empty), in the order the fields appear in
// after (then before). Nested objects and lists are read field by field.
func Compare(before, after []byte) ([]Change, error) {
	b, err := flatten(before)
	if err != nil {
		return nil, err
	}
	a, err := flatten(after)
	if err != nil {
		return nil, err
	}
	var out []Change
	seen := map[string]bool{}
	for _, f := range a {
		seen[f.path] = true
		old := lookup(b, f.path)
		if old != f.value {
			out = append(out, Change{Field: f.label, Before: old, After: f.value})
		}
	}
	for _, f := range b {
		if !seen[f.path] && f.value != "" {
			out = append(out, Change{Field: f.label, Before: f.value})
		}
	}
	return out, nil
}

// Fields lists every field of a record with its value, as Compare names
// them, leaving out empty ones.
func Fields(record []byte) ([]Change, error) {
	fs, err := flatten(record)
	if err != nil {
		return nil, err
	}
	var out []Change
	for _, f := range fs {
		if f.value != "" {
			out = append(out, Change{Field: f.label, After: f.value})
		}
	}
	return out, nil
}

type field struct {
	path, label, value string
}

func lookup(fs []field, path string) string {
	if i := slices.IndexFunc(fs, func(f field) bool { return f.path == path }); i >= 0 {
		return fs[i].value
	}
	return ""
}

// flatten reads a JSON document into its leaf fields, in document order.
func flatten(doc []byte) ([]field, error) {
	if len(bytes.TrimSpace(doc)) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var out []field
	var walk func(path, label string) error
	walk = func(path, label string) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				for dec.More() {
					k, err := dec.Token()
					if err != nil {
						return err
					}
					key, _ := k.(string)
					if skipped[key] {
						var discard json.RawMessage
						if err := dec.Decode(&discard); err != nil {
							return err
						}
						continue
					}
					if err := walk(path+"."+key, join(label, Humanise(key))); err != nil {
						return err
					}
				}
			case '[':
				for i := 1; dec.More(); i++ {
					if err := walk(path+"["+strconv.Itoa(i)+"]", join(label, strconv.Itoa(i))); err != nil {
						return err
					}
				}
			}
			_, err := dec.Token() // the closing delimiter
			return err
		case nil:
			out = append(out, field{path: path, label: label})
		case bool:
			v := "No"
			if t {
				v = "Yes"
			}
			out = append(out, field{path: path, label: label, value: v})
		case json.Number:
			out = append(out, field{path: path, label: label, value: t.String()})
		case string:
			out = append(out, field{path: path, label: label, value: readable(t)})
		}
		return nil
	}
	if err := walk("", ""); err != nil {
		return nil, fmt.Errorf("revisions: read record: %w", err)
	}
	return out, nil
}

func join(label, part string) string {
	if label == "" {
		return part
	}
	return label + " › " + part
}

// readable shows a timestamp in UK time, and "" for Go's zero time.
func readable(s string) string {
	if len(s) < 20 || s[4] != '-' || s[10] != 'T' {
		return s
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return s
	}
	if t.IsZero() {
		return ""
	}
	return london.Date(t) + " " + london.Clock(t)
}

// Humanise turns a Go field name into words: "PullQuoteBy" → "Pull quote
// by", "OnlineURL" → "Online URL".
func Humanise(name string) string {
	var words []string
	runes := []rune(name)
	start := 0
	for i := 1; i <= len(runes); i++ {
		boundary := i == len(runes) ||
			(unicode.IsUpper(runes[i]) && (unicode.IsLower(runes[i-1]) || (i+1 < len(runes) && unicode.IsLower(runes[i+1]))))
		if boundary {
			words = append(words, string(runes[start:i]))
			start = i
		}
	}
	for i, w := range words {
		if i > 0 && !isAcronym(w) {
			words[i] = strings.ToLower(w)
		}
	}
	return strings.Join(words, " ")
}

func isAcronym(w string) bool { return len(w) > 1 && strings.ToUpper(w) == w }
