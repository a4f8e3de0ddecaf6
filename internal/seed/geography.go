package seed

import (
	"context"
	"embed"
	"fmt"
	"io/fs"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/geography"
)

//go:embed data/*.geojson
var geoFiles embed.FS

// loadGeography loads the six places' wards (ONS, December 2024) and their
// 2011 LSOAs with IMD 2019 and mid-2020 population, for the access and
// inequality pages.
func loadGeography(ctx context.Context, q db.Querier) error {
	open := func(fsys fs.FS, name string) (fs.File, error) {
		f, err := fsys.Open("data/" + name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return f, nil
	}
	wf, err := open(geoFiles, "sel_ward_boundaries.geojson")
	if err != nil {
		return err
	}
	defer wf.Close()
	wards, err := geography.ReadWards(wf)
	if err != nil {
		return err
	}
	bf, err := open(geoFiles, "sel_lsoa11_boundaries.geojson")
	if err != nil {
		return err
	}
	defer bf.Close()
	imd, err := open(dataFiles, "sel_imd2019_lsoa.csv")
	if err != nil {
		return err
	}
	defer imd.Close()
	pop, err := open(dataFiles, "sel_population_lsoa11_mid2020.csv")
	if err != nil {
		return err
	}
	defer pop.Close()
	lsoas, err := geography.ReadLSOAs(geography.LSOAFiles{Boundaries: bf, IMD: imd, Population: pop})
	if err != nil {
		return err
	}
	return geography.NewStore(q).Save(ctx, wards, lsoas)
}
