package formats

import (
	"time"

	"github.com/joinedup/joinedup/internal/bankholiday"
	"github.com/joinedup/joinedup/internal/london"
)

// DefaultWorkingDays is how many working days a team has to answer a
// request until an administrator sets another number.
const DefaultWorkingDays = 10

// MaxWorkingDays is the most the setting allows.
const MaxWorkingDays = 60

// DueOn is the date a request made at now is due: days working days
// after the day it arrived in London, skipping weekends and bank holidays
// in England and Wales.
func DueOn(now time.Time, days int) string {
	return bankholiday.AddWorkingDays(london.In(now), days).Format(dateLayout)
}
