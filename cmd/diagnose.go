package cmd

import (
	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/doctor"
	"github.com/hiveku/byok/ui"
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

// wizardDoctor adapts the doctor to the wizard's "paste an error" pane:
// findings compared with the answers given so far, as text.
func wizardDoctor() ui.DoctorFunc {
	d := newDoctor()
	return func(text string, c flow.Config, width int) string {
		fs := d.Diagnose(text)
		if len(fs) == 0 {
			return ""
		}
		return doctor.Text(d.Compare(fs, c), width)
	}
}
