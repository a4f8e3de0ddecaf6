package app

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/joinedup/joinedup/internal/accounts"
	"github.com/joinedup/joinedup/internal/config"
	"github.com/joinedup/joinedup/internal/db"
	"github.com/joinedup/joinedup/internal/places"
)

// userStdin is where `joinedup user add --password-stdin` reads the
// password; tests replace it.
var userStdin io.Reader = os.Stdin

const userUsage = `Usage:
  joinedup user add --email E --role R [--place P ...] [--name N] --password-stdin [--data-dir D]
  joinedup user reset-password --email E [--data-dir D] [--base-url URL]

Roles: administrator, editor, governance_officer, directory_editor, reviewer.
--place (editors only, repeatable) limits an editor to a place, such as southwark.
The password is read from the first line of standard input, so it never
appears in the shell's history or the process list.
`

// placeList collects repeated --place flags.
type placeList []string

func (p *placeList) String() string     { return strings.Join(*p, ",") }
func (p *placeList) Set(v string) error { *p = append(*p, v); return nil }

// runUser runs `joinedup user SUBCOMMAND`: 0 on success, 1 on failure, 2 on
// misuse.
func runUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(stderr, userUsage)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	sub := args[0]
	fs := flag.NewFlagSet("joinedup user "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, userUsage) }
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var cfg config.Config
	var email, role, name, baseURL string
	var placesFlag placeList
	var passwordStdin bool
	fs.StringVar(&cfg.DataDir, "data-dir", env("JOINEDUP_DATA_DIR", "./joinedup-data"), "`directory` of the database (env JOINEDUP_DATA_DIR)")
	fs.StringVar(&cfg.DatabaseURL, "database", env("DATABASE_URL", ""), "PostgreSQL `URL`; empty uses SQLite in the data dir (env DATABASE_URL)")
	fs.StringVar(&email, "email", "", "the account's email `address`")
	switch sub {
	case "add":
		fs.StringVar(&role, "role", "", "the account's `role`")
		fs.StringVar(&name, "name", "", "the person's `name`")
		fs.Var(&placesFlag, "place", "limit an editor to this `place` (repeatable)")
		fs.BoolVar(&passwordStdin, "password-stdin", false, "read the password from standard input")
	case "reset-password":
		fs.StringVar(&baseURL, "base-url", env("JOINEDUP_BASE_URL", "http://127.0.0.1:8080"), "public `URL` of the site, for the link (env JOINEDUP_BASE_URL)")
	default:
		fmt.Fprintf(stderr, "joinedup user: unknown subcommand %q\n\n%s", sub, userUsage)
		return 2
	}
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	misuse := func(format string, a ...any) int {
		fmt.Fprintf(stderr, "joinedup user %s: %s\nRun 'joinedup user help' for usage.\n", sub, fmt.Sprintf(format, a...))
		return 2
	}
	if fs.NArg() > 0 {
		return misuse("unexpected argument %q", fs.Arg(0))
	}
	if email == "" {
		return misuse("--email is required")
	}
	if sub == "add" {
		if !accounts.Role(role).Valid() {
			return misuse("--role must be one of %s", rolesList())
		}
		if len(placesFlag) > 0 && accounts.Role(role) != accounts.Editor {
			return misuse("--place applies only to editors")
		}
		if !passwordStdin {
			return misuse("--password-stdin is required: pipe the password in, so it is not in the shell's history")
		}
	} else {
		u, err := url.Parse(baseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return misuse("invalid --base-url %q: want an absolute http or https URL", baseURL)
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := cfg.PrepareDataDir(); err != nil {
		fmt.Fprintf(stderr, "joinedup user %s: %v\n", sub, err)
		return 1
	}
	d, err := Open(ctx, cfg, log)
	if err != nil {
		fmt.Fprintf(stderr, "joinedup user %s: %v\n", sub, err)
		return 1
	}
	defer d.Close()
	if sub == "add" {
		err = addUser(ctx, d, stdin, stdout, accounts.NewUser{Email: email, Name: name, Role: accounts.Role(role)}, placesFlag)
	} else {
		err = resetPassword(ctx, d, stdout, email, strings.TrimRight(baseURL, "/"))
	}
	if err != nil {
		fmt.Fprintf(stderr, "joinedup user %s: %v\n", sub, err)
		return 1
	}
	return 0
}

func rolesList() string {
	names := make([]string, len(accounts.Roles))
	for i, r := range accounts.Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

func addUser(ctx context.Context, d *db.DB, stdin io.Reader, stdout io.Writer, nu accounts.NewUser, slugs []string) error {
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read the password: %w", err)
	}
	nu.Password = strings.TrimRight(line, "\r\n")
	if _, err := accounts.NormalizeEmail(nu.Email); err != nil {
		return err
	}
	if err := accounts.CheckNewPassword(nu.Password, nu.Email); err != nil {
		return err
	}
	list, err := places.NewStore(d).List(ctx)
	if err != nil {
		return err
	}
	for _, slug := range slugs {
		i := slices.IndexFunc(list, func(p places.Place) bool { return p.Slug == slug })
		if i < 0 {
			all := make([]string, len(list))
			for j, p := range list {
				all[j] = p.Slug
			}
			return fmt.Errorf("no place %q; the places are %s", slug, strings.Join(all, ", "))
		}
		nu.Places = append(nu.Places, list[i].ID)
	}
	var u accounts.User
	err = d.Tx(ctx, func(q db.Querier) error {
		var err error
		if u, err = accounts.NewStore(q).Create(ctx, nu); err != nil {
			return err
		}
		return accounts.Audit(ctx, q, accounts.Entry{Actor: "command line", Action: accounts.ActionUserCreated,
			Record: fmt.Sprintf("user:%d", u.ID), After: u.Record()})
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s (%s)\n", u.Email, u.Role.Label())
	return nil
}

func resetPassword(ctx context.Context, d *db.DB, stdout io.Writer, email, baseURL string) error {
	u, err := accounts.NewStore(d).ByEmail(ctx, email)
	if errors.Is(err, db.ErrNotFound) {
		return fmt.Errorf("no account with the email %s", email)
	}
	if err != nil {
		return err
	}
	token, err := accounts.NewLinkToken(ctx, d, accounts.PurposeReset, u.ID, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s/admin/reset?token=%s\nThis link sets a new password for %s. It works once, within %s.\n",
		baseURL, token, u.Email, "1 hour")
	return nil
}

// announceSetup logs a one-time link to create the first administrator
// when there is none, so a fresh install can be set up from its log.
func announceSetup(ctx context.Context, d *db.DB, cfg config.Config, log *slog.Logger, now time.Time) error {
	has, err := accounts.NewStore(d).HasAdministrator(ctx)
	if err != nil || has {
		return err
	}
	token, err := accounts.NewLinkToken(ctx, d, accounts.PurposeSetup, 0, now)
	if err != nil {
		return err
	}
	// The link is a secret, but it is the way in to a fresh install: it
	// works once and expires within the hour.
	log.Warn("no administrator yet: open this link within an hour to create one",
		slog.String("url", cfg.BaseURL+"/admin/setup?token="+token))
	return nil
}
