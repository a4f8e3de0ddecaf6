package oruk

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
)

// openAPIDocument is the UK profile's OpenAPI description, adapted to what
// this API serves (see its info.description). Its licence is CC BY-SA 4.0,
// © Open Referral.
//
//go:embed openapi.json
var openAPIDocument []byte

// openAPI answers GET /api/oruk/openapi.json: the OpenAPI description,
// with the site's own address as its server.
func (a *api) openAPI(r *http.Request) (any, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPIDocument, &doc); err != nil {
		return nil, fmt.Errorf("oruk: read openapi.json: %w", err)
	}
	doc["servers"] = []map[string]string{{"url": a.baseURL + Root}}
	return doc, nil
}
