package cmd

import (
	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow/doctor"
)

// newDoctor returns a doctor over the embedded AADSTS catalog. A broken
// catalog is caught by assets' tests; here it degrades to a doctor that
// only knows bare OAuth errors.
func newDoctor() *doctor.Doctor {
	cat, _ := assets.AADSTSCatalog()
	return doctor.New(cat)
}

// doctorFix adapts the doctor to the verification engine's Diagnose hook,
// so that verify, demo and rotate explain failures the way doctor does.
func doctorFix() func(text string) (int, string) {
	return newDoctor().Fix
}
