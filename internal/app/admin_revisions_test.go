package app

import (
	"context"
	"strconv"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/revisions"
)

// revisionOf stores record as a revision of kind/id, as if saved in the
// admin, and returns the revision's id.
func (s *adminSite) revisionOf(kind, id string, record any) string {
	s.t.Helper()
	ctx := context.Background()
	var rev int64
	err := s.db.Tx(ctx, func(q db.Querier) error {
		var err error
		rev, err = revisions.NewStore(q).Record(ctx, kind, id, 0, "seed", "", record)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return strconv.FormatInt(rev, 10)
}

func (s *adminSite) revisionOfPost(id int64) string {
	s.t.Helper()
	p, err := news.NewStore(s.db).ByID(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.revisionOf("post", strconv.FormatInt(id, 10), p)
}

func (s *adminSite) revisionOfEvent(id int64) string {
	s.t.Helper()
	e, err := events.NewStore(s.db).ByID(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.revisionOf("event", strconv.FormatInt(id, 10), e)
}

func (s *adminSite) revisionOfPlace(slug string) string {
	s.t.Helper()
	p, err := places.NewStore(s.db).BySlug(context.Background(), slug)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.revisionOf("place", slug, p)
}

// someService returns the id of a seeded directory service.
func (s *adminSite) someService() string {
	s.t.Helper()
	var id string
	if err := s.db.QueryRowContext(context.Background(), `SELECT id FROM dir_services ORDER BY name, id LIMIT 1`).Scan(&id); err != nil {
		s.t.Fatal(err)
	}
	return id
}

func (s *adminSite) revisionOfService(id string) string {
	s.t.Helper()
	svc, err := directory.NewStore(s.db).Service(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return s.revisionOf("service", id, svc)
}
