package cmd

import (
	"context"
	"fmt"
	"strconv"

	"github.com/hiveku/byok/flow"
	"github.com/spf13/cobra"
)

// DeleteOptions holds the dependencies and flag values of `byok delete`.
type DeleteOptions struct {
	IO    *IOStreams
	Store func(ctx context.Context) (flow.Store, error)
	// Confirm asks a yes/no question on the terminal.
	Confirm func(ctx context.Context, title string, def bool) (bool, error)

	Name string
	Yes  bool
}

// NewCmdDelete builds `byok delete NAME [--yes]`. runF replaces deleteRun
// in tests.
func NewCmdDelete(f *Factory, runF func(*DeleteOptions) error) *cobra.Command {
	opts := newDeleteOptions(f)
	c := &cobra.Command{
		Use:     "delete NAME",
		Aliases: []string{"rm"},
		Short:   "Delete a saved config, its secrets and its verification history",
		Example: "  byok delete \"Acme Hiveku\"\n" +
			"  byok delete \"Acme Hiveku\" --yes",
		Args: exactName,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return deleteRun(c.Context(), opts)
		},
	}
	c.Flags().BoolVarP(&opts.Yes, "yes", "y", opts.Yes, "delete without asking")
	return c
}

// newDeleteOptions returns delete's options: dependencies from f, the
// terminal's confirmation and no --yes (the home screen's delete asks).
func newDeleteOptions(f *Factory) *DeleteOptions {
	opts := &DeleteOptions{IO: f.IO, Store: f.Store}
	opts.Confirm = func(ctx context.Context, title string, def bool) (bool, error) {
		accessible, _ := strconv.ParseBool(f.getenv("BYOK_ACCESSIBLE"))
		return confirm(ctx, f.IO, accessible, f.NoColor || !f.IO.ColorEnabled(), title, def)
	}
	return opts
}

// deleteRun asks for confirmation (or requires --yes without a terminal)
// and deletes the config.
func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	st, c, err := loadConfig(ctx, opts.Store, opts.Name)
	if err != nil {
		return err
	}
	if !opts.Yes {
		if !opts.IO.CanPrompt() {
			return flow.Invalid("--yes", "refusing to delete %q without confirmation", c.Name).
				WithFix("pass --yes to delete it when byok cannot ask")
		}
		ok, err := opts.Confirm(ctx, fmt.Sprintf("Delete %q, its secret and its verification history? This cannot be undone.", c.Name), false)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(opts.IO.TextErr(), "Nothing deleted.")
			return nil
		}
	}
	if err := st.DeleteConfig(ctx, c.Name); err != nil {
		return notFound(err, c.Name)
	}
	fmt.Fprintf(opts.IO.Text(), "✓ Deleted %q\n", c.Name)
	return nil
}
