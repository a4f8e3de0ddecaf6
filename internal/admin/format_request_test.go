package admin

import (
	"reflect"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/formats"
)

// Each role answers its own requests for other formats: the scope its
// queue and its home-page count are drawn from.
func TestFormatScope(t *testing.T) {
	for _, c := range []struct {
		name string
		u    accounts.User
		want formats.Scope
	}{
		{"administrator", accounts.User{ID: 1, Role: accounts.Administrator}, formats.Scope{Governance: true, Editors: true}},
		{"governance officer", accounts.User{ID: 1, Role: accounts.GovernanceOfficer}, formats.Scope{Governance: true}},
		{"editor of every place", accounts.User{ID: 1, Role: accounts.Editor}, formats.Scope{Editors: true}},
		{"editor of two places", accounts.User{ID: 1, Role: accounts.Editor, Places: []int64{3, 5}}, formats.Scope{Editors: true, Places: []int64{3, 5}}},
		{"reviewer", accounts.User{ID: 1, Role: accounts.Reviewer}, formats.Scope{}},
		{"directory editor", accounts.User{ID: 1, Role: accounts.DirectoryEditor}, formats.Scope{}},
		{"disabled governance officer", accounts.User{ID: 1, Role: accounts.GovernanceOfficer, Disabled: true}, formats.Scope{}},
	} {
		if got := formatScope(c.u); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, want %+v", c.name, got, c.want)
		}
	}
	post := formats.Request{Kind: formats.Post, PlaceID: 3}
	if !inScope(accounts.User{ID: 1, Role: accounts.Editor, Places: []int64{3}}, post) {
		t.Error("the editor of a post's place does not answer its request")
	}
	if inScope(accounts.User{ID: 1, Role: accounts.Editor, Places: []int64{4}}, post) {
		t.Error("the editor of another place answers a post's request")
	}
	if inScope(accounts.User{ID: 1, Role: accounts.Editor, Places: []int64{3}}, formats.Request{Kind: formats.Post}) {
		t.Error("an editor of one place answers a request for a post for the whole system")
	}
	if inScope(accounts.User{ID: 1, Role: accounts.Editor}, formats.Request{Kind: formats.Paper, PlaceID: 3}) {
		t.Error("an editor answers a paper's request")
	}
}
