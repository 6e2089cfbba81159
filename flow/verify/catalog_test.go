package verify

import (
	"encoding/json"
	"os"
	"sync"

	"github.com/hiveku/byok/flow/doctor"
)

// testCatalog is byok's one AADSTS catalog (assets/aadsts.json, read from
// the source tree: flow may not import assets) behind the doctor, as cmd
// wires it.
var testCatalog = sync.OnceValue(func() DiagnoseFunc {
	data, err := os.ReadFile("../../assets/aadsts.json")
	if err != nil {
		panic(err)
	}
	var entries []doctor.Entry
	if err := json.Unmarshal(data, &entries); err != nil {
		panic(err)
	}
	return doctor.New(entries).Fix
})
