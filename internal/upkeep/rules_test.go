package upkeep

import (
	"context"
	"testing"

	"github.com/joinedup/joinedup/internal/directory"
)

func TestCheckPhone(t *testing.T) {
	for _, tc := range []struct {
		number string
		ok     bool
		detail string
	}{
		{"020 7946 0000", true, ""},
		{"+44 (0)20 7946 0000", true, ""},
		{"0044 20 7946 0000", true, ""},
		{"(020) 7946-0000", true, ""},
		{"020 7946 0000 ext. 123", true, ""},
		{"01632 960000", true, ""},
		{"016977 2345", true, ""},
		{"028 9018 0000", true, ""},
		{"0300 123 4567", true, ""},
		{"07700 900123", true, ""},
		{"0800 123 456", true, ""},
		{"0800 123 4567", true, ""},
		{"0800 1111", true, ""},
		{"0808 800 5000", true, ""},
		{"0845 123 4567", true, ""},
		{"111", true, "A short number for services"},
		{"116 123", true, "A short number for services"},
		{"+33 1 23 45 67 89", true, "A number outside the UK: not checked"},
		{"020 7946 000", false, "A London number starting 020 has 11 digits; this has 10"},
		{"01632 96000", false, "A geographic number starting 01 has 11 digits; this has 10"},
		{"07700 90012", false, "A mobile number starting 07 has 11 digits; this has 10"},
		{"0808 800 500", false, "A freephone number starting 0808 has 11 digits; this has 10"},
		{"0500 123456", false, "0500 numbers were withdrawn in 2017"},
		{"04 1234 5678", false, "No UK numbers start 041"},
		{"021 1234 5678", false, "No UK numbers start 021"},
		{"0600 123 4567", false, "No UK numbers start 060"},
		{"7946 0000", false, "A UK number starts with 0 (or +44)"},
		{"0161 abc 1234", false, "It has characters that are not digits"},
		{"  ", false, "There is no number"},
	} {
		ok, detail := checkPhone(tc.number)
		if ok != tc.ok || detail != tc.detail {
			t.Errorf("checkPhone(%q) = %v, %q; want %v, %q", tc.number, ok, detail, tc.ok, tc.detail)
		}
	}
}

func TestCheckEmail(t *testing.T) {
	for _, tc := range []struct {
		addr   string
		ok     bool
		detail string
	}{
		{"reception@practice.nhs.net", true, ""},
		{"hello@lunch-club.org.uk", true, ""},
		{"mailto:info@southwark.gov.uk", true, ""},
		{"someone@gmial.com", false, "The domain gmial.com looks mistyped: did you mean gmail.com?"},
		{"gp.surgery@nhs.nte", false, "The domain nhs.nte looks mistyped: did you mean nhs.net?"},
		{"info@example.com", false, "The domain example.com is kept for examples and receives no email"},
		{"info@club.invalid", false, "Domains ending .invalid receive no email"},
		{"info@club.con", false, "No domain ends .con: did you mean .com?"},
		{"info@localhost", false, "The domain localhost is kept for examples and receives no email"},
		{"info@intranet", false, "The domain intranet has no ending such as .org.uk"},
		{"info@-club.org", false, "The domain -club.org is not a valid name"},
		{"info@club.123", false, "The domain club.123 does not end in a real top-level domain"},
		{"info@club_house.org", false, "The domain club_house.org has characters domains cannot have"},
		{"not an address", false, "It is not an email address (name@domain)"},
		{"Club <info@club.org>", false, "It is not an email address (name@domain)"},
	} {
		ok, detail := checkEmail(tc.addr)
		if ok != tc.ok || detail != tc.detail {
			t.Errorf("checkEmail(%q) = %v, %q; want %v, %q", tc.addr, ok, detail, tc.ok, tc.detail)
		}
	}
}

// Email addresses and phone numbers that break the rules are flagged at
// once, by the same job as the websites.
func TestContactChecks(t *testing.T) {
	f := newFixture(t)
	org := f.org(t, "Contacts")
	id := f.service(t, org, "Contactable", func(s *directory.Service) {
		s.Email = "hello@gmial.com"
		s.Phones = []directory.Phone{{ID: directory.NewID(), Number: "020 7946 0000"}, {ID: directory.NewID(), Number: "020 7946 000"}}
	})
	run, err := f.s.RunChecks(context.Background(), &Checker{LoopbackOnly: true}, f.clock.Now(), 10)
	if err != nil || run.Checks != 3 || run.Failed != 2 {
		t.Fatalf("run = %+v, %v; want 3 checks, 2 failing", run, err)
	}
	list, _, err := f.s.ServiceChecks(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	flagged := 0
	for _, c := range list {
		if c.Flagged {
			flagged++
		}
	}
	if flagged != 2 {
		t.Errorf("checks = %+v; want the email and the short number flagged", list)
	}
}
