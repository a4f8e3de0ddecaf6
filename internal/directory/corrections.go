package directory

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// A correction is a field an editor changed on an imported record (from
// ODS or an Open Referral feed). An import keeps the editor's value, and
// when the source's value differs from it (and is not one the editor has
// already seen and chosen to keep theirs over), the import reports a
// Conflict for an editor to review.

// Record kinds of corrections.
const (
	KindService      = "service"
	KindOrganization = "organization"
)

// correctable is a field a correction can hold: its name, its label for
// editors, and where it is in a record.
type correctable struct {
	name, label string
	ptr         func(rec any) any
}

func svcField(name, label string, ptr func(*Service) any) correctable {
	return correctable{name, label, func(rec any) any { return ptr(rec.(*Service)) }}
}

func orgField(name, label string, ptr func(*Organization) any) correctable {
	return correctable{name, label, func(rec any) any { return ptr(rec.(*Organization)) }}
}

var correctableFields = map[string][]correctable{
	KindService: {
		svcField("name", "Name", func(s *Service) any { return &s.Name }),
		svcField("description", "Description", func(s *Service) any { return &s.Description }),
		svcField("url", "Website", func(s *Service) any { return &s.URL }),
		svcField("email", "Email address", func(s *Service) any { return &s.Email }),
		svcField("status", "Status", func(s *Service) any { return &s.Status }),
		svcField("phones", "Phone numbers", func(s *Service) any { return &s.Phones }),
		svcField("locations", "Locations", func(s *Service) any { return &s.Locations }),
		svcField("schedules", "Opening hours", func(s *Service) any { return &s.Schedules }),
		svcField("contacts", "Contacts", func(s *Service) any { return &s.Contacts }),
		svcField("cost_options", "Costs", func(s *Service) any { return &s.CostOptions }),
		svcField("free", "Free of charge", func(s *Service) any { return &s.Free }),
		svcField("minimum_age", "Minimum age", func(s *Service) any { return &s.MinimumAge }),
		svcField("maximum_age", "Maximum age", func(s *Service) any { return &s.MaximumAge }),
		svcField("accreditations", "Accreditations", func(s *Service) any { return &s.Accreditations }),
		svcField("alert", "Alert", func(s *Service) any { return &s.Alert }),
		svcField("terms", "Categories", func(s *Service) any { return &s.TermIDs }),
	},
	KindOrganization: {
		orgField("name", "Name", func(o *Organization) any { return &o.Name }),
		orgField("description", "Description", func(o *Organization) any { return &o.Description }),
		orgField("email", "Email address", func(o *Organization) any { return &o.Email }),
		orgField("website", "Website", func(o *Organization) any { return &o.Website }),
	},
}

// FieldLabel names a correctable field for editors.
func FieldLabel(kind, field string) string {
	for _, f := range correctableFields[kind] {
		if f.name == field {
			return f.label
		}
	}
	return field
}

// Imported reports whether a record's source is an import (so editors'
// changes to it are corrections to keep).
func Imported(source string) bool { return source != "" && source != "local" }

func fieldValue(rec any, f correctable) string {
	b, _ := json.Marshal(f.ptr(rec))
	return string(b)
}

// sameValue compares two values of a field as residents would: ignoring
// the ids, times and positions that a save gives its rows.
func sameValue(a, b string) bool {
	if a == b {
		return true
	}
	return bytes.Equal(normalized(a), normalized(b))
}

func normalized(s string) []byte {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return []byte(s)
	}
	v = strip(v)
	b, _ := json.Marshal(v)
	return b
}

func strip(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for _, k := range []string{"ID", "LastModified", "Latitude", "Longitude"} {
			delete(t, k)
		}
		for k, x := range t {
			t[k] = strip(x)
		}
		return t
	case []any:
		if len(t) == 0 {
			return nil
		}
		for i := range t {
			t[i] = strip(t[i])
		}
	}
	return v
}

// Correction is an editor's correction of one field of an imported record.
type Correction struct {
	Kind, RecordID, Field string
	Local, Source         string // JSON
	KeptAgainst           string // JSON; a source value the editor chose to keep theirs over
	Conflict              bool
	CorrectedBy           string
}

// Label names the field for editors.
func (c Correction) Label() string { return FieldLabel(c.Kind, c.Field) }

// LocalText and SourceText are the two values as editors read them.
func (c Correction) LocalText() string  { return displayValue(c.Kind, c.Field, c.Local) }
func (c Correction) SourceText() string { return displayValue(c.Kind, c.Field, c.Source) }

// Conflict is a field an import kept an editor's value of, although the
// source now says something else: for an editor to review.
type Conflict struct {
	Kind, RecordID, RecordName string
	Field, Label               string
	Local, Source              string // as editors read them
}

// String is the conflict as an import's summary lists it.
func (c Conflict) String() string {
	return fmt.Sprintf("%s %s (%s): kept the editor's %s %q; the source says %q", c.Kind, c.RecordName, c.RecordID,
		strings.ToLower(c.Label), c.Local, c.Source)
}

const correctionColumns = `record_kind, record_id, field, local_value, source_value, kept_against, conflict, corrected_by`

func scanCorrection(r db.Scanner) (Correction, error) {
	var c Correction
	err := r.Scan(&c.Kind, &c.RecordID, &c.Field, &c.Local, &c.Source, &c.KeptAgainst, &c.Conflict, &c.CorrectedBy)
	return c, err
}

// Corrections returns the corrections of one record, in the order of its
// fields.
func (s *Store) Corrections(ctx context.Context, kind, id string) ([]Correction, error) {
	list, err := db.QueryAll(ctx, s.q, scanCorrection, `SELECT `+correctionColumns+` FROM dir_corrections
		WHERE record_kind = $1 AND record_id = $2`, kind, id)
	if err != nil {
		return nil, fmt.Errorf("directory: corrections of %s %s: %w", kind, id, err)
	}
	var out []Correction
	for _, f := range correctableFields[kind] {
		for _, c := range list {
			if c.Field == f.name {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

// Conflicts returns every correction whose source value waits for review.
func (s *Store) Conflicts(ctx context.Context) ([]Correction, error) {
	out, err := db.QueryAll(ctx, s.q, scanCorrection, `SELECT `+correctionColumns+` FROM dir_corrections
		WHERE conflict ORDER BY record_kind, record_id, field`)
	if err != nil {
		return nil, fmt.Errorf("directory: conflicts: %w", err)
	}
	return out, nil
}

func (s *Store) allCorrections(ctx context.Context, kind string) (map[string][]Correction, error) {
	list, err := db.QueryAll(ctx, s.q, scanCorrection, `SELECT `+correctionColumns+` FROM dir_corrections
		WHERE record_kind = $1`, kind)
	if err != nil {
		return nil, fmt.Errorf("directory: corrections: %w", err)
	}
	out := map[string][]Correction{}
	for _, c := range list {
		out[c.RecordID] = append(out[c.RecordID], c)
	}
	return out, nil
}

// RecordCorrections records, for an imported record (a *Service or
// *Organization) changed in the admin from before to after, each field the
// change corrected, so that a re-import keeps it. A field changed back to
// what the source said stops being a correction. by names who changed it.
func (s *Store) RecordCorrections(ctx context.Context, kind string, before, after any, source, by string) error {
	if !Imported(source) {
		return nil
	}
	existing, err := s.Corrections(ctx, kind, recordID(after))
	if err != nil {
		return err
	}
	for _, f := range correctableFields[kind] {
		old, now := fieldValue(before, f), fieldValue(after, f)
		if sameValue(old, now) {
			continue
		}
		var prev *Correction
		for i := range existing {
			if existing[i].Field == f.name {
				prev = &existing[i]
			}
		}
		switch {
		case prev == nil:
			_, err = s.q.ExecContext(ctx, `INSERT INTO dir_corrections (record_kind, record_id, field, local_value, source_value,
				corrected_by, corrected_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, kind, recordID(after), f.name, now, old, by, db.Now())
		case sameValue(prev.Source, now):
			_, err = s.q.ExecContext(ctx, `DELETE FROM dir_corrections WHERE record_kind = $1 AND record_id = $2 AND field = $3`,
				kind, recordID(after), f.name)
		default:
			_, err = s.q.ExecContext(ctx, `UPDATE dir_corrections SET local_value = $1, corrected_by = $2, corrected_at = $3
				WHERE record_kind = $4 AND record_id = $5 AND field = $6`, now, by, db.Now(), kind, recordID(after), f.name)
		}
		if err != nil {
			return fmt.Errorf("directory: record correction of %s %s: %w", kind, f.name, err)
		}
	}
	return nil
}

func recordID(rec any) string {
	switch r := rec.(type) {
	case *Service:
		return r.ID
	case *Organization:
		return r.ID
	}
	panic(fmt.Sprintf("directory: %T has no corrections", rec))
}

func recordName(rec any) string {
	switch r := rec.(type) {
	case *Service:
		return r.Name
	case *Organization:
		return r.Name
	}
	return ""
}

// keepCorrections puts an editor's corrections back into rec (a *Service
// or *Organization as a source gives it), notes each source value that
// differs from the editor's and returns the conflicts to report. A source
// that now agrees with the editor ends the correction.
func (s *Store) keepCorrections(ctx context.Context, kind string, rec any, corrections []Correction) ([]Conflict, error) {
	var out []Conflict
	name := recordName(rec) // before the corrections, as the source names it
	for _, c := range corrections {
		var f *correctable
		for i := range correctableFields[kind] {
			if correctableFields[kind][i].name == c.Field {
				f = &correctableFields[kind][i]
			}
		}
		if f == nil {
			continue
		}
		incoming := fieldValue(rec, *f)
		var err error
		switch {
		case sameValue(incoming, c.Local):
			_, err = s.q.ExecContext(ctx, `DELETE FROM dir_corrections WHERE record_kind = $1 AND record_id = $2 AND field = $3`,
				kind, c.RecordID, c.Field)
		case c.KeptAgainst != "" && sameValue(incoming, c.KeptAgainst):
			err = json.Unmarshal([]byte(c.Local), f.ptr(rec))
		default:
			if err = json.Unmarshal([]byte(c.Local), f.ptr(rec)); err != nil {
				break
			}
			out = append(out, Conflict{Kind: kind, RecordID: c.RecordID, RecordName: name, Field: c.Field, Label: f.label,
				Local: displayValue(kind, c.Field, c.Local), Source: displayValue(kind, c.Field, incoming)})
			if !c.Conflict || c.Source != incoming {
				_, err = s.q.ExecContext(ctx, `UPDATE dir_corrections SET source_value = $1, conflict = TRUE
					WHERE record_kind = $2 AND record_id = $3 AND field = $4`, incoming, kind, c.RecordID, c.Field)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("directory: keep correction of %s %s %s: %w", kind, c.RecordID, c.Field, err)
		}
	}
	return out, nil
}

// KeepServiceCorrections puts the editors' corrections of svc (and of its
// organisation org, when not nil) back into what a source gives, before
// the import saves them, and returns the conflicts to report.
func (s *Store) KeepServiceCorrections(ctx context.Context, svc *Service, org *Organization) ([]Conflict, error) {
	var out []Conflict
	if org != nil {
		conf, err := s.KeepOrganizationCorrections(ctx, org)
		if err != nil {
			return nil, err
		}
		out = append(out, conf...)
	}
	cs, err := s.Corrections(ctx, KindService, svc.ID)
	if err != nil {
		return nil, err
	}
	conf, err := s.keepCorrections(ctx, KindService, svc, cs)
	return append(out, conf...), err
}

// KeepOrganizationCorrections is KeepServiceCorrections for an
// organisation alone.
func (s *Store) KeepOrganizationCorrections(ctx context.Context, org *Organization) ([]Conflict, error) {
	cs, err := s.Corrections(ctx, KindOrganization, org.ID)
	if err != nil {
		return nil, err
	}
	return s.keepCorrections(ctx, KindOrganization, org, cs)
}

// KeepLocal settles a conflict in favour of the editor's value: the
// source's present value is remembered, so the import stops reporting it
// until the source changes again.
func (s *Store) KeepLocal(ctx context.Context, kind, id, field string) error {
	res, err := s.q.ExecContext(ctx, `UPDATE dir_corrections SET kept_against = source_value, conflict = FALSE
		WHERE record_kind = $1 AND record_id = $2 AND field = $3`, kind, id, field)
	if err != nil {
		return fmt.Errorf("directory: keep local %s: %w", field, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("directory: keep local %s: %w", field, db.ErrNotFound)
	}
	return nil
}

// AcceptSource puts the source's value of a correction into rec (a
// *Service or *Organization) and ends the correction; the caller saves rec.
func (s *Store) AcceptSource(ctx context.Context, kind string, rec any, field string) error {
	cs, err := s.Corrections(ctx, kind, recordID(rec))
	if err != nil {
		return err
	}
	for _, c := range cs {
		if c.Field != field {
			continue
		}
		for _, f := range correctableFields[kind] {
			if f.name == field {
				if err := json.Unmarshal([]byte(c.Source), f.ptr(rec)); err != nil {
					return fmt.Errorf("directory: accept source %s: %w", field, err)
				}
			}
		}
		_, err := s.q.ExecContext(ctx, `DELETE FROM dir_corrections WHERE record_kind = $1 AND record_id = $2 AND field = $3`,
			kind, c.RecordID, field)
		if err != nil {
			return fmt.Errorf("directory: accept source %s: %w", field, err)
		}
		return nil
	}
	return fmt.Errorf("directory: accept source %s: %w", field, db.ErrNotFound)
}

// displayValue is a field's JSON value as editors read it.
func displayValue(kind, field, raw string) string {
	if raw == "" || raw == "null" {
		return "(none)"
	}
	var parts []string
	switch field {
	case "phones":
		var v []Phone
		_ = json.Unmarshal([]byte(raw), &v)
		for _, p := range v {
			parts = append(parts, strings.TrimSpace(p.Number+" "+p.Description))
		}
	case "locations":
		var v []ServiceLocation
		_ = json.Unmarshal([]byte(raw), &v)
		for _, sl := range v {
			line := sl.Location.Name
			for _, a := range sl.Location.Addresses {
				line = strings.Join(nonEmpty(line, a.Address1, a.Address2, a.City, a.PostalCode), ", ")
			}
			parts = append(parts, line)
		}
	case "schedules":
		var v []Schedule
		_ = json.Unmarshal([]byte(raw), &v)
		for _, sc := range v {
			parts = append(parts, strings.TrimSpace(sc.ByDay+" "+sc.OpensAt+"–"+sc.ClosesAt+" "+sc.Description))
		}
	case "contacts":
		var v []Contact
		_ = json.Unmarshal([]byte(raw), &v)
		for _, c := range v {
			parts = append(parts, strings.Join(nonEmpty(c.Name, c.Title, c.Email), ", "))
		}
	case "cost_options":
		var v []CostOption
		_ = json.Unmarshal([]byte(raw), &v)
		for _, c := range v {
			amount := ""
			if c.Amount != nil {
				amount = fmt.Sprintf("£%.2f", *c.Amount)
			}
			parts = append(parts, strings.Join(nonEmpty(c.Option, amount, c.AmountDescription), " "))
		}
	case "terms":
		var v []string
		_ = json.Unmarshal([]byte(raw), &v)
		parts = v
	default:
		var v any
		if err := json.Unmarshal([]byte(raw), &v); err != nil {
			return raw
		}
		switch t := v.(type) {
		case string:
			if t == "" {
				return "(none)"
			}
			return t
		case bool:
			if t {
				return "yes"
			}
			return "no"
		}
		return raw
	}
	if len(parts) == 0 {
		return "(none)"
	}
	return strings.Join(parts, "; ")
}
