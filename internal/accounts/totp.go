package accounts

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/subtle"
	"encoding/base32"
	"encoding/binary"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// The TOTP parameters (RFC 6238) that authenticator apps expect: HMAC-SHA-1,
// 6 digits, 30-second steps. A code is accepted one step early or late, for
// clocks that drift and people who type slowly.
const (
	totpDigits = 6
	totpStep   = 30 * time.Second
	totpWindow = 1
)

// hotp is the HMAC-based one-time password of RFC 4226 for counter: the
// HMAC-SHA-1 of the counter, dynamically truncated to 31 bits, in decimal.
func hotp(secret []byte, counter uint64) string {
	var msg [8]byte
	binary.BigEndian.PutUint64(msg[:], counter)
	mac := hmac.New(sha1.New, secret)
	mac.Write(msg[:])
	sum := mac.Sum(nil)
	off := sum[len(sum)-1] & 0x0f
	bin := binary.BigEndian.Uint32(sum[off:off+4]) & 0x7fffffff
	return fmt.Sprintf("%0*d", totpDigits, bin%1_000_000)
}

// totpStepAt is the time step of t.
func totpStepAt(t time.Time) int64 { return t.Unix() / int64(totpStep/time.Second) }

// TOTPCode returns the code an authenticator app shows at t for secret.
func TOTPCode(secret []byte, t time.Time) string { return hotp(secret, uint64(totpStepAt(t))) }

// totpMatch returns the time step, within the window around now, whose
// code is code, or 0 when none is.
func totpMatch(secret []byte, code string, now time.Time) int64 {
	if len(code) != totpDigits {
		return 0
	}
	cur := totpStepAt(now)
	var found int64
	for s := cur - totpWindow; s <= cur+totpWindow; s++ {
		// Every step is compared, in constant time, so the time taken
		// does not say which matched.
		if subtle.ConstantTimeCompare([]byte(hotp(secret, uint64(s))), []byte(code)) == 1 {
			found = s
		}
	}
	return found
}

var base32NoPad = base32.StdEncoding.WithPadding(base32.NoPadding)

// SecretText is a TOTP secret as people type it into an app: base32 in
// groups of four.
func SecretText(secret []byte) string {
	s := base32NoPad.EncodeToString(secret)
	var b strings.Builder
	for i := 0; i < len(s); i += 4 {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(s[i:min(i+4, len(s))])
	}
	return b.String()
}

// ParseSecretText reads a secret written by SecretText.
func ParseSecretText(s string) ([]byte, error) {
	return base32NoPad.DecodeString(strings.ToUpper(strings.ReplaceAll(s, " ", "")))
}

// TOTPURI is the otpauth:// address that an authenticator app reads from
// a QR code: the issuer, the account and the secret.
func TOTPURI(issuer, account string, secret []byte) string {
	v := url.Values{}
	v.Set("secret", base32NoPad.EncodeToString(secret))
	v.Set("issuer", issuer)
	v.Set("algorithm", "SHA1")
	v.Set("digits", "6")
	v.Set("period", "30")
	label := url.PathEscape(issuer) + ":" + url.PathEscape(account)
	return "otpauth://totp/" + label + "?" + v.Encode()
}
