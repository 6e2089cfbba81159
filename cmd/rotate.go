package cmd

import "github.com/spf13/cobra"

// NewCmdRotate builds `byok rotate NAME`. Placeholder: replaced by its owner.
func NewCmdRotate(f *Factory) *cobra.Command {
	return notYet("rotate NAME", "Replace the client secret")
}
