package geography

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// geoJSON is the part of an RFC 7946 feature collection the loaders read.
type geoJSON struct {
	Features []struct {
		Properties map[string]string `json:"properties"`
		Geometry   struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	} `json:"features"`
}

func shapeOf(kind string, raw json.RawMessage) (Shape, error) {
	var polys [][][][2]float64
	switch kind {
	case "Polygon":
		var one [][][2]float64
		if err := json.Unmarshal(raw, &one); err != nil {
			return nil, err
		}
		polys = [][][][2]float64{one}
	case "MultiPolygon":
		if err := json.Unmarshal(raw, &polys); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("geometry %q is not a polygon", kind)
	}
	var s Shape
	for _, rings := range polys {
		var poly Polygon
		for _, pts := range rings {
			if len(pts) < 4 {
				return nil, fmt.Errorf("a ring of %d points: %w", len(pts), ErrBadShape)
			}
			r := make(Ring, len(pts))
			for i, p := range pts {
				if p[1] < -90 || p[1] > 90 || p[0] < -180 || p[0] > 180 {
					return nil, fmt.Errorf("position %v is out of range: %w", p, ErrBadShape)
				}
				r[i] = Point{Lat: p[1], Lon: p[0]}
			}
			poly = append(poly, r)
		}
		if len(poly) == 0 {
			return nil, fmt.Errorf("a polygon without rings: %w", ErrBadShape)
		}
		s = append(s, poly)
	}
	if len(s) == 0 {
		return nil, fmt.Errorf("no polygons: %w", ErrBadShape)
	}
	return s, nil
}

// ReadWards reads ward boundaries from GeoJSON whose features have the
// properties ward_code, ward_name, lad_code and lad_name.
func ReadWards(r io.Reader) ([]Ward, error) {
	var fc geoJSON
	if err := json.NewDecoder(r).Decode(&fc); err != nil {
		return nil, fmt.Errorf("geography: ward boundaries: %w", err)
	}
	out := make([]Ward, 0, len(fc.Features))
	for i, f := range fc.Features {
		w := Ward{Code: f.Properties["ward_code"], Name: f.Properties["ward_name"],
			AreaCode: f.Properties["lad_code"], AreaName: f.Properties["lad_name"]}
		if w.Code == "" || w.Name == "" || w.AreaCode == "" {
			return nil, fmt.Errorf("geography: ward boundaries: feature %d has no ward_code, ward_name or lad_code", i+1)
		}
		s, err := shapeOf(f.Geometry.Type, f.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("geography: ward %s: %w", w.Code, err)
		}
		w.Shape = s
		out = append(out, w)
	}
	return out, nil
}

// LSOAFiles are the three files that together describe the LSOAs.
type LSOAFiles struct {
	// Boundaries is GeoJSON with properties lsoa11_code, lsoa11_name and
	// lad_code.
	Boundaries io.Reader
	// IMD is CSV with columns lsoa11_code, imd_rank, imd_decile and
	// imd_score (others are ignored).
	IMD io.Reader
	// Population is CSV with columns lsoa11_code and persons_all_ages.
	Population io.Reader
}

// ReadLSOAs reads the LSOAs, each of which must be in all three files.
func ReadLSOAs(f LSOAFiles) ([]LSOA, error) {
	var fc geoJSON
	if err := json.NewDecoder(f.Boundaries).Decode(&fc); err != nil {
		return nil, fmt.Errorf("geography: LSOA boundaries: %w", err)
	}
	imd, err := readCSV(f.IMD, "lsoa11_code", "imd_rank", "imd_decile", "imd_score")
	if err != nil {
		return nil, fmt.Errorf("geography: IMD: %w", err)
	}
	pop, err := readCSV(f.Population, "lsoa11_code", "persons_all_ages")
	if err != nil {
		return nil, fmt.Errorf("geography: population: %w", err)
	}
	out := make([]LSOA, 0, len(fc.Features))
	for i, ft := range fc.Features {
		l := LSOA{Code: ft.Properties["lsoa11_code"], Name: ft.Properties["lsoa11_name"], AreaCode: ft.Properties["lad_code"]}
		if l.Code == "" || l.AreaCode == "" {
			return nil, fmt.Errorf("geography: LSOA boundaries: feature %d has no lsoa11_code or lad_code", i+1)
		}
		s, err := shapeOf(ft.Geometry.Type, ft.Geometry.Coordinates)
		if err != nil {
			return nil, fmt.Errorf("geography: LSOA %s: %w", l.Code, err)
		}
		l.Shape = s
		row, ok := imd[l.Code]
		if !ok {
			return nil, fmt.Errorf("geography: LSOA %s has no IMD 2019 row", l.Code)
		}
		if l.IMDRank, err = strconv.Atoi(row[1]); err != nil {
			return nil, fmt.Errorf("geography: LSOA %s: imd_rank %q is not a number", l.Code, row[1])
		}
		if l.IMDDecile, err = strconv.Atoi(row[2]); err != nil || l.IMDDecile < 1 || l.IMDDecile > 10 {
			return nil, fmt.Errorf("geography: LSOA %s: imd_decile %q is not 1 to 10", l.Code, row[2])
		}
		if l.IMDScore, err = strconv.ParseFloat(row[3], 64); err != nil {
			return nil, fmt.Errorf("geography: LSOA %s: imd_score %q is not a number", l.Code, row[3])
		}
		prow, ok := pop[l.Code]
		if !ok {
			return nil, fmt.Errorf("geography: LSOA %s has no mid-2020 population row", l.Code)
		}
		if l.Population, err = strconv.Atoi(prow[1]); err != nil || l.Population < 0 {
			return nil, fmt.Errorf("geography: LSOA %s: persons_all_ages %q is not a count", l.Code, prow[1])
		}
		delete(imd, l.Code)
		delete(pop, l.Code)
		out = append(out, l)
	}
	for code := range imd {
		return nil, fmt.Errorf("geography: LSOA %s has IMD but no boundary", code)
	}
	for code := range pop {
		return nil, fmt.Errorf("geography: LSOA %s has a population but no boundary", code)
	}
	return out, nil
}

// readCSV reads a CSV with a header, keeping the named columns of each row
// (in the order named), keyed by the first.
func readCSV(r io.Reader, columns ...string) (map[string][]string, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("header: %w", err)
	}
	at := make([]int, len(columns))
	for i, c := range columns {
		at[i] = -1
		for j, h := range header {
			if strings.TrimPrefix(strings.TrimSpace(h), "\ufeff") == c {
				at[i] = j
			}
		}
		if at[i] < 0 {
			return nil, fmt.Errorf("no column %q", c)
		}
	}
	out := map[string][]string{}
	for line := 2; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		row := make([]string, len(at))
		for i, j := range at {
			row[i] = strings.TrimSpace(rec[j])
		}
		if _, dup := out[row[0]]; dup {
			return nil, fmt.Errorf("line %d: %s appears twice", line, row[0])
		}
		out[row[0]] = row
	}
}
