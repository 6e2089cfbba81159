package cmd

import (
	"context"
	"fmt"
	"time"

	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/bundle"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
	"github.com/spf13/cobra"
)

// ImportOptions holds the dependencies and flag values of `byok import`.
type ImportOptions struct {
	IO    *IOStreams
	Store func(ctx context.Context) (flow.Store, error)

	File    string // path, or "-" for standard input
	Name    string // --name: save under this name instead
	Replace bool
	// PassphraseFile holds the passphrase of a bundle with an encrypted
	// secret value (first line); empty: ask on the terminal.
	PassphraseFile string

	// AppOptions are --app and its companions (import_app.go).
	AppOptions  ImportAppOptions
	Now         func() time.Time
	Permissions func() ([]flow.Permission, error)
}

// NewCmdImport builds `byok import FILE [--name NEW] [--replace]`.
func NewCmdImport(f *Factory) *cobra.Command {
	return newCmdImport(f, nil)
}

func newCmdImport(f *Factory, runF func(*ImportOptions) error) *cobra.Command {
	opts := &ImportOptions{IO: f.IO, Store: f.Store, Now: f.Now, Permissions: assets.Permissions}
	c := &cobra.Command{
		Use:   "import FILE",
		Short: "Recreate a config from a support bundle or an existing app registration",
		Long: "Reads a bundle written by byok export, validates the config as the wizard\n" +
			"would and saves it, with its verification runs. A bundle without a secret\n" +
			"value gives a config marked \"needs secret\": verify --offline, doctor --name\n" +
			"and the simulator work with it; byok rotate enters a secret. Pass - to read\n" +
			"standard input.\n\n" +
			"With --app FILE, the config comes from an existing registration's JSON, as\n" +
			"az ad app show or Microsoft Graph (GET /applications) return it: account type,\n" +
			"redirect URIs, permissions by ID, and the secrets' hints and expiries. The\n" +
			"secret value is never in that JSON: byok asks for it (masked), reads it with\n" +
			"--secret-stdin, or saves the config as needing one. The JSON is checked with\n" +
			"the wizard's validators, and the saved config is audited against it.",
		Example: "  byok import acme-bundle.json\n" +
			"  byok import acme-bundle.json --name \"Acme Hiveku (support copy)\"\n" +
			"  az ad app show --id $APP_ID > app.json\n" +
			"  byok import --app app.json --name \"Acme Hiveku\" --directory-id $TENANT_ID",
		Args: func(c *cobra.Command, args []string) error {
			if opts.AppOptions.File != "" {
				if len(args) > 0 {
					return usagef(c, "--app takes the application JSON: give no bundle FILE with it")
				}
				return nil
			}
			switch {
			case len(args) == 0:
				return usagef(c, "missing FILE: the bundle written by byok export")
			case len(args) > 1:
				return usagef(c, "too many arguments: import takes one bundle file")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if runF != nil {
				if len(args) > 0 {
					opts.File = args[0]
				}
				return runF(opts)
			}
			if opts.AppOptions.File != "" {
				return importAppRun(c.Context(), opts)
			}
			opts.File = args[0]
			return importRun(c.Context(), opts)
		},
	}
	c.Flags().StringVarP(&opts.Name, "name", "n", "", "save the config as `NEW` instead of its name in the bundle")
	c.Flags().BoolVar(&opts.Replace, "replace", false, "overwrite a saved config of the same name")
	c.Flags().StringVar(&opts.PassphraseFile, "passphrase-file", "", "read the passphrase of a bundle with a secret value from the first line of `FILE`")
	c.Flags().StringVar(&opts.AppOptions.File, "app", "", "create the config from an app registration's JSON `FILE` (az ad app show; - for standard input)")
	c.Flags().StringVar(&opts.AppOptions.DirectoryID, "directory-id", "", "with --app: the Directory (tenant) ID of the app")
	c.Flags().StringVar(&opts.AppOptions.Tenant, "tenant", "", "with --app: the tenant Hiveku uses (default by account type)")
	c.Flags().BoolVar(&opts.AppOptions.SecretStdin, "secret-stdin", false, "with --app: read the secret VALUE from standard input")
	return c
}

func importRun(ctx context.Context, opts *ImportOptions) error {
	data, err := readInput(ctx, opts.IO, opts.File, bundle.MaxSize, "bundle", "pass the .json file that byok export wrote")
	if err != nil {
		return err
	}
	b, err := bundle.Parse(data)
	if err != nil {
		return err
	}
	if b.NeedsPassphrase() {
		p, err := readPassphrase(ctx, opts.IO, opts.PassphraseFile, false)
		if err != nil {
			return err
		}
		if err := b.Decrypt(p); err != nil {
			return err
		}
	}
	var catalog []flow.Permission
	if opts.Permissions != nil {
		if catalog, err = opts.Permissions(); err != nil {
			return err
		}
	}
	cfg, err := b.ToConfig(opts.Name, catalog)
	if err != nil {
		return err
	}
	st, err := opts.Store(ctx)
	if err != nil {
		return err
	}
	// The config and its runs are stored in one transaction when the
	// store can (storage does): an import leaves all of it or nothing.
	if is, ok := st.(interface {
		ImportConfig(context.Context, flow.Config, []flow.Run, bool) error
	}); ok {
		err = is.ImportConfig(ctx, cfg, b.Runs(cfg.Name), opts.Replace)
	} else if err = st.SaveConfig(ctx, cfg, opts.Replace); err == nil {
		for _, r := range b.Runs(cfg.Name) {
			if err = st.SaveRun(ctx, r); err != nil {
				break
			}
		}
	}
	if err != nil {
		if flow.ErrorCode(err) == flow.ECONFLICT {
			return flow.Invalid("name", "a config named %q exists", cfg.Name).
				WithFix("import it under another name with --name NEW, or overwrite it with --replace")
		}
		return fmt.Errorf("save config: %w", err)
	}
	w := opts.IO.Text()
	fmt.Fprintf(w, "Imported %q (bundle from byok %s, exported %s", cfg.Name, sanitize.Line(orDash(b.ByokVersion)), day(b.ExportedAt))
	if n := len(b.Verifications); n > 0 {
		fmt.Fprintf(w, ", %d verification %s", n, text.Plural(n, "run", "runs"))
	}
	fmt.Fprintln(w, ").")
	q := text.ShellQuote(cfg.Name)
	if cfg.SecretInfo.Missing {
		fmt.Fprintf(w, "It has no client secret value: it needs a secret before a live verification (byok rotate %s).\n", q)
	}
	fmt.Fprintf(w, "Next: byok verify %s --offline, or byok doctor --name %s FILE\n", q, q)
	return nil
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
