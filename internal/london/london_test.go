package london

import (
	"testing"
	"time"
)

func TestFormats(t *testing.T) {
	// 12:30 UTC is 1.30pm in London in May (BST) but 12.30pm in November (GMT).
	may := time.Date(2025, 5, 22, 12, 30, 0, 0, time.UTC)
	mayEnd := time.Date(2025, 5, 22, 15, 30, 0, 0, time.UTC)
	nov := time.Date(2024, 11, 22, 12, 30, 0, 0, time.UTC)
	tests := []struct {
		name, got, want string
	}{
		{"date", Date(may), "22 May 2025"},
		{"short date", ShortDate(nov), "22 Nov 2024"},
		{"long date", LongDate(may), "Thursday 22 May 2025"},
		{"summer time", Clock(may), "1.30pm"},
		{"winter time", Clock(nov), "12.30pm"},
		{"on the hour", Clock(time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)), "9am"},
		{"midday", Clock(time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)), "midday"},
		{"midnight", Clock(time.Date(2025, 1, 1, 0, 5, 0, 0, time.UTC)), "12.05am"},
		{"range", TimeRange(may, mayEnd), "1.30pm to 4.30pm"},
		{"when", When(may, mayEnd), "22 May 2025, 1.30pm to 4.30pm"},
		{"when overnight", When(time.Date(2025, 5, 22, 17, 0, 0, 0, time.UTC), time.Date(2025, 5, 23, 0, 0, 0, 0, time.UTC)), "22 May 2025, 6pm to 23 May 2025, 1am"},
		{"iso", ISO(may), "2025-05-22T13:30:00+01:00"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}
