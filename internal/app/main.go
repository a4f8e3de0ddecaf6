package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"

	"github.com/joinedup/joinedup/internal/config"
)

const usage = `joinedup serves a health and care partnership's public site, its board
meetings, its directory of local services and its editors' admin.

Usage:
  joinedup serve [flags]   run the web server (see joinedup serve --help)
  joinedup import KIND SOURCE [flags]
                           import GP practices, pharmacies, postcodes or an Open
                           Referral UK feed (see joinedup import --help)
  joinedup user add --email E --role R [--place P ...] --password-stdin
                           add an account of the editors' admin
  joinedup user reset-password --email E
                           print a one-time link to set a new password
  joinedup backup FILE     write the site (database and uploads) to a tar.gz
                           archive while it runs (see joinedup backup --help)
  joinedup restore FILE --data-dir D
                           restore such an archive into an empty data dir
  joinedup migrate         apply the database's migrations, print its schema version
  joinedup copy --from sqlite:PATH --to postgres://...
                           copy a whole site to PostgreSQL, verified by checksums
  joinedup version         print the version
  joinedup help            print this help
`

// Main runs the joinedup command with args (without the program name) and
// returns the process exit code: 0 on success, 1 on failure, 2 on misuse.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "version", "--version":
		fmt.Fprintln(stdout, "joinedup", Version())
		return 0
	case "import":
		return runImport(ctx, args[1:], stdout, stderr, getenv)
	case "backup":
		return runBackup(ctx, args[1:], stdout, stderr, getenv)
	case "restore":
		return runRestore(ctx, args[1:], userStdin, stdout, stderr, getenv)
	case "migrate":
		return runMigrate(ctx, args[1:], stdout, stderr, getenv)
	case "copy":
		return runCopy(ctx, args[1:], stdout, stderr)
	case "user":
		return runUser(ctx, args[1:], userStdin, stdout, stderr, getenv)
	case "serve":
		cfg, err := config.ParseServe(args[1:], getenv, stderr)
		if errors.Is(err, config.ErrHelp) {
			return 0
		}
		if err != nil {
			fmt.Fprintf(stderr, "joinedup serve: %v\nRun 'joinedup serve --help' for the flags.\n", err)
			return 2
		}
		log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
		if err := Serve(ctx, cfg, log, nil); err != nil {
			fmt.Fprintf(stderr, "joinedup serve: %v\n", err)
			return 1
		}
		return 0
	default:
		fmt.Fprintf(stderr, "joinedup: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
