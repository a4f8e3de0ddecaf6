package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/oruk"
	"github.com/joinedup/joinedup/internal/places"
)

// maxRejectedListed caps the rejected rows a summary lists one by one.
const maxRejectedListed = 50

// importResult is what an import did, for the summary.
type importResult struct {
	directory.ImportSummary
	skippedWhy string // what the skipped were, such as "9,712 not pharmacies; 3 not open"
	rowName    string // "line" for files, "record" for feeds
}

// runImport runs `joinedup import KIND SOURCE`. It returns 0 when the
// import succeeded (even with rejected rows), 1 when it failed and changed
// nothing, 2 on misuse.
func runImport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	cfg, err := config.ParseImport(args, getenv, stderr)
	if errors.Is(err, config.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "joinedup import: %v\nRun 'joinedup import --help' for usage.\n", err)
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	var res importResult
	switch cfg.Kind {
	case "ods-practices":
		res, err = importODS(ctx, cfg, directory.ReadEpraccur, directory.TermGPPractice, "GP practices", stderr, log)
	case "ods-pharmacies":
		res, err = importODS(ctx, cfg, directory.ReadEdispensary, directory.TermPharmacy, "pharmacies", stderr, log)
	case "postcodes":
		res, err = importPostcodes(ctx, cfg, stderr, log)
	case "oruk":
		res, err = importORUK(ctx, cfg, stderr, log)
	}
	if err != nil {
		fmt.Fprintf(stderr, "joinedup import %s: %v\nThe import failed; nothing was changed.\n", cfg.Kind, err)
		return 1
	}
	writeImportSummary(stdout, res)
	return 0
}

// openForImport opens (creating, migrating and seeding if need be) the
// database in the data dir.
func openForImport(ctx context.Context, cfg config.Import, log *slog.Logger) (*db.DB, error) {
	if err := cfg.PrepareDataDir(); err != nil {
		return nil, err
	}
	return Open(ctx, cfg.Config, log)
}

// importPlaces says which places' directories list the records: the one
// asked for, or every place, each for the records in its own area.
func importPlaces(ctx context.Context, d *db.DB, slug string) ([]directory.PlaceArea, error) {
	list, err := places.NewStore(d).List(ctx)
	if err != nil {
		return nil, err
	}
	var areas []directory.PlaceArea
	for _, p := range list {
		if slug != "" && p.Slug != slug {
			continue
		}
		if slug != "" && p.AreaCode == "" {
			return nil, fmt.Errorf("place %q has no area code, so which records are in its area cannot be told", slug)
		}
		areas = append(areas, directory.PlaceArea{ID: p.ID, Name: p.Name, AreaCode: p.AreaCode})
	}
	if slug != "" && len(areas) == 0 {
		slugs := make([]string, len(list))
		for i, p := range list {
			slugs[i] = p.Slug
		}
		return nil, fmt.Errorf("no place %q; the places are %s", slug, strings.Join(slugs, ", "))
	}
	return areas, nil
}

func importODS(ctx context.Context, cfg config.Import, read func(io.Reader) (directory.ODSFile, error),
	term directory.TaxonomyTerm, kinds string, progress io.Writer, log *slog.Logger) (importResult, error) {
	f, err := os.Open(cfg.Source)
	if err != nil {
		return importResult{}, err
	}
	file, err := read(f)
	f.Close()
	if err != nil {
		return importResult{}, err
	}
	fmt.Fprintf(progress, "read %s: %d %s, %d of other kinds, %d rejected\n",
		cfg.Source, len(file.Records), kinds, file.Skipped, len(file.Rejected))
	if len(file.Records) == 0 && file.Skipped > 0 {
		return importResult{}, fmt.Errorf("%s holds no %s: is it the right file for %s?", cfg.Source, kinds, cfg.Kind)
	}
	d, err := openForImport(ctx, cfg, log)
	if err != nil {
		return importResult{}, err
	}
	defer d.Close()
	areas, err := importPlaces(ctx, d, cfg.Place)
	if err != nil {
		return importResult{}, err
	}
	opts := directory.ODSImportOptions{Places: areas, OnlyPlaces: cfg.Place != ""}
	sum, err := directory.ImportODS(ctx, d, file.Records, term, opts, progress)
	if err != nil {
		return importResult{}, err
	}
	if cfg.Place != "" && sum.Added+sum.Updated+sum.Unchanged == 0 {
		fmt.Fprintf(progress, "no record's postcode lies in %s's area (%s): are its postcodes loaded? "+
			"See joinedup import postcodes.\n", areas[0].Name, areas[0].AreaCode)
	}
	sum.Rejected = append(file.Rejected, sum.Rejected...)
	why := fmt.Sprintf("%d not %s; %d not open", file.Skipped, kinds, sum.Skipped)
	if cfg.Place != "" {
		why = fmt.Sprintf("%d not %s; %d outside %s or not open", file.Skipped, kinds, sum.Skipped, areas[0].Name)
	}
	sum.Skipped += file.Skipped
	return importResult{ImportSummary: sum, skippedWhy: why, rowName: "line"}, nil
}

// postcodeProgressEvery is how many postcodes are saved between progress
// lines; the ONS Postcode Directory holds about 2.7 million.
const postcodeProgressEvery = 100000

func importPostcodes(ctx context.Context, cfg config.Import, progress io.Writer, log *slog.Logger) (importResult, error) {
	f, err := os.Open(cfg.Source)
	if err != nil {
		return importResult{}, err
	}
	file, err := directory.ReadPostcodeCSV(f)
	f.Close()
	if err != nil {
		return importResult{}, err
	}
	fmt.Fprintf(progress, "read %s: %d postcodes, %d without a position, %d rejected\n",
		cfg.Source, len(file.Postcodes), file.Skipped, len(file.Rejected))
	d, err := openForImport(ctx, cfg, log)
	if err != nil {
		return importResult{}, err
	}
	defer d.Close()
	areas, err := importPlaces(ctx, d, "")
	if err != nil {
		return importResult{}, err
	}
	var sum directory.ImportSummary
	err = d.Tx(ctx, func(q db.Querier) error {
		sum = directory.ImportSummary{}
		st := directory.NewStore(q)
		for start := 0; start < len(file.Postcodes); start += postcodeProgressEvery {
			end := min(start+postcodeProgressEvery, len(file.Postcodes))
			part, err := st.SavePostcodes(ctx, file.Postcodes[start:end])
			if err != nil {
				return err
			}
			sum.Added += part.Added
			sum.Updated += part.Updated
			sum.Unchanged += part.Unchanged
			fmt.Fprintf(progress, "%d of %d postcodes saved\n", end, len(file.Postcodes))
		}
		moved, err := directory.PlaceByPostcode(ctx, q, areas)
		if err != nil {
			return err
		}
		if moved > 0 {
			fmt.Fprintf(progress, "%d services listed in the place whose area holds their postcode\n", moved)
		}
		return nil
	})
	if err != nil {
		return importResult{}, err
	}
	sum.Rejected, sum.Skipped = file.Rejected, file.Skipped
	return importResult{ImportSummary: sum, skippedWhy: "without a position", rowName: "line"}, nil
}

func importORUK(ctx context.Context, cfg config.Import, progress io.Writer, log *slog.Logger) (importResult, error) {
	d, err := openForImport(ctx, cfg, log)
	if err != nil {
		return importResult{}, err
	}
	defer d.Close()
	areas, err := importPlaces(ctx, d, "")
	if err != nil {
		return importResult{}, err
	}
	opts := oruk.ImportOptions{Places: areas}
	if cfg.Place != "" {
		fallback, err := importPlaces(ctx, d, cfg.Place)
		if err != nil {
			return importResult{}, err
		}
		opts.FallbackPlaceID = fallback[0].ID
	}
	sum, err := oruk.ImportFeed(ctx, d, cfg.Source, opts, progress)
	if err != nil {
		return importResult{}, err
	}
	return importResult{ImportSummary: sum, rowName: "record"}, nil
}

// writeImportSummary prints what an import did, then each rejected row with
// its reason, at most maxRejectedListed of them.
func writeImportSummary(w io.Writer, res importResult) {
	skipped := fmt.Sprint(res.Skipped)
	if res.skippedWhy != "" && res.Skipped > 0 {
		skipped += " (" + res.skippedWhy + ")"
	}
	conflicts := ""
	if len(res.Conflicts) > 0 {
		conflicts = fmt.Sprintf(", conflicts %d", len(res.Conflicts))
	}
	fmt.Fprintf(w, "added %d, updated %d, unchanged %d, skipped %s, rejected %d%s\n",
		res.Added, res.Updated, res.Unchanged, skipped, len(res.Rejected)+res.RejectedNotListed, conflicts)
	for _, c := range res.Conflicts {
		fmt.Fprintf(w, "conflict to review in the admin: %s\n", c)
	}
	rejected := slices.Clone(res.Rejected)
	slices.SortStableFunc(rejected, func(a, b directory.RowError) int { return a.Line - b.Line })
	for i, r := range rejected {
		if i == maxRejectedListed {
			fmt.Fprintf(w, "... and %d more rejected\n", len(rejected)-maxRejectedListed+res.RejectedNotListed)
			break
		}
		fmt.Fprintf(w, "%s %d: %s\n", res.rowName, r.Line, r.Reason)
	}
	if len(rejected) <= maxRejectedListed && res.RejectedNotListed > 0 {
		fmt.Fprintf(w, "... and %d more rejected\n", res.RejectedNotListed)
	}
}
