package cmd

import (
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/doctor"
	"github.com/hiveku/byok/ui"
)

// newDoctor returns a doctor over the embedded AADSTS catalog. The
// catalog's parse is tested in assets, so the error cannot happen in a
// build that passed CI; should it, diagnosis is left out (nil), never the
// command.
func newDoctor() *doctor.Doctor {
	d, _ := loadDoctor(nil)
	return d
}

// doctorFix adapts the doctor to the verification engine's Diagnose hook,
// so that verify, demo and rotate explain failures the way doctor does.
func doctorFix() func(text string) (int, string) {
	if d := newDoctor(); d != nil {
		return d.Fix
	}
	return nil
}

// wizardDoctor adapts the doctor to the wizard's "paste an error" pane:
// findings compared with the answers given so far, as text.
func wizardDoctor() ui.DoctorFunc {
	d := newDoctor()
	if d == nil {
		return nil
	}
	return func(text string, c flow.Config, width int) string {
		fs := d.Diagnose(text)
		if len(fs) == 0 {
			return ""
		}
		return doctor.Text(d.Compare(fs, c), width)
	}
}
