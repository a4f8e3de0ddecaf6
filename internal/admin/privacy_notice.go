package admin

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/privacy"
	"github.com/joinedup/joinedup/internal/web"
)

var privacyCrumbs = []web.Crumb{{Label: "Admin", Href: "/admin/"}, {Label: "Privacy notice", Href: "/admin/privacy"}}

// noticeRecord is the privacy notice as its versions and audit entries
// keep it: its words, without the time it was saved.
type noticeRecord struct {
	Lede string `json:"lede"`
	Body string `json:"body"`
}

// privacyForm is the privacy notice form as typed.
type privacyForm struct {
	Lede, Body string
}

// ReadingAge is the privacy notice form's reading age panel.
func (f privacyForm) ReadingAge() *web.ReadingAge {
	return readingAge("readability", "the notice", measured{"lede", f.Lede, false}, measured{"body", f.Body, false})
}

type privacyData struct {
	Form   privacyForm
	Errors formErrors
	Tools  recordTools
	// CanEdit: the user may save the notice.
	CanEdit bool
}

func privacyTools() recordTools {
	return recordTools{Edit: "/admin/privacy", Noun: "privacy notice", Public: "/privacy"}
}

func (h *handlers) privacyData(u accounts.User, f privacyForm, errs formErrors) privacyData {
	return privacyData{Form: f, Errors: errs, Tools: privacyTools(), CanEdit: u.Can(accounts.EditPrivacyNotice)}
}

// privacyNoticeForm shows the privacy notice's words to edit (or, for a
// reviewer, to read).
func (h *handlers) privacyNoticeForm(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	n, err := privacy.NewNoticeStore(h.db).Notice(r.Context())
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_privacy.html", "Privacy notice", u, dashboardCrumbs,
		h.privacyData(u, privacyForm{Lede: n.Lede, Body: n.Body}, formErrors{}))
}

// privacyNoticeSave saves the notice's words as a new version.
func (h *handlers) privacyNoticeSave(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	if err := r.ParseForm(); err != nil {
		return web.BadRequest("The form could not be read.")
	}
	f := privacyForm{Lede: formText(r, "lede"), Body: formText(r, "body")}
	n := privacy.Notice{Lede: f.Lede, Body: f.Body}
	if problems := n.Validate(); len(problems) > 0 {
		var errs formErrors
		for _, field := range []string{"lede", "body"} {
			if msg, ok := problems[field]; ok {
				errs.add(field, msg)
			}
		}
		return h.render(w, r, http.StatusUnprocessableEntity, "admin_privacy.html", "Privacy notice", u, dashboardCrumbs,
			h.privacyData(u, f, errs))
	}
	before, err := privacy.NewNoticeStore(h.db).Notice(r.Context())
	if err != nil {
		return err
	}
	if err := h.saveNotice(r.Context(), u, before, n, ""); err != nil {
		return err
	}
	return h.redirect(w, r, "/admin/privacy", "The privacy notice has been saved and is on the public page.")
}

// saveNotice saves after over the notice before, with its audit entry and
// version, in one transaction.
func (h *handlers) saveNotice(ctx context.Context, u accounts.User, before, after privacy.Notice, note string) error {
	return h.db.Tx(ctx, func(q db.Querier) error {
		if err := privacy.NewNoticeStore(q).Save(ctx, after, h.now()); err != nil {
			return err
		}
		return recordChange(ctx, q, u, "privacy_notice", "1", "privacy_notice_updated",
			noticeRecord{before.Lede, before.Body}, noticeRecord{after.Lede, after.Body}, note)
	})
}

func (h *handlers) privacyVersions() versioned {
	return versioned{kind: "privacy_notice", noun: "privacy notice", list: privacyCrumbs[1],
		load: func(r *http.Request, _ accounts.User) (current, error) {
			n, err := privacy.NewNoticeStore(h.db).Notice(r.Context())
			return current{ID: "1", Title: "the privacy notice", Edit: "/admin/privacy", Record: noticeRecord{n.Lede, n.Body}}, err
		},
		restore: func(ctx context.Context, u accounts.User, cur current, data []byte, note string) (string, error) {
			var version noticeRecord
			if err := json.Unmarshal(data, &version); err != nil {
				return "", err
			}
			after := privacy.Notice{Lede: version.Lede, Body: version.Body}
			if problems := after.Validate(); len(problems) > 0 {
				for _, msg := range problems {
					return "This version cannot be saved as things are now: " + msg, nil
				}
			}
			before := cur.Record.(noticeRecord)
			return "", h.saveNotice(ctx, u, privacy.Notice{Lede: before.Lede, Body: before.Body}, after, note)
		}}
}
