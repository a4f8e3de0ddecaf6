package questions

import (
	"context"
	"strconv"
	"time"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/spam"
)

// The question form's spam protection is package spam's: a honeypot, a
// signed timestamp per meeting and limits per address and email.

// secretName names the key that signs form timestamps (see package secrets).
const secretName = "question-form"

// Limits are the spam limits of the question form.
type Limits = spam.Limits

// DefaultLimits are the limits a site starts with.
var DefaultLimits = spam.DefaultLimits

func subject(meetingID int64) string { return strconv.FormatInt(meetingID, 10) }

// stamp signs the moment a form was shown, for one meeting.
func stamp(key []byte, meetingID int64, shown time.Time) string {
	return spam.Stamp(key, subject(meetingID), shown)
}

// shownAt checks a form's stamp and returns when the form was shown.
func shownAt(key []byte, meetingID int64, s string) (time.Time, bool) {
	return spam.ShownAt(key, subject(meetingID), s)
}

// attempt records a submission from addr (and email, if given) and
// reports whether either is over its limit, counting this one.
func attempt(ctx context.Context, d *db.DB, key []byte, lim Limits, addr, email string, now time.Time) (bool, error) {
	return spam.Attempt(ctx, d, "question_attempts", key, lim, addr, email, now)
}
