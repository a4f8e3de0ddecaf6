package access_test

import (
	"testing"

	"github.com/joinedup/joinedup/internal/dbtest"
)

// TestMain runs the package's tests on SQLite, then on PostgreSQL.
func TestMain(m *testing.M) { dbtest.Main(m) }
