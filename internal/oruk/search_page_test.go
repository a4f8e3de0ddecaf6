package oruk

import (
	"testing"

	"github.com/joinedup/joinedup/internal/directory"
)

// TestSearchPageWhenTheCountStops checks the envelope of a search that
// counted only so far: it never says the last page is the last, so a
// client paging by last_page or total_pages reads on.
func TestSearchPageWhenTheCountStops(t *testing.T) {
	tests := []struct {
		name           string
		res            directory.Results
		page           int
		wantPages      int
		wantLast       bool
		wantTotalItems int
	}{
		{"exact", directory.Results{Total: 120}, 3, 3, true, 120},
		{"counted to the cap, first page", directory.Results{Total: 1000, More: true}, 1, 21, false, 1000},
		{"counted to the cap, its last page", directory.Results{Total: 1000, More: true}, 20, 21, false, 1000},
		{"counted to the end of a deep page", directory.Results{Total: 1050, More: true}, 21, 22, false, 1050},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := searchPage([]int{1}, tt.res, tt.page, 50)
			if p.TotalPages != tt.wantPages || p.LastPage != tt.wantLast || p.TotalItems != tt.wantTotalItems {
				t.Errorf("total_pages %d, last_page %v, total_items %d; want %d, %v, %d",
					p.TotalPages, p.LastPage, p.TotalItems, tt.wantPages, tt.wantLast, tt.wantTotalItems)
			}
		})
	}
}
