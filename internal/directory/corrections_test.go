package directory

import (
	"context"
	"testing"

	"github.com/joinedup/joinedup/internal/db"
)

// correct changes a stored service as an editor does in the admin: the
// directory's save, with the corrections of an imported record noted.
func correct(t *testing.T, d *db.DB, id string, change func(*Service)) {
	t.Helper()
	ctx := context.Background()
	err := d.Tx(ctx, func(q db.Querier) error {
		st := NewStore(q)
		before, err := st.Service(ctx, id)
		if err != nil {
			return err
		}
		after := before
		after.Phones = append([]Phone(nil), before.Phones...)
		change(&after)
		after.Organization, after.Terms = nil, nil
		if _, err := st.SaveService(ctx, after); err != nil {
			return err
		}
		return st.RecordCorrections(ctx, KindService, &before, &after, before.Source, "dir@example.org")
	})
	if err != nil {
		t.Fatal(err)
	}
}

func conflictFields(cs []Conflict) map[string]Conflict {
	out := map[string]Conflict{}
	for _, c := range cs {
		out[c.Field] = c
	}
	return out
}

// An ODS re-import keeps an editor's correction of an NHS record and
// reports the conflict, until the editor settles it; a source that comes
// to agree ends the correction.
func TestODSReimportKeepsCorrections(t *testing.T) {
	ctx := context.Background()
	d := openImportDB(t)
	loadTestPostcodes(t, d)
	southwark := addTestPlace(t, d, "southwark", "E09000028")
	opts := ODSImportOptions{Places: []PlaceArea{southwark}}
	records := readTestODS(t, "epraccur.csv").Records
	if _, err := ImportODS(ctx, d, records, TermGPPractice, opts, nil); err != nil {
		t.Fatal(err)
	}
	id := records[0].ServiceID()
	imported, err := NewStore(d).Service(ctx, id)
	if err != nil || len(imported.Phones) == 0 {
		t.Fatalf("imported service %+v, %v: want one with a phone", imported, err)
	}
	correct(t, d, id, func(s *Service) {
		s.Name = "Albion Street Group Practice (Rotherhithe)"
		s.Phones[0].Number = "020 7000 0001"
	})

	sum, err := ImportODS(ctx, d, records, TermGPPractice, opts, nil)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := NewStore(d).Service(ctx, id)
	if got.Name != "Albion Street Group Practice (Rotherhithe)" || got.Phones[0].Number != "020 7000 0001" {
		t.Errorf("after re-import: %q, %q; want the editor's name and phone kept", got.Name, got.Phones[0].Number)
	}
	conf := conflictFields(sum.Conflicts)
	if len(sum.Conflicts) != 2 || conf["name"].Source != imported.Name || conf["name"].Local != got.Name ||
		conf["phones"].Source == "" || conf["phones"].Local == conf["phones"].Source {
		t.Errorf("conflicts %+v, want name and phones, with the source's and the editor's values", sum.Conflicts)
	}
	if sum.Unchanged != 3 || sum.Updated != 0 {
		t.Errorf("re-import %+v: want every record unchanged, the corrections being kept", sum)
	}
	listed, err := NewStore(d).Conflicts(ctx)
	if err != nil || len(listed) != 2 {
		t.Errorf("conflicts for the admin: %d (%v), want 2", len(listed), err)
	}

	// The editor keeps their name: the same source value is not reported
	// again, a new one is.
	if err := NewStore(d).KeepLocal(ctx, KindService, id, "name"); err != nil {
		t.Fatal(err)
	}
	sum, _ = ImportODS(ctx, d, records, TermGPPractice, opts, nil)
	if conf := conflictFields(sum.Conflicts); len(conf) != 1 || conf["phones"].Field == "" {
		t.Errorf("after keeping the name: conflicts %+v, want the phones only", sum.Conflicts)
	}
	next := append([]ODSRecord(nil), records...)
	next[0].Name = "ALBION STREET SURGERY"
	sum, _ = ImportODS(ctx, d, next, TermGPPractice, opts, nil)
	if conf := conflictFields(sum.Conflicts); conf["name"].Source != "Albion Street Surgery" {
		t.Errorf("a new name from the source: conflicts %+v, want it reported", sum.Conflicts)
	}
	if got, _ := NewStore(d).Service(ctx, id); got.Name != "Albion Street Group Practice (Rotherhithe)" {
		t.Errorf("name %q after the source renamed it, want the editor's kept", got.Name)
	}

	// The source comes to agree with the editor's phone: no longer a
	// correction, nor a conflict.
	next[0].Phone = "020 7000 0001"
	sum, _ = ImportODS(ctx, d, next, TermGPPractice, opts, nil)
	if _, ok := conflictFields(sum.Conflicts)["phones"]; ok {
		t.Errorf("conflicts %+v after the source agreed on the phone", sum.Conflicts)
	}
	cs, _ := NewStore(d).Corrections(ctx, KindService, id)
	if len(cs) != 1 || cs[0].Field != "name" {
		t.Errorf("corrections %+v, want the name only", cs)
	}
}
