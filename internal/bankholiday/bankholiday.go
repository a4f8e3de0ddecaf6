// Package bankholiday knows the bank holidays of England and Wales, for
// deadlines counted in working days.
//
// The rules below (fixed dates with substitute days, Easter, the May and
// August Mondays) and the list of one-off and moved holidays follow the
// published dates on GOV.UK (https://www.gov.uk/bank-holidays), Crown
// copyright, under the Open Government Licence v3.0. They are checked
// against those dates in the tests. A holiday announced after this was
// written (a new one-off) must be added to oneOff.
package bankholiday

import (
	"time"
)

// Date is a calendar date, without a time zone.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string { return d.time().Format("2006-01-02") }

func (d Date) time() time.Time { return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC) }

func dateOf(t time.Time) Date { return Date{t.Year(), t.Month(), t.Day()} }

// Holiday is one bank holiday.
type Holiday struct {
	Date Date
	Name string
}

// oneOff are bank holidays outside the rules: royal and national events.
var oneOff = []Holiday{
	{Date{1999, time.December, 31}, "Millennium Celebrations"},
	{Date{2002, time.June, 3}, "Queen's Golden Jubilee"},
	{Date{2011, time.April, 29}, "Royal wedding"},
	{Date{2012, time.June, 5}, "Queen's Diamond Jubilee"},
	{Date{2022, time.June, 3}, "Platinum Jubilee bank holiday"},
	{Date{2022, time.September, 19}, "Bank Holiday for the State Funeral of Queen Elizabeth II"},
	{Date{2023, time.May, 8}, "Bank holiday for the coronation of King Charles III"},
}

// moved are years in which a regular holiday was moved to another date:
// the rule's date (key) is replaced by the date given.
var moved = map[Date]Date{
	{1995, time.May, 1}:  {1995, time.May, 8},  // early May, for VE Day's 50th anniversary
	{2002, time.May, 27}: {2002, time.June, 4}, // spring, for the Golden Jubilee
	{2012, time.May, 28}: {2012, time.June, 4}, // spring, for the Diamond Jubilee
	{2020, time.May, 4}:  {2020, time.May, 8},  // early May, for VE Day's 75th anniversary
	{2022, time.May, 30}: {2022, time.June, 2}, // spring, for the Platinum Jubilee
}

// Easter returns the date of Easter Sunday in the Gregorian calendar (the
// anonymous Gregorian algorithm, also known as Meeus/Jones/Butcher).
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return Date{year, time.Month(month), day}
}

// firstMonday and lastMonday find a month's first and last Mondays.
func firstMonday(year int, month time.Month) Date {
	t := time.Date(year, month, 1, 12, 0, 0, 0, time.UTC)
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, 1)
	}
	return dateOf(t)
}

func lastMonday(year int, month time.Month) Date {
	t := time.Date(year, month+1, 0, 12, 0, 0, 0, time.UTC)
	for t.Weekday() != time.Monday {
		t = t.AddDate(0, 0, -1)
	}
	return dateOf(t)
}

func add(d Date, days int) Date { return dateOf(d.time().AddDate(0, 0, days)) }

// In returns the bank holidays of England and Wales in year, in date order.
func In(year int) []Holiday {
	var out []Holiday
	// New Year's Day falls back to the next weekday.
	ny := Date{year, time.January, 1}
	switch ny.time().Weekday() {
	case time.Saturday:
		ny = add(ny, 2)
	case time.Sunday:
		ny = add(ny, 1)
	}
	out = append(out, Holiday{ny, "New Year’s Day"})
	easter := Easter(year)
	out = append(out, Holiday{add(easter, -2), "Good Friday"}, Holiday{add(easter, 1), "Easter Monday"})
	out = append(out, Holiday{firstMonday(year, time.May), "Early May bank holiday"},
		Holiday{lastMonday(year, time.May), "Spring bank holiday"},
		Holiday{lastMonday(year, time.August), "Summer bank holiday"})
	// Christmas Day and Boxing Day: a holiday on a weekend moves to the
	// next weekday that is not already a holiday.
	xmas, boxing := Date{year, time.December, 25}, Date{year, time.December, 26}
	switch xmas.time().Weekday() {
	case time.Friday: // Boxing Day is a Saturday
		boxing = add(boxing, 2)
	case time.Saturday:
		xmas, boxing = add(xmas, 2), add(boxing, 2)
	case time.Sunday:
		xmas = add(xmas, 2)
	}
	out = append(out, Holiday{xmas, "Christmas Day"}, Holiday{boxing, "Boxing Day"})
	for i, h := range out {
		if to, ok := moved[h.Date]; ok {
			out[i].Date = to
		}
	}
	for _, h := range oneOff {
		if h.Date.Year == year {
			out = append(out, h)
		}
	}
	sortHolidays(out)
	return out
}

func sortHolidays(hs []Holiday) {
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0 && hs[j].Date.time().Before(hs[j-1].Date.time()); j-- {
			hs[j], hs[j-1] = hs[j-1], hs[j]
		}
	}
}

// IsHoliday reports whether d is a bank holiday in England and Wales.
func IsHoliday(d Date) bool {
	for _, h := range In(d.Year) {
		if h.Date == d {
			return true
		}
	}
	return false
}

// IsWorkingDay reports whether d is a weekday that is not a bank holiday.
func IsWorkingDay(d Date) bool {
	wd := d.time().Weekday()
	return wd != time.Saturday && wd != time.Sunday && !IsHoliday(d)
}

// AddWorkingDays moves day (whose calendar date is read in its own
// location) by n working days: forwards for n > 0, backwards for n < 0.
// The result keeps day's time of day and location. With n = 0 it is day.
func AddWorkingDays(day time.Time, n int) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		day = day.AddDate(0, 0, step)
		if IsWorkingDay(dateOf(day)) {
			n--
		}
	}
	return day
}

// WorkingDaysBetween counts the working days after from's calendar date up
// to and including to's (each read in its own location): 1 from a Friday to
// the Monday after, 0 to the same day or a weekend day, and negative (the
// working days after to up to and including from) when to comes first.
func WorkingDaysBetween(from, to time.Time) int {
	a, b := dateOf(from), dateOf(to)
	sign := 1
	if b.time().Before(a.time()) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := add(a, 1); !b.time().Before(d.time()); d = add(d, 1) {
		if IsWorkingDay(d) {
			n++
		}
	}
	return sign * n
}
