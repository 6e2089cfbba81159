package cmd

import "github.com/spf13/cobra"

// NewCmdExport builds `byok export NAME`. Placeholder: replaced by its owner.
func NewCmdExport(f *Factory) *cobra.Command {
	return notYet("export NAME", "Write a redacted support bundle")
}
