package cmd

import (
	"github.com/hiveku/byok/flow"
	"github.com/spf13/cobra"
)

// notYet builds a placeholder command; each is replaced by its own file.
func notYet(use, short string) *cobra.Command {
	return &cobra.Command{
		Use:   use,
		Short: short,
		RunE: func(c *cobra.Command, args []string) error {
			return flow.Errorf(flow.EFAILED, "%s is not implemented yet", c.Name())
		},
	}
}
