package accounts

import "slices"

// Permission is something a user may do in the admin. Every admin route
// declares the one it needs where it is registered.
type Permission string

// The permissions.
const (
	// Anyone marks the few admin routes for people not signed in: the
	// login, first set-up and password reset pages.
	Anyone Permission = "anyone"
	// ViewAdmin lets a user into the admin: the dashboard and their own
	// account.
	ViewAdmin Permission = "view_admin"
	// ManageAccounts lets a user add, change and disable accounts.
	ManageAccounts Permission = "manage_accounts"
	// ViewPlaces lets a user see the places' editing pages.
	ViewPlaces Permission = "view_places"
	// EditPlace lets a user change a place; routes needing it carry the
	// place in their {place} path value, and an editor limited to other
	// places is refused.
	EditPlace Permission = "edit_place"
	// EditContent lets a user write posts and events.
	EditContent Permission = "edit_content"
	// ManageBoards lets a user run boards, meetings and public questions.
	ManageBoards Permission = "manage_boards"
	// EditDirectory lets a user change directory records.
	EditDirectory Permission = "edit_directory"
	// ViewContent, ViewBoards, ViewDirectory and ViewMedia let a user read
	// the admin's lists and record pages of posts and events, of boards
	// and meetings, of directory services and of the media library,
	// without changing them. A user who may also edit is limited, on
	// reading as on editing, to their places (the handlers check).
	ViewContent   Permission = "view_content"
	ViewBoards    Permission = "view_boards"
	ViewDirectory Permission = "view_directory"
	ViewMedia     Permission = "view_media"
	// UseMedia lets a user into the media library. Images need EditContent
	// as well; PDFs (board papers) EditContent or ManageBoards, which the
	// handlers check.
	UseMedia Permission = "use_media"
	// ProposeServices lets a provider propose changes to their
	// organisation's services and new ones, which a directory editor
	// approves before they are public. The handlers check that a service
	// is their organisation's.
	ProposeServices Permission = "propose_services"
	// AnswerFormatRequests lets a user into the queue of residents'
	// requests for another format: governance officers answer those for
	// papers and meetings, editors those for posts of their places (the
	// handlers check).
	AnswerFormatRequests Permission = "answer_format_requests"
	// EditPrivacyNotice lets a user change the privacy notice's words;
	// ViewPrivacyNotice lets them read its admin page and versions.
	EditPrivacyNotice Permission = "edit_privacy_notice"
	ViewPrivacyNotice Permission = "view_privacy_notice"
	// ViewAudit lets a user read the audit log.
	ViewAudit Permission = "view_audit"
	// ViewQuestions lets a user read residents' questions to boards: the
	// queue and each question. A user who may not also ManageBoards reads
	// them without the residents' names and email addresses (the
	// handlers hide them).
	ViewQuestions Permission = "view_questions"
)

// Permissions lists every permission, for checks that a route names a real one.
var Permissions = []Permission{Anyone, ViewAdmin, ManageAccounts, ViewPlaces, EditPlace, EditContent, ManageBoards, EditDirectory,
	UseMedia, ViewContent, ViewBoards, ViewDirectory, ViewMedia, ProposeServices, AnswerFormatRequests, EditPrivacyNotice, ViewPrivacyNotice, ViewAudit, ViewQuestions}

// Known reports whether p is one of Permissions.
func (p Permission) Known() bool { return slices.Contains(Permissions, p) }

// PlaceScoped reports whether p is checked against the {place} of the
// route as well as the role.
func (p Permission) PlaceScoped() bool { return p == EditPlace }

// rolePermissions is what each role may do.
var rolePermissions = map[Role][]Permission{
	Administrator: {ViewAdmin, ManageAccounts, ViewPlaces, EditPlace, EditContent, ManageBoards, EditDirectory, UseMedia,
		ViewContent, ViewBoards, ViewDirectory, ViewMedia, AnswerFormatRequests, EditPrivacyNotice, ViewPrivacyNotice, ViewAudit, ViewQuestions},
	Editor:            {ViewAdmin, ViewPlaces, EditPlace, EditContent, UseMedia, ViewContent, ViewMedia, AnswerFormatRequests},
	GovernanceOfficer: {ViewAdmin, ManageBoards, UseMedia, ViewBoards, ViewMedia, AnswerFormatRequests, ViewQuestions},
	DirectoryEditor:   {ViewAdmin, EditDirectory, ViewDirectory},
	// A reviewer reads the places, content, boards and meetings, the
	// directory, the media library, residents' questions (without their
	// names and email addresses), the privacy notice and the audit log,
	// with every version, and changes nothing. Attendees and subscribers
	// (personal data) and accounts are not theirs to read.
	Reviewer: {ViewAdmin, ViewPlaces, ViewContent, ViewBoards, ViewDirectory, ViewMedia, ViewPrivacyNotice, ViewAudit, ViewQuestions},
	// A provider sees their own account and their organisation's services,
	// and proposes changes; nothing they do is public until approved.
	Provider: {ViewAdmin, ProposeServices},
}

// ReadOnly reports whether the user reads the admin without this
// request's own permission to change: a GET by a user who may view with
// view but not edit with edit. Handlers that check a record's places on
// top of the route's permission let such a user read any record.
func (u User) ReadOnly(method string, edit, view Permission) bool {
	return (method == "GET" || method == "HEAD") && !u.Can(edit) && u.Can(view)
}

// Can reports whether the user's role grants p. A disabled user can do
// nothing; Anyone is granted to all.
func (u User) Can(p Permission) bool {
	if p == Anyone {
		return true
	}
	if u.Disabled || u.ID == 0 {
		return false
	}
	return slices.Contains(rolePermissions[u.Role], p)
}

// CanEditPlace reports whether the user may change the place with this id:
// their role lets them edit places and, for an editor limited to some
// places, it is one of them.
func (u User) CanEditPlace(placeID int64) bool {
	if !u.Can(EditPlace) {
		return false
	}
	if u.Role != Editor || len(u.Places) == 0 {
		return true
	}
	return slices.Contains(u.Places, placeID)
}
