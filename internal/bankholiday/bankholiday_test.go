package bankholiday

import (
	"testing"
	"time"
)

// The dates GOV.UK publishes for England and Wales
// (https://www.gov.uk/bank-holidays, Open Government Licence v3.0).
var published = map[int][]string{
	2020: {"2020-01-01", "2020-04-10", "2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31", "2020-12-25", "2020-12-28"},
	2021: {"2021-01-01", "2021-04-02", "2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30", "2021-12-27", "2021-12-28"},
	2022: {"2022-01-03", "2022-04-15", "2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03", "2022-08-29", "2022-09-19",
		"2022-12-26", "2022-12-27"},
	2023: {"2023-01-02", "2023-04-07", "2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29", "2023-08-28", "2023-12-25", "2023-12-26"},
	2024: {"2024-01-01", "2024-03-29", "2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26", "2024-12-25", "2024-12-26"},
	2025: {"2025-01-01", "2025-04-18", "2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25", "2025-12-25", "2025-12-26"},
	2026: {"2026-01-01", "2026-04-03", "2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31", "2026-12-25", "2026-12-28"},
	2027: {"2027-01-01", "2027-03-26", "2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30", "2027-12-27", "2027-12-28"},
}

func TestHolidaysMatchGOVUK(t *testing.T) {
	for year, want := range published {
		got := In(year)
		if len(got) != len(want) {
			t.Errorf("%d: %d holidays %v, want %v", year, len(got), got, want)
			continue
		}
		for i, h := range got {
			if h.Date.String() != want[i] {
				t.Errorf("%d: holiday %d (%s) on %s, want %s", year, i, h.Name, h.Date, want[i])
			}
		}
	}
}

func TestAddWorkingDays(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		from string
		n    int
		want string
	}{
		{"2026-11-25", -1, "2026-11-24"},  // Wednesday to Tuesday
		{"2026-11-30", -1, "2026-11-27"},  // Monday back over the weekend to Friday
		{"2026-04-07", -1, "2026-04-02"},  // Tuesday after Easter: back over Easter Monday, the weekend and Good Friday
		{"2026-12-29", -1, "2026-12-24"},  // over Christmas Day and Boxing Day's substitute Monday
		{"2026-11-26", -10, "2026-11-12"}, // two weeks
		{"2026-11-25", 20, "2026-12-23"},  // forwards: 20 working days
		{"2026-12-24", 1, "2026-12-29"},   // forwards over Christmas
		{"2026-11-25", 0, "2026-11-25"},
	} {
		if got := AddWorkingDays(day(c.from), c.n).Format("2006-01-02"); got != c.want {
			t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", c.from, c.n, got, c.want)
		}
	}
}
