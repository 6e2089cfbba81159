package cmd

import "github.com/spf13/cobra"

// NewCmdList builds `byok list`. Placeholder: replaced by its owner.
func NewCmdList(f *Factory) *cobra.Command {
	return notYet("list", "List saved configs")
}
