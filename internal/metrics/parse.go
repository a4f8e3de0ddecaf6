package metrics

import (
	"bufio"
	"fmt"
	"io"
	"maps"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Point is one sample line of a scrape.
type Point struct {
	Name   string
	Labels map[string]string
	Value  float64
}

// Scrape is a parsed exposition: its points and each family's type.
type Scrape struct {
	Points []Point
	Types  map[string]string
}

var (
	metricName = regexp.MustCompile(`^[a-zA-Z_:][a-zA-Z0-9_:]*$`)
	labelName  = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_]*$`)
)

// Parse reads the text exposition format strictly, as a Prometheus server
// would, so that tests (and scripts/soak) can check what /metrics says:
// every sample belongs to a family declared with # TYPE before it, names
// and labels are well formed, and each histogram's buckets are cumulative
// up to +Inf, which equals its _count.
func Parse(r io.Reader) (*Scrape, error) {
	s := &Scrape{Types: map[string]string{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for line := 1; sc.Scan(); line++ {
		text := sc.Text()
		switch {
		case text == "":
			continue
		case strings.HasPrefix(text, "# TYPE "):
			f := strings.Fields(text[len("# TYPE "):])
			if len(f) != 2 || !metricName.MatchString(f[0]) {
				return nil, fmt.Errorf("line %d: malformed TYPE: %q", line, text)
			}
			switch f[1] {
			case "counter", "gauge", "histogram", "summary", "untyped":
			default:
				return nil, fmt.Errorf("line %d: unknown type %q", line, f[1])
			}
			if _, dup := s.Types[f[0]]; dup {
				return nil, fmt.Errorf("line %d: %s declared twice", line, f[0])
			}
			s.Types[f[0]] = f[1]
		case strings.HasPrefix(text, "#"):
			continue // HELP and comments
		default:
			p, err := parsePoint(text)
			if err != nil {
				return nil, fmt.Errorf("line %d: %w: %q", line, err, text)
			}
			if s.family(p.Name) == "" {
				return nil, fmt.Errorf("line %d: %s has no # TYPE before it", line, p.Name)
			}
			s.Points = append(s.Points, p)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return s, s.checkHistograms()
}

// family returns the declared family a sample name belongs to.
func (s *Scrape) family(name string) string {
	if _, ok := s.Types[name]; ok {
		return name
	}
	for _, suffix := range []string{"_bucket", "_sum", "_count"} {
		if base, ok := strings.CutSuffix(name, suffix); ok && s.Types[base] == "histogram" {
			return base
		}
	}
	return ""
}

func parsePoint(text string) (Point, error) {
	p := Point{Labels: map[string]string{}}
	i := strings.IndexAny(text, "{ ")
	if i < 0 {
		return p, fmt.Errorf("no value")
	}
	p.Name = text[:i]
	if !metricName.MatchString(p.Name) {
		return p, fmt.Errorf("bad metric name")
	}
	rest := text[i:]
	if rest[0] == '{' {
		rest = rest[1:]
		for {
			if strings.HasPrefix(rest, "}") {
				rest = rest[1:]
				break
			}
			eq := strings.IndexByte(rest, '=')
			if eq < 0 || !labelName.MatchString(rest[:eq]) || len(rest) < eq+2 || rest[eq+1] != '"' {
				return p, fmt.Errorf("bad label")
			}
			name := rest[:eq]
			rest = rest[eq+2:]
			var b strings.Builder
			closed := false
			for j := 0; j < len(rest); j++ {
				c := rest[j]
				if c == '\\' && j+1 < len(rest) {
					j++
					switch rest[j] {
					case 'n':
						b.WriteByte('\n')
					case '\\', '"':
						b.WriteByte(rest[j])
					default:
						return p, fmt.Errorf("bad escape in label %s", name)
					}
					continue
				}
				if c == '"' {
					rest, closed = rest[j+1:], true
					break
				}
				b.WriteByte(c)
			}
			if !closed {
				return p, fmt.Errorf("unterminated label %s", name)
			}
			if _, dup := p.Labels[name]; dup {
				return p, fmt.Errorf("label %s twice", name)
			}
			p.Labels[name] = b.String()
			rest = strings.TrimPrefix(rest, ",")
		}
	}
	f := strings.Fields(rest)
	if len(f) < 1 || len(f) > 2 || !strings.HasPrefix(rest, " ") {
		return p, fmt.Errorf("want a value and at most a timestamp")
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return p, fmt.Errorf("bad value")
	}
	p.Value = v
	return p, nil
}

// checkHistograms checks each histogram series' buckets.
func (s *Scrape) checkHistograms() error {
	type hist struct {
		les   []float64
		cum   []float64
		count float64
		has   bool
	}
	hs := map[string]*hist{}
	seriesKey := func(p Point, base string) string {
		l := maps.Clone(p.Labels)
		delete(l, "le")
		keys := slices.Sorted(maps.Keys(l))
		var b strings.Builder
		b.WriteString(base)
		for _, k := range keys {
			b.WriteString("," + k + "=" + l[k])
		}
		return b.String()
	}
	get := func(k string) *hist {
		if hs[k] == nil {
			hs[k] = &hist{}
		}
		return hs[k]
	}
	for _, p := range s.Points {
		base := s.family(p.Name)
		if s.Types[base] != "histogram" {
			continue
		}
		h := get(seriesKey(p, base))
		switch p.Name {
		case base + "_bucket":
			le, err := strconv.ParseFloat(p.Labels["le"], 64)
			if err != nil {
				return fmt.Errorf("%s: bucket without a number in le: %v", base, p.Labels)
			}
			h.les, h.cum = append(h.les, le), append(h.cum, p.Value)
		case base + "_count":
			h.count, h.has = p.Value, true
		}
	}
	for k, h := range hs {
		if len(h.les) == 0 || !h.has {
			return fmt.Errorf("histogram %s: buckets or count missing", k)
		}
		if !slices.IsSorted(h.les) || !slices.IsSorted(h.cum) {
			return fmt.Errorf("histogram %s: buckets not cumulative in increasing order", k)
		}
		if !math.IsInf(h.les[len(h.les)-1], 1) || h.cum[len(h.cum)-1] != h.count {
			return fmt.Errorf("histogram %s: the +Inf bucket must equal the count", k)
		}
	}
	return nil
}

// Sum adds the values of the points named name whose labels include the
// given name-value pairs.
func (s *Scrape) Sum(name string, labels ...string) float64 {
	var total float64
points:
	for _, p := range s.Points {
		if p.Name != name {
			continue
		}
		for i := 0; i+1 < len(labels); i += 2 {
			if p.Labels[labels[i]] != labels[i+1] {
				continue points
			}
		}
		total += p.Value
	}
	return total
}

// Has reports whether any point is named name.
func (s *Scrape) Has(name string) bool {
	for _, p := range s.Points {
		if p.Name == name {
			return true
		}
	}
	return false
}
