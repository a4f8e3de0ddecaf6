package admin

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/web"
)

// exportFile is what a record's JSON download holds.
type exportFile struct {
	Kind       string    `json:"kind"`
	ID         string    `json:"id"`
	ExportedAt time.Time `json:"exported_at"`
	ExportedBy string    `json:"exported_by"`
	Record     any       `json:"record"`
}

// recordExport answers a record's "Download as JSON" button with the
// record as a JSON file, and notes the download in the audit log. It is a
// POST, so that it is never prefetched and is refused across sites; the
// same checks apply as to editing the record.
func (h *handlers) recordExport(v versioned) HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request, u accounts.User) error {
		cur, err := v.load(r, u)
		if err != nil {
			return err
		}
		body, err := json.MarshalIndent(exportFile{Kind: v.kind, ID: cur.ID, ExportedAt: db.Now(), ExportedBy: u.Email,
			Record: cur.Record}, "", "  ")
		if err != nil {
			return err
		}
		err = h.db.Tx(r.Context(), func(q db.Querier) error {
			return accounts.Audit(r.Context(), q, accounts.Entry{UserID: u.ID, Actor: u.Email, Action: v.kind + "_exported",
				Record: v.kind + ":" + cur.ID})
		})
		if err != nil {
			return err
		}
		name := v.kind + "-" + strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' {
				return r
			}
			return -1
		}, cur.ID) + ".json"
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
		web.WriteBody(w, r, http.StatusOK, "application/json; charset=utf-8", append(body, '\n'))
		return nil
	}
}

// userExported is an account as its JSON download holds it: never its
// password hash.
type userExported struct {
	ID int64 `json:"id"`
	accounts.UserRecord
}

func (h *handlers) userVersions() versioned {
	return versioned{kind: "user", noun: "account", list: web.Crumb{Label: "Accounts", Href: "/admin/users"},
		load: func(r *http.Request, _ accounts.User) (current, error) {
			x, err := h.userByPath(r)
			return current{ID: itoa(x.ID), Title: x.Email, Edit: "/admin/users/" + itoa(x.ID),
				Record: userExported{ID: x.ID, UserRecord: x.Record()}}, err
		}}
}

// questionExport downloads a resident's question with the resident's
// details, for a request to see their data (a subject access request).
// There are no versions: moderation is in the audit log.
func (h *handlers) questionExport() versioned {
	return versioned{kind: "question", noun: "question", list: web.Crumb{Label: "Residents' questions", Href: "/admin/questions"},
		load: func(r *http.Request, _ accounts.User) (current, error) {
			q, _, _, err := h.questionByPath(r)
			if err != nil {
				return current{}, err
			}
			return current{ID: itoa(q.ID), Title: "Question " + q.Reference, Edit: "/admin/questions/" + itoa(q.ID), Record: q}, nil
		}}
}

// mediaExport downloads a media item's record (not its file).
func (h *handlers) mediaExport() versioned {
	return versioned{kind: "media", noun: "item", list: mediaCrumbs[len(mediaCrumbs)-1],
		load: func(r *http.Request, u accounts.User) (current, error) {
			it, err := h.mediaByPath(r, u)
			if err != nil {
				return current{}, err
			}
			return current{ID: itoa(it.ID), Title: it.Name, Edit: "/admin/media/" + itoa(it.ID), Record: it}, nil
		}}
}
