package registrations

import "testing"

func TestValidEmail(t *testing.T) {
	for s, want := range map[string]bool{
		"ada@example.org": true, "a.b+c@sub.example.co.uk": true, "Ada@Example.org": true,
		"": false, "ada": false, "ada@": false, "@example.org": false, "ada@example": false, "ada@@example.org": false,
		"ada@example.org.": false, "Ada <ada@example.org>": false, "ada@exa mple.org": false, "ada@example.org\r\nBcc: x@y.z": false,
		"a,b@example.org": false,
	} {
		if got := validEmail(s); got != want {
			t.Errorf("validEmail(%q) = %v, want %v", s, got, want)
		}
	}
}
