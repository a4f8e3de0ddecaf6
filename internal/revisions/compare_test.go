package revisions

import (
	"reflect"
	"testing"
)

func TestHumanise(t *testing.T) {
	for in, want := range map[string]string{"Title": "Title", "PullQuoteBy": "Pull quote by", "OnlineURL": "Online URL",
		"ODSCode": "ODS code", "VenueAccessibility": "Venue accessibility", "ID": "ID"} {
		if got := Humanise(in); got != want {
			t.Errorf("Humanise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCompare(t *testing.T) {
	before := []byte(`{"ID": 3, "Title": "Walk", "Draft": true, "UpdatedAt": "2026-01-01T10:00:00Z",
		"Partners": [{"Name": "A", "URL": "https://a.example"}, {"Name": "B", "URL": ""}], "StartsAt": "2026-03-27T09:30:00Z",
		"Gone": "old"}`)
	after := []byte(`{"ID": 3, "Title": "Run", "Draft": false, "UpdatedAt": "2026-02-01T10:00:00Z",
		"Partners": [{"Name": "A", "URL": "https://a.example"}], "StartsAt": "2026-03-27T09:30:00Z", "Added": 12}`)
	got, err := Compare(before, after)
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{
		{Field: "Title", Before: "Walk", After: "Run"},
		{Field: "Draft", Before: "Yes", After: "No"},
		{Field: "Added", After: "12"},
		{Field: "Partners › 2 › Name", Before: "B"},
		{Field: "Gone", Before: "old"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Compare =\n%+v\nwant\n%+v", got, want)
	}
	// Times read in UK time; the unchanged one is not listed.
	fields, err := Fields(after)
	if err != nil {
		t.Fatal(err)
	}
	var starts string
	for _, f := range fields {
		if f.Field == "Starts at" {
			starts = f.After
		}
	}
	if starts != "27 March 2026 9.30am" {
		t.Errorf("a time reads %q, want 27 March 2026 9.30am", starts)
	}
	if _, err := Compare([]byte(`{"Title": `), after); err == nil {
		t.Error("Compare of broken JSON: no error")
	}
	if got, err := Compare(nil, nil); err != nil || len(got) != 0 {
		t.Errorf("Compare of nothing = %v, %v", got, err)
	}
}
