package cmd

import "github.com/spf13/cobra"

// NewCmdAudit builds `byok audit MANIFEST.json`. Placeholder: replaced by its owner.
func NewCmdAudit(f *Factory) *cobra.Command {
	return notYet("audit MANIFEST.json", "Compare a portal manifest with a config")
}
