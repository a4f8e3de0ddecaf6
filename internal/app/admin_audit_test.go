package app

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/db"
)

var auditRow = regexp.MustCompile(`href="/admin/audit/(\d+)"`)

func TestAdminAuditLog(t *testing.T) {
	s := newAdminSite(t)
	s.addUser("boss@example.org", accounts.Administrator)
	s.addUser("ed@example.org", accounts.Editor, "southwark")
	ed := s.visitor().mustLogin("ed@example.org")
	res := ed.post("/admin/posts", postForm("walk-for-health", "draft"))
	edit := res.location
	record := "post:" + strings.TrimPrefix(edit, "/admin/posts/")
	ed.post(edit, postForm("walk-for-health", "now", "title", "Run for health"))

	// Many older entries, for the paging and the date filter.
	ctx := context.Background()
	err := s.db.Tx(ctx, func(q db.Querier) error {
		for i := range 60 {
			if err := accounts.Audit(ctx, q, accounts.Entry{Actor: fmt.Sprintf("bulk%d@example.org", i), Action: "login_failed"}); err != nil {
				return err
			}
		}
		_, err := q.ExecContext(ctx, `UPDATE audit_log SET at = $1 WHERE action = 'login_failed'`, time.Date(2025, 1, 15, 12, 0, 0, 0, time.UTC))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	b := s.visitor().mustLogin("boss@example.org")
	all := b.get("/admin/audit")
	if all.status != http.StatusOK || len(auditRow.FindAllString(all.body, -1)) != 50 || !strings.Contains(all.body, `href="/admin/audit?page=2"`) {
		t.Fatalf("audit log: status %d, %d rows (want 50) or no next page", all.status, len(auditRow.FindAllString(all.body, -1)))
	}
	if p2 := b.get("/admin/audit?page=2"); len(auditRow.FindAllString(p2.body, -1)) == 0 {
		t.Error("the second page of the audit log is empty")
	}
	tests := []struct {
		query string
		rows  int
		want  string
	}{
		{"actor=ED%40example", 3, "post_updated"}, // the login, the creation and the update
		{"record=" + record, 2, "post_created"},
		{"record=post", 2, "post_updated"},
		{"action=post_updated", 1, record},
		{"action=login_failed&from=2025-01-15&to=2025-01-15", 50, "bulk"},
		{"from=2025-01-16&to=2025-01-16", 0, "No entries match"},
	}
	for _, tt := range tests {
		res := b.get("/admin/audit?" + tt.query)
		if got := len(auditRow.FindAllString(res.body, -1)); res.status != http.StatusOK || got != tt.rows || !strings.Contains(res.body, tt.want) {
			t.Errorf("?%s: status %d, %d rows (want %d), or no %q", tt.query, res.status, got, tt.rows, tt.want)
		}
	}
	bad := b.get("/admin/audit?from=15/01/2025&to=2025-01-14")
	if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `href="#from"`) || !strings.Contains(bad.body, `value="15/01/2025"`) {
		t.Errorf("a wrong date: status %d, want 422 with an error on the date and the input kept", bad.status)
	}

	// One entry: the record before and after, field by field.
	m := auditRow.FindStringSubmatch(b.get("/admin/audit?action=post_updated").body)
	if m == nil {
		t.Fatal("no entry for the update")
	}
	entry := b.get("/admin/audit/" + m[1])
	for _, want := range []string{"ed@example.org", "Walk for health", "Run for health", "draft", "published", `scope="row">Title</th>`} {
		if !strings.Contains(entry.body, want) {
			t.Errorf("the entry's page lacks %q", want)
		}
	}
	if res := ed.get("/admin/audit/" + m[1]); res.status != http.StatusForbidden {
		t.Errorf("an editor opening the audit log: status %d, want 403", res.status)
	}
	if res := b.get("/admin/audit/999999"); res.status != http.StatusNotFound {
		t.Errorf("an unknown entry: status %d, want 404", res.status)
	}
}
