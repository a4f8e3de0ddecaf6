package upkeep

import (
	"context"
	"fmt"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/directory"
	"github.com/joinedup/joinedup/internal/london"
	"github.com/joinedup/joinedup/internal/mail"
)

// notifyProviders queues, in q, an email about a new report to each
// provider account of the service's organisation.
func (s *Service) notifyProviders(ctx context.Context, q db.Querier, svc directory.Service, r Report) error {
	emails, err := s.opt.Providers.Emails(ctx, svc.OrganizationID)
	if err != nil {
		return fmt.Errorf("upkeep: providers of %s: %w", svc.OrganizationID, err)
	}
	if len(emails) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "A resident has reported a problem with the listing of %s in the directory.\n\n", svc.Name)
	fmt.Fprintf(&b, "What they said is wrong: %s\n", r.Kind.Label())
	if r.Details != "" {
		fmt.Fprintf(&b, "\nTheir words:\n%s\n", r.Details)
	}
	fmt.Fprintf(&b, "\nThe listing: %s/directory/services/%s\n", s.opt.BaseURL, svc.ID)
	fmt.Fprintf(&b, "The report, to act on it: %s/admin/directory/reports/%d\n", s.opt.BaseURL, r.ID)
	b.WriteString("\nA directory editor sees the report too. If the listing is wrong, send the right details to the directory team.\n")
	for _, to := range emails {
		if _, err := s.opt.Outbox.Enqueue(ctx, q, mail.Message{Kind: "listing-report-provider", To: to,
			Subject: "A problem reported with your listing: " + svc.Name, Text: b.String()}); err != nil {
			return err
		}
	}
	return nil
}

// tellReporter queues, in q, the email telling a reporter their report is
// closed, when they gave an address.
func (s *Service) tellReporter(ctx context.Context, q db.Querier, r Report, serviceName string) error {
	if r.Email == "" || r.Erased {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Thank you for reporting a problem with the listing of %s on %s (%s).\n\n",
		serviceName, london.LongDate(r.CreatedAt), strings.ToLower(r.Kind.Label()[:1])+r.Kind.Label()[1:])
	switch r.Status {
	case Fixed:
		b.WriteString("We have checked the listing and corrected it.\n")
	case NotAProblem:
		b.WriteString("We have checked the listing and found it correct, so we have not changed it.\n")
	}
	if r.Note != "" {
		fmt.Fprintf(&b, "\nA note from the directory team:\n%s\n", r.Note)
	}
	fmt.Fprintf(&b, "\nThe listing: %s/directory/services/%s\n", s.opt.BaseURL, r.ServiceID)
	fmt.Fprintf(&b, "\nWe keep your email address for %d months after your report is closed, then delete it. "+
		"Our privacy notice: %s/privacy\n", closedRetentionMonths, s.opt.BaseURL)
	subject := "Your report about " + serviceName + ": "
	if r.Status == Fixed {
		subject += "fixed"
	} else {
		subject += "checked"
	}
	_, err := s.opt.Outbox.Enqueue(ctx, q, mail.Message{Kind: "listing-report-closed", To: r.Email, Ref: Ref(r.ID),
		Subject: subject, Text: b.String()})
	return err
}
