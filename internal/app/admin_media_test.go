package app

import (
	"bytes"
	"context"
	"image"
	"image/color"
	_ "image/jpeg"
	_ "image/png"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/media"
	"github.com/joinedup/joinedup/internal/media/mediatest"
)

var (
	red  = color.NRGBA{R: 255, A: 255}
	blue = color.NRGBA{B: 255, A: 255}
)

// upload sends the media upload form: alt text, the decorative box
// (when decorative is "yes") and a file.
func (b *browser) upload(alt, decorative, fileName string, data []byte) response {
	b.s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("alt", alt)
	if decorative != "" {
		mw.WriteField("decorative", decorative)
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

var savedMedia = regexp.MustCompile(`^/admin/media/(\d+)$`)

// mustUpload uploads a file that must be accepted and returns its item.
func (b *browser) mustUpload(alt, fileName string, data []byte) media.Item {
	b.s.t.Helper()
	res := b.upload(alt, "", fileName, data)
	m := savedMedia.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		b.s.t.Fatalf("upload %s: status %d, location %q\n%s", fileName, res.status, res.location, errorSummary(res.body))
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	it, err := media.NewStore(b.s.db).ByID(context.Background(), id)
	if err != nil {
		b.s.t.Fatal(err)
	}
	return it
}

// storedFiles lists the files in the site's media store.
func (s *adminSite) storedFiles() []string {
	s.t.Helper()
	var out []string
	root := filepath.Join(s.cfg.DataDir, "media")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if os.IsNotExist(err) {
			return nil
		}
		if err == nil && !d.IsDir() {
			out = append(out, d.Name())
		}
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return out
}

func (s *adminSite) mediaCount() int {
	s.t.Helper()
	var n int
	if err := s.db.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM media`).Scan(&n); err != nil {
		s.t.Fatal(err)
	}
	return n
}

// leadImage stores an image in the library and makes it the lead image
// of the post; it returns the image's id.
func (s *adminSite) leadImage(postID int64) int64 {
	s.t.Helper()
	ctx := context.Background()
	p, err := media.Prepare("walk.jpg", mediatest.JPEGWithEXIF(mediatest.Halves(800, 500, red, blue), 1))
	if err != nil {
		s.t.Fatal(err)
	}
	blobs := media.NewDir(filepath.Join(s.cfg.DataDir, "media"))
	for _, f := range p.Files {
		if err := blobs.Put(ctx, f.Name, f.Data); err != nil {
			s.t.Fatal(err)
		}
	}
	p.Item.Alt = "Walkers at the park gate"
	var id int64
	err = s.db.Tx(ctx, func(q db.Querier) error {
		if id, err = media.NewStore(q).Create(ctx, p.Item); err != nil {
			return err
		}
		_, err := q.ExecContext(ctx, `UPDATE posts SET lead_image_id = $1 WHERE id = $2`, id, postID)
		return err
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return id
}

// fetch gets a public path and checks it is served as an immutable file
// of the content type.
func (s *adminSite) fetch(path, contentType string) (http.Header, []byte) {
	s.t.Helper()
	res, body := s.get(path)
	if res.StatusCode != http.StatusOK {
		s.t.Fatalf("GET %s: status %d", path, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != contentType {
		s.t.Errorf("GET %s: Content-Type %q, want %q", path, ct, contentType)
	}
	if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
		s.t.Errorf("GET %s: Cache-Control %q, want a year, immutable", path, cc)
	}
	if res.Header.Get("X-Content-Type-Options") != "nosniff" {
		s.t.Errorf("GET %s: no X-Content-Type-Options: nosniff", path)
	}
	return res.Header, []byte(body)
}

func TestMediaImageUpload(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")

	photo := mediatest.JPEGWithEXIF(mediatest.Halves(1000, 600, red, blue), 1)
	if !bytes.Contains(photo, []byte(mediatest.Secret)) {
		t.Fatal("the test photo carries no EXIF")
	}
	it := b.mustUpload("Walkers at the park gate", "IMG_0042.JPG", photo)
	if want := []int{320, 640, 1000}; !slices.Equal(it.Widths, want) {
		t.Errorf("widths %v, want %v", it.Widths, want)
	}
	page := b.get("/admin/media/" + strconv.FormatInt(it.ID, 10)).body
	if !strings.Contains(page, "IMG_0042.JPG has been uploaded") || !strings.Contains(page, `alt="Walkers at the park gate"`) {
		t.Errorf("the item page does not confirm the upload with its alt text:\n%s", page)
	}
	for _, w := range it.Widths {
		_, body := s.fetch(it.URLFor(w), "image/jpeg")
		if bytes.Contains(body, []byte("Exif")) || bytes.Contains(body, []byte(mediatest.Secret)) {
			t.Errorf("%s keeps the photo's EXIF", it.URLFor(w))
		}
		img, format, err := image.Decode(bytes.NewReader(body))
		if err != nil || format != "jpeg" {
			t.Fatalf("%s: %v, format %q", it.URLFor(w), err, format)
		}
		if got := img.Bounds().Size(); got.X != w || got.Y != it.HeightFor(w) {
			t.Errorf("%s is %v, want %d×%d", it.URLFor(w), got, w, it.HeightFor(w))
		}
	}
	if n := len(s.storedFiles()); n != 3 {
		t.Errorf("%d files stored, want 3: %v", n, s.storedFiles())
	}
	list := b.get("/admin/media").body
	if !strings.Contains(list, it.URLFor(320)) || !strings.Contains(list, "Walkers at the park gate") {
		t.Error("the media list shows no thumbnail and alt text of the upload")
	}

	// The same file again is refused: it is already there.
	res := b.upload("Again", "", "copy.jpg", photo)
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "already in the media library") {
		t.Errorf("a second upload of one file: status %d, %s", res.status, errorSummary(res.body))
	}
	if res, _ := s.get("/media/" + it.Fingerprint + "-9999.jpg"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a width not stored: status %d, want 404", res.StatusCode)
	}
}

func TestMediaUploadChecksContent(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor)
	b := s.visitor().mustLogin("ed@example.org")

	// A PNG with transparency named .jpg is a PNG, and stays one.
	seeThrough := mediatest.PNG(mediatest.Halves(500, 400, color.NRGBA{R: 255, A: 100}, blue))
	it := b.mustUpload("A red and blue square", "square.jpg", seeThrough)
	if it.Format != media.FormatPNG {
		t.Errorf("a PNG named .jpg stored as %s", it.Format)
	}
	s.fetch(it.URL(), "image/png")

	for _, c := range []struct {
		name, file, alt, decorative string
		data                        []byte
		want                        string
	}{
		{"text named .png", "photo.png", "A photo", "", []byte("just some text, not a picture"), "must be a JPEG, PNG, GIF or WebP image, or a PDF"},
		{"no file", "", "A photo", "", nil, "Choose a file to upload"},
		{"too big", "big.png", "A photo", "", append(mediatest.PNG(image.NewGray(image.Rect(0, 0, 8, 8))), make([]byte, 11<<20)...), "smaller than 10 MB"},
		{"decompression bomb", "bomb.png", "A photo", "", mediatest.BombPNG(30000, 30000), "The image is too large"},
		{"no alt text", "walk.jpg", "", "", mediatest.JPEGWithEXIF(mediatest.Halves(40, 40, red, blue), 1), "Enter alt text that describes the image"},
		{"decorative with alt text", "walk.jpg", "Something", "yes", mediatest.JPEGWithEXIF(mediatest.Halves(40, 40, red, blue), 1), "Leave the alt text empty for a decorative image"},
		{"broken PDF", "papers.pdf", "", "", mediatest.PDF()[:60], "The PDF is incomplete or damaged"},
	} {
		res := b.upload(c.alt, c.decorative, c.file, c.data)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(errorSummary(res.body), c.want) {
			t.Errorf("%s: status %d, errors %q; want 422 with %q", c.name, res.status, errorSummary(res.body), c.want)
		}
		if c.alt != "" && !strings.Contains(res.body, ">"+c.alt+"</textarea>") {
			t.Errorf("%s: the form does not keep the alt text typed", c.name)
		}
	}
	if n := s.mediaCount(); n != 1 {
		t.Errorf("%d items stored, want only the PNG", n)
	}
	if files := s.storedFiles(); len(files) != 2 {
		t.Errorf("files stored: %v, want the PNG's two widths alone", files)
	}

	// A decorative image needs no alt text, and has an empty alt.
	deco := b.upload("", "yes", "swirl.png", mediatest.PNG(mediatest.Halves(64, 64, red, red)))
	if deco.status != http.StatusSeeOther {
		t.Fatalf("decorative upload: status %d, %s", deco.status, errorSummary(deco.body))
	}
	if page := b.get(deco.location).body; !strings.Contains(page, `alt=""`) {
		t.Error("a decorative image is not shown with an empty alt")
	}
}

func TestMediaPDF(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("gov@example.org", accounts.GovernanceOfficer)
	b := s.visitor().mustLogin("gov@example.org")

	it := b.mustUpload("", `C:\papers\Board papers "March".pdf`, mediatest.PDF())
	header, body := s.fetch(it.URL(), "application/pdf")
	if !bytes.Equal(body, mediatest.PDF()) {
		t.Error("the PDF served is not the PDF uploaded")
	}
	if cd := header.Get("Content-Disposition"); cd != `attachment; filename=Board-papers-March.pdf` {
		t.Errorf("Content-Disposition %q, want an attachment with a safe name", cd)
	}

	// A governance officer uploads papers, not images, and cannot change
	// images others uploaded.
	res := b.upload("A photo", "", "photo.jpg", mediatest.JPEGWithEXIF(mediatest.Halves(40, 40, red, blue), 1))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(errorSummary(res.body), "PDF files only") {
		t.Errorf("a governance officer's image: status %d, %s", res.status, errorSummary(res.body))
	}
	if res := b.upload("", "", "papers.pdf", []byte("%PDF-1.7 but cut short")); res.status != http.StatusUnprocessableEntity {
		t.Errorf("a PDF without %%%%EOF: status %d", res.status)
	}
	id := strconv.FormatInt(it.ID, 10)
	if res := b.post("/admin/media/"+id, url.Values{"alt": {"Papers for the March board"}}); res.status != http.StatusSeeOther {
		t.Errorf("describing the PDF: status %d", res.status)
	}
	if res := b.post("/admin/media/"+id+"/delete", nil); res.status != http.StatusSeeOther {
		t.Errorf("deleting the PDF: status %d", res.status)
	}
	if res, _ := s.get(it.URL()); res.StatusCode != http.StatusNotFound {
		t.Errorf("a deleted PDF: status %d, want 404", res.StatusCode)
	}
	if files := s.storedFiles(); len(files) != 0 {
		t.Errorf("files left after deleting: %v", files)
	}
}

func TestMediaLeadImage(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")
	it := b.mustUpload("Walkers at the park gate", "walk.jpg", mediatest.JPEGWithEXIF(mediatest.Halves(1200, 800, red, blue), 1))
	id := strconv.FormatInt(it.ID, 10)

	bad := b.post("/admin/posts", postForm("walk-for-health", "now", "lead_image", "99999"))
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(errorSummary(bad.body), "no longer in the media library") {
		t.Errorf("a lead image not in the library: status %d, %s", bad.status, errorSummary(bad.body))
	}
	res := b.post("/admin/posts", postForm("walk-for-health", "now", "lead_image", id))
	m := savedPost.FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("saving a post with a lead image: status %d, %s", res.status, errorSummary(res.body))
	}
	if form := b.get(res.location).body; !strings.Contains(form, `<option value="`+id+`" selected>`) {
		t.Error("the post form does not show the lead image chosen")
	}

	for _, path := range []string{"/news/walk-for-health", "/news", "/in-your-area/southwark"} {
		doc := s.page(path)
		var img *html.Node
		for _, n := range find(doc, tag("img")) {
			if strings.Contains(attr(n, "srcset"), it.Fingerprint) {
				img = n
			}
		}
		if img == nil {
			t.Errorf("%s shows no lead image", path)
			continue
		}
		if attr(img, "alt") != "Walkers at the park gate" || attr(img, "width") != "1200" || attr(img, "height") != "800" ||
			attr(img, "sizes") == "" {
			t.Errorf("%s: lead image alt %q, %s×%s, sizes %q", path, attr(img, "alt"), attr(img, "width"), attr(img, "height"), attr(img, "sizes"))
		}
		for _, w := range []string{"320w", "640w", "1024w", "1200w"} {
			if !strings.Contains(attr(img, "srcset"), w) {
				t.Errorf("%s: srcset %q lacks %s", path, attr(img, "srcset"), w)
			}
		}
	}

	// In use, the image cannot be deleted; once the post lets it go, it can.
	refused := b.post("/admin/media/"+id+"/delete", nil)
	if refused.status != http.StatusConflict || !strings.Contains(errorSummary(refused.body), "in use") ||
		!strings.Contains(refused.body, "Post: Walk for health") {
		t.Errorf("deleting an image in use: status %d, %s", refused.status, errorSummary(refused.body))
	}
	if r := b.post(res.location, postForm("walk-for-health", "now")); r.status != http.StatusSeeOther {
		t.Fatalf("removing the lead image: status %d, %s", r.status, errorSummary(r.body))
	}
	if r := b.post("/admin/media/"+id+"/delete", nil); r.status != http.StatusSeeOther {
		t.Errorf("deleting an unused image: status %d, %s", r.status, errorSummary(r.body))
	}
	if r, _ := s.get(it.URL()); r.StatusCode != http.StatusNotFound {
		t.Errorf("a deleted image: status %d, want 404", r.StatusCode)
	}
}

func TestMediaBodyLimitOnlyForUploads(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor)
	b := s.visitor().mustLogin("ed@example.org")
	// 3 MB is too much for an ordinary form, and fine for an upload.
	big := strings.Repeat("x", 3<<20)
	if res := b.post("/admin/posts", postForm("big", "now", "body", big)); res.status != http.StatusBadRequest {
		t.Errorf("a 3 MB post form: status %d, want 400", res.status)
	}
	photo := mediatest.JPEGWithEXIF(mediatest.Halves(64, 64, red, blue), 1)
	photo = append(photo, make([]byte, 3<<20)...) // bytes after the image's end are ignored by decoders
	b.mustUpload("A small square", "square.jpg", photo)

	// Beyond the upload route's own limit, the form says so.
	res := b.upload("A huge file", "", "huge.pdf", append([]byte("%PDF-1.7\n"), make([]byte, media.MaxUploadBytes)...))
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(errorSummary(res.body), "The file is too big") ||
		!strings.Contains(res.body, ">A huge file</textarea>") {
		t.Errorf("a body over the upload limit: status %d, %s", res.status, errorSummary(res.body))
	}
	if n := s.mediaCount(); n != 1 {
		t.Errorf("%d items stored, want 1", n)
	}
}

// TestMediaXSS checks that an image's alt text and file name come out
// escaped in the admin and on the public pages that show the image.
func TestMediaXSS(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	b := s.visitor().mustLogin("ed@example.org")
	it := b.mustUpload("alt "+xss, `"><img src=x onerror=alert(1)>.jpg`, mediatest.PNG(mediatest.Halves(64, 64, red, blue)))
	if strings.ContainsAny(it.Name, `<>"=`) {
		t.Errorf("the stored name %q keeps markup characters", it.Name)
	}
	if res := b.post("/admin/posts", postForm("xss-image", "now", "lead_image", strconv.FormatInt(it.ID, 10))); res.status != http.StatusSeeOther {
		t.Fatalf("saving the post: status %d, %s", res.status, errorSummary(res.body))
	}
	for _, path := range []string{"/admin/media", "/admin/media/" + strconv.FormatInt(it.ID, 10), "/admin/posts/new"} {
		noXSS(t, path, b.get(path).body)
	}
	for _, path := range []string{"/news/xss-image", "/news", "/in-your-area/southwark"} {
		_, body := s.get(path)
		if !strings.Contains(body, "alt &lt;script&gt;") && !strings.Contains(body, "alt=\"alt &lt;script&gt;") {
			t.Errorf("%s does not show the alt text, escaped", path)
		}
		noXSS(t, path, body)
	}
}
