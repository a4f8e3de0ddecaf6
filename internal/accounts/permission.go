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
	// UseMedia lets a user into the media library. Images need EditContent
	// as well; PDFs (board papers) EditContent or ManageBoards, which the
	// handlers check.
	UseMedia Permission = "use_media"
)

// Permissions lists every permission, for checks that a route names a real one.
var Permissions = []Permission{Anyone, ViewAdmin, ManageAccounts, ViewPlaces, EditPlace, EditContent, ManageBoards, EditDirectory, UseMedia}

// Known reports whether p is one of Permissions.
func (p Permission) Known() bool { return slices.Contains(Permissions, p) }

// PlaceScoped reports whether p is checked against the {place} of the
// route as well as the role.
func (p Permission) PlaceScoped() bool { return p == EditPlace }

// rolePermissions is what each role may do.
var rolePermissions = map[Role][]Permission{
	Administrator:     {ViewAdmin, ManageAccounts, ViewPlaces, EditPlace, EditContent, ManageBoards, EditDirectory, UseMedia},
	Editor:            {ViewAdmin, ViewPlaces, EditPlace, EditContent, UseMedia},
	GovernanceOfficer: {ViewAdmin, ManageBoards, UseMedia},
	DirectoryEditor:   {ViewAdmin, EditDirectory},
	Reviewer:          {ViewAdmin, ViewPlaces},
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
