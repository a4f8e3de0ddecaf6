package registrations

import (
	"context"
	"time"

	"github.com/joinedup/joinedup/internal/db"
)

// The SQL that reaches residents' questions to boards (the boards
// package's tables), for retention and erasure. Empty until those tables
// exist.
var questionsSQL = struct {
	events         string // event ids of meetings with questions not yet erased
	eventAddresses string // addresses of a meeting's questions not yet erased ($1 the event id)
}{}

// retentionMonths is how long after event id its personal data is kept.
func retentionMonths(ctx context.Context, q db.Querier, eventID int64) (int, error) {
	return DefaultRetentionMonths, nil
}

// eraseQuestionsOfEvent erases the questioners' details of a meeting.
func eraseQuestionsOfEvent(ctx context.Context, q db.Querier, eventID int64, now time.Time) (int, error) {
	return 0, nil
}

// eraseQuestionsOfAddress erases the details of every question from email.
func eraseQuestionsOfAddress(ctx context.Context, q db.Querier, email string, now time.Time) (int, error) {
	return 0, nil
}
