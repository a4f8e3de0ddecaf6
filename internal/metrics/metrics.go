// Package metrics keeps the site's operational counters and writes them in
// the Prometheus text exposition format (version 0.0.4), by hand: counters
// and histograms with labels, and gauges read at scrape time from
// collectors that the packages owning the figures register.
package metrics

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// ContentType is the media type of the text exposition format.
const ContentType = "text/plain; version=0.0.4; charset=utf-8"

// Registry holds the metric families, in the order they were added.
type Registry struct {
	mu       sync.Mutex
	families []family
	names    map[string]bool
}

type family interface {
	write(ctx context.Context, w *bufio.Writer) error
}

// New returns an empty registry.
func New() *Registry { return &Registry{names: map[string]bool{}} }

func (r *Registry) add(name string, f family) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names[name] {
		panic("metrics: " + name + " registered twice")
	}
	r.names[name] = true
	r.families = append(r.families, f)
}

// WriteTo writes every family in the text format.
func (r *Registry) WriteTo(ctx context.Context, out io.Writer) error {
	r.mu.Lock()
	fams := slices.Clone(r.families)
	r.mu.Unlock()
	w := bufio.NewWriter(out)
	for _, f := range fams {
		if err := f.write(ctx, w); err != nil {
			return err
		}
	}
	return w.Flush()
}

func header(w *bufio.Writer, name, help, typ string) {
	help = strings.NewReplacer(`\`, `\\`, "\n", `\n`).Replace(help)
	fmt.Fprintf(w, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, typ)
}

// labelString renders {a="x",b="y"}, escaping values as the format asks;
// extra is appended as it is (a rendered le="..." pair).
func labelString(names, values []string, extra string) string {
	if len(names) == 0 && extra == "" {
		return ""
	}
	var b strings.Builder
	b.WriteByte('{')
	esc := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	for i, n := range names {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(n)
		b.WriteString(`="`)
		b.WriteString(esc.Replace(values[i]))
		b.WriteByte('"')
	}
	if extra != "" {
		if len(names) > 0 {
			b.WriteByte(',')
		}
		b.WriteString(extra)
	}
	b.WriteByte('}')
	return b.String()
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	case math.IsNaN(f):
		return "NaN"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// key joins label values into a map key; 0xff cannot occur in UTF-8.
func key(values []string) string { return strings.Join(values, "\xff") }

// series is what the families keep per combination of label values.
type series[T any] struct {
	mu     sync.RWMutex
	labels []string
	byKey  map[string]*T
	values map[string][]string
	fresh  func() *T
}

func (s *series[T]) get(values []string) *T {
	if len(values) != len(s.labels) {
		panic(fmt.Sprintf("metrics: %d label values for labels %v", len(values), s.labels))
	}
	k := key(values)
	s.mu.RLock()
	v := s.byKey[k]
	s.mu.RUnlock()
	if v != nil {
		return v
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if v = s.byKey[k]; v == nil {
		v = s.fresh()
		s.byKey[k] = v
		s.values[k] = slices.Clone(values)
	}
	return v
}

// sorted returns the series in order of their label values, so that the
// output is stable.
func (s *series[T]) sorted() ([][]string, []*T) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	keys := make([]string, 0, len(s.byKey))
	for k := range s.byKey {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	vals := make([][]string, len(keys))
	out := make([]*T, len(keys))
	for i, k := range keys {
		vals[i], out[i] = s.values[k], s.byKey[k]
	}
	return vals, out
}

// CounterVec is a counter with labels.
type CounterVec struct {
	name, help string
	s          series[atomic.Uint64]
}

// Counter adds a counter family; name should end in _total.
func (r *Registry) Counter(name, help string, labels ...string) *CounterVec {
	c := &CounterVec{name: name, help: help, s: series[atomic.Uint64]{labels: labels,
		byKey: map[string]*atomic.Uint64{}, values: map[string][]string{}, fresh: func() *atomic.Uint64 { return new(atomic.Uint64) }}}
	r.add(name, c)
	return c
}

// Add adds n to the series with the given label values.
func (c *CounterVec) Add(n uint64, values ...string) { c.s.get(values).Add(n) }

// Inc adds one to the series with the given label values.
func (c *CounterVec) Inc(values ...string) { c.Add(1, values...) }

func (c *CounterVec) write(_ context.Context, w *bufio.Writer) error {
	header(w, c.name, c.help, "counter")
	vals, cs := c.s.sorted()
	for i, v := range cs {
		fmt.Fprintf(w, "%s%s %d\n", c.name, labelString(c.s.labels, vals[i], ""), v.Load())
	}
	return nil
}

// DefaultBuckets are latency buckets, in seconds, from 1 ms to 10 s.
var DefaultBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// HistogramVec is a histogram with labels.
type HistogramVec struct {
	name, help string
	buckets    []float64
	s          series[histogram]
}

type histogram struct {
	mu     sync.Mutex
	counts []uint64 // per bucket, not cumulative; the last is +Inf
	sum    float64
	n      uint64
}

// Histogram adds a histogram family with the given upper bounds, in
// increasing order.
func (r *Registry) Histogram(name, help string, buckets []float64, labels ...string) *HistogramVec {
	if !slices.IsSorted(buckets) {
		panic("metrics: buckets of " + name + " out of order")
	}
	h := &HistogramVec{name: name, help: help, buckets: slices.Clone(buckets)}
	h.s = series[histogram]{labels: labels, byKey: map[string]*histogram{}, values: map[string][]string{},
		fresh: func() *histogram { return &histogram{counts: make([]uint64, len(buckets)+1)} }}
	r.add(name, h)
	return h
}

// Observe records v in the series with the given label values.
func (h *HistogramVec) Observe(v float64, values ...string) {
	s := h.s.get(values)
	i, _ := slices.BinarySearch(h.buckets, v) // the first bound >= v
	s.mu.Lock()
	s.counts[i]++
	s.sum += v
	s.n++
	s.mu.Unlock()
}

func (h *HistogramVec) write(_ context.Context, w *bufio.Writer) error {
	header(w, h.name, h.help, "histogram")
	vals, hs := h.s.sorted()
	for i, s := range hs {
		s.mu.Lock()
		counts, sum, n := slices.Clone(s.counts), s.sum, s.n
		s.mu.Unlock()
		var cum uint64
		for j, c := range counts {
			cum += c
			le := "+Inf"
			if j < len(h.buckets) {
				le = formatFloat(h.buckets[j])
			}
			fmt.Fprintf(w, "%s_bucket%s %d\n", h.name, labelString(h.s.labels, vals[i], `le="`+le+`"`), cum)
		}
		ls := labelString(h.s.labels, vals[i], "")
		fmt.Fprintf(w, "%s_sum%s %s\n%s_count%s %d\n", h.name, ls, formatFloat(sum), h.name, ls, n)
	}
	return nil
}

// Sample is one value of a metric read at scrape time.
type Sample struct {
	Labels []string // values of the family's labels, in order
	Value  float64
}

// funcFamily is a family whose samples a function reads at scrape time.
type funcFamily struct {
	name, help, typ string
	labels          []string
	read            func(ctx context.Context) ([]Sample, error)
}

// GaugeFunc adds a gauge family whose samples read returns at each scrape.
func (r *Registry) GaugeFunc(name, help string, labels []string, read func(ctx context.Context) ([]Sample, error)) {
	r.add(name, &funcFamily{name: name, help: help, typ: "gauge", labels: labels, read: read})
}

// CounterFunc adds a counter family kept elsewhere (such as database/sql's
// pool statistics), read at each scrape.
func (r *Registry) CounterFunc(name, help string, labels []string, read func(ctx context.Context) ([]Sample, error)) {
	r.add(name, &funcFamily{name: name, help: help, typ: "counter", labels: labels, read: read})
}

func (f *funcFamily) write(ctx context.Context, w *bufio.Writer) error {
	samples, err := f.read(ctx)
	if err != nil {
		return fmt.Errorf("metrics: read %s: %w", f.name, err)
	}
	header(w, f.name, f.help, f.typ)
	for _, s := range samples {
		fmt.Fprintf(w, "%s%s %s\n", f.name, labelString(f.labels, s.Labels, ""), formatFloat(s.Value))
	}
	return nil
}
