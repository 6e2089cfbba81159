package cmd

import "github.com/spf13/cobra"

// NewCmdConsentUrl builds `byok consent-url NAME`. Placeholder: replaced by its owner.
func NewCmdConsentUrl(f *Factory) *cobra.Command {
	return notYet("consent-url NAME", "Print the consent URL")
}
