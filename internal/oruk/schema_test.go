package oruk_test

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// schemaBase is where the copied schemas are registered, so that the
// relative reference in taxonomy.json resolves among them.
const schemaBase = "https://schemas.joinedup.test/"

// listSchemas wraps an item schema in the paged envelope.
var listSchemas = map[string]string{
	"services_page":              `{"allOf": [{"$ref": "page.json"}], "properties": {"contents": {"items": {"allOf": [{"$ref": "service_list.json"}, {"$ref": "service.json"}]}}}}`,
	"service_at_locations_page":  `{"allOf": [{"$ref": "page.json"}], "properties": {"contents": {"items": {"$ref": "service_at_location_list.json"}}}}`,
	"organizations_page":         `{"allOf": [{"$ref": "page.json"}], "properties": {"contents": {"items": {"$ref": "organization_list.json"}}}}`,
	"taxonomies_page":            `{"allOf": [{"$ref": "page.json"}, {"$ref": "validator_taxonomy_list.json"}], "properties": {"contents": {"items": {"$ref": "taxonomy.json"}}}}`,
	"taxonomy_terms_page":        `{"allOf": [{"$ref": "page.json"}, {"$ref": "validator_taxonomy_term_list.json"}], "properties": {"contents": {"items": {"$ref": "taxonomy_term.json"}}}}`,
	"service_at_location_single": `{"$ref": "service_at_location.json"}`,
}

// compileSchemas compiles the official ORUK schemas in testdata as the
// Go validator the conformance notes name does: draft 2020-12, formats
// asserted.
func compileSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	files, err := filepath.Glob(filepath.Join("testdata", "schemas", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no schemas in testdata: %v", err)
	}
	var names []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if err := c.AddResource(schemaBase+name+".json", doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		names = append(names, name)
	}
	for name, src := range listSchemas {
		doc, err := jsonschema.UnmarshalJSON(strings.NewReader(src))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource(schemaBase+name+".json", doc); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	out := map[string]*jsonschema.Schema{}
	for _, name := range names {
		sch, err := c.Compile(schemaBase + name + ".json")
		if err != nil {
			t.Fatalf("compile %s: %v", name, err)
		}
		out[name] = sch
	}
	return out
}

// fetchValid fetches path, requires a 200 with the CORS header and JSON,
// validates the body against the named schema, checks it holds no null and
// returns it as decoded for the validator (numbers as json.Number).
func (a *testAPI) fetchValid(schemas map[string]*jsonschema.Schema, schema, path string) any {
	a.t.Helper()
	res, body := a.get(path)
	if res.StatusCode != http.StatusOK {
		a.t.Fatalf("GET %s: status %d: %s", path, res.StatusCode, body)
	}
	if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
		a.t.Errorf("GET %s: Access-Control-Allow-Origin %q, want *", path, got)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json" {
		a.t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		a.t.Fatalf("GET %s: %v", path, err)
	}
	sch, ok := schemas[schema]
	if !ok {
		a.t.Fatalf("no schema %s", schema)
	}
	if err := sch.Validate(v); err != nil {
		a.t.Errorf("GET %s does not validate against %s:\n%v", path, schema, err)
	}
	if where := findNull(v, "$"); where != "" {
		a.t.Errorf("GET %s: null at %s; optional empty fields must be left out", path, where)
	}
	return v
}

// findNull returns the path of the first null in v, or "".
func findNull(v any, path string) string {
	switch x := v.(type) {
	case nil:
		return path
	case map[string]any:
		for k, e := range x {
			if p := findNull(e, path+"."+k); p != "" {
				return p
			}
		}
	case []any:
		for i, e := range x {
			if p := findNull(e, fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
	}
	return ""
}

func field(v any, name string) any { return v.(map[string]any)[name] }

func contents(v any) []any { return field(v, "contents").([]any) }

func num(v any) int {
	var n int
	fmt.Sscan(fmt.Sprint(v), &n)
	return n
}

// collectIDs pages through a list endpoint and returns every id in it.
func (a *testAPI) collectIDs(schemas map[string]*jsonschema.Schema, schema, path string) []string {
	a.t.Helper()
	var ids []string
	for page := 1; ; page++ {
		v := a.fetchValid(schemas, schema, fmt.Sprintf("%s?per_page=%d&page=%d", path, 200, page))
		for _, item := range contents(v) {
			ids = append(ids, field(item, "id").(string))
		}
		if field(v, "last_page") == true {
			return ids
		}
	}
}

// TestEndpointsValidateAgainstSchemas checks every endpoint on the shipped
// Southwark data: the first, a middle and the last page of each list, and
// ten random records of each kind, against the official schemas.
func TestEndpointsValidateAgainstSchemas(t *testing.T) {
	a := newTestAPI(t)
	schemas := compileSchemas(t)

	details := a.fetchValid(schemas, "api_details", "/api/oruk/")
	if field(details, "openapi_url") != testBaseURL+"/api/oruk/openapi.json" {
		t.Errorf("openapi_url = %v", field(details, "openapi_url"))
	}

	// Every shipped GP practice and pharmacy, each its own organisation.
	services := len(shippedNames(t, "sel_gp_practices.csv")) + len(shippedNames(t, "sel_pharmacies.csv"))
	lists := []struct {
		path, schema, itemSchema, showPath string
		perPage, wantTotal                 int
	}{
		{"/api/oruk/services", "services_page", "service", "/api/oruk/services/", 50, services},
		{"/api/oruk/service_at_locations", "service_at_locations_page", "service_at_location_single", "/api/oruk/service_at_locations/", 50, services},
		{"/api/oruk/organizations", "organizations_page", "organization", "/api/oruk/organizations/", 50, services},
		{"/api/oruk/taxonomies", "taxonomies_page", "taxonomy", "/api/oruk/taxonomies/", 1, 1},
		{"/api/oruk/taxonomy_terms", "taxonomy_terms_page", "taxonomy_term", "/api/oruk/taxonomy_terms/", 1, 2},
	}
	rng := rand.New(rand.NewPCG(4, 2025))
	for _, l := range lists {
		t.Run(strings.TrimPrefix(l.path, "/api/oruk/"), func(t *testing.T) {
			first := a.fetchValid(schemas, l.schema, fmt.Sprintf("%s?per_page=%d", l.path, l.perPage))
			total, pages := num(field(first, "total_items")), num(field(first, "total_pages"))
			if total != l.wantTotal {
				t.Fatalf("total_items = %d, want %d", total, l.wantTotal)
			}
			if want := (total + l.perPage - 1) / l.perPage; pages != want {
				t.Errorf("total_pages = %d, want %d", pages, want)
			}
			seen := map[string]bool{}
			for _, page := range distinctPages(1, (pages+1)/2, pages) {
				v := a.fetchValid(schemas, l.schema, fmt.Sprintf("%s?per_page=%d&page=%d", l.path, l.perPage, page))
				wantSize := min(l.perPage, total-(page-1)*l.perPage)
				if num(field(v, "page_number")) != page || num(field(v, "size")) != wantSize || len(contents(v)) != wantSize ||
					field(v, "first_page") != (page == 1) || field(v, "last_page") != (page == pages) || field(v, "empty") != false {
					t.Errorf("page %d envelope wrong: %v", page, map[string]any{"page_number": field(v, "page_number"),
						"size": field(v, "size"), "first": field(v, "first_page"), "last": field(v, "last_page")})
				}
				for _, item := range contents(v) {
					id := field(item, "id").(string)
					if seen[id] {
						t.Errorf("id %s on two pages", id)
					}
					seen[id] = true
				}
			}
			ids := a.collectIDs(schemas, l.schema, l.path)
			if len(ids) != total {
				t.Fatalf("paged through %d ids, want %d", len(ids), total)
			}
			rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
			for _, id := range ids[:min(10, len(ids))] {
				v := a.fetchValid(schemas, l.itemSchema, l.showPath+id)
				if field(v, "id") != id {
					t.Errorf("GET %s%s returned id %v", l.showPath, id, field(v, "id"))
				}
			}
		})
	}

	// A page past the end is empty, not an error.
	v := a.fetchValid(schemas, "services_page", fmt.Sprintf("/api/oruk/services?per_page=50&page=%d", services/50+2))
	if field(v, "empty") != true || len(contents(v)) != 0 || field(v, "last_page") != true {
		t.Errorf("page past the end: %v", v)
	}
}

// TestExamplesValidate checks the copied schemas accept the official
// examples, so a failure elsewhere is ours, not the schemas'.
func TestExamplesValidate(t *testing.T) {
	schemas := compileSchemas(t)
	for _, name := range []string{"service_full.json", "validator_default_service_full.json"} {
		b, err := os.ReadFile(filepath.Join("testdata", "examples", name))
		if err != nil {
			t.Fatal(err)
		}
		v, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := schemas["service"].Validate(v); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	// And that they reject what the validator fails: a service without a name.
	bad, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"id": "ac148810-d857-441c-9679-408f346de14b", "status": "active"}`))
	if schemas["service"].Validate(bad) == nil {
		t.Error("a service without a name validated")
	}
}

// distinctPages returns the page numbers without repeats, for lists too
// short to have three different pages.
func distinctPages(pages ...int) []int {
	var out []int
	for _, p := range pages {
		if len(out) == 0 || out[len(out)-1] != p {
			out = append(out, p)
		}
	}
	return out
}
