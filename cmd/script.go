package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/script"
	"github.com/spf13/cobra"
)

// ScriptOptions holds the dependencies and flag values of `byok script`.
type ScriptOptions struct {
	IO          *IOStreams
	Store       func(ctx context.Context) (flow.Store, error)
	Now         func() time.Time
	Permissions func() ([]flow.Permission, error)

	Name   string
	Format string
}

// NewCmdScript builds `byok script NAME --format az|pwsh|manifest`.
func NewCmdScript(f *Factory) *cobra.Command {
	return newCmdScript(f, nil)
}

func newCmdScript(f *Factory, runF func(*ScriptOptions) error) *cobra.Command {
	opts := &ScriptOptions{IO: f.IO, Store: f.Store, Now: f.Now, Permissions: assets.Permissions}
	c := &cobra.Command{
		Use:   "script NAME --format az|pwsh|manifest",
		Short: "Print commands (or a manifest) that create this app as configured",
		Long: "Prints what creates the app registration a saved config describes, with the\n" +
			"right permission IDs, account type, Web redirect URI and a client secret with\n" +
			"the config's expiry:\n\n" +
			"  az        a bash script of Azure CLI commands (run after az login)\n" +
			"  pwsh      Microsoft Graph PowerShell commands (Connect-MgGraph)\n" +
			"  manifest  a manifest fragment in the Microsoft Graph format\n\n" +
			"byok audit reports no problem for the manifest it prints.",
		Example: "  byok script \"Acme Hiveku\" --format az > create-app.sh\n" +
			"  byok script \"Acme Hiveku\" --format manifest",
		Args: exactName,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return scriptRun(c.Context(), opts)
		},
	}
	c.Flags().StringVarP(&opts.Format, "format", "f", "", "az, pwsh or manifest")
	return c
}

func scriptRun(ctx context.Context, opts *ScriptOptions) error {
	format, err := script.ParseFormat(opts.Format)
	if err != nil {
		return err
	}
	catalog, err := opts.Permissions()
	if err != nil {
		return fmt.Errorf("load permission catalog: %w", err)
	}
	_, cfg, err := loadConfigInfo(readOnly(ctx), opts.Store, opts.Name)
	if err != nil {
		return err
	}
	out, err := script.Generate(cfg, format, script.Options{Catalog: catalog, Now: opts.Now(), Version: currentBuild().Version})
	if err != nil {
		return err
	}
	if _, err := fmt.Fprint(opts.IO.Out, out); err != nil {
		return fmt.Errorf("write script: %w", err)
	}
	return nil
}
