package directory

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// RowError is a row of an input file that could not be read.
type RowError struct {
	Line   int
	Reason string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// ReadShippedCSV reads the Southwark GP practice and pharmacy files that ship
// with joinedup (NHS ODS records with a header row, joined to Code-Point Open
// coordinates). Records it returns always have a code, a name and valid
// coordinates. Rows that cannot be read are returned as RowErrors; the
// caller decides whether any of them is fatal.
func ReadShippedCSV(r io.Reader) ([]ODSRecord, []RowError, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = false
	header, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("directory: read header: %w", err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[strings.TrimSpace(h)] = i
	}
	for _, need := range []string{"ods_code", "name", "postcode", "latitude", "longitude", "status"} {
		if _, ok := col[need]; !ok {
			return nil, nil, fmt.Errorf("directory: header has no %q column", need)
		}
	}
	get := func(rec []string, name string) string {
		if i, ok := col[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var orgs []ODSRecord
	var bad []RowError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, RowError{Line: pe.Line, Reason: pe.Err.Error()})
				continue
			}
			return nil, nil, fmt.Errorf("directory: read: %w", err)
		}
		// FieldPos is only valid after a successful Read.
		line, _ := cr.FieldPos(0)
		o := ODSRecord{
			Code:     get(rec, "ods_code"),
			Name:     get(rec, "name"),
			Postcode: get(rec, "postcode"),
			Phone:    get(rec, "phone"),
			OpenDate: get(rec, "open_date"),
			Status:   get(rec, "status"),
			Line:     line,
		}
		for i := 1; i <= 5; i++ {
			if v := get(rec, "address_line_"+strconv.Itoa(i)); v != "" {
				o.AddressLines = append(o.AddressLines, v)
			}
		}
		var reasons []string
		if o.Code == "" {
			reasons = append(reasons, "missing ods_code")
		}
		if o.Name == "" {
			reasons = append(reasons, "missing name")
		}
		lat, err := strconv.ParseFloat(get(rec, "latitude"), 64)
		if err != nil || lat < -90 || lat > 90 {
			reasons = append(reasons, fmt.Sprintf("latitude %q is not a number between -90 and 90", get(rec, "latitude")))
		}
		lon, err := strconv.ParseFloat(get(rec, "longitude"), 64)
		if err != nil || lon < -180 || lon > 180 {
			reasons = append(reasons, fmt.Sprintf("longitude %q is not a number between -180 and 180", get(rec, "longitude")))
		}
		o.Latitude, o.Longitude = &lat, &lon
		if len(reasons) > 0 {
			bad = append(bad, RowError{Line: line, Reason: strings.Join(reasons, "; ")})
			continue
		}
		orgs = append(orgs, o)
	}
	return orgs, bad, nil
}
