package cmd

import "github.com/spf13/cobra"

// NewCmdSetup builds `byok setup [flags]`. Placeholder: replaced by its owner.
func NewCmdSetup(f *Factory) *cobra.Command {
	return notYet("setup [flags]", "Register an app step by step (the wizard)")
}
