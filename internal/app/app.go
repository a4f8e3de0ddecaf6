// Package app wires joinedup together: it opens and migrates the database,
// loads the default data, mounts every domain's routes on the site and runs
// the HTTP server until it is told to stop.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"runtime/debug"
	"slices"
	"syscall"
	"time"

	accessview "github.com/joinedup/joinedup/internal/access"
	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/admin"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/formats"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/oruk"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/questions"
	"github.com/joinedup/joinedup/internal/registrations"
	"github.com/joinedup/joinedup/internal/search"
	"github.com/joinedup/joinedup/internal/seed"
	"github.com/joinedup/joinedup/internal/spam"
	"github.com/joinedup/joinedup/internal/web"
)

// version is set at build time with -ldflags "-X .../internal/app.version=v1.2.3".
var version = ""

// Version returns joinedup's version: the one stamped at build time, else
// the module version, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// Open opens the database (PostgreSQL when cfg names one, else SQLite in
// the data dir), applies migrations and loads any default data not loaded
// yet.
func Open(ctx context.Context, cfg config.Config, log *slog.Logger) (*db.DB, error) {
	var d *db.DB
	var err error
	if cfg.DatabaseURL != "" {
		d, err = db.OpenPostgres(ctx, cfg.DatabaseURL)
	} else {
		d, err = db.OpenSQLite(ctx, cfg.Database())
	}
	if err != nil {
		return nil, err
	}
	// One lock covers both, so that instances starting together on one
	// PostgreSQL database load the default data once.
	n, err := d.Setup(ctx, func(ctx context.Context) error {
		_, err := seed.Run(ctx, d, log)
		return err
	})
	if n > 0 {
		log.Info("database migrated", slog.Int("applied", n))
	}
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

// Handler builds the whole site on d.
func Handler(d *db.DB, cfg config.Config, log *slog.Logger) (http.Handler, error) {
	return handler(d, cfg, log, time.Now)
}

// handler builds the site with now as the admin's clock (for login
// back-off and one-time links), which tests move on.
func handler(d *db.DB, cfg config.Config, log *slog.Logger, now func() time.Time) (http.Handler, error) {
	site, err := newSite(d, cfg, log, now)
	if err != nil {
		return nil, err
	}
	return site.Handler(), nil
}

// newSite mounts every part of the site on d.
func newSite(d *db.DB, cfg config.Config, log *slog.Logger, now func() time.Time) (*web.Site, error) {
	site, err := web.New(web.Config{BaseURL: cfg.BaseURL, SiteName: "South East London", Version: Version(),
		NoPageCache: cfg.NoPageCache, TrustedProxies: cfg.TrustedProxies}, log, d.Generation)
	if err != nil {
		return nil, err
	}
	newsStore, eventStore, dirStore, boardStore := news.NewStore(d), events.NewStore(d), directory.NewStore(d), boards.NewStore(d)
	accessService := accessview.NewService(d)
	places.Mount(site, places.NewStore(d), placeFeed(newsStore, eventStore), placeCounts(dirStore), boardStore.PlaceLinks,
		accessService.PlaceLinks)
	accessview.Mount(site, accessService)
	news.Mount(site, newsStore)
	regs := registrations.NewService(d, outbox(cfg), cfg.BaseURL, cfg.Outbox(), now)
	if err := regs.Signer.Load(context.Background()); err != nil {
		return nil, err
	}
	personalData(d, cfg, regs, now)
	questionPages, err := questions.New(context.Background(), d, questions.Options{Now: now, Limits: questionLimits,
		Mailer: questions.Mailer{Outbox: outbox(cfg), BaseURL: site.Config().BaseURL, EraseURL: regs.EraseURL}, ClientIP: web.ClientIP})
	if err != nil {
		return nil, err
	}
	events.Mount(site, eventStore, events.Options{Places: eventPlaces(places.NewStore(d)), Meeting: questionPages.Details,
		Registration: regs.Summary})
	registrations.Mount(site, regs, registrations.Options{ClientIP: web.ClientIP})
	boards.Mount(site, boardStore, boards.Options{Now: now})
	questionPages.Mount(site)
	formatPages, err := formats.NewPages(context.Background(), d, formats.Options{Now: now, Limits: formatLimits,
		Mailer: formatMailer(cfg, site, regs), ClientIP: web.ClientIP, Team: formatTeam})
	if err != nil {
		return nil, err
	}
	formatPages.Mount(site, append(boards.FormatSources(boardStore), news.FormatSource(newsStore))...)
	oruk.Mount(site, dirStore, log)
	listings, err := newUpkeep(d, cfg, now)
	if err != nil {
		return nil, err
	}
	listings.Mount(site)
	directory.Mount(site, dirStore, directory.Options{Now: time.Now, Places: directoryPlaces(places.NewStore(d)),
		Links: []directory.ServiceLinksFunc{accessService.ServiceLinks, listings.ServiceLinks}})
	search.Mount(site, search.NewStore(d), search.Options{Services: directoryServices(dirStore)})
	key, err := secretKey(cfg)
	if err != nil {
		return nil, err
	}
	// On several instances the data dir's media folder is on storage they
	// share (see media.Blobs).
	blobs := media.NewDir(filepath.Join(cfg.DataDir, "media"))
	media.Mount(site, media.NewStore(d), blobs)
	admin.Mount(site, d, admin.Options{Now: now, Log: log, Blobs: blobs, SecretKey: key,
		Outbox: outbox(cfg), PapersPublished: notifySubscribers(regs), Registrations: regs, Upkeep: listings})
	site.GetUncached("/healthz", func(w http.ResponseWriter, r *http.Request) error {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		w.Header().Set("Cache-Control", "no-store")
		if err := d.Ping(ctx); err != nil {
			log.Error("health check failed", slog.Any("err", err))
			web.WriteBody(w, r, http.StatusServiceUnavailable, "application/json", []byte(`{"status":"unavailable"}`))
			return nil
		}
		web.WriteBody(w, r, http.StatusOK, "application/json", []byte(`{"status":"ok","version":"`+Version()+`"}`))
		return nil
	})
	mountMetrics(site, d, cfg, log)
	return site, nil
}

// questionLimits are the question form's spam limits; tests that send many
// questions from one address raise them.
var questionLimits = questions.DefaultLimits

// formatLimits are the spam limits of the request for another format;
// tests that send many requests from one address raise them.
var formatLimits = spam.DefaultLimits

// formatMailer writes the emails about requests for another format.
func formatMailer(cfg config.Config, site *web.Site, regs *registrations.Service) formats.Mailer {
	return formats.Mailer{Outbox: outbox(cfg), BaseURL: site.Config().BaseURL, EraseURL: regs.EraseURL}
}

// formatTeam is who is told of a new request for another format: the
// governance officers for papers and meetings, the editors of the post's
// place (or of every place) for posts; the administrators when there is
// nobody in that role.
func formatTeam(ctx context.Context, q db.Querier, r formats.Request) ([]string, error) {
	users, err := accounts.NewStore(q).List(ctx)
	if err != nil {
		return nil, err
	}
	var team, admins []string
	for _, u := range users {
		switch {
		case u.Disabled:
		case u.Role == accounts.Administrator:
			admins = append(admins, u.Email)
		case r.Kind.Governance() && u.Role == accounts.GovernanceOfficer,
			!r.Kind.Governance() && u.Role == accounts.Editor && (len(u.Places) == 0 || r.PlaceID != 0 && slices.Contains(u.Places, r.PlaceID)):
			team = append(team, u.Email)
		}
	}
	if len(team) == 0 {
		return admins, nil
	}
	return team, nil
}

// papersPublished, when set (by tests), replaces what tells a board's
// subscribers that a meeting's papers are public.
var papersPublished func(ctx context.Context, q db.Querier, boardID int64, m boards.Meeting) error

// notifySubscribers tells a board's subscribers that a meeting's papers
// are public, in the transaction that publishes them: once per meeting.
func notifySubscribers(regs *registrations.Service) func(ctx context.Context, q db.Querier, boardID int64, m boards.Meeting) error {
	if papersPublished != nil {
		return papersPublished
	}
	return func(ctx context.Context, q db.Querier, boardID int64, m boards.Meeting) error {
		m.BoardID = boardID
		_, _, err := regs.Subscriptions().NotifyOnce(ctx, q, m, "")
		return err
	}
}

// placeFeed merges the newest posts and events of a place into its cards.
func placeFeed(posts *news.Store, evs *events.Store) places.FeedFunc {
	return func(ctx context.Context, placeID int64, limit int) ([]places.Card, error) {
		ps, err := posts.LatestForPlace(ctx, placeID, limit)
		if err != nil {
			return nil, err
		}
		es, err := evs.LatestForPlace(ctx, placeID, limit)
		if err != nil {
			return nil, err
		}
		cards := make([]places.Card, 0, len(ps)+len(es))
		for _, p := range ps {
			cards = append(cards, places.Card{Label: p.Kind.Label(), Title: p.Title, Summary: p.Summary,
				URL: "/news/" + p.Slug, Date: p.PublishedAt, Image: p.Lead})
		}
		for _, e := range es {
			cards = append(cards, places.Card{Label: "Event", Status: e.Status.Label(), Title: e.Title, Summary: e.Summary,
				URL: "/events/" + e.Slug, Date: e.StartsAt, End: e.EndsAt, IsEvent: true})
		}
		places.SortCards(cards)
		if len(cards) > limit {
			cards = cards[:limit]
		}
		return cards, nil
	}
}

// directoryServices finds local services for the site search.
func directoryServices(dir *directory.Store) search.Services {
	return func(ctx context.Context, text string, limit int) ([]search.Result, int, error) {
		found, err := dir.Search(ctx, directory.Query{Text: text, PerPage: limit, Page: 1})
		if err != nil {
			return nil, 0, err
		}
		ids := make([]string, len(found.Hits))
		for i, h := range found.Hits {
			ids[i] = h.ServiceID
		}
		svcs, err := dir.Services(ctx, ids)
		if err != nil {
			return nil, 0, err
		}
		out := make([]search.Result, len(svcs))
		for i, svc := range svcs {
			out[i] = search.Result{Kind: "Service", URL: "/directory/services/" + svc.ID,
				Title: []search.Segment{{Text: svc.Name}}, Snippet: []search.Segment{{Text: svc.Description}}}
		}
		return out, found.Total, nil
	}
}

// eventPlaces lists the places events can be filtered by.
func eventPlaces(ps *places.Store) func(context.Context) ([]events.PlaceRef, error) {
	return func(ctx context.Context) ([]events.PlaceRef, error) {
		list, err := ps.List(ctx)
		if err != nil {
			return nil, err
		}
		refs := make([]events.PlaceRef, len(list))
		for i, p := range list {
			refs[i] = events.PlaceRef{ID: p.ID, Slug: p.Slug, Name: p.Name}
		}
		return refs, nil
	}
}

// directoryPlaces lists the places for the directory's pages.
func directoryPlaces(ps *places.Store) func(context.Context) ([]directory.PlaceRef, error) {
	return func(ctx context.Context) ([]directory.PlaceRef, error) {
		list, err := ps.List(ctx)
		if err != nil {
			return nil, err
		}
		refs := make([]directory.PlaceRef, len(list))
		for i, p := range list {
			refs[i] = directory.PlaceRef{ID: p.ID, Slug: p.Slug, Name: p.Name}
		}
		return refs, nil
	}
}

// placeCounts counts the active services of a place categorised as GP
// practices and as pharmacies, and says whether it holds any of each kind.
func placeCounts(dir *directory.Store) places.CountsFunc {
	return func(ctx context.Context, placeID int64) (places.ServiceCount, places.ServiceCount, error) {
		counts, err := dir.TermCounts(ctx, placeID, directory.TermGPPractice.ID, directory.TermPharmacy.ID)
		if err != nil {
			return places.ServiceCount{}, places.ServiceCount{}, err
		}
		count := func(id string) places.ServiceCount {
			c := counts[id]
			return places.ServiceCount{Open: c.Active, Known: c.Held > 0}
		}
		return count(directory.TermGPPractice.ID), count(directory.TermPharmacy.ID), nil
	}
}

// Serve runs the site until ctx is cancelled, then shuts down gracefully.
// ready, if not nil, is called with the listening address once requests can
// be served.
func Serve(ctx context.Context, cfg config.Config, log *slog.Logger, ready func(addr string)) error {
	if err := cfg.PrepareDataDir(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("address %s is already in use; stop the other server or choose another with --addr", cfg.Addr)
		}
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer ln.Close()
	d, err := Open(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer d.Close()
	site, err := newSite(d, cfg, log, time.Now)
	if err != nil {
		return err
	}
	if err := announceSetup(ctx, d, cfg, log, time.Now()); err != nil {
		return err
	}
	runner, err := newJobs(d, cfg, log, time.Now)
	if err != nil {
		return err
	}
	jobMetrics(site.Metrics(), runner)
	h := site.Handler()
	jobsCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	jobsDone := make(chan struct{})
	go func() {
		defer close(jobsDone)
		runner.Run(jobsCtx, 5*time.Second)
	}()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	addr := ln.Addr().String()
	log.Info("serving", slog.String("url", "http://"+addr), slog.String("base_url", cfg.BaseURL), slog.String("version", Version()))
	if ready != nil {
		ready(addr)
	}
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	// The jobs stop with the requests: a running job is told to stop (the
	// mail job claims no more messages and finishes those it is sending),
	// and is waited for, within jobsShutdownWait, so that its run is
	// recorded and its lease released before the database closes.
	stopJobs()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	shutdownErr := srv.Shutdown(shutdownCtx)
	select {
	case <-jobsDone:
	case <-time.After(jobsShutdownWait):
		log.Warn("a job was still running at shutdown; its lease will lapse", slog.Duration("waited", jobsShutdownWait))
	}
	if shutdownErr != nil {
		return fmt.Errorf("shutdown: %w", shutdownErr)
	}
	log.Info("stopped")
	return nil
}

// jobsShutdownWait bounds how long a shutdown waits for a running job:
// long enough for the email being sent to finish (an SMTP send gives up
// after a minute, most take well under a second).
const jobsShutdownWait = 30 * time.Second
