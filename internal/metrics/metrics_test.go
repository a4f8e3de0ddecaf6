package metrics

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestWriteAndParse(t *testing.T) {
	r := New()
	c := r.Counter("app_requests_total", "Requests.\nBy route.", "route", "status")
	c.Inc("GET /a", "200")
	c.Add(2, "GET /a", "200")
	c.Inc(`GET /{x}"\`+"\n", "404")
	h := r.Histogram("app_seconds", "Latency.", []float64{0.1, 1}, "route")
	h.Observe(0.05, "GET /a")
	h.Observe(0.1, "GET /a") // on a bound: counted in it
	h.Observe(0.5, "GET /a")
	h.Observe(7, "GET /a")
	r.GaugeFunc("app_queue", "Queue.", nil, func(context.Context) ([]Sample, error) {
		return []Sample{{Value: 3.5}}, nil
	})
	var b strings.Builder
	if err := r.WriteTo(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	s, err := Parse(strings.NewReader(out))
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	checks := []struct {
		name   string
		labels []string
		want   float64
	}{
		{"app_requests_total", []string{"route", "GET /a", "status", "200"}, 3},
		{"app_requests_total", []string{"route", `GET /{x}"\` + "\n", "status", "404"}, 1},
		{"app_seconds_bucket", []string{"route", "GET /a", "le", "0.1"}, 2},
		{"app_seconds_bucket", []string{"route", "GET /a", "le", "1"}, 3},
		{"app_seconds_bucket", []string{"route", "GET /a", "le", "+Inf"}, 4},
		{"app_seconds_count", []string{"route", "GET /a"}, 4},
		{"app_seconds_sum", []string{"route", "GET /a"}, 7.65},
		{"app_queue", nil, 3.5},
	}
	for _, c := range checks {
		if got := s.Sum(c.name, c.labels...); got != c.want {
			t.Errorf("%s %v = %v, want %v\n%s", c.name, c.labels, got, c.want, out)
		}
	}
	if s.Types["app_seconds"] != "histogram" || s.Types["app_requests_total"] != "counter" || s.Types["app_queue"] != "gauge" {
		t.Errorf("types %v", s.Types)
	}
	if !strings.Contains(out, "# HELP app_requests_total Requests.\\nBy route.\n") {
		t.Errorf("HELP not escaped:\n%s", out)
	}
}

func TestCollectorErrorFailsTheScrape(t *testing.T) {
	r := New()
	r.GaugeFunc("broken", "Broken.", nil, func(context.Context) ([]Sample, error) { return nil, errors.New("db down") })
	if err := r.WriteTo(context.Background(), &strings.Builder{}); err == nil || !strings.Contains(err.Error(), "db down") {
		t.Errorf("err = %v", err)
	}
}

func TestParseRefusesMalformed(t *testing.T) {
	tests := map[string]string{
		"no type":            "x_total 1\n",
		"bad value":          "# TYPE x counter\nx one\n",
		"bad label":          "# TYPE x counter\nx{1a=\"b\"} 1\n",
		"unquoted label":     "# TYPE x counter\nx{a=b} 1\n",
		"unterminated label": "# TYPE x counter\nx{a=\"b} 1\n",
		"unknown type":       "# TYPE x meter\nx 1\n",
		"declared twice":     "# TYPE x counter\n# TYPE x counter\nx 1\n",
		"not cumulative":     "# TYPE h histogram\nh_bucket{le=\"1\"} 5\nh_bucket{le=\"+Inf\"} 3\nh_count 3\nh_sum 1\n",
		"inf not count":      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 3\nh_count 4\nh_sum 1\n",
		"no inf bucket":      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\nh_sum 1\n",
	}
	for name, in := range tests {
		if _, err := Parse(strings.NewReader(in)); err == nil {
			t.Errorf("%s: parsed without error:\n%s", name, in)
		}
	}
}

func TestRuntimeGauges(t *testing.T) {
	r := New()
	AddRuntime(r)
	var b strings.Builder
	if err := r.WriteTo(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	s, err := Parse(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"joinedup_go_memory_bytes", "joinedup_go_heap_objects_bytes", "joinedup_go_goroutines"} {
		if s.Sum(name) <= 0 {
			t.Errorf("%s = %v, want more than 0", name, s.Sum(name))
		}
	}
}
