package cmd

import "github.com/spf13/cobra"

// NewCmdDoctor builds `byok doctor [FILE|-]`. Placeholder: replaced by its owner.
func NewCmdDoctor(f *Factory) *cobra.Command {
	return notYet("doctor [FILE|-]", "Diagnose a pasted Microsoft sign-in error")
}
