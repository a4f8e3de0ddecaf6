// Package mediatest makes files for the media library's tests: photos
// with EXIF, images with transparency, WebP, decompression bombs and PDFs.
package mediatest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
)

// Secret is text hidden in the EXIF of JPEGWithEXIF, which must not
// survive an upload.
const Secret = "SecretCam 51.5033N 0.1196W"

// Halves returns a w×h image whose left half is left and right half right.
func Halves(w, h int, left, right color.Color) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := left
			if x >= w/2 {
				c = right
			}
			img.Set(x, y, c)
		}
	}
	return img
}

// JPEGWithEXIF encodes img as a JPEG carrying an EXIF block with the given
// orientation (1 to 8) and Secret as the camera's make.
func JPEGWithEXIF(img image.Image, orientation int) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90}); err != nil {
		panic(err)
	}
	plain := buf.Bytes()
	// TIFF, little-endian: a header, then one IFD of two entries (Make,
	// Orientation), then the Make string it points to.
	var t bytes.Buffer
	le := binary.LittleEndian
	t.WriteString("II")
	binary.Write(&t, le, uint16(42))
	binary.Write(&t, le, uint32(8))
	binary.Write(&t, le, uint16(2))
	makeText := Secret + "\x00"
	dataOff := uint32(8 + 2 + 2*12 + 4)
	binary.Write(&t, le, [2]uint16{0x010F, 2})
	binary.Write(&t, le, uint32(len(makeText)))
	binary.Write(&t, le, dataOff)
	binary.Write(&t, le, [2]uint16{0x0112, 3})
	binary.Write(&t, le, uint32(1))
	binary.Write(&t, le, [2]uint16{uint16(orientation), 0})
	binary.Write(&t, le, uint32(0))
	t.WriteString(makeText)
	seg := append([]byte("Exif\x00\x00"), t.Bytes()...)
	var out bytes.Buffer
	out.Write(plain[:2]) // SOI
	out.Write([]byte{0xFF, 0xE1})
	binary.Write(&out, binary.BigEndian, uint16(len(seg)+2))
	out.Write(seg)
	out.Write(plain[2:])
	return out.Bytes()
}

// PNG encodes img as a PNG.
func PNG(img image.Image) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// BombPNG is a small PNG whose header says it is w×h pixels: decoding it
// would take w×h×4 bytes. Its data is a few compressed rows of zeros.
func BombPNG(w, h int) []byte {
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	chunk := func(kind string, data []byte) {
		binary.Write(&out, binary.BigEndian, uint32(len(data)))
		out.WriteString(kind)
		out.Write(data)
		crc := crc32.NewIEEE()
		crc.Write([]byte(kind))
		crc.Write(data)
		binary.Write(&out, binary.BigEndian, crc.Sum32())
	}
	var ihdr bytes.Buffer
	binary.Write(&ihdr, binary.BigEndian, [2]uint32{uint32(w), uint32(h)})
	ihdr.Write([]byte{8, 6, 0, 0, 0}) // 8-bit RGBA
	chunk("IHDR", ihdr.Bytes())
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(make([]byte, 64<<10))
	zw.Close()
	chunk("IDAT", z.Bytes())
	chunk("IEND", nil)
	return out.Bytes()
}

// PDF is a minimal, complete PDF of one empty page.
func PDF() []byte {
	return []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
		"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
		"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n" +
		"trailer << /Root 1 0 R >>\n%%EOF\n")
}

// WebP encodes a w×h image of one colour as a lossless WebP (VP8L, RFC
// 9649): no transforms and no colour cache, and each of the five prefix
// codes a "simple" code of one symbol, which takes no bits per pixel, so
// every pixel is c.
func WebP(w, h int, c color.NRGBA) []byte {
	var bits bitWriter
	bits.write(0x2f, 8) // VP8L signature
	bits.write(uint32(w-1), 14)
	bits.write(uint32(h-1), 14)
	alpha := uint32(0)
	if c.A != 0xff {
		alpha = 1
	}
	bits.write(alpha, 1)
	bits.write(0, 3) // version
	bits.write(0, 1) // no transform
	bits.write(0, 1) // no colour cache
	bits.write(0, 1) // no meta prefix codes
	// Green, red, blue, alpha, then distance: one 8-bit symbol each.
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		bits.write(1, 1) // simple code
		bits.write(0, 1) // one symbol
		bits.write(1, 1) // of 8 bits
		bits.write(uint32(sym), 8)
	}
	data := bits.bytes()
	var out bytes.Buffer
	chunk := uint32(len(data))
	pad := chunk % 2
	out.WriteString("RIFF")
	_ = binary.Write(&out, binary.LittleEndian, 4+8+chunk+pad)
	out.WriteString("WEBPVP8L")
	_ = binary.Write(&out, binary.LittleEndian, chunk)
	out.Write(data)
	if pad == 1 {
		out.WriteByte(0)
	}
	return out.Bytes()
}

// bitWriter packs values least significant bit first, as VP8L reads them.
type bitWriter struct {
	buf   []byte
	total int // bits written
}

func (b *bitWriter) write(v uint32, width uint) {
	for i := uint(0); i < width; i++ {
		if b.total%8 == 0 {
			b.buf = append(b.buf, 0)
		}
		b.buf[len(b.buf)-1] |= byte(v>>i&1) << (b.total % 8)
		b.total++
	}
}

func (b *bitWriter) bytes() []byte { return b.buf }
