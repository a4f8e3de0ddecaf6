// Command nationalfeed serves a synthetic, deterministic Open Referral UK
// 3.0 feed of many services (200,000 by default) over HTTP, for the
// national benchmark (scripts/bench-national.sh): services clustered
// around towns, London densest (at real south-east London postcodes),
// named and described with common words, each nested whole in the
// /services pages, valid against the UK profile's schema. Pages are made
// on demand, so it holds no more than one page in memory per request.
//
//	go run ./scripts/nationalfeed --addr 127.0.0.1:8090 --services 200000
//	joinedup import oruk http://127.0.0.1:8090/api/oruk
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

// maxPerPage is the most services a page gives, whatever is asked.
const maxPerPage = 1000

func main() {
	addr := flag.String("addr", "127.0.0.1:8090", "`host:port` to listen on (port 0 picks a free one)")
	services := flag.Int("services", 200000, "how many services the feed holds")
	postcodes := flag.String("postcodes", "internal/seed/data/sel_postcodes.csv",
		"the `CSV` of south-east London postcodes London's services are placed at")
	flag.Parse()
	pcs, err := openPostcodes(*postcodes)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nationalfeed: %v\n", err)
		os.Exit(2)
	}
	g := newGenerator(*services, pcs)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "nationalfeed: listen on %s: %v\n", *addr, err)
		os.Exit(1)
	}
	srv := &http.Server{Handler: g.handler(), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("nationalfeed: %d services at http://%s/api/oruk", *services, ln.Addr())
	log.Fatal(srv.Serve(ln))
}

func (g *generator) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/oruk/services", func(w http.ResponseWriter, r *http.Request) {
		page, perPage := 1, 50
		if n, err := strconv.Atoi(r.URL.Query().Get("page")); err == nil && n >= 1 {
			page = n
		}
		if n, err := strconv.Atoi(r.URL.Query().Get("per_page")); err == nil && n >= 1 {
			perPage = min(n, maxPerPage)
		}
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(g.page(page, perPage)); err != nil {
			log.Printf("nationalfeed: page %d: %v", page, err)
		}
	})
	mux.HandleFunc("GET /api/oruk/{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"version": "3.0", "profile": "https://github.com/openreferraluk/uk-profile"}`)
	})
	return mux
}
