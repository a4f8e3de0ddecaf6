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
// coordinates). Rows that cannot be read are returned as RowErrors; the
// caller decides whether any of them is fatal.
func ReadShippedCSV(r io.Reader, kind Kind) ([]Organization, []RowError, error) {
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
	var orgs []Organization
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
		o := Organization{
			ODSCode:  get(rec, "ods_code"),
			Kind:     kind,
			Name:     get(rec, "name"),
			Postcode: get(rec, "postcode"),
			WardCode: get(rec, "ward_code"),
			WardName: get(rec, "ward_name"),
			Phone:    get(rec, "phone"),
			OpenedOn: get(rec, "open_date"),
			Active:   get(rec, "status") == "A",
		}
		var lines []string
		for i := 1; i <= 5; i++ {
			if v := get(rec, "address_line_"+strconv.Itoa(i)); v != "" {
				lines = append(lines, v)
			}
		}
		o.Address = strings.Join(lines, ", ")
		var reasons []string
		if o.ODSCode == "" {
			reasons = append(reasons, "missing ods_code")
		}
		if o.Name == "" {
			reasons = append(reasons, "missing name")
		}
		if o.Latitude, err = strconv.ParseFloat(get(rec, "latitude"), 64); err != nil || o.Latitude < -90 || o.Latitude > 90 {
			reasons = append(reasons, fmt.Sprintf("latitude %q is not a number between -90 and 90", get(rec, "latitude")))
		}
		if o.Longitude, err = strconv.ParseFloat(get(rec, "longitude"), 64); err != nil || o.Longitude < -180 || o.Longitude > 180 {
			reasons = append(reasons, fmt.Sprintf("longitude %q is not a number between -180 and 180", get(rec, "longitude")))
		}
		if len(reasons) > 0 {
			bad = append(bad, RowError{Line: line, Reason: strings.Join(reasons, "; ")})
			continue
		}
		orgs = append(orgs, o)
	}
	return orgs, bad, nil
}
