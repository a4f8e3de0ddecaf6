package readability

import (
	"strings"
	"testing"
)

// BenchmarkMeasure measures a body as long as a post may be (50,000
// characters) of ordinary markdown.
func BenchmarkMeasure(b *testing.B) {
	para := "## Heading\n\nThe partnership will facilitate community engagement, e.g. with Dr. Patel. " +
		"Residents who wish to participate should [read more](https://example.org) first!\n\n- one item\n- another item\n\n"
	text := strings.Repeat(para, 50_000/len(para))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Measure(text)
	}
}
