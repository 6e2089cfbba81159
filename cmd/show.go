package cmd

import "github.com/spf13/cobra"

// NewCmdShow builds `byok show NAME`. Placeholder: replaced by its owner.
func NewCmdShow(f *Factory) *cobra.Command {
	return notYet("show NAME", "Show one config")
}
