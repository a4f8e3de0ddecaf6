package config

import (
	"io"
	"reflect"
	"strings"
	"testing"
)

func TestParseImport(t *testing.T) {
	env := map[string]string{"JOINEDUP_DATA_DIR": "/srv/joinedup"}
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want Import
		err  string
	}{
		{name: "flags after the file", args: []string{"ods-practices", "epraccur.csv", "--data-dir", "d", "--place", "southwark"},
			want: Import{Config: Config{DataDir: "d"}, Kind: "ods-practices", Source: "epraccur.csv", Place: "southwark"}},
		{name: "flags first", args: []string{"--place=southwark", "oruk", "https://example.org/api/oruk"},
			want: Import{Config: Config{DataDir: "./joinedup-data"}, Kind: "oruk", Source: "https://example.org/api/oruk", Place: "southwark"}},
		{name: "data dir from the environment", args: []string{"postcodes", "onspd.csv"}, env: env,
			want: Import{Config: Config{DataDir: "/srv/joinedup"}, Kind: "postcodes", Source: "onspd.csv"}},
		{name: "flag wins over environment", args: []string{"postcodes", "--data-dir", "here", "onspd.csv"}, env: env,
			want: Import{Config: Config{DataDir: "here"}, Kind: "postcodes", Source: "onspd.csv"}},
		{name: "a file named like a flag", args: []string{"postcodes", "--", "--odd.csv"},
			want: Import{Config: Config{DataDir: "./joinedup-data"}, Kind: "postcodes", Source: "--odd.csv"}},
		{name: "unknown flag", args: []string{"postcodes", "a.csv", "--colour", "blue"}, err: "flag provided but not defined"},
		{name: "empty data dir", args: []string{"postcodes", "a.csv", "--data-dir", " "}, err: "--data-dir"},
		{name: "place for postcodes", args: []string{"postcodes", "a.csv", "--place", "southwark"}, err: "--place does not apply"},
		{name: "unknown kind", args: []string{"pharmacies", "a.csv"}, err: "want one of ods-practices, ods-pharmacies, postcodes, oruk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseImport(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v, want %q", err, tc.err)
				}
				return
			}
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ParseImport(%q) = %+v, %v; want %+v", tc.args, got, err, tc.want)
			}
		})
	}
}
