package oruk_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/oruk"
	"github.com/joinedup/joinedup/internal/places"
)

// Each imported service is listed in the place whose borough holds its
// postcode; --place lists there only what lies in no place's area; a
// re-import never takes a service off its place; and a postcode import
// lists in its place a service whose postcode was unknown before.
func TestImportListsServicesInTheirPlace(t *testing.T) {
	a := newTestAPI(t)
	ctx := context.Background()
	list, err := places.NewStore(a.db).List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var areas []directory.PlaceArea
	ids := map[string]int64{}
	for _, p := range list {
		areas = append(areas, directory.PlaceArea{ID: p.ID, Name: p.Name, AreaCode: p.AreaCode})
		ids[p.Slug] = p.ID
	}
	services := feedServices(t, 3, 0)
	for i, pc := range []string{"SW2 2TH", "br3 5nt", "M1 1AE"} { // Lambeth, Bromley, Manchester (not held)
		addr := services[i]["service_at_locations"].([]any)[0].(map[string]any)["location"].(map[string]any)["addresses"].([]any)[0].(map[string]any)
		addr["postal_code"], addr["country"] = pc, "GB"
	}
	b, _ := json.Marshal(services)
	path := filepath.Join(t.TempDir(), "services.json")
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	placeOf := func() []int64 {
		t.Helper()
		out := make([]int64, len(services))
		for i, s := range services {
			svc, err := directory.NewStore(a.db).Service(ctx, s["id"].(string))
			if err != nil {
				t.Fatal(err)
			}
			out[i] = svc.PlaceID
		}
		return out
	}
	check := func(step string, want ...int64) {
		t.Helper()
		got := placeOf()
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: service %d is listed in place %d, want %d", step, i+1, got[i], want[i])
			}
		}
	}
	importFeed := func(opts oruk.ImportOptions) {
		t.Helper()
		opts.Places = areas
		if _, err := oruk.ImportFeed(ctx, a.db, path, opts, nil); err != nil {
			t.Fatal(err)
		}
	}

	importFeed(oruk.ImportOptions{})
	check("first import", ids["lambeth"], ids["bromley"], 0)
	importFeed(oruk.ImportOptions{FallbackPlaceID: ids["southwark"]})
	check("with --place southwark", ids["lambeth"], ids["bromley"], ids["southwark"])
	importFeed(oruk.ImportOptions{})
	check("again without --place", ids["lambeth"], ids["bromley"], ids["southwark"])

	// Manchester's postcode arrives, as if it were in Bexley.
	var moved int
	err = a.db.Tx(ctx, func(q db.Querier) error {
		if _, err := directory.NewStore(q).SavePostcodes(ctx, []directory.Postcode{
			{Postcode: "M1 1AE", Point: directory.Point{Lat: 53.48, Lon: -2.24}, AreaCode: "E09000004"}}); err != nil {
			return err
		}
		var err error
		moved, err = directory.PlaceByPostcode(ctx, q, areas)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if moved != 1 {
		t.Errorf("the postcode import moved %d services, want 1", moved)
	}
	check("after the postcode import", ids["lambeth"], ids["bromley"], ids["bexley"])
}
