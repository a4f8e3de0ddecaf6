package directory

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// ODSFile is what an NHS ODS file holds of the kind of organisation asked for.
type ODSFile struct {
	Records  []ODSRecord
	Rejected []RowError
	// Skipped counts well-formed rows of other kinds: prescribing settings
	// other than GP practice in epraccur, dispensing appliance contractors
	// and others in edispensary.
	Skipped int
}

// odsLayout says how to read one of ODS's headerless national files.
type odsLayout struct {
	name string
	// keep reports whether a well-formed row is of the kind imported.
	keep func(rec []string) bool
	kind string // what the kept rows are, for reasons
}

// Columns shared by epraccur and edispensary (zero-based; the ODS
// documentation counts from 1).
const (
	odsColumns    = 27
	colCode       = 0
	colName       = 1
	colAddress1   = 4 // to colAddress1+4
	colPostcode   = 9
	colOpenDate   = 10
	colCloseDate  = 11
	colStatus     = 12
	colSubType    = 13 // edispensary: 1 = pharmacy
	colPhone      = 17
	colPrescribed = 25 // epraccur: prescribing setting, 4 = GP practice
)

var (
	epraccur = odsLayout{name: "epraccur", kind: "GP practice",
		keep: func(rec []string) bool { return strings.TrimSpace(rec[colPrescribed]) == "4" }}
	edispensary = odsLayout{name: "edispensary", kind: "pharmacy",
		keep: func(rec []string) bool { return strings.TrimSpace(rec[colSubType]) == "1" }}
)

// ReadEpraccur reads NHS ODS's national file of GP practices (epraccur: no
// header, 27 columns) and returns the GP practices (prescribing setting 4);
// the other rows are counted as skipped. Rows that cannot be read come back
// as RowErrors with their line numbers, never silently dropped.
func ReadEpraccur(r io.Reader) (ODSFile, error) { return readODS(r, epraccur) }

// ReadEdispensary reads NHS ODS's national file of dispensaries
// (edispensary: no header, 27 columns) and returns the pharmacies
// (organisation sub-type 1); the other rows are counted as skipped.
func ReadEdispensary(r io.Reader) (ODSFile, error) { return readODS(r, edispensary) }

func readODS(r io.Reader, layout odsLayout) (ODSFile, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1 // counted here, so that a bad row is reported, not fatal
	cr.ReuseRecord = true
	var f ODSFile
	firstLine := map[string]int{}
	rows := 0
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				f.Rejected = append(f.Rejected, RowError{Line: pe.StartLine, Reason: pe.Err.Error()})
				continue
			}
			return ODSFile{}, fmt.Errorf("directory: read %s: %w", layout.name, err)
		}
		rows++
		line, _ := cr.FieldPos(0)
		if rows == 1 && looksLikeHeader(rec) {
			return ODSFile{}, fmt.Errorf("directory: read %s: line %d is a header (%q, ...); want NHS ODS's headerless "+
				"%d-column file", layout.name, line, rec[0], odsColumns)
		}
		if usedColumns(rec) != odsColumns {
			f.Rejected = append(f.Rejected, RowError{Line: line,
				Reason: fmt.Sprintf("has %d columns, want %d (is this the %s file?)", len(rec), odsColumns, layout.name)})
			continue
		}
		if !layout.keep(rec) {
			f.Skipped++
			continue
		}
		o, reasons := odsRecord(rec)
		o.Line = line
		if prev, dup := firstLine[o.Code]; dup && o.Code != "" {
			reasons = append(reasons, fmt.Sprintf("ODS code %s is also on line %d", o.Code, prev))
		}
		if len(reasons) > 0 {
			f.Rejected = append(f.Rejected, RowError{Line: line, Reason: strings.Join(reasons, "; ")})
			continue
		}
		firstLine[o.Code] = line
		f.Records = append(f.Records, o)
	}
	return f, nil
}

// usedColumns is the row's length without trailing empty columns beyond the
// 27 ODS defines, which some exports add.
func usedColumns(rec []string) int {
	n := len(rec)
	for n > odsColumns && strings.TrimSpace(rec[n-1]) == "" {
		n--
	}
	return n
}

// looksLikeHeader spots a header row (the shipped subsets and spreadsheets
// have one; ODS's files do not), whose "code" is a column name.
func looksLikeHeader(rec []string) bool {
	h := strings.ToLower(strings.TrimSpace(rec[0]))
	return h == "ods_code" || h == "organisation code" || h == "organisation_code" || h == "code"
}

// odsRecord reads the columns epraccur and edispensary share and checks them.
func odsRecord(rec []string) (ODSRecord, []string) {
	get := func(i int) string { return strings.TrimSpace(rec[i]) }
	o := ODSRecord{Code: get(colCode), Name: get(colName), Phone: get(colPhone), Status: get(colStatus)}
	for i := colAddress1; i < colAddress1+5; i++ {
		if v := get(i); v != "" {
			o.AddressLines = append(o.AddressLines, v)
		}
	}
	var reasons []string
	if o.Code == "" {
		reasons = append(reasons, "missing organisation code")
	} else if !validODSCode(o.Code) {
		reasons = append(reasons, fmt.Sprintf("organisation code %q is not an ODS code", o.Code))
	}
	if o.Name == "" {
		reasons = append(reasons, "missing name")
	}
	if pc := get(colPostcode); pc != "" {
		if formatted, ok := NormalizePostcode(pc); ok {
			o.Postcode = formatted
		} else {
			reasons = append(reasons, fmt.Sprintf("postcode %q is not a UK postcode", pc))
		}
	}
	if d, ok := odsDate(get(colOpenDate)); ok {
		o.OpenDate = d
	} else {
		reasons = append(reasons, fmt.Sprintf("open date %q is not a date (YYYYMMDD)", get(colOpenDate)))
	}
	if v := get(colCloseDate); v != "" {
		if _, ok := odsDate(v); !ok {
			reasons = append(reasons, fmt.Sprintf("close date %q is not a date (YYYYMMDD)", v))
		}
	}
	switch o.Status {
	case "A", "C", "D", "P":
	default:
		reasons = append(reasons, fmt.Sprintf("status %q is not A, C, D or P", o.Status))
	}
	return o, reasons
}

// validODSCode accepts the letters and digits ODS codes are made of.
func validODSCode(code string) bool {
	if len(code) < 3 || len(code) > 12 {
		return false
	}
	for i := 0; i < len(code); i++ {
		if c := code[i]; !isDigit(c) && !isLetter(c) {
			return false
		}
	}
	return true
}

// odsDate reads ODS's YYYYMMDD date as YYYY-MM-DD.
func odsDate(s string) (string, bool) {
	if len(s) != 8 {
		return "", false
	}
	t, err := time.Parse("20060102", s)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// ODSImportOptions tunes ImportODS.
type ODSImportOptions struct {
	// Places lists each record in the directory of the place whose area its
	// postcode lies in; a record in none of them is listed in no place's.
	Places []PlaceArea
	// OnlyPlaces skips the records outside every place of Places.
	OnlyPlaces bool
	// KeepStored leaves every record already in the directory as it is
	// (for loading default data into a site that has some of it).
	KeepStored bool
	// Now stamps what changes; zero means the time of the import.
	Now time.Time
}

// progressEvery is how many records ImportODS handles between progress
// lines.
const progressEvery = 5000

// ImportODS saves ODS records (read by ReadEpraccur or ReadEdispensary) as
// organisations and services categorised under term, in one transaction:
// a database error leaves the directory as it was. See SaveODS for what is
// saved. Progress lines go to progress.
func ImportODS(ctx context.Context, d *db.DB, records []ODSRecord, term TaxonomyTerm, opts ODSImportOptions,
	progress io.Writer) (ImportSummary, error) {
	var sum ImportSummary
	err := d.Tx(ctx, func(q db.Querier) error {
		var err error
		sum, err = SaveODS(ctx, q, records, term, opts, progress)
		return err
	})
	if err != nil {
		return ImportSummary{}, fmt.Errorf("directory: import ODS records: %w", err)
	}
	return sum, nil
}

// SaveODS saves ODS records as organisations and services categorised
// under term. Each record gets the position of its postcode from the
// postcodes table, and is listed in the directory of the place of
// opts.Places whose area holds that postcode. A record whose postcode lies
// in no such area (or is not in the postcodes table) keeps the place it is
// listed in already: an import never takes a record off its place. A
// record that is no longer active makes its service inactive, so that it
// stops being counted and found; one that was never listed is skipped
// rather than added closed. Records whose service is as stored are left
// alone, which makes a second import of the same file change nothing. It
// writes many rows: run it in a transaction.
func SaveODS(ctx context.Context, q db.Querier, records []ODSRecord, term TaxonomyTerm, opts ODSImportOptions,
	progress io.Writer) (ImportSummary, error) {
	if progress == nil {
		progress = io.Discard
	}
	now := opts.Now
	if now.IsZero() {
		now = db.Now()
	}
	areas := NewPlaceAreas(opts.Places)
	var sum ImportSummary
	var outside, neverListed, kept int
	st := NewStore(q)
	if err := st.SaveTaxonomy(ctx, ODSRoles, []TaxonomyTerm{TermGPPractice, TermPharmacy}); err != nil {
		return ImportSummary{}, err
	}
	positions, err := lookupPostcodes(ctx, q, recordPostcodes(records))
	if err != nil {
		return ImportSummary{}, err
	}
	stored, err := odsHashes(ctx, q, "ods")
	if err != nil {
		return ImportSummary{}, err
	}
	// Editors' corrections, kept over what the file says.
	svcCorrections, err := st.allCorrections(ctx, KindService)
	if err != nil {
		return ImportSummary{}, err
	}
	orgCorrections, err := st.allCorrections(ctx, KindOrganization)
	if err != nil {
		return ImportSummary{}, err
	}
	for i, r := range records {
		if i > 0 && i%progressEvery == 0 {
			fmt.Fprintf(progress, "%d of %d records: %d added, %d updated, %d unchanged\n",
				i, len(records), sum.Added, sum.Updated, sum.Unchanged)
		}
		if err := ctx.Err(); err != nil {
			return ImportSummary{}, err
		}
		pos, known := positions[r.Postcode]
		place, listed := areas.For(pos.AreaCode)
		if opts.OnlyPlaces && (!known || !listed) {
			outside++
			continue
		}
		if known {
			r.Latitude, r.Longitude = &pos.Lat, &pos.Lon
		}
		old, isStored := stored[r.ServiceID()]
		if isStored && opts.KeepStored {
			kept++
			continue
		}
		placeID := place.ID
		if !listed && isStored {
			placeID = old.placeID
		}
		org, svc := r.Graph(term, placeID, now)
		if !isStored && !r.Active() {
			neverListed++
			continue
		}
		if cs := orgCorrections[org.ID]; len(cs) > 0 {
			conflicts, err := st.keepCorrections(ctx, KindOrganization, &org, cs)
			if err != nil {
				return ImportSummary{}, err
			}
			sum.Conflicts = append(sum.Conflicts, conflicts...)
		}
		if cs := svcCorrections[svc.ID]; len(cs) > 0 {
			conflicts, err := st.keepCorrections(ctx, KindService, &svc, cs)
			if err != nil {
				return ImportSummary{}, err
			}
			sum.Conflicts = append(sum.Conflicts, conflicts...)
		}
		if isStored && old.hash == contentHash(svc) {
			sum.Unchanged++
			continue
		}
		if err := st.SaveOrganization(ctx, org); err != nil {
			return ImportSummary{}, fmt.Errorf("line %d: %w", r.Line, err)
		}
		res, err := st.SaveService(ctx, svc)
		if err != nil {
			return ImportSummary{}, fmt.Errorf("line %d: %w", r.Line, err)
		}
		switch res {
		case Added:
			sum.Added++
		case Updated:
			sum.Updated++
		default:
			sum.Unchanged++
		}
	}
	sum.Unchanged += kept
	sum.Skipped = outside + neverListed
	fmt.Fprintf(progress, "%d of %d records: %d added, %d updated, %d unchanged, %d outside the area, %d not open and never listed, %d conflicts with editors' corrections\n",
		len(records), len(records), sum.Added, sum.Updated, sum.Unchanged, outside, neverListed, len(sum.Conflicts))
	return sum, nil
}

// recordPostcodes lists the distinct postcodes of the records.
func recordPostcodes(records []ODSRecord) []string {
	seen := make(map[string]bool, len(records))
	var pcs []string
	for _, r := range records {
		if r.Postcode != "" && !seen[r.Postcode] {
			seen[r.Postcode] = true
			pcs = append(pcs, r.Postcode)
		}
	}
	return pcs
}

// odsHash is what an import needs to know of a service it may
// replace.
type odsHash struct {
	hash    string
	placeID int64
}

// odsHashes returns the content hash and place of every service from a
// source, in one query rather than one for each record.
func odsHashes(ctx context.Context, q db.Querier, source string) (map[string]odsHash, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, content_hash, COALESCE(place_id, 0) FROM dir_services WHERE source = $1`, source)
	if err != nil {
		return nil, fmt.Errorf("directory: stored services: %w", err)
	}
	defer rows.Close()
	stored := map[string]odsHash{}
	for rows.Next() {
		var id string
		var s odsHash
		if err := rows.Scan(&id, &s.hash, &s.placeID); err != nil {
			return nil, fmt.Errorf("directory: stored services: %w", err)
		}
		stored[id] = s
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("directory: stored services: %w", err)
	}
	return stored, nil
}
