package cmd

import "github.com/spf13/cobra"

// NewCmdDemo builds `byok demo`. Placeholder: replaced by its owner.
func NewCmdDemo(f *Factory) *cobra.Command {
	return notYet("demo", "Run the wizard and verification against the built-in simulator")
}
