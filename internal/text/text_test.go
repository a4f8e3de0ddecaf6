package text

import (
	"reflect"
	"testing"
)

func TestParagraphs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"one", []string{"one"}},
		{"one\ntwo\n\nthree", []string{"one\ntwo", "three"}},
		{"  a  \r\n\r\n\r\n b ", []string{"a", "b"}},
	}
	for _, tt := range tests {
		if got := Paragraphs(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
