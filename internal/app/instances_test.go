package app

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/dbtest"
)

// Two instances starting at once on one new PostgreSQL database both come
// up, and the schema and the default data are there once.
func TestInstancesStartingTogetherSetUpOnce(t *testing.T) {
	url := dbtest.Empty(t)
	if url == "" {
		t.Skip("instances share a database only on PostgreSQL")
	}
	cfg := config.Config{DataDir: t.TempDir(), DatabaseURL: url, BaseURL: "https://joinedup.example"}
	var wg sync.WaitGroup
	var errs [2]error
	for i := range errs {
		wg.Go(func() {
			d, err := Open(context.Background(), cfg, quietLog())
			if err == nil {
				err = d.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
	}
	counts := tableCounts(t, openTestSite(t, cfg))
	gps, pharmacies := shippedCounts()
	if counts["places"] != 6 || counts["dir_services"] != gps+pharmacies || counts["posts"] != 2 || counts["events"] != 2 {
		t.Errorf("after two instances started: %v; want the default data once", counts)
	}
}

// Two instances on one PostgreSQL database: a change written through one
// is on the other's pages promptly, although each keeps a page cache.
func TestInstancesSeeEachOthersChanges(t *testing.T) {
	cfg := onTestEngine(t, config.Config{DataDir: t.TempDir(), BaseURL: "https://joinedup.example"})
	if cfg.DatabaseURL == "" {
		t.Skip("instances share a database only on PostgreSQL")
	}
	a, b := openTestSite(t, cfg), openTestSite(t, cfg)
	const page = "/in-your-area/southwark"
	for _, s := range []*testSite{a, b} {
		if _, body := s.get(page); strings.Contains(body, "Summary from the other instance") {
			t.Fatal("the summary is there before it is written")
		}
	}
	if _, err := a.db.ExecContext(context.Background(), `UPDATE places SET summary = $1, updated_at = $2 WHERE slug = $3`,
		"Summary from the other instance.", db.Now(), "southwark"); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body := b.get(page)
		if strings.Contains(body, "Summary from the other instance") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the other instance still serves the page from before the change")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
