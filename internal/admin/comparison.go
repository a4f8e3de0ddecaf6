package admin

import "github.com/joinedup/joinedup/internal/revisions"

// comparison is a record's fields in two versions, as the "admin-compare"
// template draws them: Before and After head the columns; Same is said
// when nothing differs.
type comparison struct {
	Changes       []revisions.Change
	Caption       string
	Before, After string
	Same          string
}

// Comparison compares the revision with the record as it is now.
func (d revisionData) Comparison() comparison {
	return comparison{Changes: d.Changes, Caption: "Fields that differ between this version and the current one",
		Before: "In this version", After: "Now", Same: "This version is the same as the " + d.Noun + " is now."}
}

// Comparison compares the record before and after the change.
func (d auditEntryData) Comparison() comparison {
	return comparison{Changes: d.Changes, Caption: "The record before and after the change",
		Before: "Before", After: "After", Same: "The entry holds no record, or the record did not change."}
}
