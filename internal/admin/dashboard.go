package admin

import (
	"net/http"
	"strconv"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/attention"
	"github.com/joinedup/joinedup/internal/formats"
	"github.com/joinedup/joinedup/internal/mail"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// task is something the dashboard offers the user.
type task struct {
	Label       string
	Href        string
	Description string
}

func (h *handlers) dashboard(w http.ResponseWriter, r *http.Request, u accounts.User) error {
	var tasks []task
	if u.Can(accounts.EditPlace) {
		tasks = append(tasks, task{"Edit places", "/admin/places",
			"Change a place's purpose, aims, population figure, partners and social accounts."})
	} else if u.Can(accounts.ViewPlaces) {
		tasks = append(tasks, task{"Places", "/admin/places", "See the places and their public pages."})
	}
	if u.Can(accounts.EditContent) {
		tasks = append(tasks, task{"Posts", "/admin/posts", "Write news and residents' stories; publish now or later, or unpublish."},
			task{"Events", "/admin/events", "Add and change events, their times, venues and repeat rules."})
	}
	if !u.Can(accounts.EditContent) && u.Can(accounts.ViewContent) {
		tasks = append(tasks, task{"Posts", "/admin/posts", "Read the news and residents' stories, drafts included, and their versions."},
			task{"Events", "/admin/events", "Read the events, drafts included, and their versions."})
	}
	if !u.Can(accounts.ManageBoards) && u.Can(accounts.ViewBoards) {
		tasks = append(tasks, task{"Boards and meetings", "/admin/boards", "Read the boards, their question rules and their meetings."})
	}
	if !u.Can(accounts.EditDirectory) && u.Can(accounts.ViewDirectory) {
		tasks = append(tasks, task{"Directory", "/admin/directory", "Read the services' details and their versions."})
	}
	if !u.Can(accounts.UseMedia) && u.Can(accounts.ViewMedia) {
		tasks = append(tasks, task{"Media library", "/admin/media", "See the images and PDF papers and where they are used."})
	}
	if u.Can(accounts.ManageBoards) {
		tasks = append(tasks, task{"Boards and meetings", "/admin/boards",
			"Edit boards, their members and question rules; add meetings with their agendas, papers, declarations and minutes."},
			task{"Residents' questions", "/admin/questions", "Accept, answer or decline the questions residents send to meetings."})
	}
	if u.Can(accounts.AnswerFormatRequests) {
		tasks = append(tasks, task{"Requests for other formats", formats.QueueURL,
			"Answer residents' requests for papers, meeting pages and posts in Easy Read, large print, audio, BSL or another language."})
	}
	if u.Can(accounts.EditDirectory) {
		tasks = append(tasks, task{"Directory", "/admin/directory",
			"Find a service and change its details, contacts, locations, opening hours and status."},
			task{"Organisations", "/admin/directory/organizations", "Add, change and close organisations; invite their providers."},
			task{"Providers' proposals", "/admin/directory/proposals", "Approve or reject the changes providers propose to their services."})
	}
	if u.Can(accounts.ProposeServices) {
		tasks = append(tasks, task{"Your organisation's services", "/admin/provider",
			"Propose changes to your services, or a new one, for a directory editor to approve."})
	}
	if u.Can(accounts.EditContent) {
		tasks = append(tasks, task{"Media library", "/admin/media", "Upload images for posts and PDF papers; describe images for people who cannot see them."})
	} else if u.Can(accounts.UseMedia) {
		tasks = append(tasks, task{"Media library", "/admin/media", "Upload PDF papers."})
	}
	if u.Can(accounts.ManageAccounts) {
		tasks = append(tasks, task{"Accounts", "/admin/users", "Add accounts, change their roles and places, disable them."},
			task{"Audit log", "/admin/audit", "See who changed what and when, with each record before and after."})
		_, failed, err := mail.Failed(r.Context(), h.db, 0)
		if err != nil {
			return err
		}
		desc := "No email has failed: every message has been sent or is still being tried."
		if failed == 1 {
			desc = "1 email could not be sent after every try: see to whom, and why."
		} else if failed > 1 {
			desc = strconv.Itoa(failed) + " emails could not be sent after every try: see to whom, and why."
		}
		tasks = append(tasks, task{"Failed email", "/admin/mail", desc})
	}
	if u.Can(accounts.EditPrivacyNotice) {
		tasks = append(tasks, task{"Privacy notice", "/admin/privacy", "Edit the privacy notice residents read, with its versions."})
	} else if u.Can(accounts.ViewPrivacyNotice) {
		tasks = append(tasks, task{"Privacy notice", "/admin/privacy", "Read the privacy notice's words and their versions."})
	}
	if !u.Can(accounts.ManageAccounts) && u.Can(accounts.ViewAudit) {
		tasks = append(tasks, task{"Audit log", "/admin/audit", "See who changed what and when, with each record before and after."})
	}
	if !u.Can(accounts.ManageBoards) && u.Can(accounts.ViewQuestions) {
		tasks = append(tasks, task{"Residents' questions", "/admin/questions", "Read the questions residents send to meetings and their answers, without the residents' names and email addresses."})
	}
	tasks = append(tasks,
		task{"Change your password", "/admin/account/password", "Choose a new password; your other sessions end."},
		task{"Your sessions", "/admin/account/sessions", "Sign out on every device."},
		task{"Two-factor authentication", "/admin/account/two-factor", "Ask for a code from an app on your phone as well as your password."})
	waiting, err := attention.Gather(r.Context(), h.db, u, h.now(), h.upkeepKinds()...)
	if err != nil {
		return err
	}
	return h.render(w, r, http.StatusOK, "admin_dashboard.html", "Admin", u, nil, struct {
		Waiting []attention.Item
		Tasks   []task
	}{waiting, tasks})
}
