// Package media is the media library that the domains share: images,
// checked by their content, decoded and re-encoded (which drops EXIF and
// every other kind of metadata) in a few widths for responsive srcset, and
// PDF papers, checked to be PDFs and served as downloads.
//
// The bytes live in a Blobs store, under names made from the upload's
// fingerprint, and the database says what each file is. Dir keeps them in
// the data dir; when several instances serve the site, that directory is on
// storage they share (or Dir is replaced by another Blobs, such as an
// object store).
package media

import (
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Kind says whether an item is an image or a PDF.
type Kind string

// The kinds of item.
const (
	KindImage Kind = "image"
	KindPDF   Kind = "pdf"
)

// Stored formats.
const (
	FormatJPEG = "jpeg"
	FormatPNG  = "png"
	FormatPDF  = "pdf"
)

// Item is a file of the library.
type Item struct {
	ID int64
	// Fingerprint is the first 32 hex digits of the SHA-256 of the upload;
	// the stored files are named from it.
	Fingerprint string
	Kind        Kind
	// Name is the uploaded file's name, cleaned (see CleanName).
	Name string
	// Alt describes an image for people who cannot see it; empty when the
	// image is decorative. A PDF's Alt is an optional description.
	Alt        string
	Decorative bool
	Format     string
	// Width and Height are the largest stored image's; Widths lists every
	// stored width, smallest first.
	Width, Height int
	Widths        []int
	// Bytes is the size of the upload.
	Bytes      int64
	UploadedBy int64
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// PlaceIDs limits the item to these places; empty, it is for every
	// place.
	PlaceIDs []int64
}

// For reports whether the item may be seen and used by someone limited
// to places (nil: not limited, so every item).
func (it Item) For(places []int64) bool {
	if places == nil || len(it.PlaceIDs) == 0 {
		return true
	}
	for _, p := range it.PlaceIDs {
		if slices.Contains(places, p) {
			return true
		}
	}
	return false
}

// IsImage reports whether the item is an image.
func (it Item) IsImage() bool { return it.Kind == KindImage }

// ext is the stored files' extension.
func (it Item) ext() string {
	switch it.Format {
	case FormatJPEG:
		return "jpg"
	case FormatPNG:
		return "png"
	}
	return "pdf"
}

// FileName is the stored name of the image of width w, or of the PDF.
func (it Item) FileName(w int) string {
	if it.Kind == KindPDF {
		return it.Fingerprint + ".pdf"
	}
	return it.Fingerprint + "-" + strconv.Itoa(w) + "." + it.ext()
}

// FileNames lists every stored file of the item.
func (it Item) FileNames() []string {
	if it.Kind == KindPDF {
		return []string{it.FileName(0)}
	}
	out := make([]string, len(it.Widths))
	for i, w := range it.Widths {
		out[i] = it.FileName(w)
	}
	return out
}

// URL is the public path of the largest image, or of the PDF.
func (it Item) URL() string { return "/media/" + it.FileName(it.Width) }

// URLFor is the public path of the stored image closest to, and not
// narrower than, width w (the largest when none is that wide).
func (it Item) URLFor(w int) string {
	for _, sw := range it.Widths {
		if sw >= w {
			return "/media/" + it.FileName(sw)
		}
	}
	return it.URL()
}

// Srcset lists every stored width of an image for the srcset attribute.
func (it Item) Srcset() string {
	parts := make([]string, len(it.Widths))
	for i, w := range it.Widths {
		parts[i] = "/media/" + it.FileName(w) + " " + strconv.Itoa(w) + "w"
	}
	return strings.Join(parts, ", ")
}

// Size describes the item for the admin: "1600 × 1067 pixels, 2.4 MB".
func (it Item) Size() string {
	s := humanBytes(it.Bytes)
	if it.Kind == KindImage {
		return strconv.Itoa(it.Width) + " × " + strconv.Itoa(it.Height) + " pixels, " + s + " uploaded"
	}
	return s
}

// Label names the item in lists and choices: its alt text, or its name.
func (it Item) Label() string {
	if it.Alt != "" {
		return it.Alt
	}
	return it.Name
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
	case n >= 1<<10:
		return strconv.FormatInt((n+1<<9)/(1<<10), 10) + " KB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}

// Errors about an upload; their messages are safe to show, and name the
// limits so the user knows what to do.
var (
	ErrNoFile      = errors.New("Choose a file to upload")
	ErrEmpty       = errors.New("The chosen file is empty")
	ErrUnknownType = errors.New("The file must be a JPEG, PNG, GIF or WebP image, or a PDF. Its content, not its name, decides")
	ErrImageTooBig = errors.New("The image must be smaller than " + strconv.Itoa(MaxImageBytes>>20) + " MB")
	ErrPDFTooBig   = errors.New("The PDF must be smaller than " + strconv.Itoa(MaxPDFBytes>>20) + " MB")
	ErrFileTooBig  = errors.New("The file is too big: an image must be smaller than " + strconv.Itoa(MaxImageBytes>>20) +
		" MB and a PDF smaller than " + strconv.Itoa(MaxPDFBytes>>20) + " MB")
	ErrTooManyPx = errors.New("The image is too large: it must be at most " + strconv.Itoa(MaxSide) +
		" pixels on each side and " + strconv.Itoa(MaxPixels/1_000_000) + " million pixels in all. Make it smaller, then upload it again")
	ErrBadImage = errors.New("The image could not be read: it may be damaged. Save it again as a JPEG or PNG, then upload it")
	ErrBadPDF   = errors.New("The PDF is incomplete or damaged: it must start with %PDF- and end with %%EOF. Save it again, then upload it")
)

// Limits on uploads.
const (
	// MaxImageBytes is the largest image file accepted.
	MaxImageBytes = 10 << 20
	// MaxPDFBytes is the largest PDF accepted.
	MaxPDFBytes = 20 << 20
	// MaxPixels and MaxSide bound the decoded size of an image; they are
	// checked from the image's header before it is decoded, so a small
	// file that would decode to gigabytes (a decompression bomb) is
	// refused without decoding it.
	MaxPixels = 30_000_000
	MaxSide   = 12_000
	// MaxUploadBytes is the largest request body the upload form may send:
	// the largest file and the form's other fields.
	MaxUploadBytes = MaxPDFBytes + 1<<20
)

// Widths are the widths images are stored in, for srcset; an image is
// never made wider than it is, and is also stored at its own width when
// that is below the largest.
var Widths = []int{320, 640, 1024, 1600}

// MaxAltLength bounds alt text, which should be a sentence or two.
const MaxAltLength = 500

// HeightFor is the height of the image shown w pixels wide, for the height
// attribute that keeps a page from moving as images load.
func (it Item) HeightFor(w int) int {
	if it.Width == 0 {
		return 0
	}
	return scaledHeight(it.Width, it.Height, w)
}
