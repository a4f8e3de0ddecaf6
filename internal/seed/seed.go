// Package seed loads the default content of a new installation: the South
// East London system, its six places, Partnership Southwark's page and the
// GP practices and pharmacies that ship with joinedup.
//
// Each data set is loaded once, inside one transaction, and recorded in the
// seeds table; a restart never loads it again, so it never duplicates
// anything nor overwrites what an editor has changed since.
package seed

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"log/slog"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"
)

//go:embed data/*.csv
var dataFiles embed.FS

// step is one data set, loaded whole or not at all.
type step struct {
	name string
	load func(ctx context.Context, q db.Querier) error
}

var steps = []step{
	{"2025-places-south-east-london", loadPlaces},
	{"2025-southwark-feed", loadSouthwarkFeed},
	// Sites made before the six places' data shipped loaded Southwark's
	// alone, as 2025-codepoint-southwark-postcodes and
	// 2025-ods-southwark-directory; these steps add the rest to them.
	{"2026-codepoint-sel-postcodes", loadPostcodes},
	{"2026-ods-sel-directory", loadODSRecords},
	{"2026-sel-place-texts", loadPlaceTexts},
	{"2025-post-themes", loadPostThemes},
	{"2025-story-storytellers", loadStorytellers},
	{"2026-southwark-strategic-board", loadStrategicBoard},
	{"2026-sel-wards-lsoas-imd-population", loadGeography},
}

// Run loads every data set that has not been loaded yet and reports how many
// it loaded.
func Run(ctx context.Context, d *db.DB, log *slog.Logger) (int, error) {
	loaded := 0
	for _, s := range steps {
		done := false
		err := d.Tx(ctx, func(q db.Querier) error {
			var n int
			if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM seeds WHERE name = $1`, s.name).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				done = true
				return nil
			}
			if err := s.load(ctx, q); err != nil {
				return err
			}
			_, err := q.ExecContext(ctx, `INSERT INTO seeds (name, applied_at) VALUES ($1, $2)`, s.name, db.Now())
			return err
		})
		if err != nil {
			return loaded, fmt.Errorf("seed: %s: %w", s.name, err)
		}
		if !done {
			loaded++
			log.Info("seed data loaded", slog.String("set", s.name))
		}
	}
	return loaded, nil
}

func loadPlaces(ctx context.Context, q db.Querier) error {
	st := places.NewStore(q)
	sysID, err := st.CreateSystem(ctx, defaultSystem)
	if err != nil {
		return err
	}
	for i, p := range defaultPlaces() {
		p.SystemID = sysID
		if _, err := st.Create(ctx, p, i+1); err != nil {
			return err
		}
	}
	return nil
}

// loadPlaceTexts gives the five places that sites made before their texts
// shipped hold without any text (a name and nothing else) their
// partnership's name, purpose, aims and partners. A place an editor has
// written anything for is left as it is.
func loadPlaceTexts(ctx context.Context, q db.Querier) error {
	st := places.NewStore(q)
	for _, want := range defaultPlaces() {
		p, err := st.BySlug(ctx, want.Slug)
		if errors.Is(err, db.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		if p.Summary != "" || p.Purpose != "" || p.AimsIntro != "" || len(p.Aims) > 0 || len(p.Partners) > 0 ||
			len(p.Figures) > 0 || len(p.Socials) > 0 {
			continue
		}
		want.ID = p.ID
		if err := st.UpdateDetails(ctx, want); err != nil {
			return err
		}
	}
	return nil
}

func placeID(ctx context.Context, q db.Querier, slug string) (int64, error) {
	var id int64
	if err := q.QueryRowContext(ctx, `SELECT id FROM places WHERE slug = $1`, slug).Scan(&id); err != nil {
		return 0, fmt.Errorf("place %q: %w", slug, err)
	}
	return id, nil
}

func loadSouthwarkFeed(ctx context.Context, q db.Querier) error {
	southwark, err := placeID(ctx, q, "southwark")
	if err != nil {
		return err
	}
	for _, p := range southwarkPosts() {
		p.PlaceIDs = []int64{southwark}
		if _, err := news.NewStore(q).Create(ctx, p); err != nil {
			return err
		}
	}
	for _, e := range southwarkEvents() {
		e.PlaceIDs = []int64{southwark}
		if _, err := events.NewStore(q).Create(ctx, e); err != nil {
			return err
		}
	}
	return nil
}

// loadPostcodes loads the six places' postcodes with their positions (OS
// Code-Point Open), wards and, where known, LSOAs, for finding services
// near a postcode and listing each record in its place.
func loadPostcodes(ctx context.Context, q db.Querier) error {
	const name = "data/sel_postcodes.csv"
	file, err := dataFiles.Open(name)
	if err != nil {
		return err
	}
	defer file.Close()
	pf, err := directory.ReadPostcodeCSV(file)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	if len(pf.Rejected) > 0 || pf.Skipped > 0 {
		return fmt.Errorf("%s: %d unreadable rows and %d without a position, want none", name, len(pf.Rejected), pf.Skipped)
	}
	_, err = directory.NewStore(q).SavePostcodes(ctx, pf.Postcodes)
	return err
}

// loadODSRecords loads the six places' GP practices and pharmacies, each
// listed in the place whose borough holds its postcode, as every import
// lists them. Records a site holds already are left as they are, so an
// editor's changes stand.
func loadODSRecords(ctx context.Context, q db.Querier) error {
	list, err := places.NewStore(q).List(ctx)
	if err != nil {
		return err
	}
	areas := make([]directory.PlaceArea, len(list))
	for i, p := range list {
		areas[i] = directory.PlaceArea{ID: p.ID, Name: p.Name, AreaCode: p.AreaCode}
	}
	files := []struct {
		name string
		term directory.TaxonomyTerm
	}{
		{"data/sel_gp_practices.csv", directory.TermGPPractice},
		{"data/sel_pharmacies.csv", directory.TermPharmacy},
	}
	for _, f := range files {
		file, err := dataFiles.Open(f.name)
		if err != nil {
			return err
		}
		records, bad, err := directory.ReadShippedCSV(file)
		file.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if len(bad) > 0 {
			return fmt.Errorf("%s: %d unreadable rows, first %v", f.name, len(bad), bad[0])
		}
		opts := directory.ODSImportOptions{Places: areas, KeepStored: true}
		sum, err := directory.SaveODS(ctx, q, records, f.term, opts, nil)
		if err != nil {
			return fmt.Errorf("%s: %w", f.name, err)
		}
		if sum.Skipped > 0 {
			return fmt.Errorf("%s: %d records not loaded, want none", f.name, sum.Skipped)
		}
	}
	return nil
}
