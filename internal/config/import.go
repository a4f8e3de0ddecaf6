package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Import holds the settings of `joinedup import KIND SOURCE`.
type Import struct {
	Config        // only DataDir and DatabaseURL are used
	Kind   string // one of ImportKinds
	Source string // a file, or for oruk a URL
	// Place is the slug of a place: for NHS ODS files, import only the
	// records in its area; for an ORUK feed, list there the services whose
	// postcodes lie in no place's area. "" imports everything, each record
	// listed in the place whose area holds its postcode.
	Place string
}

// ImportKind is something `joinedup import` can import.
type ImportKind struct {
	Name, Arg, Help string
	TakesPlace      bool
}

// ImportKinds lists what `joinedup import` imports.
var ImportKinds = []ImportKind{
	{"ods-practices", "FILE", "GP practices from NHS ODS's national epraccur file (headerless CSV)", true},
	{"ods-pharmacies", "FILE", "pharmacies from NHS ODS's national edispensary file (headerless CSV)", true},
	{"postcodes", "FILE", "postcodes with positions: ONS Postcode Directory, OS Code-Point Open or joinedup's own CSV", false},
	{"oruk", "URL-or-FILE", "another publisher's Open Referral UK 3.0 feed, every page of it", true},
}

// ParseImport reads the arguments of `joinedup import` (the kind, the
// source and flags, in any order) and the environment through getenv.
// Usage and errors go to out.
func ParseImport(args []string, getenv func(string) string, out io.Writer) (Import, error) {
	var c Import
	fs := flag.NewFlagSet("joinedup import", flag.ContinueOnError)
	fs.SetOutput(out)
	for _, o := range options(&c.Config) {
		if o.name != "data-dir" && o.name != "database" {
			continue
		}
		def := o.def
		if v := getenv(o.env); v != "" {
			def = v
		}
		fs.StringVar(o.dest, o.name, def, o.usage+" (env "+o.env+")")
	}
	fs.StringVar(&c.Place, "place", "", "a `place` (such as southwark): for NHS ODS files, import only the records in its area; "+
		"for an Open Referral feed, list there the services whose postcodes lie in no place's area. "+
		"Without it, every record is listed in the place whose area holds its postcode")
	fs.Usage = func() { importUsage(out, fs) }

	// The flag package stops at the first argument that is not a flag;
	// people write flags after the file too.
	var pos []string
	rest := args
	for {
		if err := fs.Parse(rest); err != nil {
			return Import{}, err
		}
		left := fs.Args()
		if len(left) == 0 {
			break
		}
		if len(rest) > len(left) && rest[len(rest)-len(left)-1] == "--" {
			pos = append(pos, left...)
			break
		}
		pos = append(pos, left[0])
		rest = left[1:]
	}
	if len(pos) == 0 {
		importUsage(out, fs)
		return Import{}, errors.New("say what to import")
	}
	c.Kind = pos[0]
	i := slices.IndexFunc(ImportKinds, func(k ImportKind) bool { return k.Name == c.Kind })
	if i < 0 {
		return Import{}, fmt.Errorf("unknown kind %q: want one of %s", c.Kind, kindNames())
	}
	kind := ImportKinds[i]
	switch {
	case len(pos) == 1:
		return Import{}, fmt.Errorf("%s: say which %s to import", c.Kind, kind.Arg)
	case len(pos) > 2:
		return Import{}, fmt.Errorf("%s: unexpected argument %q: import one %s at a time", c.Kind, pos[2], kind.Arg)
	}
	c.Source = pos[1]
	if c.Place != "" && !kind.TakesPlace {
		return Import{}, fmt.Errorf("%s: --place does not apply; postcodes serve every place", c.Kind)
	}
	if strings.TrimSpace(c.DataDir) == "" {
		return Import{}, errors.New("invalid --data-dir: it must not be empty")
	}
	if err := c.checkDatabase(); err != nil {
		return Import{}, err
	}
	return c, nil
}

func kindNames() string {
	names := make([]string, len(ImportKinds))
	for i, k := range ImportKinds {
		names[i] = k.Name
	}
	return strings.Join(names, ", ")
}

func importUsage(out io.Writer, fs *flag.FlagSet) {
	fmt.Fprintf(out, "Usage: joinedup import KIND SOURCE [flags]\n\n"+
		"Import records into the directory, all in one transaction: a failure changes nothing.\n"+
		"Importing the same file again changes nothing either. Progress goes to stderr, the\n"+
		"summary (added, updated, unchanged, skipped, rejected rows with their line numbers)\n"+
		"to stdout.\n\nKinds:\n")
	for _, k := range ImportKinds {
		fmt.Fprintf(out, "  %-28s %s\n", k.Name+" "+k.Arg, k.Help)
	}
	fmt.Fprintf(out, "\nFlags:\n")
	fs.PrintDefaults()
}
