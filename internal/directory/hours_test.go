package directory

import (
	"slices"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/london"
)

func weekly(byDay, opens, closes string) Schedule {
	return Schedule{Freq: "WEEKLY", ByDay: byDay, OpensAt: opens, ClosesAt: closes}
}

func TestOpeningHours(t *testing.T) {
	tests := []struct {
		name      string
		schedules []Schedule
		want      []string
	}{
		{"none held", nil, nil},
		{"a GP practice's week", []Schedule{
			weekly("MO,TU,WE,TH,FR", "08:00", "18:30"),
		}, []string{"Monday to Friday, 8am to 6.30pm", "Closed on Saturday and Sunday"}},
		{"a pharmacy with Saturday mornings", []Schedule{
			weekly("MO,TU,WE,TH,FR", "09:00", "18:00"),
			weekly("SA", "09:00", "13:00"),
		}, []string{"Monday to Friday, 9am to 6pm", "Saturday, 9am to 1pm", "Closed on Sunday"}},
		{"days given out of order, in lower case", []Schedule{
			weekly("fr,th,we,tu,mo", "09:00", "17:00"),
		}, []string{"Monday to Friday, 9am to 5pm", "Closed on Saturday and Sunday"}},
		{"open every hour of the week", []Schedule{
			weekly("MO,TU,WE,TH,FR,SA,SU", "00:00", "24:00"),
		}, []string{"Open 24 hours"}},
		{"open all day as opens equals closes", []Schedule{
			weekly("MO,TU,WE,TH,FR,SA,SU", "00:00", "00:00"),
		}, []string{"Open 24 hours"}},
		{"24 hours on weekdays only", []Schedule{
			weekly("MO,TU,WE,TH,FR", "00:00", "24:00"),
			weekly("SA,SU", "10:00", "16:00"),
		}, []string{"Monday to Friday, open 24 hours", "Saturday and Sunday, 10am to 4pm"}},
		{"a lunch break", []Schedule{
			weekly("MO,TU", "14:00", "18:00"),
			weekly("MO,TU", "08:30", "12:30"),
		}, []string{"Monday and Tuesday, 8.30am to 12.30pm and 2pm to 6pm", "Closed on Wednesday to Sunday"}},
		{"same hours on days apart stay apart", []Schedule{
			weekly("MO,WE", "09:00", "12:00"),
		}, []string{"Monday, 9am to midday", "Closed on Tuesday", "Wednesday, 9am to midday", "Closed on Thursday to Sunday"}},
		{"closes at midnight", []Schedule{
			weekly("MO,TU,WE,TH,FR,SA,SU", "07:00", "24:00"),
		}, []string{"Every day, 7am to midnight"}},
		{"overnight", []Schedule{
			weekly("FR", "22:00", "02:00"),
		}, []string{"Closed on Monday to Thursday", "Friday, 10pm to 2am", "Closed on Saturday and Sunday"}},
		{"a monthly session is described, not guessed", []Schedule{
			{Freq: "MONTHLY", ByDay: "1TU", OpensAt: "10:00", ClosesAt: "12:00", Description: "First Tuesday of the month, 10am to midday"},
		}, []string{"First Tuesday of the month, 10am to midday"}},
		{"a schedule without times says nothing", []Schedule{
			{Freq: "WEEKLY", ByDay: "MO"},
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := OpeningHours(tt.schedules)
			if !slices.Equal(got, tt.want) {
				t.Errorf("OpeningHours:\n got  %q\n want %q", got, tt.want)
			}
		})
	}
}

func TestOpenAt(t *testing.T) {
	weekdays := []Schedule{weekly("MO,TU,WE,TH,FR", "09:00", "17:30")}
	overnight := []Schedule{weekly("FR", "22:00", "02:00")}
	at := func(day, hour, minute int) time.Time {
		// May 2025: the 19th is a Monday, and London is on summer time,
		// an hour ahead of UTC.
		return time.Date(2025, 5, day, hour, minute, 0, 0, london.Location)
	}
	tests := []struct {
		name      string
		schedules []Schedule
		at        time.Time
		want      bool
	}{
		{"Wednesday midday", weekdays, at(21, 12, 0), true},
		{"as it opens", weekdays, at(21, 9, 0), true},
		{"as it closes", weekdays, at(21, 17, 30), false},
		{"Saturday", weekdays, at(24, 12, 0), false},
		{"judged in London, not UTC", weekdays, time.Date(2025, 5, 21, 8, 30, 0, 0, time.UTC), true},
		{"Friday night", overnight, at(23, 23, 0), true},
		{"small hours of Saturday", overnight, at(24, 1, 30), true},
		{"Saturday morning", overnight, at(24, 2, 0), false},
	}
	for _, tt := range tests {
		if got := OpenAt(tt.schedules, tt.at); got != tt.want {
			t.Errorf("%s: OpenAt = %v, want %v", tt.name, got, tt.want)
		}
	}
	if HasHours(nil) || !HasHours(weekdays) {
		t.Error("HasHours: want false for no schedules, true for weekly hours")
	}
}

func TestDistanceText(t *testing.T) {
	tests := []struct {
		metres float64
		want   string
	}{
		{650, "0.4 miles (0.7 km)"},
		{1609.344, "1 mile (1.6 km)"},
		{3000, "1.9 miles (3 km)"},
		{20000, "12 miles (20 km)"},
		{40, "less than 0.1 miles (160 m)"},
	}
	for _, tt := range tests {
		if got := DistanceText(tt.metres); got != tt.want {
			t.Errorf("DistanceText(%v) = %q, want %q", tt.metres, got, tt.want)
		}
	}
}

func TestPhoneText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"020 77034097", "020 7703 4097"},
		{"03001234567", "0300 123 4567"},
		{"07700 900123", "07700 900123"},
		{"01632 960001", "01632 960001"},
		{"020 7703 4097 ext 12", "020 7703 4097 ext 12"},
	}
	for _, tt := range tests {
		if got := PhoneText(tt.in); got != tt.want {
			t.Errorf("PhoneText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := telURL("020 7703 4097"); got != "tel:02077034097" {
		t.Errorf("telURL = %q", got)
	}
	if got := telURL("javascript:alert(1)"); got != "" {
		t.Errorf("telURL let through %q", got)
	}
}
