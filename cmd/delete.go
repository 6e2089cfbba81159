package cmd

import "github.com/spf13/cobra"

// NewCmdDelete builds `byok delete NAME`. Placeholder: replaced by its owner.
func NewCmdDelete(f *Factory) *cobra.Command {
	return notYet("delete NAME", "Delete a config and its secrets")
}
