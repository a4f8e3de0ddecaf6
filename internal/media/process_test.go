package media

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"slices"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/media/mediatest"
)

var (
	red  = color.NRGBA{R: 255, A: 255}
	blue = color.NRGBA{B: 255, A: 255}
)

func decode(t *testing.T, data []byte) image.Image {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// near reports whether c is close to want, as JPEG keeps colours.
func near(c color.Color, want color.NRGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(x uint32, y uint8) bool { return int(x>>8)-int(y) < 40 && int(y)-int(x>>8) < 40 }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

func TestPrepareResizesAndStripsEXIF(t *testing.T) {
	p, err := Prepare(`C:\Users\ann\Photo of the walk.jpeg`, mediatest.JPEGWithEXIF(mediatest.Halves(1000, 600, red, blue), 1))
	if err != nil {
		t.Fatal(err)
	}
	it := p.Item
	if it.Kind != KindImage || it.Format != FormatJPEG || it.Name != "Photo-of-the-walk.jpeg" {
		t.Errorf("item %+v: want a JPEG image named Photo-of-the-walk.jpeg", it)
	}
	if want := []int{320, 640, 1000}; !slices.Equal(it.Widths, want) || it.Width != 1000 || it.Height != 600 {
		t.Errorf("widths %v, %d×%d; want %v, 1000×600 (never wider than the original)", it.Widths, it.Width, it.Height, want)
	}
	for i, f := range p.Files {
		if bytes.Contains(f.Data, []byte("Exif")) || bytes.Contains(f.Data, []byte("SecretCam")) {
			t.Errorf("%s keeps the EXIF block", f.Name)
		}
		img := decode(t, f.Data)
		w := it.Widths[len(it.Widths)-1-i]
		if img.Bounds().Dx() != w || img.Bounds().Dy() != it.HeightFor(w) {
			t.Errorf("%s is %v, want %d×%d", f.Name, img.Bounds().Size(), w, it.HeightFor(w))
		}
		if f.Name != it.FileName(w) {
			t.Errorf("file %s, want %s", f.Name, it.FileName(w))
		}
	}
}

func TestPrepareTurnsPhotosUpright(t *testing.T) {
	// Left red, right blue, stored sideways: orientation 6 asks for a
	// quarter turn clockwise, which brings the left half to the top; 8
	// (anticlockwise) brings it to the bottom.
	for _, c := range []struct {
		orientation   int
		top, bottom   color.NRGBA
		width, height int
	}{
		{1, red, red, 300, 100},
		{6, red, blue, 100, 300},
		{8, blue, red, 100, 300},
		{3, blue, blue, 300, 100},
	} {
		p, err := Prepare("p.jpg", mediatest.JPEGWithEXIF(mediatest.Halves(300, 100, red, blue), c.orientation))
		if err != nil {
			t.Fatal(err)
		}
		img := decode(t, p.Files[0].Data)
		b := img.Bounds()
		if b.Dx() != c.width || b.Dy() != c.height {
			t.Errorf("orientation %d: %v, want %d×%d", c.orientation, b.Size(), c.width, c.height)
			continue
		}
		if top, bottom := img.At(5, 5), img.At(5, b.Dy()-5); !near(top, c.top) || !near(bottom, c.bottom) {
			t.Errorf("orientation %d: top-left %v, bottom-left %v; want %v, %v", c.orientation, top, bottom, c.top, c.bottom)
		}
	}
}

func TestPrepareChecksContent(t *testing.T) {
	transparent := mediatest.Halves(400, 300, color.NRGBA{R: 255, A: 128}, blue)
	for _, c := range []struct {
		name   string
		data   []byte
		err    error
		format string
	}{
		{"a PNG named .jpg", mediatest.PNG(transparent), nil, FormatPNG},
		{"a WebP named .png", mediatest.WebP(400, 300, red), nil, FormatJPEG},
		{"a WebP with transparency", mediatest.WebP(400, 300, color.NRGBA{R: 255, A: 128}), nil, FormatPNG},
		{"text named .png", []byte("hello, this is not an image"), ErrUnknownType, ""},
		{"an HTML page", []byte("<!doctype html><script>alert(1)</script>"), ErrUnknownType, ""},
		{"empty", nil, ErrEmpty, ""},
		{"a decompression bomb", mediatest.BombPNG(20000, 20000), ErrTooManyPx, ""},
		{"too many pixels in all", mediatest.BombPNG(10000, 5000), ErrTooManyPx, ""},
		{"a big file", append(mediatest.PNG(transparent), make([]byte, MaxImageBytes)...), ErrImageTooBig, ""},
		{"a truncated JPEG", mediatest.JPEGWithEXIF(transparent, 1)[:300], ErrBadImage, ""},
		{"a PDF", mediatest.PDF(), nil, FormatPDF},
		{"a PDF without its end", mediatest.PDF()[:100], ErrBadPDF, ""},
		{"a big PDF", append(append([]byte("%PDF-1.4\n"), make([]byte, MaxPDFBytes)...), "%%EOF"...), ErrPDFTooBig, ""},
	} {
		p, err := Prepare(c.name, c.data)
		if !errors.Is(err, c.err) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.err)
			continue
		}
		if err == nil && p.Item.Format != c.format {
			t.Errorf("%s: stored as %s, want %s", c.name, p.Item.Format, c.format)
		}
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{
		"Board papers 12 March.PDF":      "Board-papers-12-March.pdf",
		`..\..\etc\passwd`:               "passwd.pdf",
		"\"; filename=evil.html\r\n.pdf": "filename-evil.html.pdf",
		"":                               "file.pdf",
		"ünïcödé.pdf":                    "n-c-d.pdf",
	} {
		if got := CleanName(in, ".pdf"); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", in, got, want)
		}
	}
}

// BenchmarkPrepareJPEG measures checking, decoding and storing a 12
// megapixel photo in every width.
func BenchmarkPrepareJPEG(b *testing.B) {
	img := image.NewYCbCr(image.Rect(0, 0, 4000, 3000), image.YCbCrSubsampleRatio420)
	for i := range img.Y {
		img.Y[i] = uint8(i * 7)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, nil); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := Prepare("photo.jpg", buf.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}

func TestPrepareGIFKeepsFirstFrame(t *testing.T) {
	pal := color.Palette{red, blue}
	frame := func(i uint8) *image.Paletted {
		f := image.NewPaletted(image.Rect(0, 0, 80, 40), pal)
		for p := range f.Pix {
			f.Pix[p] = i
		}
		return f
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: []*image.Paletted{frame(0), frame(1)}, Delay: []int{10, 10}}); err != nil {
		t.Fatal(err)
	}
	p, err := Prepare("anim.gif", buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if p.Item.Format != FormatPNG || len(p.Files) != 1 {
		t.Fatalf("a GIF stored as %s in %d files, want one PNG", p.Item.Format, len(p.Files))
	}
	if c := decode(t, p.Files[0].Data).At(10, 10); !near(c, red) {
		t.Errorf("the stored image is %v, want the first frame's red", c)
	}
}

// One image is decoded at a time, to bound the memory uploads take: while
// another image is being processed, an upload waits its turn.
func TestOneImageProcessedAtATime(t *testing.T) {
	img := mediatest.JPEGWithEXIF(mediatest.Halves(400, 300, red, blue), 1)
	decoding <- struct{}{} // another image is being processed
	done := make(chan error, 1)
	go func() {
		_, err := Prepare("walk.jpg", img)
		done <- err
	}()
	select {
	case err := <-done:
		<-decoding
		t.Fatalf("an image was processed while another was (%v)", err)
	case <-time.After(300 * time.Millisecond):
	}
	<-decoding // that one is done
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
