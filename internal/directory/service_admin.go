package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/joinedup/joinedup/internal/db"
)

// ServiceSummary is a service as the admin's list shows it.
type ServiceSummary struct {
	ID           string
	Name         string
	Status       string
	Organization string
	Description  string
}

// likePattern matches text anywhere in a lower-cased column, with LIKE's
// own wildcards in text taken literally (escaped with \).
func likePattern(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(text)) + "%"
}

// ListServices returns a page of every service, whatever its status, in
// name order, with the total: those whose name or organisation's name
// contains text, when text is not empty. It is for editors, who must find
// closed services too, so it does not use the residents' search.
func (s *Store) ListServices(ctx context.Context, text string, page, perPage int) ([]ServiceSummary, int, error) {
	where, args := "", []any{}
	if text = strings.TrimSpace(text); text != "" {
		where = `WHERE lower(s.name) LIKE $1 ESCAPE '\' OR lower(COALESCE(o.name, '')) LIKE $1 ESCAPE '\'`
		args = append(args, likePattern(text))
	}
	from := ` FROM dir_services s LEFT JOIN dir_organizations o ON o.id = s.organization_id ` + where
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*)`+from, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("directory: list services: %w", err)
	}
	n := len(args)
	out, err := db.QueryAll(ctx, s.q, func(r db.Scanner) (ServiceSummary, error) {
		var sv ServiceSummary
		err := r.Scan(&sv.ID, &sv.Name, &sv.Status, &sv.Organization, &sv.Description)
		return sv, err
	}, `SELECT s.id, s.name, s.status, COALESCE(o.name, ''), COALESCE(s.description, '')`+from+
		fmt.Sprintf(` ORDER BY lower(s.name), s.id LIMIT $%d OFFSET $%d`, n+1, n+2),
		append(args, perPage, offset(page, perPage))...)
	if err != nil {
		return nil, 0, fmt.Errorf("directory: list services: %w", err)
	}
	return out, total, nil
}

// OrganizationsNamed returns the organisations whose name is text (in any
// case) or whose ODS code is text, at most a few.
func (s *Store) OrganizationsNamed(ctx context.Context, text string) ([]Organization, error) {
	text = strings.TrimSpace(text)
	out, err := db.QueryAll(ctx, s.q, scanOrganization, `SELECT `+organizationColumns+` FROM dir_organizations
		WHERE lower(name) = $1 OR ods_code = $2 ORDER BY name, id LIMIT 5`, strings.ToLower(text), strings.ToUpper(text))
	if err != nil {
		return nil, fmt.Errorf("directory: organizations named %q: %w", text, err)
	}
	return out, nil
}

// OrganizationSummary is an organisation as the admin's list shows it.
type OrganizationSummary struct {
	ID, Name, ODSCode, Source string
	Services                  int
	Closed                    bool
}

// ListOrganizations returns a page of every organisation in name order,
// with the total: those whose name or ODS code contains text, when text is
// not empty.
func (s *Store) ListOrganizations(ctx context.Context, text string, page, perPage int) ([]OrganizationSummary, int, error) {
	where, args := "", []any{}
	if text = strings.TrimSpace(text); text != "" {
		where = `WHERE lower(o.name) LIKE $1 ESCAPE '\' OR lower(COALESCE(o.ods_code, '')) LIKE $1 ESCAPE '\'`
		args = append(args, likePattern(text))
	}
	var total int
	if err := s.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM dir_organizations o `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("directory: list organizations: %w", err)
	}
	n := len(args)
	out, err := db.QueryAll(ctx, s.q, func(r db.Scanner) (OrganizationSummary, error) {
		var o OrganizationSummary
		err := r.Scan(&o.ID, &o.Name, &o.ODSCode, &o.Source, &o.Services, &o.Closed)
		return o, err
	}, `SELECT o.id, o.name, COALESCE(o.ods_code, ''), o.source,
		(SELECT COUNT(*) FROM dir_services s WHERE s.organization_id = o.id), o.closed_at IS NOT NULL
		FROM dir_organizations o `+where+fmt.Sprintf(` ORDER BY lower(o.name), o.id LIMIT $%d OFFSET $%d`, n+1, n+2),
		append(args, perPage, offset(page, perPage))...)
	if err != nil {
		return nil, 0, fmt.Errorf("directory: list organizations: %w", err)
	}
	return out, total, nil
}

// OrganizationClosed reports whether an editor has closed the organisation.
func (s *Store) OrganizationClosed(ctx context.Context, id string) (bool, error) {
	var closed bool
	err := s.q.QueryRowContext(ctx, `SELECT closed_at IS NOT NULL FROM dir_organizations WHERE id = $1`, id).Scan(&closed)
	if err != nil {
		return false, fmt.Errorf("directory: organization %s closed: %w", id, err)
	}
	return closed, nil
}

// CloseOrganization marks an organisation closed; its services are for
// the caller to close, each through the directory's save.
func (s *Store) CloseOrganization(ctx context.Context, id string) error {
	if _, err := s.q.ExecContext(ctx, `UPDATE dir_organizations SET closed_at = $1 WHERE id = $2`, db.Now(), id); err != nil {
		return fmt.Errorf("directory: close organization %s: %w", id, err)
	}
	return nil
}

// ReindexOrganization brings the search index of an organisation's
// services up to date after a change to the organisation (whose name they
// are found by).
func ReindexOrganization(ctx context.Context, q db.Querier, organizationID string) error {
	ids, err := NewStore(q).OrganizationServiceIDs(ctx, organizationID)
	if err != nil {
		return err
	}
	idx := textIndexFor(q.Engine())
	for _, id := range ids {
		if err := idx.index(ctx, q, id); err != nil {
			return fmt.Errorf("directory: reindex %s: %w", id, err)
		}
	}
	return nil
}

// FindOrganizations returns up to limit organisations whose name holds
// every one of words (in any case), or whose ODS code is one of them, in
// name order.
func (s *Store) FindOrganizations(ctx context.Context, words []string, limit int) ([]Organization, error) {
	where, args := db.LikeAll([]string{"name", "COALESCE(ods_code, '')"}, words)
	args = append(args, limit)
	out, err := db.QueryAll(ctx, s.q, scanOrganization, `SELECT `+organizationColumns+` FROM dir_organizations
		WHERE `+where+fmt.Sprintf(` ORDER BY name, id LIMIT $%d`, len(args)), args...)
	if err != nil {
		return nil, fmt.Errorf("directory: find organizations: %w", err)
	}
	return out, nil
}
