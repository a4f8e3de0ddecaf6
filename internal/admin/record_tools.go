package admin

// recordTools are the links an edit page offers about its record: its
// public page, a preview, its versions and a JSON download. Edit is the
// record's edit page; empty for a record not saved yet.
type recordTools struct {
	Edit    string
	Noun    string
	Public  string
	Preview string
}
