// Command hello is a minimal "hello world" HTTP server, standard library
// only. scripts/bench.sh runs it next to joinedup as the baseline: the
// fastest a Go net/http server can answer on the same machine, so joinedup's
// throughput can be reported as a ratio to it.
//
//	go run ./scripts/hello --addr 127.0.0.1:8081
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"time"
)

var body = []byte("Hello, world!\n")

func main() {
	addr := flag.String("addr", "127.0.0.1:8081", "`host:port` to listen on (port 0 picks a free one)")
	flag.Parse()

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(os.Stderr, "hello: listen on %s: %v\n", *addr, err)
		os.Exit(1)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.Write(body)
		}),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	// The bench script reads this line to learn the address.
	fmt.Printf("hello: listening on http://%s\n", ln.Addr())
	log.Fatal(srv.Serve(ln))
}
