package directory

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// ErrMalformedPostcode is returned for text that is not a UK postcode, so
// that a resident can be told to check what they typed rather than that the
// postcode is unknown.
var ErrMalformedPostcode = errors.New("not a UK postcode")

// NormalizePostcode checks that s is a UK postcode and returns it the way
// Royal Mail writes it: upper case, with one space before the inward code
// ("se17eh" and " SE1  7EH " both give "SE1 7EH").
func NormalizePostcode(s string) (string, bool) {
	var b [8]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'):
		default:
			return "", false
		}
		if n == len(b) {
			return "", false
		}
		b[n] = c
		n++
	}
	if n < 5 || n > 7 {
		return "", false
	}
	out, in := string(b[:n-3]), string(b[n-3:n])
	if out+in == "GIR0AA" { // Girobank's historic postcode, still valid
		return "GIR 0AA", true
	}
	if !validInward(in) || !validOutward(out) {
		return "", false
	}
	return out + " " + in, true
}

// postcodeKey is how the postcodes table keys a formatted postcode: without
// its space.
func postcodeKey(formatted string) string { return strings.Replace(formatted, " ", "", 1) }

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// validInward checks the inward code: a digit and two letters, never C, I,
// K, M, O or V (they look too like other characters).
func validInward(in string) bool {
	return isDigit(in[0]) && isLetter(in[1]) && isLetter(in[2]) &&
		!strings.ContainsAny(in[1:], "CIKMOV")
}

// validOutward checks the outward code against the six forms Royal Mail
// uses: A9, A99, AA9, AA99, A9A and AA9A, with the letters each position
// allows.
func validOutward(out string) bool {
	if !isLetter(out[0]) || strings.IndexByte("QVX", out[0]) >= 0 {
		return false
	}
	switch len(out) {
	case 2: // A9
		return isDigit(out[1])
	case 3: // A99, AA9, A9A
		switch {
		case isDigit(out[1]) && isDigit(out[2]):
			return true
		case isLetter(out[1]) && isDigit(out[2]):
			return strings.IndexByte("IJZ", out[1]) < 0
		case isDigit(out[1]) && isLetter(out[2]):
			return strings.IndexByte("ABCDEFGHJKPSTUW", out[2]) >= 0
		}
	case 4: // AA99, AA9A
		if !isLetter(out[1]) || strings.IndexByte("IJZ", out[1]) >= 0 || !isDigit(out[2]) {
			return false
		}
		return isDigit(out[3]) || strings.IndexByte("ABEHMNPRVWXY", out[3]) >= 0
	}
	return false
}

// Postcode returns a postcode with its position. It wraps
// ErrMalformedPostcode when s is not a postcode and db.ErrNotFound when it
// is not in the lookup.
func (s *Store) Postcode(ctx context.Context, text string) (Postcode, error) {
	pc, ok := NormalizePostcode(text)
	if !ok {
		return Postcode{}, fmt.Errorf("directory: postcode %q: %w", text, ErrMalformedPostcode)
	}
	p := Postcode{Postcode: pc}
	err := s.q.QueryRowContext(ctx, `SELECT latitude, longitude, area_code, ward_code, ward_name, lsoa_code FROM postcodes WHERE code = $1`,
		postcodeKey(pc)).Scan(&p.Lat, &p.Lon, &p.AreaCode, &p.WardCode, &p.WardName, &p.LSOACode)
	if errors.Is(err, sql.ErrNoRows) {
		return Postcode{}, fmt.Errorf("directory: postcode %s: %w", pc, db.ErrNotFound)
	}
	if err != nil {
		return Postcode{}, fmt.Errorf("directory: postcode %s: %w", pc, err)
	}
	return p, nil
}

// postcodeBatch is how many postcodes one statement writes, and
// lookupBatch how many one reads. SQLite looks up $N parameters by name, in
// time that grows with their number, so a few dozen to a statement is
// faster than hundreds (measured with BenchmarkSavePostcodes).
const (
	postcodeBatch = 20
	lookupBatch   = 100
)

// SavePostcodes adds postcodes that are new, updates those whose position,
// area or ward has changed, and counts what it did. A postcode saved
// without a ward name keeps the one known for the same ward (the ONS
// Postcode Directory has codes only). Each Postcode must be formatted (as
// NormalizePostcode gives it). It writes in batches; run it in a
// transaction.
func (s *Store) SavePostcodes(ctx context.Context, pcs []Postcode) (ImportSummary, error) {
	var sum ImportSummary
	// Into an empty table (a new installation) without repeats, every
	// postcode is new: no need to read what is stored first.
	var stored bool
	if err := s.q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM postcodes)`).Scan(&stored); err != nil {
		return ImportSummary{}, fmt.Errorf("directory: save postcodes: %w", err)
	}
	allNew := !stored && !repeatsPostcode(pcs)
	// A batch never holds the same postcode twice, so that a repeat counts
	// and lands as it would have done row by row (PostgreSQL refuses to
	// upsert one row twice in one statement anyway).
	batch := make([]Postcode, 0, postcodeBatch)
	seen := make(map[string]bool, postcodeBatch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := s.savePostcodeBatch(ctx, batch, allNew, &sum)
		batch = batch[:0]
		clear(seen)
		return err
	}
	for _, p := range pcs {
		formatted, ok := NormalizePostcode(p.Postcode)
		if !ok || formatted != p.Postcode {
			return ImportSummary{}, fmt.Errorf("directory: save postcodes: %q is not a formatted postcode", p.Postcode)
		}
		if !validLatLon(p.Lat, p.Lon) {
			return ImportSummary{}, fmt.Errorf("directory: save postcodes: %s: position %v, %v is out of range", p.Postcode, p.Lat, p.Lon)
		}
		if seen[p.Postcode] || len(batch) == postcodeBatch {
			if err := flush(); err != nil {
				return ImportSummary{}, err
			}
		}
		seen[p.Postcode] = true
		batch = append(batch, p)
	}
	if err := flush(); err != nil {
		return ImportSummary{}, err
	}
	return sum, nil
}

// repeatsPostcode reports whether a postcode appears twice in pcs.
func repeatsPostcode(pcs []Postcode) bool {
	codes := make([]string, len(pcs))
	for i, p := range pcs {
		codes[i] = p.Postcode
	}
	slices.Sort(codes)
	for i := 1; i < len(codes); i++ {
		if codes[i] == codes[i-1] {
			return true
		}
	}
	return false
}

func (s *Store) savePostcodeBatch(ctx context.Context, batch []Postcode, allNew bool, sum *ImportSummary) error {
	args := make([]any, 0, len(batch)*8)
	old := make(map[string]Postcode, len(batch))
	if !allNew {
		if err := s.storedPostcodes(ctx, batch, old); err != nil {
			return err
		}
	}
	var marks strings.Builder
	for _, p := range batch {
		prev, found := old[postcodeKey(p.Postcode)]
		if found && p.WardName == "" && p.WardCode == prev.WardCode {
			p.WardName = prev.WardName
		}
		// Code-Point Open gives no LSOA: a postcode saved from it keeps
		// the one the ONS Postcode Directory gave before.
		if found && p.LSOACode == "" {
			p.LSOACode = prev.LSOACode
		}
		switch {
		case !found:
			sum.Added++
		case prev == p:
			sum.Unchanged++
			continue
		default:
			sum.Updated++
		}
		if len(args) > 0 {
			marks.WriteString(", ")
		}
		n := len(args)
		fmt.Fprintf(&marks, "($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8)
		args = append(args, postcodeKey(p.Postcode), p.Postcode, p.Lat, p.Lon, p.AreaCode, p.WardCode, p.WardName, p.LSOACode)
	}
	if len(args) == 0 {
		return nil
	}
	_, err := s.q.ExecContext(ctx, `INSERT INTO postcodes (code, postcode, latitude, longitude, area_code, ward_code, ward_name, lsoa_code)
		VALUES `+marks.String()+`
		ON CONFLICT (code) DO UPDATE SET postcode = excluded.postcode, latitude = excluded.latitude,
			longitude = excluded.longitude, area_code = excluded.area_code, ward_code = excluded.ward_code,
			ward_name = excluded.ward_name, lsoa_code = excluded.lsoa_code`, args...)
	if err != nil {
		return fmt.Errorf("directory: save postcodes: %w", err)
	}
	return nil
}

// storedPostcodes puts into old, keyed as the table keys them, those of the
// batch's postcodes already stored.
func (s *Store) storedPostcodes(ctx context.Context, batch []Postcode, old map[string]Postcode) error {
	args := make([]any, len(batch))
	for i, p := range batch {
		args[i] = postcodeKey(p.Postcode)
	}
	rows, err := s.q.QueryContext(ctx, `SELECT code, postcode, latitude, longitude, area_code, ward_code, ward_name, lsoa_code
		FROM postcodes WHERE code IN (`+paramList(len(args))+`)`, args...)
	if err != nil {
		return fmt.Errorf("directory: save postcodes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var p Postcode
		if err := rows.Scan(&key, &p.Postcode, &p.Lat, &p.Lon, &p.AreaCode, &p.WardCode, &p.WardName, &p.LSOACode); err != nil {
			return fmt.Errorf("directory: save postcodes: %w", err)
		}
		old[key] = p
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("directory: save postcodes: %w", err)
	}
	return nil
}

// paramList returns "$1, $2, ..., $n".
func paramList(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(i))
	}
	return b.String()
}

// lookupPostcodes returns the stored postcodes among the formatted ones
// given, keyed by their formatted form, reading them in batches rather than
// one query each.
func lookupPostcodes(ctx context.Context, q db.Querier, formatted []string) (map[string]Postcode, error) {
	found := make(map[string]Postcode, len(formatted))
	for start := 0; start < len(formatted); start += lookupBatch {
		part := formatted[start:min(start+lookupBatch, len(formatted))]
		args := make([]any, len(part))
		for i, pc := range part {
			args[i] = postcodeKey(pc)
		}
		rows, err := q.QueryContext(ctx, `SELECT postcode, latitude, longitude, area_code, ward_code, ward_name, lsoa_code
			FROM postcodes WHERE code IN (`+paramList(len(args))+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("directory: look up postcodes: %w", err)
		}
		for rows.Next() {
			var p Postcode
			if err := rows.Scan(&p.Postcode, &p.Lat, &p.Lon, &p.AreaCode, &p.WardCode, &p.WardName, &p.LSOACode); err != nil {
				rows.Close()
				return nil, fmt.Errorf("directory: look up postcodes: %w", err)
			}
			found[p.Postcode] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("directory: look up postcodes: %w", err)
		}
	}
	return found, nil
}

func validLatLon(lat, lon float64) bool { return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 }

// PostcodeFile is what a postcode file holds.
type PostcodeFile struct {
	Postcodes []Postcode
	Rejected  []RowError
	// Skipped counts postcodes the file lists without a position: ONSPD
	// gives them latitude 99.999999, Code-Point Open eastings of 0.
	Skipped int
}

// The layouts of postcode files ReadPostcodeCSV understands.
const (
	layoutShipped   = "joinedup"
	layoutONSPD     = "ONS Postcode Directory"
	layoutCodePoint = "OS Code-Point Open"
)

// postcodeColumns says where a layout keeps each field; -1 for absent.
type postcodeColumns struct {
	layout                                string
	postcode, lat, lon, easting, northing int
	area, ward, wardName, lsoa            int
	headerless                            bool
}

// Column names, lower case, each layout uses for a field. ONSPD renamed its
// columns over the years (oslaua became lad25cd, osward wd25cd, ...).
var (
	postcodeNames = []string{"postcode", "pcds", "pcd2", "pcd"}
	latNames      = []string{"latitude", "lat"}
	lonNames      = []string{"longitude", "long", "lon", "lng"}
	eastNames     = []string{"easting", "eastings", "oseast1m", "east1m"}
	northNames    = []string{"northing", "northings", "osnrth1m", "north1m"}
	areaNames     = []string{"lad_code", "oslaua", "admin_district_code", "laua", "lad25cd", "lad24cd", "lad23cd", "lad22cd", "lad21cd"}
	wardNames     = []string{"ward_code", "osward", "admin_ward_code", "wd25cd", "wd24cd", "wd23cd", "wd22cd", "wd21cd"}
	wardNameNames = []string{"ward_name"}
	lsoaNames     = []string{"lsoa11_code", "lsoa11", "lsoa11cd"}
)

// codePointColumns is the headerless Code-Point Open layout: Postcode,
// Positional_quality_indicator, Eastings, Northings, Country_code,
// NHS_regional_HA_code, NHS_HA_code, Admin_county_code,
// Admin_district_code, Admin_ward_code.
var codePointColumns = postcodeColumns{layout: layoutCodePoint, postcode: 0, lat: -1, lon: -1, easting: 2, northing: 3,
	area: 8, ward: 9, wardName: -1, lsoa: -1, headerless: true}

// postcodeLayout finds the columns from a header row, or recognises a
// headerless Code-Point Open file by its first row.
func postcodeLayout(first []string) (postcodeColumns, error) {
	if len(first) >= 10 {
		if _, ok := NormalizePostcode(first[0]); ok {
			if _, err := strconv.Atoi(strings.TrimSpace(first[2])); err == nil {
				return codePointColumns, nil
			}
		}
	}
	index := map[string]int{}
	for i, h := range first {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := index[h]; !dup {
			index[h] = i
		}
	}
	find := func(names []string) int {
		for _, n := range names {
			if i, ok := index[n]; ok {
				return i
			}
		}
		return -1
	}
	c := postcodeColumns{postcode: find(postcodeNames), lat: find(latNames), lon: find(lonNames),
		easting: find(eastNames), northing: find(northNames), area: find(areaNames), ward: find(wardNames),
		wardName: find(wardNameNames), lsoa: find(lsoaNames)}
	switch {
	case c.postcode < 0:
		return c, errors.New("the header has no postcode column (postcode or pcds); want joinedup's postcode file, " +
			"the ONS Postcode Directory or OS Code-Point Open")
	case c.lat >= 0 && c.lon >= 0:
		c.layout = layoutONSPD
		if _, ok := index["postcode"]; ok {
			c.layout = layoutShipped
		}
	case c.easting >= 0 && c.northing >= 0:
		c.layout = layoutCodePoint
	default:
		return c, errors.New("the header has neither latitude and longitude (latitude/longitude or lat/long) " +
			"nor eastings and northings columns")
	}
	return c, nil
}

// ReadPostcodeCSV reads a file of postcodes with their positions: the one
// joinedup ships (postcode, latitude, longitude, lad_code, ward_code,
// ward_name, ...), the ONS Postcode Directory (pcds, lat, long, oslaua,
// osward, ...) or OS Code-Point Open (with or without its header; its
// National Grid eastings and northings are converted to WGS84). The layout is
// told by the header. Rows that cannot be read come back as RowErrors with
// their line numbers.
func ReadPostcodeCSV(r io.Reader) (PostcodeFile, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	var f PostcodeFile
	var cols postcodeColumns
	haveLayout := false
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) && haveLayout {
				f.Rejected = append(f.Rejected, RowError{Line: pe.StartLine, Reason: pe.Err.Error()})
				continue
			}
			return PostcodeFile{}, fmt.Errorf("directory: read postcodes: %w", err)
		}
		line, _ := cr.FieldPos(0)
		if !haveLayout {
			cols, err = postcodeLayout(rec)
			if err != nil {
				return PostcodeFile{}, fmt.Errorf("directory: read postcodes: %w", err)
			}
			haveLayout = true
			if !cols.headerless {
				continue
			}
		}
		p, skip, reason := cols.read(rec)
		switch {
		case reason != "":
			f.Rejected = append(f.Rejected, RowError{Line: line, Reason: reason})
		case skip:
			f.Skipped++
		default:
			f.Postcodes = append(f.Postcodes, p)
		}
	}
	if !haveLayout {
		return PostcodeFile{}, errors.New("directory: read postcodes: the file is empty")
	}
	return f, nil
}

// read makes a Postcode of one row; skip is true for a postcode listed
// without a position, reason says why a row is unusable.
func (c postcodeColumns) read(rec []string) (p Postcode, skip bool, reason string) {
	get := func(i int) string {
		if i >= 0 && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	need := max(c.postcode, c.lat, c.lon, c.easting, c.northing)
	if c.layout != layoutCodePoint {
		need = max(c.postcode, c.lat, c.lon)
	}
	if len(rec) <= need {
		return p, false, fmt.Sprintf("has %d columns, want at least %d", len(rec), need+1)
	}
	pc, ok := NormalizePostcode(get(c.postcode))
	if !ok {
		return p, false, fmt.Sprintf("postcode %q is not a UK postcode", get(c.postcode))
	}
	p = Postcode{Postcode: pc, AreaCode: get(c.area), WardCode: get(c.ward), WardName: get(c.wardName), LSOACode: get(c.lsoa)}
	if c.lat >= 0 && c.lon >= 0 {
		lat, err1 := strconv.ParseFloat(get(c.lat), 64)
		lon, err2 := strconv.ParseFloat(get(c.lon), 64)
		if err1 != nil || err2 != nil {
			return p, false, fmt.Sprintf("%s: latitude %q, longitude %q are not numbers", pc, get(c.lat), get(c.lon))
		}
		if lat == 99.999999 { // ONSPD's mark for "no grid reference"
			return p, true, ""
		}
		if !validLatLon(lat, lon) {
			return p, false, fmt.Sprintf("%s: latitude %v, longitude %v are out of range", pc, lat, lon)
		}
		p.Lat, p.Lon = lat, lon
		return p, false, ""
	}
	e, err1 := strconv.ParseFloat(get(c.easting), 64)
	n, err2 := strconv.ParseFloat(get(c.northing), 64)
	if err1 != nil || err2 != nil {
		return p, false, fmt.Sprintf("%s: easting %q, northing %q are not numbers", pc, get(c.easting), get(c.northing))
	}
	if e == 0 && n == 0 { // Code-Point Open's "no coordinates" (quality 90)
		return p, true, ""
	}
	if !(e >= 0 && e <= 700000 && n >= 0 && n <= 1300000) { // so NaN fails too
		return p, false, fmt.Sprintf("%s: easting %v, northing %v are outside the National Grid", pc, e, n)
	}
	p.Point = GridToWGS84(e, n)
	return p, false, ""
}

// skipBOM drops a UTF-8 byte order mark, which spreadsheet programs put at
// the start of the CSV files they save.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	return br
}
