package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/joinedup/joinedup/internal/backup"
)

const backupUsage = `Usage:
  joinedup backup FILE [--data-dir D]
  joinedup restore FILE --data-dir D [--overwrite]

backup writes the site in the data dir (a consistent snapshot of its SQLite
database, taken while the site serves, and its uploaded files) to FILE, a
tar.gz archive with a manifest of checksums. FILE - writes to standard output.

restore unpacks such an archive into an empty data dir after checking every
file and every table against the manifest. Stop the site first. --overwrite
restores into a data dir that is not empty, replacing its database.
`

// runBackup runs `joinedup backup`: 0 on success, 1 on failure, 2 on misuse.
func runBackup(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) int {
	fs, dataDir := opsFlags("backup", stderr, getenv)
	pos, code := parseOps(fs, args, "backup", stderr)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		return opsMisuse(stderr, "backup", "give one FILE to write the archive to")
	}
	fail := func(err error) int {
		fmt.Fprintf(stderr, "joinedup backup: %v\n", err)
		return 1
	}
	if getenv("DATABASE_URL") != "" {
		return fail(errors.New("DATABASE_URL is set: this site's database is PostgreSQL, which joinedup backup does not cover; " +
			"back it up with pg_dump, and the data dir's files with your file backups"))
	}
	if _, err := os.Stat(filepath.Join(*dataDir, backup.DatabaseName)); err != nil {
		return fail(fmt.Errorf("no database in %s: %w", *dataDir, err))
	}
	file := pos[0]
	var out io.Writer = stdout
	var tmp *os.File
	if file != "-" {
		if inside(file, *dataDir) {
			return opsMisuse(stderr, "backup", "write the archive outside the data dir, or it would hold itself")
		}
		if _, err := os.Stat(file); err == nil {
			return fail(fmt.Errorf("%s already exists; choose another name or remove it", file))
		}
		var err error
		// Written beside FILE and renamed at the end, so FILE is only
		// ever a whole archive.
		if tmp, err = os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".part-*"); err != nil {
			return fail(err)
		}
		defer os.Remove(tmp.Name())
		out = tmp
	}
	m, err := backup.Create(ctx, backup.Options{DataDir: *dataDir, Version: Version(),
		Skipped: func(p string) { fmt.Fprintf(stderr, "joinedup backup: left out %s: not a regular file\n", p) }}, out)
	if tmp != nil {
		err = errors.Join(err, tmp.Sync(), tmp.Close())
		if err == nil {
			err = os.Rename(tmp.Name(), file)
		}
	}
	if err != nil {
		return fail(err)
	}
	if file != "-" {
		var rows int64
		for _, t := range m.Tables {
			rows += t.Rows
		}
		fmt.Fprintf(stdout, "backed up %d tables (%d rows) and %d other files to %s (schema version %d)\n",
			len(m.Tables), rows, len(m.Files)-1, file, m.SchemaVersion)
	}
	return 0
}

// runRestore runs `joinedup restore`: 0 on success, 1 on failure, 2 on misuse.
func runRestore(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	fs, dataDir := opsFlags("restore", stderr, getenv)
	overwrite := fs.Bool("overwrite", false, "restore into a data dir that is not empty, replacing its database")
	pos, code := parseOps(fs, args, "restore", stderr)
	if code >= 0 {
		return code
	}
	if len(pos) != 1 {
		return opsMisuse(stderr, "restore", "give the one FILE to restore")
	}
	var in io.Reader = stdin
	if pos[0] != "-" {
		f, err := os.Open(pos[0])
		if err != nil {
			fmt.Fprintf(stderr, "joinedup restore: %v\n", err)
			return 1
		}
		defer f.Close()
		in = f
	}
	m, err := backup.Restore(ctx, in, *dataDir, *overwrite)
	if errors.Is(err, backup.ErrNotEmpty) {
		fmt.Fprintf(stderr, "joinedup restore: %v\nRestore into a new directory, or add --overwrite to replace its database.\n", err)
		return 1
	}
	if err != nil {
		fmt.Fprintf(stderr, "joinedup restore: %v\nNothing in %s was replaced.\n", err, *dataDir)
		return 1
	}
	fmt.Fprintf(stdout, "restored the backup of %s (joinedup %s, schema version %d) into %s: %d tables and %d other files match the manifest\n",
		m.CreatedAt.Format("2006-01-02 15:04:05 UTC"), m.Version, m.SchemaVersion, *dataDir, len(m.Tables), len(m.Files)-1)
	return 0
}

// opsFlags starts the flags of an operations command, with --data-dir.
func opsFlags(cmd string, stderr io.Writer, getenv func(string) string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("joinedup "+cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, opsUsage(cmd)) }
	def := "./joinedup-data"
	if v := getenv("JOINEDUP_DATA_DIR"); v != "" {
		def = v
	}
	dataDir := fs.String("data-dir", def, "the site's data `directory` (env JOINEDUP_DATA_DIR)")
	return fs, dataDir
}

func opsUsage(cmd string) string {
	switch cmd {
	case "backup", "restore":
		return backupUsage
	case "migrate":
		return migrateUsage
	}
	return usage
}

// parseOps parses flags given before, between or after the arguments and
// returns the arguments; code is the exit code when the command should
// stop now (help or misuse), else -1.
func parseOps(fs *flag.FlagSet, args []string, cmd string, stderr io.Writer) (pos []string, code int) {
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, 0
			}
			fmt.Fprintf(stderr, "Run 'joinedup %s --help' for usage.\n", cmd)
			return nil, 2
		}
		if fs.NArg() == 0 {
			return pos, -1
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func opsMisuse(stderr io.Writer, cmd, msg string) int {
	fmt.Fprintf(stderr, "joinedup %s: %s\nRun 'joinedup %s --help' for usage.\n", cmd, msg, cmd)
	return 2
}

// inside reports whether path p is dir or lies under it.
func inside(p, dir string) bool {
	ap, err1 := filepath.Abs(p)
	ad, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(ad, ap)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
