package assets

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/hiveku/byok/flow/doctor"
)

//go:embed aadsts.json
var aadstsJSON []byte

// AADSTSCatalog returns the doctor's catalog: every AADSTS code byok
// explains (and the bare OAuth errors, with Code 0), with category, title,
// cause, fix and where in the portal to fix it. It returns an error if the
// embedded JSON does not parse or an entry is invalid (a test catches
// both before release).
func AADSTSCatalog() ([]doctor.Entry, error) {
	var entries []doctor.Entry
	if err := json.Unmarshal(aadstsJSON, &entries); err != nil {
		return nil, fmt.Errorf("parse aadsts.json: %w", err)
	}
	for _, e := range entries {
		if err := e.Validate(); err != nil {
			return nil, fmt.Errorf("check aadsts.json: %w", err)
		}
	}
	return entries, nil
}
