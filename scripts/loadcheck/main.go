// Command loadcheck runs the load and crash checks of joinedup against the
// real binary on loopback: `soak` (scripts/soak) and `crash`
// (scripts/crash). Run it from the repository's root.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `Usage:
  scripts/soak  [flags]   mixed load of reads and residents' writes, then checks
  scripts/crash [flags]   kill -9 during acknowledged writes, then checks
(or go run ./scripts/loadcheck soak|crash [flags]; -h for each one's flags)
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	var err error
	switch os.Args[1] {
	case "soak":
		err = soak(ctx, os.Args[2:])
	case "crash":
		err = crash(ctx, os.Args[2:])
	default:
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "FAIL:", err)
		os.Exit(1)
	}
}
