package admin

import (
	"context"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/questions"
	"github.com/joinedup/joinedup/internal/registrations"
	"github.com/joinedup/joinedup/internal/web"
)

// Options configures the admin.
type Options struct {
	// Now is the clock for login back-off and one-time links.
	Now func() time.Time
	Log *slog.Logger
	// Outbox queues the emails residents get when their questions move on.
	Outbox mail.Outbox
	// DataDir holds uploaded PDF papers.
	DataDir string
	// Registrations runs event registration (settings save, which may
	// book people from the waiting list and email them).
	Registrations *registrations.Service
}

type handlers struct {
	site     *web.Site
	db       *db.DB
	sessions *scs.SessionManager
	users    *accounts.Store
	logins   *accounts.Logins
	places   *places.Store
	news     *news.Store
	events   *events.Store
	boards   *boards.Store
	mailer   questions.Mailer
	dataDir  string
	now      func() time.Time
	log      *slog.Logger
	// registrations runs event registration.
	registrations *registrations.Service
}

// Mount registers the admin's routes on site.
func Mount(site *web.Site, d *db.DB, opts Options) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	https := strings.HasPrefix(site.Config().BaseURL, "https://")
	h := &handlers{site: site, db: d, sessions: accounts.NewSessions(d, https), users: accounts.NewStore(d),
		logins: accounts.NewLogins(d, opts.Now), places: places.NewStore(d), news: news.NewStore(d), events: events.NewStore(d), now: opts.Now, log: opts.Log,
		boards: boards.NewStore(d), mailer: questions.Mailer{Outbox: opts.Outbox, BaseURL: site.Config().BaseURL}, dataDir: opts.DataDir,
		registrations: opts.Registrations}
	h.sessions.ErrorFunc = site.Error
	rt := &Router{site: site, sessions: h.sessions, users: h.users, placeID: func(ctx context.Context, slug string) (int64, error) {
		return h.places.IDBySlug(ctx, slug)
	}}
	register(rt, h)
}

// register lists every admin route, with the permission each needs.
func register(r *Router, h *handlers) {
	r.Handle("GET /admin/login", accounts.Anyone, h.loginForm)
	r.Handle("POST /admin/login", accounts.Anyone, h.login)
	r.Handle("GET /admin/setup", accounts.Anyone, h.setupForm)
	r.Handle("POST /admin/setup", accounts.Anyone, h.setup)
	r.Handle("GET /admin/reset", accounts.Anyone, h.resetForm)
	r.Handle("POST /admin/reset", accounts.Anyone, h.reset)

	r.Handle("POST /admin/logout", accounts.ViewAdmin, h.logout)
	r.Handle("GET /admin/{$}", accounts.ViewAdmin, h.dashboard)
	r.Handle("GET /admin/account/password", accounts.ViewAdmin, h.passwordForm)
	r.Handle("POST /admin/account/password", accounts.ViewAdmin, h.changePassword)
	r.Handle("GET /admin/account/sessions", accounts.ViewAdmin, h.sessionsPage)
	r.Handle("POST /admin/account/sessions", accounts.ViewAdmin, h.logoutEverywhere)

	r.Handle("GET /admin/users", accounts.ManageAccounts, h.userList)
	r.Handle("GET /admin/users/new", accounts.ManageAccounts, h.userNewForm)
	r.Handle("POST /admin/users", accounts.ManageAccounts, h.userCreate)
	r.Handle("GET /admin/users/{id}", accounts.ManageAccounts, h.userEditForm)
	r.Handle("POST /admin/users/{id}", accounts.ManageAccounts, h.userUpdate)

	r.Handle("GET /admin/places", accounts.ViewPlaces, h.placeList)
	r.Handle("GET /admin/places/{place}", accounts.EditPlace, h.placeForm)
	r.Handle("POST /admin/places/{place}", accounts.EditPlace, h.placeSave)

	// Posts and events name their places in the record, not the path, so
	// the handlers check an editor's places (see canEditPlaces).
	r.Handle("GET /admin/posts", accounts.EditContent, h.postList)
	r.Handle("GET /admin/posts/new", accounts.EditContent, h.postNewForm)
	r.Handle("POST /admin/posts", accounts.EditContent, h.postCreate)
	r.Handle("GET /admin/posts/{id}", accounts.EditContent, h.postForm)
	r.Handle("POST /admin/posts/{id}", accounts.EditContent, h.postUpdate)

	r.Handle("GET /admin/events", accounts.EditContent, h.eventList)
	r.Handle("GET /admin/events/new", accounts.EditContent, h.eventNewForm)
	r.Handle("POST /admin/events", accounts.EditContent, h.eventCreate)
	r.Handle("GET /admin/events/{id}", accounts.EditContent, h.eventForm)
	r.Handle("POST /admin/events/{id}", accounts.EditContent, h.eventUpdate)
	r.Handle("GET /admin/events/{id}/registration", accounts.EditContent, h.registrationPage)
	r.Handle("POST /admin/events/{id}/registration", accounts.EditContent, h.registrationSave)
	r.Handle("GET /admin/events/{id}/registration/attendees.csv", accounts.EditContent, h.registrationExport)

	// Boards, their meetings and residents' questions, for governance
	// officers (and administrators) of every place.
	r.Handle("GET /admin/boards", accounts.ManageBoards, h.boardList)
	r.Handle("GET /admin/boards/new", accounts.ManageBoards, h.boardNewForm)
	r.Handle("POST /admin/boards", accounts.ManageBoards, h.boardCreate)
	r.Handle("GET /admin/boards/{id}", accounts.ManageBoards, h.boardForm)
	r.Handle("POST /admin/boards/{id}", accounts.ManageBoards, h.boardUpdate)
	r.Handle("GET /admin/boards/{id}/meetings/new", accounts.ManageBoards, h.meetingNewForm)
	r.Handle("POST /admin/boards/{id}/meetings", accounts.ManageBoards, h.meetingCreate)
	r.Handle("GET /admin/meetings/{id}", accounts.ManageBoards, h.meetingForm)
	r.Handle("POST /admin/meetings/{id}", accounts.ManageBoards, h.meetingUpdate)
	r.Handle("POST /admin/meetings/{id}/items", accounts.ManageBoards, h.agendaItemAdd)
	r.Handle("POST /admin/meetings/{id}/items/{part}/remove", accounts.ManageBoards, h.agendaItemRemove)
	r.Handle("POST /admin/meetings/{id}/papers", accounts.ManageBoards, h.paperAdd)
	r.Handle("POST /admin/meetings/{id}/papers/{part}/remove", accounts.ManageBoards, h.paperRemove)
	r.Handle("POST /admin/meetings/{id}/declarations", accounts.ManageBoards, h.declarationAdd)
	r.Handle("POST /admin/meetings/{id}/declarations/{part}/remove", accounts.ManageBoards, h.declarationRemove)
	r.Handle("GET /admin/questions", accounts.ManageBoards, h.questionQueue)
	r.Handle("GET /admin/questions/{id}", accounts.ManageBoards, h.questionForm)
	r.Handle("POST /admin/questions/{id}", accounts.ManageBoards, h.questionModerate)
	r.Handle("GET /admin/meetings/{id}/subscribers", accounts.ManageBoards, h.meetingSubscribers)
	r.Handle("POST /admin/meetings/{id}/subscribers", accounts.ManageBoards, h.meetingNotify)
}

// clientIP is the address the request came from, for login back-off.
// (Behind a proxy this is the proxy; trusting X-Forwarded-For needs a
// setting naming the proxy, which later work adds.)
func clientIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func placesStore(q db.Querier) *places.Store { return places.NewStore(q) }
