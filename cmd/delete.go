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
// and deletes the config, or the wizard draft of that name when no
// config has it.
func deleteRun(ctx context.Context, opts *DeleteOptions) error {
	st, c, err := loadConfig(ctx, opts.Store, opts.Name)
	if flow.ErrorCode(err) == flow.ENOTFOUND && st == nil {
		// No config of that name: an interrupted wizard's draft may
		// have it (the home screen lists drafts beside the configs).
		if st, oerr := opts.Store(mustExist(ctx)); oerr == nil {
			if d, derr := st.FindDraft(ctx, opts.Name); derr == nil {
				return deleteDraft(ctx, opts, st, d)
			}
		}
	}
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

// deleteDraft deletes the wizard draft d after the same confirmation as
// a config.
func deleteDraft(ctx context.Context, opts *DeleteOptions, st flow.Store, d flow.Draft) error {
	name := d.Config.Name
	if !opts.Yes {
		if !opts.IO.CanPrompt() {
			return flow.Invalid("--yes", "refusing to delete the draft %q without confirmation", name).
				WithFix("pass --yes to delete it when byok cannot ask")
		}
		ok, err := opts.Confirm(ctx, fmt.Sprintf("Delete the draft %q (the wizard's answers so far)? This cannot be undone.", name), false)
		if err != nil {
			return err
		}
		if !ok {
			fmt.Fprintln(opts.IO.TextErr(), "Nothing deleted.")
			return nil
		}
	}
	if err := st.DeleteDraft(ctx, name); err != nil {
		return fmt.Errorf("delete draft: %w", err)
	}
	fmt.Fprintf(opts.IO.Text(), "✓ Deleted the draft %q\n", name)
	return nil
}
