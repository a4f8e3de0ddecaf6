// Package directory holds the local services residents can find: for now the
// GP practices and pharmacies published by NHS ODS, counted on place pages.
package directory

import (
	"time"

	"github.com/google/uuid"
)

// Kind is what sort of organisation a record is.
type Kind string

// The kinds of organisation the directory holds.
const (
	KindGPPractice Kind = "gp_practice"
	KindPharmacy   Kind = "pharmacy"
)

// Organization is a GP practice or pharmacy from NHS ODS.
type Organization struct {
	ID        string // UUID derived from the ODS code
	ODSCode   string
	Kind      Kind
	Name      string
	Address   string // lines joined with ", "
	Postcode  string
	Latitude  float64
	Longitude float64
	WardCode  string
	WardName  string
	Phone     string
	OpenedOn  string // YYYY-MM-DD as ODS publishes it
	Active    bool
	PlaceID   int64 // 0 when the organisation is outside every place
	UpdatedAt time.Time
}

// namespace roots the UUIDs of ODS records, so a record keeps its id across
// re-imports and on every installation.
var namespace = uuid.MustParse("4b0c5a6e-2f1d-5c55-9b7e-6a6f696e6564")

// IDForODSCode returns the stable UUID of the organisation with an ODS code.
func IDForODSCode(code string) string {
	return uuid.NewSHA1(namespace, []byte("ods:"+code)).String()
}
