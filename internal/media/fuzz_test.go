package media

import (
	"image/color"
	"testing"

	"github.com/joinedup/joinedup/internal/media/mediatest"
)

// FuzzPrepare feeds uploads to Prepare, which reads untrusted bytes: it
// must not panic, and what it accepts must be one of its formats, in
// widths no wider than allowed.
//
//	go test -run '^$' -fuzz FuzzPrepare -fuzztime 30s ./internal/media/
func FuzzPrepare(f *testing.F) {
	f.Add(mediatest.JPEGWithEXIF(mediatest.Halves(20, 10, color.White, color.Black), 6))
	f.Add(mediatest.PNG(mediatest.Halves(12, 12, color.NRGBA{A: 9}, color.Black)))
	f.Add(mediatest.BombPNG(100000, 100000))
	f.Add(mediatest.PDF())
	f.Add([]byte("GIF89a"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Prepare("f", data)
		if err != nil {
			return
		}
		it := p.Item
		switch it.Format {
		case FormatPDF:
		case FormatJPEG, FormatPNG:
			if len(it.Widths) == 0 || it.Width > Widths[len(Widths)-1] || len(p.Files) != len(it.Widths) {
				t.Fatalf("accepted image %+v with %d files", it, len(p.Files))
			}
		default:
			t.Fatalf("accepted format %q", it.Format)
		}
	})
}

// FuzzJPEGOrientation reads EXIF from arbitrary bytes: never a panic, and
// always an orientation from 1 to 8.
func FuzzJPEGOrientation(f *testing.F) {
	f.Add(mediatest.JPEGWithEXIF(mediatest.Halves(4, 4, color.White, color.Black), 8))
	f.Add([]byte{0xFF, 0xD8, 0xFF, 0xE1, 0x00, 0x08, 'E', 'x', 'i', 'f', 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}
