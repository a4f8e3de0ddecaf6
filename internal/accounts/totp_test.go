package accounts

import (
	"bytes"
	"testing"
	"time"
)

// The test vectors of RFC 6238, appendix B, for SHA-1, cut to 6 digits.
func TestTOTPVectors(t *testing.T) {
	secret := []byte("12345678901234567890")
	for unix, want := range map[int64]string{
		59:          "287082",
		1111111109:  "081804",
		1111111111:  "050471",
		1234567890:  "005924",
		2000000000:  "279037",
		20000000000: "353130",
	} {
		if got := TOTPCode(secret, time.Unix(unix, 0)); got != want {
			t.Errorf("TOTP at %d = %s, want %s", unix, got, want)
		}
	}
}

func TestTOTPWindow(t *testing.T) {
	secret := []byte("12345678901234567890")
	now := time.Unix(1111111111, 0)
	for _, c := range []struct {
		at   time.Duration
		step int64
	}{
		{-30 * time.Second, totpStepAt(now) - 1},
		{0, totpStepAt(now)},
		{30 * time.Second, totpStepAt(now) + 1},
		{-60 * time.Second, 0},
		{61 * time.Second, 0},
	} {
		if got := totpMatch(secret, TOTPCode(secret, now.Add(c.at)), now); got != c.step {
			t.Errorf("code from %s away matches step %d, want %d", c.at, got, c.step)
		}
	}
	if totpMatch(secret, "12345", now) != 0 || totpMatch(secret, "", now) != 0 {
		t.Error("a short code matches")
	}
}

func TestSecretText(t *testing.T) {
	secret := []byte("12345678901234567890")
	text := SecretText(secret)
	if text != "GEZD GNBV GY3T QOJQ GEZD GNBV GY3T QOJQ" {
		t.Errorf("SecretText = %q", text)
	}
	back, err := ParseSecretText(text)
	if err != nil || !bytes.Equal(back, secret) {
		t.Errorf("ParseSecretText(%q) = %q, %v", text, back, err)
	}
	uri := TOTPURI("South East London", "ann@example.org", secret)
	if uri != "otpauth://totp/South%20East%20London:ann@example.org?algorithm=SHA1&digits=6&issuer=South+East+London&period=30&secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ" {
		t.Errorf("TOTPURI = %q", uri)
	}
}

func TestSealedSecretIsBoundToKeyAndUser(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	tf := &TwoFactor{key: key}
	sealed, err := tf.seal(3, []byte("secret"))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains([]byte(sealed), []byte("secret")) {
		t.Error("the sealed secret shows the secret")
	}
	if got, err := tf.open(3, sealed); err != nil || string(got) != "secret" {
		t.Errorf("open = %q, %v", got, err)
	}
	if _, err := tf.open(4, sealed); err == nil {
		t.Error("a secret sealed for user 3 opens for user 4")
	}
	other := &TwoFactor{key: bytes.Repeat([]byte{8}, 32)}
	if _, err := other.open(3, sealed); err == nil {
		t.Error("a secret opens with another key")
	}
}
