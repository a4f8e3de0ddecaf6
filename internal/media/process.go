package media

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	_ "image/gif" // GIF decoding, first frame
	"image/jpeg"
	"image/png"
	"path"
	"strings"
	"unicode"

	"golang.org/x/image/draw"
	_ "golang.org/x/image/webp" // WebP decoding
)

// The decoders imported here register themselves, so image.DecodeConfig
// recognises the formats the library accepts by their magic bytes.

// File is a file to store, named as Item.FileName names it.
type File struct {
	Name string
	Data []byte
}

// Prepared is an upload checked and converted, ready to store: the item
// (without its id, alt text or uploader) and its files.
type Prepared struct {
	Item  Item
	Files []File
}

// decoding lets one image at a time be decoded, which bounds the memory
// uploads can take: a decoded image may take a few hundred megabytes.
var decoding = make(chan struct{}, 1)

// Prepare checks an upload by its content, never its name, and converts
// it: an image is decoded, turned upright (EXIF orientation) and encoded
// again in each of Widths up to its own width, as JPEG or, when it has
// transparency or few colours, PNG; a PDF is checked and kept as it is.
// name is the file name the browser sent, kept (cleaned) for display and
// downloads. The errors are the Err values of this package.
func Prepare(name string, data []byte) (Prepared, error) {
	if len(data) == 0 {
		return Prepared{}, ErrEmpty
	}
	sum := sha256.Sum256(data)
	it := Item{Fingerprint: hex.EncodeToString(sum[:16]), Bytes: int64(len(data))}
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return preparePDF(it, name, data)
	}
	return prepareImage(it, name, data)
}

func preparePDF(it Item, name string, data []byte) (Prepared, error) {
	if len(data) > MaxPDFBytes {
		return Prepared{}, ErrPDFTooBig
	}
	// %%EOF ends every complete PDF, perhaps followed by a line break or
	// a few stray bytes.
	if !bytes.Contains(data[max(0, len(data)-1024):], []byte("%%EOF")) {
		return Prepared{}, ErrBadPDF
	}
	it.Kind, it.Format, it.Name = KindPDF, FormatPDF, CleanName(name, ".pdf")
	return Prepared{Item: it, Files: []File{{Name: it.FileName(0), Data: data}}}, nil
}

func prepareImage(it Item, name string, data []byte) (Prepared, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if errors.Is(err, image.ErrFormat) {
		return Prepared{}, ErrUnknownType
	}
	if len(data) > MaxImageBytes {
		return Prepared{}, ErrImageTooBig
	}
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return Prepared{}, ErrBadImage
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide || cfg.Width*cfg.Height > MaxPixels {
		return Prepared{}, ErrTooManyPx
	}
	orientation := 1
	if format == "jpeg" {
		orientation = jpegOrientation(data)
	}
	decoding <- struct{}{}
	defer func() { <-decoding }()
	// For a GIF, Decode returns the first frame.
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return Prepared{}, ErrBadImage
	}
	it.Kind, it.Name, it.Format = KindImage, CleanName(name, ""), FormatJPEG
	if _, paletted := img.(*image.Paletted); paletted || !opaque(img) {
		it.Format = FormatPNG
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if orientation >= 5 {
		w, h = h, w
	}
	it.Widths = widthsFor(w)
	it.Width = it.Widths[len(it.Widths)-1]
	it.Height = scaledHeight(w, h, it.Width)
	p := Prepared{Item: it}
	// The largest is scaled from the original, the others from the
	// largest: quicker, and as good at these ratios.
	largest := upright(scale(img, it.Width, it.Height, orientation, it.Format == FormatJPEG), orientation)
	for i := len(it.Widths) - 1; i >= 0; i-- {
		sw := it.Widths[i]
		out := largest
		if sw != it.Width {
			out = scale(largest, sw, scaledHeight(it.Width, it.Height, sw), 1, false)
		}
		var buf bytes.Buffer
		if it.Format == FormatJPEG {
			err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: 82})
		} else {
			err = png.Encode(&buf, out)
		}
		if err != nil {
			return Prepared{}, err
		}
		p.Files = append(p.Files, File{Name: it.FileName(sw), Data: buf.Bytes()})
	}
	return p, nil
}

// widthsFor returns the widths to store an image w pixels wide in: each of
// Widths narrower than w, and w itself when no wider than the largest.
func widthsFor(w int) []int {
	var out []int
	for _, sw := range Widths {
		if sw < w {
			out = append(out, sw)
		}
	}
	if w <= Widths[len(Widths)-1] {
		out = append(out, w)
	}
	return out
}

// scaledHeight is the height of an image w×h scaled to width sw, at least 1.
func scaledHeight(w, h, sw int) int { return max(1, (h*sw+w/2)/w) }

// opaque reports whether every pixel of img is opaque.
func opaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

// scale draws src into a new w×h image (h×w when orientation turns it a
// quarter, which upright then undoes). onWhite lays it on white, for JPEG,
// which has no transparency.
func scale(src image.Image, w, h, orientation int, onWhite bool) *image.RGBA {
	if orientation >= 5 {
		w, h = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	op := draw.Src
	if onWhite {
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		op = draw.Over
	}
	draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), op, nil)
	return dst
}

// CleanName makes an uploaded file's name safe to show and to offer as a
// download: its last path element, in letters, digits, '.', '-' and '_',
// at most 100 characters. ext, when not empty, replaces its extension.
func CleanName(name, ext string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	var b strings.Builder
	dash := false
	for _, r := range name {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' || r == '_'):
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	out := strings.Trim(b.String(), ".-")
	if ext != "" {
		out = strings.TrimSuffix(out, path.Ext(out))
	}
	if len(out) > 100 {
		out = out[:100]
	}
	out = strings.Trim(out, ".-")
	if out == "" {
		out = "file"
	}
	return out + ext
}
