package jobs_test

import (
	"testing"

	"github.com/joinedup/joinedup/internal/dbtest"
)

// TestMain runs the tests on SQLite and then on PostgreSQL.
func TestMain(m *testing.M) { dbtest.Main(m) }
