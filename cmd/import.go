package cmd

import "github.com/spf13/cobra"

// NewCmdImport builds `byok import FILE`. Placeholder: replaced by its owner.
func NewCmdImport(f *Factory) *cobra.Command {
	return notYet("import FILE", "Recreate a config from a bundle")
}
