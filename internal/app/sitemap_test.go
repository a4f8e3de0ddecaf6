package app

import (
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/events"
)

func TestEventsInSitemap(t *testing.T) {
	s := newTestSite(t)
	s.addEvent(events.Event{Slug: "walk", Title: "Walk", StartsAt: hours(5), EndsAt: hours(6)})
	_, body := s.get("/sitemap.xml")
	for _, want := range []string{"<loc>https://joinedup.example/events</loc>", "<loc>https://joinedup.example/events/walk</loc>",
		"<loc>https://joinedup.example/events/partnership-southwark-strategic-board-22-may-2025</loc>"} {
		if !strings.Contains(body, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
}

func TestDirectoryInSitemap(t *testing.T) {
	s := newTestSite(t)
	_, body := s.get("/sitemap.xml")
	gps, pharmacies := shippedCounts()
	if n := strings.Count(body, "<loc>https://joinedup.example/directory/services/"); n != gps+pharmacies {
		t.Errorf("sitemap lists %d service pages, want the %d active services", n, gps+pharmacies)
	}
	if !strings.Contains(body, "<loc>https://joinedup.example/directory</loc>") {
		t.Error("sitemap lacks the directory search")
	}
}
