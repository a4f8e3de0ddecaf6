package upkeep

import (
	"net/mail"
	"strings"
)

// reservedSuffixes and reservedDomains can never receive email: names kept for examples and
// tests (RFC 2606, RFC 6761).
var reservedSuffixes = []string{".example", ".invalid", ".test", ".localhost", ".local"}

var reservedDomains = map[string]bool{"example.com": true, "example.org": true, "example.net": true, "localhost": true}

// mistypedDomains are common slips in the domains of email providers and
// the NHS, with what was meant.
var mistypedDomains = map[string]string{
	"gmial.com": "gmail.com", "gamil.com": "gmail.com", "gmai.com": "gmail.com", "gmail.con": "gmail.com",
	"gmail.cm": "gmail.com", "googlemail.con": "googlemail.com",
	"hotmial.com": "hotmail.com", "hotmai.com": "hotmail.com", "hotmail.con": "hotmail.com", "hotmial.co.uk": "hotmail.co.uk",
	"yahoo.con": "yahoo.com", "yaho.com": "yahoo.com", "yahoo.co.ku": "yahoo.co.uk",
	"outlok.com": "outlook.com", "outlook.con": "outlook.com", "btinternet.con": "btinternet.com", "btinterent.com": "btinternet.com",
	"nhs.nte": "nhs.net", "nhs.ner": "nhs.net", "nhs.ne": "nhs.net", "nsh.net": "nhs.net",
}

// mistypedTLDs are endings no real domain has that are slips for .com.
var mistypedTLDs = []string{".con", ".cmo", ".ocm", ".vom", ".xom", ".comm"}

// checkEmail says whether addr looks like an email address that can
// receive mail, and if not why: its syntax, and a domain that is not
// obviously wrong. It looks nothing up on the network.
func checkEmail(addr string) (bool, string) {
	addr = strings.TrimPrefix(strings.TrimSpace(addr), "mailto:")
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || a.Name != "" {
		return false, "It is not an email address (name@domain)"
	}
	at := strings.LastIndex(addr, "@")
	domain := strings.ToLower(addr[at+1:])
	if to, ok := mistypedDomains[domain]; ok {
		return false, "The domain " + domain + " looks mistyped: did you mean " + to + "?"
	}
	if reservedDomains[domain] {
		return false, "The domain " + domain + " is kept for examples and receives no email"
	}
	for _, s := range reservedSuffixes {
		if strings.HasSuffix(domain, s) {
			return false, "Domains ending " + s + " receive no email"
		}
	}
	for _, s := range mistypedTLDs {
		if strings.HasSuffix(domain, s) {
			return false, "No domain ends " + s + ": did you mean .com?"
		}
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false, "The domain " + domain + " has no ending such as .org.uk"
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false, "The domain " + domain + " is not a valid name"
		}
		for _, r := range l {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				return false, "The domain " + domain + " has characters domains cannot have"
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 || strings.Trim(tld, "abcdefghijklmnopqrstuvwxyz") != "" {
		return false, "The domain " + domain + " does not end in a real top-level domain"
	}
	return true, ""
}
