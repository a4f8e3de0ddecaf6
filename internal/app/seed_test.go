package app

import (
	"context"
	"testing"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/places"
)

var seededTables = []string{"systems", "places", "place_aims", "place_figures", "place_partners", "place_socials",
	"posts", "post_places", "events", "event_places", "dir_organizations", "dir_services", "dir_locations",
	"dir_service_at_locations", "dir_service_terms", "dir_phones", "seeds", "schema_migrations"}

func tableCounts(t *testing.T, s *testSite) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range seededTables {
		var n int
		if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		out[table] = n
	}
	return out
}

// Restarting on the same data dir duplicates nothing and keeps an editor's
// changes, including deletions.
func TestRestartChangesNothing(t *testing.T) {
	ctx := context.Background()
	cfg := config.Config{DataDir: t.TempDir(), BaseURL: "https://joinedup.example"}
	first := openTestSite(t, cfg)
	before := tableCounts(t, first)
	gps, pharmacies := shippedCounts()
	if before["places"] != 6 || before["dir_services"] != gps+pharmacies || before["dir_organizations"] != gps+pharmacies || before["posts"] != 2 || before["events"] != 2 {
		t.Fatalf("unexpected first seed: %v", before)
	}

	// An editor changes the population and removes a partner.
	sw, err := places.NewStore(first.db).BySlug(ctx, "southwark")
	if err != nil {
		t.Fatal(err)
	}
	if err := places.NewStore(first.db).SetFigure(ctx, sw.ID, places.Figure{Key: "population", Label: "Population", Value: 325000, SourceName: "Editor", AsOf: "2026"}); err != nil {
		t.Fatal(err)
	}
	if _, err := first.db.ExecContext(ctx, `DELETE FROM place_partners WHERE name = 'Healthwatch Southwark'`); err != nil {
		t.Fatal(err)
	}
	edited := tableCounts(t, first)
	first.srv.Close()
	first.db.Close()

	for restart := 1; restart <= 2; restart++ {
		again := openTestSite(t, cfg)
		after := tableCounts(t, again)
		for table, n := range edited {
			if after[table] != n {
				t.Errorf("restart %d: %s has %d rows, want %d", restart, table, after[table], n)
			}
		}
		figs := figures(t, again.page("/in-your-area/southwark"))
		if figs["Population"] != "325,000" {
			t.Errorf("restart %d: the editor's population was overwritten: %s", restart, figs["Population"])
		}
		again.srv.Close()
		again.db.Close()
	}
}
