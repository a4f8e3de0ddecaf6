package admin

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/boards"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/events"
	"github.com/joinedup/joinedup/internal/formats"
	"github.com/joinedup/joinedup/internal/mail"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/news"
	"github.com/joinedup/joinedup/internal/places"
	"github.com/joinedup/joinedup/internal/providers"
	"github.com/joinedup/joinedup/internal/questions"
	"github.com/joinedup/joinedup/internal/registrations"
	"github.com/joinedup/joinedup/internal/upkeep"
	"github.com/joinedup/joinedup/internal/web"
)

// Options configures the admin.
type Options struct {
	// Now is the clock for login back-off and one-time links.
	Now func() time.Time
	Log *slog.Logger
	// Outbox queues the emails residents get when their questions move on.
	Outbox mail.Outbox
	// PapersPublished, if set, is called in the transaction that makes a
	// meeting's papers public: the first paper added to a published
	// meeting, or a meeting with papers published. It tells the board's
	// subscribers.
	PapersPublished func(ctx context.Context, q db.Querier, boardID int64, m boards.Meeting) error
	// Blobs keeps the media library's files.
	Blobs media.Blobs
	// SecretKey seals second-factor secrets in the database (32 bytes).
	SecretKey []byte
	// Registrations runs event registration (settings save, which may
	// book people from the waiting list and email them).
	Registrations *registrations.Service
	// Upkeep keeps the directory's listings true: residents' reports,
	// confirmations, stale records and automatic checks. Nil leaves its
	// pages out of the service page (its routes still need it).
	Upkeep *upkeep.Service
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
	// formatMailer emails residents about their requests for other formats.
	formatMailer formats.Mailer
	// papersPublished is Options.PapersPublished, or does nothing.
	papersPublished func(ctx context.Context, q db.Querier, boardID int64, m boards.Meeting) error
	// directory is the services directory.
	directory *directory.Store
	media     *media.Store
	blobs     media.Blobs
	totp      *accounts.TwoFactor
	now       func() time.Time
	log       *slog.Logger
	// registrations runs event registration.
	registrations *registrations.Service
	// providerMail sends providers their invitations and decisions.
	providerMail providers.Mailer
	// upkeep is Options.Upkeep.
	upkeep *upkeep.Service
}

// Mount registers the admin's routes on site.
func Mount(site *web.Site, d *db.DB, opts Options) {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	https := strings.HasPrefix(site.Config().BaseURL, "https://")
	h := &handlers{site: site, db: d, sessions: accounts.NewSessions(d, https), users: accounts.NewStore(d),
		logins: accounts.NewLogins(d, opts.Now), places: places.NewStore(d), news: news.NewStore(d), events: events.NewStore(d), now: opts.Now, log: opts.Log,
		boards: boards.NewStore(d), mailer: questions.Mailer{Outbox: opts.Outbox, BaseURL: site.Config().BaseURL, EraseURL: eraseURL(opts.Registrations)},
		media: media.NewStore(d), blobs: opts.Blobs, totp: accounts.NewTwoFactor(d, opts.SecretKey, opts.Now)}
	h.directory = directory.NewStore(d)
	h.providerMail = providers.Mailer{Outbox: opts.Outbox, BaseURL: site.Config().BaseURL}
	h.formatMailer = formats.Mailer{Outbox: opts.Outbox, BaseURL: site.Config().BaseURL, EraseURL: eraseURL(opts.Registrations)}
	h.papersPublished = opts.PapersPublished
	if h.papersPublished == nil {
		h.papersPublished = func(context.Context, db.Querier, int64, boards.Meeting) error { return nil }
	}
	h.registrations = opts.Registrations
	h.upkeep = opts.Upkeep
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
	r.Handle("GET /admin/search", accounts.ViewAdmin, h.adminSearch)
	r.Handle("GET /admin/account/password", accounts.ViewAdmin, h.passwordForm)
	r.Handle("POST /admin/account/password", accounts.ViewAdmin, h.changePassword)
	r.Handle("GET /admin/account/sessions", accounts.ViewAdmin, h.sessionsPage)
	r.Handle("POST /admin/account/sessions", accounts.ViewAdmin, h.logoutEverywhere)
	r.Handle("GET /admin/account/two-factor", accounts.ViewAdmin, h.twoFactorPage)
	r.Handle("POST /admin/account/two-factor", accounts.ViewAdmin, h.twoFactorEnable)
	r.Handle("GET /admin/account/two-factor/qr", accounts.ViewAdmin, h.twoFactorQR)
	r.Handle("POST /admin/account/two-factor/disable", accounts.ViewAdmin, h.twoFactorDisable)
	r.Handle("POST /admin/readability", accounts.ViewAdmin, h.readabilityMeasure)
	r.Handle("GET /admin/login/code", accounts.Anyone, h.codeForm)
	r.Handle("POST /admin/login/code", accounts.Anyone, h.code)

	r.Handle("GET /admin/users", accounts.ManageAccounts, h.userList)
	r.Handle("GET /admin/users/new", accounts.ManageAccounts, h.userNewForm)
	r.Handle("POST /admin/users", accounts.ManageAccounts, h.userCreate)
	r.Handle("GET /admin/users/{id}", accounts.ManageAccounts, h.userEditForm)
	r.Handle("POST /admin/users/{id}", accounts.ManageAccounts, h.userUpdate)
	r.Handle("POST /admin/users/{id}/two-factor", accounts.ManageAccounts, h.userResetTwoFactor)

	r.Handle("GET /admin/audit", accounts.ViewAudit, h.auditList)
	r.Handle("GET /admin/audit/{id}", accounts.ViewAudit, h.auditShow)
	r.Handle("GET /admin/privacy", accounts.ViewPrivacyNotice, h.privacyNoticeForm)
	r.Handle("POST /admin/privacy", accounts.EditPrivacyNotice, h.privacyNoticeSave)
	r.Handle("GET /admin/mail", accounts.ManageAccounts, h.failedMail)

	r.Handle("GET /admin/places", accounts.ViewPlaces, h.placeList)
	r.Handle("GET /admin/places/{place}", accounts.ViewPlaces, h.placeForm)
	r.Handle("POST /admin/places/{place}", accounts.EditPlace, h.placeSave)

	// Posts and events name their places in the record, not the path, so
	// the handlers check an editor's places (see canEditPlaces).
	r.Handle("GET /admin/posts", accounts.ViewContent, h.postList)
	r.Handle("GET /admin/posts/new", accounts.EditContent, h.postNewForm)
	r.Handle("POST /admin/posts", accounts.EditContent, h.postCreate)
	r.Handle("GET /admin/posts/{id}", accounts.ViewContent, h.postForm)
	r.Handle("POST /admin/posts/{id}", accounts.EditContent, h.postUpdate)
	r.Handle("POST /admin/posts/preview", accounts.EditContent, h.postPreviewNew)
	r.Handle("POST /admin/posts/bulk", accounts.EditContent, h.postBulk)
	r.Handle("GET /admin/posts/{id}/preview", accounts.ViewContent, h.postPreviewSaved)
	r.Handle("POST /admin/posts/{id}/preview", accounts.EditContent, h.postPreviewEdit)

	r.Handle("GET /admin/events", accounts.ViewContent, h.eventList)
	r.Handle("GET /admin/events/new", accounts.EditContent, h.eventNewForm)
	r.Handle("POST /admin/events", accounts.EditContent, h.eventCreate)
	r.Handle("GET /admin/events/{id}", accounts.ViewContent, h.eventForm)
	r.Handle("POST /admin/events/{id}", accounts.EditContent, h.eventUpdate)
	r.Handle("GET /admin/events/{id}/registration", accounts.EditContent, h.registrationPage)
	r.Handle("POST /admin/events/{id}/registration", accounts.EditContent, h.registrationSave)
	r.Handle("GET /admin/events/{id}/registration/attendees.csv", accounts.EditContent, h.registrationExport)
	r.Handle("GET /admin/events/{id}/registration/{reg}/cancel", accounts.EditContent, h.registrationCancelForm)
	r.Handle("POST /admin/events/{id}/registration/{reg}/cancel", accounts.EditContent, h.registrationCancel)

	r.Handle("POST /admin/events/preview", accounts.EditContent, h.eventPreviewNew)
	r.Handle("GET /admin/events/{id}/preview", accounts.ViewContent, h.eventPreviewSaved)
	r.Handle("POST /admin/events/{id}/preview", accounts.EditContent, h.eventPreviewEdit)

	r.Handle("GET /admin/directory", accounts.ViewDirectory, h.serviceList)
	r.Handle("GET /admin/directory/services/new", accounts.EditDirectory, h.serviceNewForm)
	r.Handle("POST /admin/directory/services", accounts.EditDirectory, h.serviceCreate)
	r.Handle("GET /admin/directory/services/{id}", accounts.ViewDirectory, h.serviceForm)
	r.Handle("POST /admin/directory/services/{id}", accounts.EditDirectory, h.serviceSave)
	r.Handle("POST /admin/directory/services/{id}/corrections", accounts.EditDirectory, h.correctionResolve)
	r.Handle("GET /admin/directory/organizations", accounts.ViewDirectory, h.organizationList)
	r.Handle("GET /admin/directory/organizations/new", accounts.EditDirectory, h.organizationNewForm)
	r.Handle("POST /admin/directory/organizations", accounts.EditDirectory, h.organizationCreate)
	r.Handle("GET /admin/directory/organizations/{id}", accounts.ViewDirectory, h.organizationForm)
	r.Handle("POST /admin/directory/organizations/{id}", accounts.EditDirectory, h.organizationSave)
	r.Handle("POST /admin/directory/organizations/{id}/close", accounts.EditDirectory, h.organizationClose)
	r.Handle("POST /admin/directory/organizations/{id}/providers", accounts.EditDirectory, h.providerInvite)
	r.Handle("GET /admin/directory/proposals", accounts.ViewDirectory, h.proposalList)
	r.Handle("GET /admin/directory/proposals/{id}", accounts.ViewDirectory, h.proposalShow)
	r.Handle("POST /admin/directory/proposals/{id}", accounts.EditDirectory, h.proposalDecide)

	// Providers: their organisation's services, and proposals for them.
	// The handlers check a service is of the provider's organisation.
	r.Handle("GET /admin/provider", accounts.ProposeServices, h.providerHome)
	r.Handle("GET /admin/provider/services/new", accounts.ProposeServices, h.providerNewForm)
	r.Handle("POST /admin/provider/services", accounts.ProposeServices, h.providerProposeNew)
	r.Handle("GET /admin/provider/services/{id}", accounts.ProposeServices, h.providerServiceForm)
	r.Handle("POST /admin/provider/services/{id}", accounts.ProposeServices, h.providerPropose)
	// Keeping listings true: confirming a record, the stale records and
	// the automatic checks' findings (which any directory reader may see),
	// and residents' reports, which hold their addresses and so are for
	// those who act on them.
	r.Handle("POST /admin/directory/services/{id}/confirm", accounts.EditDirectory, h.serviceConfirm)
	r.Handle("GET /admin/directory/stale", accounts.ViewDirectory, h.staleList)
	r.Handle("POST /admin/directory/stale/confirm", accounts.EditDirectory, h.staleConfirm)
	r.Handle("GET /admin/directory/checks", accounts.ViewDirectory, h.checkProblems)
	r.Handle("GET /admin/directory/reports", accounts.EditDirectory, h.reportQueue)
	r.Handle("POST /admin/directory/reports/close", accounts.EditDirectory, h.reportsClose)
	r.Handle("GET /admin/directory/reports/{id}", accounts.EditDirectory, h.reportForm)
	r.Handle("POST /admin/directory/reports/{id}", accounts.EditDirectory, h.reportUpdate)

	// Revisions: each record's routes check it as editing it does.
	// Reading them needs the kind's view permission.
	for _, k := range []struct {
		base       string
		perm, read accounts.Permission
		v          versioned
	}{
		{"/admin/places/{place}", accounts.EditPlace, accounts.ViewPlaces, h.placeVersions()},
		{"/admin/posts/{id}", accounts.EditContent, accounts.ViewContent, h.postVersions()},
		{"/admin/events/{id}", accounts.EditContent, accounts.ViewContent, h.eventVersions()},
		{"/admin/directory/services/{id}", accounts.EditDirectory, accounts.ViewDirectory, h.serviceVersions()},
		{"/admin/boards/{id}", accounts.ManageBoards, accounts.ViewBoards, h.boardVersions()},
		{"/admin/meetings/{id}", accounts.ManageBoards, accounts.ViewBoards, h.meetingVersions()},
		{"/admin/privacy", accounts.EditPrivacyNotice, accounts.ViewPrivacyNotice, h.privacyVersions()},
	} {
		r.Handle("GET "+k.base+"/revisions", k.read, h.revisionList(k.v))
		r.Handle("GET "+k.base+"/revisions/{rev}", k.read, h.revisionShow(k.v))
		r.Handle("POST "+k.base+"/revisions/{rev}/restore", k.perm, h.revisionRestore(k.v))
		r.Handle("POST "+k.base+"/export", k.perm, h.recordExport(k.v))
	}
	r.Handle("POST /admin/users/{id}/export", accounts.ManageAccounts, h.recordExport(h.userVersions()))

	// The media library: images need EditContent and PDFs EditContent or
	// ManageBoards, which the handlers check (see canChangeMedia).
	r.Handle("GET /admin/media", accounts.ViewMedia, h.mediaList)
	r.Handle("GET /admin/media/new", accounts.UseMedia, h.mediaUploadForm)
	r.Handle("POST /admin/media", accounts.UseMedia, h.mediaUpload)
	r.Handle("GET /admin/media/{id}", accounts.ViewMedia, h.mediaItem)
	r.Handle("POST /admin/media/{id}", accounts.UseMedia, h.mediaSave)
	r.Handle("POST /admin/media/{id}/delete", accounts.UseMedia, h.mediaDelete)
	r.Handle("POST /admin/media/{id}/export", accounts.UseMedia, h.recordExport(h.mediaExport()))

	// Boards, their meetings and residents' questions, for governance
	// officers (and administrators) of every place.
	r.Handle("GET /admin/boards", accounts.ViewBoards, h.boardList)
	r.Handle("GET /admin/boards/new", accounts.ManageBoards, h.boardNewForm)
	r.Handle("POST /admin/boards", accounts.ManageBoards, h.boardCreate)
	r.Handle("GET /admin/boards/{id}", accounts.ViewBoards, h.boardForm)
	r.Handle("POST /admin/boards/{id}", accounts.ManageBoards, h.boardUpdate)
	r.Handle("POST /admin/boards/{id}/archive", accounts.ManageBoards, h.boardArchive)
	r.Handle("POST /admin/boards/{id}/unarchive", accounts.ManageBoards, h.boardUnarchive)
	r.Handle("GET /admin/boards/{id}/meetings/new", accounts.ManageBoards, h.meetingNewForm)
	r.Handle("POST /admin/boards/{id}/meetings", accounts.ManageBoards, h.meetingCreate)
	r.Handle("GET /admin/meetings", accounts.ViewBoards, h.meetingList)
	r.Handle("GET /admin/meetings/{id}", accounts.ViewBoards, h.meetingForm)
	r.Handle("POST /admin/meetings/{id}", accounts.ManageBoards, h.meetingUpdate)
	r.Handle("POST /admin/meetings/{id}/archive", accounts.ManageBoards, h.meetingArchive)
	r.Handle("POST /admin/meetings/{id}/unarchive", accounts.ManageBoards, h.meetingUnarchive)
	r.Handle("POST /admin/meetings/{id}/items", accounts.ManageBoards, h.agendaItemAdd)
	r.Handle("POST /admin/meetings/{id}/items/{part}/remove", accounts.ManageBoards, h.agendaItemRemove)
	r.Handle("POST /admin/meetings/{id}/papers", accounts.ManageBoards, h.paperAdd)
	r.Handle("POST /admin/meetings/{id}/papers/{part}/remove", accounts.ManageBoards, h.paperRemove)
	r.Handle("POST /admin/meetings/{id}/alternatives", accounts.ManageBoards, h.alternativeAdd)
	r.Handle("POST /admin/meetings/{id}/alternatives/{part}/remove", accounts.ManageBoards, h.alternativeRemove)
	r.Handle("POST /admin/meetings/{id}/declarations", accounts.ManageBoards, h.declarationAdd)
	r.Handle("POST /admin/meetings/{id}/declarations/{part}/remove", accounts.ManageBoards, h.declarationRemove)
	r.Handle("GET /admin/questions", accounts.ViewQuestions, h.questionQueue)
	r.Handle("GET /admin/questions/{id}", accounts.ViewQuestions, h.questionForm)
	r.Handle("POST /admin/questions/{id}", accounts.ManageBoards, h.questionModerate)
	r.Handle("POST /admin/questions/{id}/export", accounts.ManageBoards, h.recordExport(h.questionExport()))
	// Residents' requests for other formats: the handlers keep each user
	// to the requests they answer (see formatScope).
	r.Handle("GET /admin/format-requests", accounts.AnswerFormatRequests, h.formatQueue)
	r.Handle("GET /admin/format-requests/{id}", accounts.AnswerFormatRequests, h.formatRequestForm)
	r.Handle("POST /admin/format-requests/{id}", accounts.AnswerFormatRequests, h.formatRequestUpdate)
	r.Handle("GET /admin/format-requests/settings", accounts.ManageAccounts, h.formatSettingsForm)
	r.Handle("POST /admin/format-requests/settings", accounts.ManageAccounts, h.formatSettingsSave)
	r.Handle("GET /admin/meetings/{id}/subscribers", accounts.ManageBoards, h.meetingSubscribers)
	r.Handle("POST /admin/meetings/{id}/subscribers", accounts.ManageBoards, h.meetingNotify)
}

func placesStore(q db.Querier) *places.Store { return places.NewStore(q) }

// eraseURL gives the link in residents' emails that deletes their details,
// when registrations (which own that link) are wired in.
func eraseURL(regs *registrations.Service) func(context.Context, string) (string, error) {
	if regs == nil {
		return nil
	}
	return regs.EraseURL
}
