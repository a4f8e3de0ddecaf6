package main

import (
	"bufio"
	"crypto/sha1"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"time"
)

// The feed is synthetic and deterministic: service i is made from a random
// source seeded with i alone, so any page can be made on demand, in any
// order, and is the same on every run and machine.

// town is a centre services cluster around. London's services sit at real
// south-east London postcodes (from the shipped postcode file), so that a
// search near one of them finds services; elsewhere the postcodes are made
// up, in the town's postcode area.
type town struct {
	name     string
	area     string // postcode area letters, for made-up postcodes
	lat, lon float64
	weight   int
}

var towns = []town{
	{"London", "SE", 51.48, -0.07, 300},
	{"Birmingham", "B", 52.48, -1.90, 60}, {"Manchester", "M", 53.48, -2.24, 55}, {"Leeds", "LS", 53.80, -1.55, 45},
	{"Glasgow", "G", 55.86, -4.25, 40}, {"Liverpool", "L", 53.41, -2.98, 35}, {"Bristol", "BS", 51.45, -2.59, 35},
	{"Sheffield", "S", 53.38, -1.47, 30}, {"Newcastle upon Tyne", "NE", 54.97, -1.61, 30},
	{"Nottingham", "NG", 52.95, -1.15, 25}, {"Leicester", "LE", 52.64, -1.13, 25}, {"Cardiff", "CF", 51.48, -3.18, 25},
	{"Coventry", "CV", 52.41, -1.51, 20}, {"Bradford", "BD", 53.79, -1.75, 20}, {"Hull", "HU", 53.74, -0.33, 18},
	{"Plymouth", "PL", 50.38, -4.14, 16}, {"Southampton", "SO", 50.90, -1.40, 16}, {"Derby", "DE", 52.92, -1.48, 15},
	{"Norwich", "NR", 52.63, 1.30, 14}, {"Brighton", "BN", 50.82, -0.14, 14}, {"Exeter", "EX", 50.72, -3.53, 10},
	{"York", "YO", 53.96, -1.08, 10}, {"Ipswich", "IP", 52.06, 1.15, 9}, {"Lincoln", "LN", 53.23, -0.54, 8},
	{"Truro", "TR", 50.26, -5.05, 5}, {"Carlisle", "CA", 54.89, -2.93, 5},
}

// category is a kind of service: the taxonomy term, the noun its services
// are named with, and sentences their descriptions are made of.
type category struct {
	code, name, noun string
	sentences        []string
	weight           int
	free             bool
	minAge, maxAge   int // 0: no limit
}

var categories = []category{
	{"food-bank", "Food bank", "Food Bank", []string{"Emergency food parcels for local families.",
		"Bring a referral from a support worker or your GP.", "Fresh fruit and vegetables when we have them."}, 6, true, 0, 0},
	{"lunch-club", "Lunch club", "Lunch Club", []string{"A hot two-course meal and good company.",
		"Healthy food cooked on site by volunteers.", "Transport can be arranged for people who find it hard to get out."}, 5, false, 55, 0},
	{"mental-health", "Mental health support", "Wellbeing Centre", []string{"Drop-in support for adults with mental health needs.",
		"Talk to someone who understands, in confidence.", "Groups for anxiety, low mood and stress."}, 7, true, 18, 0},
	{"counselling", "Counselling", "Counselling Service", []string{"Short-term counselling with trained counsellors.",
		"Support for people coping with anxiety, depression or loss.", "Sessions in person, by phone or online."}, 5, false, 16, 0},
	{"debt-advice", "Debt and money advice", "Money Advice", []string{"Free, confidential advice on debt and benefits.",
		"Help with budgeting, bills and dealing with creditors.", "Appointments and a weekly drop-in."}, 6, true, 18, 0},
	{"housing", "Housing advice", "Housing Advice Centre", []string{"Advice for people who are homeless or at risk of losing their home.",
		"Help with tenancy problems, repairs and rent arrears."}, 5, true, 16, 0},
	{"youth-club", "Youth club", "Youth Club", []string{"Sport, music and arts activities for young people.",
		"A safe place to meet friends after school.", "Youth workers on hand to talk things through."}, 6, true, 11, 19},
	{"stay-and-play", "Stay and play", "Stay and Play", []string{"Play sessions for babies and toddlers with their parents and carers.",
		"Songs, stories and messy play.", "Meet other local families."}, 6, true, 0, 5},
	{"carers", "Carers support", "Carers Centre", []string{"Information, advice and breaks for unpaid carers.",
		"Support groups and one-to-one help for carers."}, 4, true, 0, 0},
	{"exercise", "Exercise class", "Fitness Class", []string{"Gentle exercise for people of all abilities.",
		"Chair-based exercise, yoga and strength sessions.", "Improve your balance, strength and mood."}, 5, false, 16, 0},
	{"walking", "Walking group", "Walking Group", []string{"Led health walks through local parks and green spaces.",
		"Walks of one to five miles at an easy pace."}, 4, true, 0, 0},
	{"english", "English classes", "English Class", []string{"English for speakers of other languages, from beginners upwards.",
		"Practise speaking, reading and writing in a friendly group."}, 4, true, 16, 0},
	{"jobs", "Employment support", "Jobs Club", []string{"Help with CVs, applications and interviews.",
		"Computers and advisers to help you find work."}, 4, true, 16, 0},
	{"domestic-abuse", "Domestic abuse support", "Domestic Abuse Service", []string{"Confidential support for anyone experiencing domestic abuse.",
		"Safety planning, advocacy and refuge referrals."}, 3, true, 16, 0},
	{"bereavement", "Bereavement support", "Bereavement Group", []string{"Support for people who have lost someone close to them.",
		"Meet others who understand what you are going through."}, 3, true, 0, 0},
	{"recovery", "Drug and alcohol support", "Recovery Service", []string{"Treatment and recovery support for drug and alcohol use.",
		"Needle exchange, key workers and mutual aid groups."}, 3, true, 18, 0},
	{"library", "Library", "Library", []string{"Books, computers, free wifi and activities for all ages.",
		"Rhyme time, reading groups and homework help."}, 4, true, 0, 0},
	{"pharmacy", "Pharmacy", "Pharmacy", []string{"Prescriptions dispensed and advice on minor illnesses.",
		"Flu jabs, blood pressure checks and the NHS Pharmacy First service."}, 10, false, 0, 0},
}

// Words shared by many descriptions, so that common words match a large
// share of the directory.
var closing = []string{"Everyone is welcome.", "Run by and for the local community.", "No need to book, just come along.",
	"Call us to find out more.", "Wheelchair accessible.", "Part of the community network of local services."}

var streets = []string{"Church", "High", "Station", "Park", "Mill", "Victoria", "Albert", "Queens", "Kings", "Market",
	"Bridge", "Green", "Manor", "Grove", "Priory", "Abbey", "Castle", "Hill", "Meadow", "Riverside", "Orchard", "Oak",
	"Elm", "Cedar", "Willow", "Chapel", "Forest", "Harbour", "Valley", "Springfield"}

var orgWords = []string{"Community Trust", "Neighbourhood Association", "Health Partnership", "Family Action",
	"Wellbeing Network", "Age Concern", "Advice Centre", "Voluntary Action", "Housing Association", "Mind"}

var days = []string{"MO,TU,WE,TH,FR", "MO,WE,FR", "TU,TH", "SA", "MO,TU,WE,TH,FR,SA", "WE", "SA,SU", "TH,FR"}

var hours = [][2]string{{"09:00", "17:00"}, {"10:00", "16:00"}, {"08:30", "18:30"}, {"13:00", "15:00"}, {"18:00", "21:00"},
	{"09:30", "12:30"}}

// postcode is a real postcode with its position and its area's name.
type postcode struct {
	code, ward string
	lat, lon   float64
}

// readPostcodes reads the shipped postcode file (postcode, district,
// latitude, longitude, ..., ward_name at column 10).
func readPostcodes(r io.Reader) ([]postcode, error) {
	cr := csv.NewReader(bufio.NewReader(r))
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, h := range []string{"postcode", "latitude", "longitude", "ward_name"} {
		if _, ok := col[h]; !ok {
			return nil, fmt.Errorf("the postcode file has no %s column", h)
		}
	}
	var out []postcode
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		lat, err1 := strconv.ParseFloat(rec[col["latitude"]], 64)
		lon, err2 := strconv.ParseFloat(rec[col["longitude"]], 64)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, postcode{code: rec[col["postcode"]], ward: rec[col["ward_name"]], lat: lat, lon: lon})
	}
	if len(out) == 0 {
		return nil, errors.New("the postcode file holds no postcodes with positions")
	}
	return out, nil
}

// generator makes the services of one feed.
type generator struct {
	services  int
	postcodes []postcode
	townSum   int
	catSum    int
	modified  time.Time
}

func newGenerator(services int, postcodes []postcode) *generator {
	g := &generator{services: services, postcodes: postcodes, modified: time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)}
	for _, t := range towns {
		g.townSum += t.weight
	}
	for _, c := range categories {
		g.catSum += c.weight
	}
	return g
}

// id is a UUID (version 5 layout) derived from the parts.
func id(parts ...any) string {
	b := sha1.Sum([]byte("joinedup-nationalfeed/" + fmt.Sprint(parts...)))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (g *generator) town(r *rand.Rand) town {
	n := r.IntN(g.townSum)
	for _, t := range towns {
		if n < t.weight {
			return t
		}
		n -= t.weight
	}
	return towns[0]
}

func (g *generator) category(r *rand.Rand) category {
	n := r.IntN(g.catSum)
	for _, c := range categories {
		if n < c.weight {
			return c
		}
		n -= c.weight
	}
	return categories[0]
}

// taxonomyID is the one taxonomy the feed's terms belong to.
var taxonomyID = id("taxonomy")

// service returns service i (from 0) as the feed gives it, nested whole.
func (g *generator) service(i int) map[string]any {
	r := rand.New(rand.NewPCG(20260105, uint64(i)))
	t := g.town(r)
	c := g.category(r)
	var lat, lon float64
	var pc, area string
	if t.name == "London" && len(g.postcodes) > 0 {
		p := pick(r, g.postcodes)
		lat, lon, pc, area = p.lat, p.lon, p.code, p.ward
	} else {
		// Spread about the centre, most within 5 km.
		lat = t.lat + r.NormFloat64()*0.025
		lon = t.lon + r.NormFloat64()*0.04
		pc = fmt.Sprintf("%s%d %d%c%c", t.area, 1+r.IntN(20), r.IntN(10), 'A'+rune(r.IntN(20)), 'A'+rune(r.IntN(20)))
		area = t.name
	}
	lat, lon = math.Round(lat*1e6)/1e6, math.Round(lon*1e6)/1e6
	street := pick(r, streets)
	name := fmt.Sprintf("%s %s %s", area, street, c.noun)
	desc := []string{c.sentences[r.IntN(len(c.sentences))]}
	if r.IntN(2) == 0 {
		desc = append(desc, c.sentences[r.IntN(len(c.sentences))])
	}
	desc = append(desc, pick(r, closing))
	org := i / 8
	orgRand := rand.New(rand.NewPCG(7, uint64(org)))
	orgName := fmt.Sprintf("%s %s", t.name, pick(orgRand, orgWords))
	h := pick(r, hours)
	fees := "Some sessions cost up to £5; ask us."
	if c.free || r.IntN(3) == 0 {
		fees = "free"
	}
	svc := map[string]any{
		"id":            id("service", i),
		"name":          name,
		"description":   strings.Join(desc, " "),
		"url":           fmt.Sprintf("https://services.example.org/%d", i),
		"email":         fmt.Sprintf("hello%d@services.example.org", i),
		"status":        "active",
		"fees":          fees,
		"last_modified": g.modified.Add(time.Duration(i) * time.Minute).Format("2006-01-02T15:04:05.000Z"),
		"organization": map[string]any{
			"id":          id("organization", org),
			"name":        orgName,
			"description": "A local organisation running services in " + t.name + ".",
			"website":     fmt.Sprintf("https://org%d.example.org", org),
		},
		"schedules": []any{map[string]any{
			"id": id("schedule", i), "freq": "WEEKLY", "byday": pick(r, days), "opens_at": h[0], "closes_at": h[1],
			"description": "Opening hours",
		}},
		"service_at_locations": []any{map[string]any{
			"id": id("service_at_location", i),
			"location": map[string]any{
				"id": id("location", i), "location_type": "physical", "name": name,
				"latitude": lat, "longitude": lon,
				"addresses": []any{map[string]any{
					"id": id("address", i), "address_1": fmt.Sprintf("%d %s Road", 1+r.IntN(200), street),
					"city": t.name, "state_province": "England", "postal_code": pc, "country": "GB", "address_type": "physical",
				}},
			},
		}},
		"contacts": []any{map[string]any{
			"id": id("contact", i), "name": "Reception", "title": "Enquiries",
			"phones": []any{map[string]any{"id": id("phone", i), "number": fmt.Sprintf("0300 %03d %04d", i/10000%1000, i%10000)}},
		}},
		"attributes": []any{map[string]any{
			"id": id("attribute", i), "taxonomy_term_id": id("term", c.code), "link_type": "service",
			"taxonomy_term": map[string]any{
				"id": id("term", c.code), "name": c.name, "description": c.name + " services.", "code": c.code,
				"taxonomy": "Joinedup national benchmark categories", "taxonomy_id": taxonomyID,
			},
		}},
	}
	if c.minAge > 0 {
		svc["minimum_age"] = c.minAge
	}
	if c.maxAge > 0 {
		svc["maximum_age"] = c.maxAge
	}
	return svc
}

// page returns page n (from 1) of the feed's /services, perPage to a page.
func (g *generator) page(n, perPage int) map[string]any {
	pages := (g.services + perPage - 1) / perPage
	start, end := min((n-1)*perPage, g.services), min(n*perPage, g.services)
	contents := make([]any, 0, end-start)
	for i := start; i < end; i++ {
		contents = append(contents, g.service(i))
	}
	return map[string]any{"total_items": g.services, "total_pages": pages, "page_number": n, "size": len(contents),
		"first_page": n == 1, "last_page": n >= pages, "empty": len(contents) == 0, "contents": contents}
}

func openPostcodes(path string) ([]postcode, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readPostcodes(f)
}
