package cmd

import "github.com/spf13/cobra"

// NewCmdScript builds `byok script NAME`. Placeholder: replaced by its owner.
func NewCmdScript(f *Factory) *cobra.Command {
	return notYet("script NAME", "Print commands that create this app")
}
