package cmd

import "github.com/spf13/cobra"

// NewCmdVerify builds `byok verify NAME`. Placeholder: replaced by its owner.
func NewCmdVerify(f *Factory) *cobra.Command {
	return notYet("verify NAME", "Check a config offline and with a live consent test")
}
