package e2e

import (
	"encoding/json"
	"os"
	"sync"

	"github.com/hiveku/byok/flow/doctor"
	"github.com/hiveku/byok/flow/verify"
)

// catalog is byok's AADSTS catalog behind the doctor, as cmd wires it
// (read from the source tree: flow may not import assets).
var catalog = sync.OnceValue(func() verify.DiagnoseFunc {
	data, err := os.ReadFile("../../../assets/aadsts.json")
	if err != nil {
		panic(err)
	}
	var entries []doctor.Entry
	if err := json.Unmarshal(data, &entries); err != nil {
		panic(err)
	}
	return doctor.New(entries).Fix
})
