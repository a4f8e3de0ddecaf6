package app

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/media/mediatest"
)

// uploadFor sends the upload form with the places (slugs) ticked.
func (b *browser) uploadFor(alt, fileName string, data []byte, places ...string) response {
	b.s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("alt", alt)
	for _, p := range places {
		mw.WriteField("places", p)
	}
	fw, err := mw.CreateFormFile("file", fileName)
	if err != nil {
		b.s.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.s.srv.URL+"/admin/media", &body)
	if err != nil {
		b.s.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.send(req)
}

func (s *adminSite) uploaded(t *testing.T, res response) media.Item {
	t.Helper()
	m := savedMedia.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("upload: %d %q\n%s", res.status, res.location, errorSummary(res.body))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	it, err := media.NewStore(s.db).ByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// Media can be limited to places: an editor of one place sees and uses
// only the files of their places and those for every place, and may limit
// files to their own places only.
func TestMediaLimitedToPlaces(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	s.addUser("se@example.org", accounts.Editor, "southwark")
	s.addUser("lew@example.org", accounts.Editor, "lewisham")
	s.addUser("rev@example.org", accounts.Reviewer)
	boss := s.visitor().mustLogin("boss@example.org")
	se := s.visitor().mustLogin("se@example.org")
	lew := s.visitor().mustLogin("lew@example.org")
	rev := s.visitor().mustLogin("rev@example.org")
	southwark, lewisham := s.placeID("southwark"), s.placeID("lewisham")

	refused := se.uploadFor("Minutes kept", "minutes.pdf", mediatest.PDF(), "lewisham")
	if refused.status != http.StatusUnprocessableEntity || !strings.Contains(refused.body, "only limit a file to the places your account may change") ||
		!strings.Contains(refused.body, "Minutes kept") {
		t.Errorf("an editor limiting a file to another place: %d\n%s", refused.status, errorSummary(refused.body))
	}
	sePDF := s.uploaded(t, se.uploadFor("Southwark minutes", "minutes.pdf", mediatest.PDF(), "southwark"))
	if !slices.Equal(sePDF.PlaceIDs, []int64{southwark}) {
		t.Fatalf("places of the Southwark PDF: %v", sePDF.PlaceIDs)
	}
	everyone := s.uploaded(t, boss.uploadFor("Red and blue", "everyone.jpg", mediatest.JPEGWithEXIF(mediatest.Halves(40, 40, red, blue), 1)))
	lewImage := s.uploaded(t, boss.uploadFor("Blue and red", "lewisham.jpg", mediatest.JPEGWithEXIF(mediatest.Halves(40, 40, blue, red), 1), "lewisham"))

	has := func(b *browser, it media.Item) bool {
		return strings.Contains(b.get("/admin/media").body, `href="/admin/media/`+itoa(it.ID)+`"`)
	}
	for _, c := range []struct {
		who  string
		b    *browser
		it   media.Item
		sees bool
	}{
		{"the editor of Southwark", se, sePDF, true}, {"the editor of Southwark", se, everyone, true}, {"the editor of Southwark", se, lewImage, false},
		{"the editor of Lewisham", lew, sePDF, false}, {"the editor of Lewisham", lew, everyone, true}, {"the editor of Lewisham", lew, lewImage, true},
		{"the administrator", boss, sePDF, true}, {"the administrator", boss, lewImage, true}, {"the reviewer", rev, sePDF, true}, {"the reviewer", rev, lewImage, true},
	} {
		if got := has(c.b, c.it); got != c.sees {
			t.Errorf("%s sees %s in the list: %v, want %v", c.who, c.it.Name, got, c.sees)
		}
		want := http.StatusOK
		if !c.sees {
			want = http.StatusForbidden
		}
		if res := c.b.get("/admin/media/" + itoa(c.it.ID)); res.status != want {
			t.Errorf("%s opening %s: %d, want %d", c.who, c.it.Name, res.status, want)
		}
	}
	if page := lew.get("/admin/media"); !strings.Contains(page.body, "You see the files for Lewisham and those for every place") {
		t.Errorf("the Lewisham editor's list does not say it is limited")
	}
	if res := lew.post("/admin/media/"+itoa(sePDF.ID)+"/delete", nil); res.status != http.StatusForbidden {
		t.Errorf("the Lewisham editor deleting Southwark's file: %d", res.status)
	}

	// Using: the post form offers and takes only the images one may use.
	form := se.get("/admin/posts/new")
	if !strings.Contains(form.body, `value="`+itoa(everyone.ID)+`"`) || strings.Contains(form.body, `value="`+itoa(lewImage.ID)+`"`) {
		t.Errorf("the Southwark editor's post form offers the wrong images")
	}
	res := se.post("/admin/posts", postForm("with-lewisham-image", "now", "lead_image", itoa(lewImage.ID)))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "for other places than yours") {
		t.Errorf("a post with another place's image: %d\n%s", res.status, errorSummary(res.body))
	}
	if res := se.post("/admin/posts", postForm("with-shared-image", "now", "lead_image", itoa(everyone.ID))); res.status != http.StatusSeeOther {
		t.Errorf("a post with an image for every place: %d\n%s", res.status, errorSummary(res.body))
	}

	// Editing: the administrator limits the file to both places; the
	// Southwark editor unticking theirs keeps Lewisham, which is not theirs.
	item := "/admin/media/" + itoa(sePDF.ID)
	if res := boss.post(item, map[string][]string{"alt": {"Southwark minutes"}, "places": {"southwark", "lewisham"}}); res.status != http.StatusSeeOther {
		t.Fatalf("the administrator limiting to two places: %d\n%s", res.status, errorSummary(res.body))
	}
	if res := se.post(item, map[string][]string{"alt": {"Minutes"}}); res.status != http.StatusSeeOther {
		t.Fatalf("the Southwark editor saving: %d\n%s", res.status, errorSummary(res.body))
	}
	got, err := media.NewStore(s.db).ByID(context.Background(), sePDF.ID)
	if err != nil || !slices.Equal(got.PlaceIDs, []int64{lewisham}) {
		t.Errorf("places after the Southwark editor unticked theirs: %v, want only Lewisham (%v)", got.PlaceIDs, err)
	}
	if bad := se.post("/admin/media/"+itoa(everyone.ID), map[string][]string{"alt": {"Kept alt"}, "places": {"lewisham"}}); bad.status != http.StatusUnprocessableEntity ||
		!strings.Contains(bad.body, "Kept alt") {
		t.Errorf("the Southwark editor limiting a file to Lewisham: %d", bad.status)
	}
}

// The media library is listed 30 files to a page.
func TestMediaLibraryIsPaged(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	boss := s.visitor().mustLogin("boss@example.org")
	ctx := context.Background()
	err := s.db.Tx(ctx, func(q db.Querier) error {
		for i := range 31 {
			_, err := media.NewStore(q).Create(ctx, media.Item{Fingerprint: fmt.Sprintf("%032x", i+1), Kind: media.KindPDF,
				Name: fmt.Sprintf("paper-%02d.pdf", i+1), Format: "pdf", Bytes: 100})
			if err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	first := boss.get("/admin/media")
	if n := strings.Count(first.body, `.pdf</a></h3>`); n != 30 {
		t.Errorf("page 1 lists %d files, want 30", n)
	}
	if !strings.Contains(first.body, "31 files, page 1 of 2") || !strings.Contains(first.body, `href="/admin/media?page=2" rel="next"`) {
		t.Errorf("page 1 does not lead to page 2:\n%s", first.body)
	}
	second := boss.get("/admin/media?page=2")
	if n := strings.Count(second.body, `.pdf</a></h3>`); n != 1 || !strings.Contains(second.body, "paper-01.pdf") {
		t.Errorf("page 2 lists %d files, want the oldest one", n)
	}
	if res := boss.get("/admin/media?page=3"); res.status != http.StatusNotFound {
		t.Errorf("page 3: %d", res.status)
	}
}
