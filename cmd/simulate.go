package cmd

import "github.com/spf13/cobra"

// NewCmdSimulate builds `byok simulate`. Placeholder: replaced by its owner.
func NewCmdSimulate(f *Factory) *cobra.Command {
	return notYet("simulate", "Serve the built-in Microsoft simulator")
}
