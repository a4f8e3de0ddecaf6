package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The schemas are the UK profile's, copied into internal/oruk/testdata.
const schemaDir = "../../internal/oruk/testdata/schemas"

func compile(t *testing.T) (service, page *jsonschema.Schema) {
	t.Helper()
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat()
	for _, name := range []string{"service.json", "page.json"} {
		b, err := os.ReadFile(filepath.Join(schemaDir, name))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if err := c.AddResource("https://schemas.test/"+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	var err error
	if service, err = c.Compile("https://schemas.test/service.json"); err != nil {
		t.Fatal(err)
	}
	if page, err = c.Compile("https://schemas.test/page.json"); err != nil {
		t.Fatal(err)
	}
	return service, page
}

// asJSON round-trips v through JSON, as a client reads it.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	out, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func testGenerator(t *testing.T, services int) *generator {
	t.Helper()
	pcs, err := openPostcodes("../../internal/seed/data/sel_postcodes.csv")
	if err != nil {
		t.Fatal(err)
	}
	return newGenerator(services, pcs)
}

// Pages from the start, middle and end of a national feed are valid
// against the UK profile's schemas, service by service.
func TestPagesAreSchemaValid(t *testing.T) {
	service, page := compile(t)
	g := testGenerator(t, 200000)
	for _, n := range []int{1, 2, 777, 1999, 2000} {
		p := g.page(n, 100)
		if err := page.Validate(asJSON(t, p)); err != nil {
			t.Fatalf("page %d: %v", n, err)
		}
		contents := p["contents"].([]any)
		if len(contents) != 100 {
			t.Errorf("page %d has %d services", n, len(contents))
		}
		for _, s := range contents {
			if err := service.Validate(asJSON(t, s)); err != nil {
				t.Fatalf("page %d, service %s: %v", n, s.(map[string]any)["id"], err)
			}
		}
	}
	if last := g.page(2000, 100); last["last_page"] != true {
		t.Error("page 2000 of 2000 is not the last")
	}
}

// The feed is the same every time, and shaped as the benchmark needs:
// London densest, "food" in over 5% of services, "xylophone" in none.
func TestFeedIsDeterministicAndClustered(t *testing.T) {
	g := testGenerator(t, 20000)
	if !reflect.DeepEqual(asJSON(t, g.page(37, 100)), asJSON(t, testGenerator(t, 20000).page(37, 100))) {
		t.Fatal("the same page differs between two generators")
	}
	cities := map[string]int{}
	food, none := 0, 0
	ids := map[string]bool{}
	for i := range 20000 {
		s := g.service(i)
		ids[s["id"].(string)] = true
		addr := s["service_at_locations"].([]any)[0].(map[string]any)["location"].(map[string]any)["addresses"].([]any)[0].(map[string]any)
		cities[addr["city"].(string)]++
		text := strings.ToLower(s["name"].(string) + " " + s["description"].(string))
		if strings.Contains(text, "food") {
			food++
		}
		if strings.Contains(text, "xylophone") {
			none++
		}
	}
	if len(ids) != 20000 {
		t.Errorf("%d distinct ids among 20000 services", len(ids))
	}
	for city, n := range cities {
		if city != "London" && n >= cities["London"] {
			t.Errorf("%s has %d services, London %d", city, n, cities["London"])
		}
	}
	if food*20 <= 20000 || none != 0 {
		t.Errorf("%d services mention food (want over 5%%), %d xylophone", food, none)
	}
}
