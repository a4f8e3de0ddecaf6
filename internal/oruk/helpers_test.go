package oruk_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/joinedup/joinedup/internal/app"
	"github.com/joinedup/joinedup/internal/app/apptest"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
)

// testAPI is the real joinedup site with its shipped data, on a fresh
// SQLite database in a temp dir, served over loopback.
type testAPI struct {
	t   *testing.T
	db  *db.DB
	srv *httptest.Server
}

const testBaseURL = "https://joinedup.example"

func quietLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

func newTestAPI(t *testing.T) *testAPI {
	t.Helper()
	cfg := apptest.Config(t, config.Config{DataDir: t.TempDir(), BaseURL: testBaseURL})
	d, err := app.Open(context.Background(), cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	h, err := app.Handler(d, cfg, quietLog())
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(func() {
		srv.Close()
		d.Close()
	})
	return &testAPI{t: t, db: d, srv: srv}
}

// get fetches path and returns the response and its body.
func (a *testAPI) get(path string) (*http.Response, []byte) {
	a.t.Helper()
	res, err := a.srv.Client().Get(a.srv.URL + path)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	return res, body
}

// getJSON fetches path, requires a 200 and decodes the body.
func (a *testAPI) getJSON(path string) any {
	a.t.Helper()
	res, body := a.get(path)
	if res.StatusCode != http.StatusOK {
		a.t.Fatalf("GET %s: status %d: %s", path, res.StatusCode, body)
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
	return v
}

// allContents reads every page of a list (path has no page parameter) and
// returns the contents of them all.
func (a *testAPI) allContents(path string) []any {
	a.t.Helper()
	var all []any
	for page := 1; ; page++ {
		v := a.getJSON(path + "&page=" + strconv.Itoa(page))
		all = append(all, contents(v)...)
		if field(v, "last_page") == true || len(contents(v)) == 0 {
			return all
		}
	}
}
