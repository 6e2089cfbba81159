package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/bundle"
	"github.com/spf13/cobra"
)

// exportRuns is how many verification runs a bundle carries.
const exportRuns = 50

// ExportOptions holds the dependencies and flag values of `byok export`.
type ExportOptions struct {
	IO    *IOStreams
	Store func(ctx context.Context) (flow.Store, error)
	Now   func() time.Time
	// Confirm asks a yes/no question on the terminal.
	Confirm func(ctx context.Context, title string, def bool) (bool, error)

	Name       string
	Out        string // file; "" or "-" is standard output
	WithSecret bool
	Yes        bool
	// PassphraseFile holds the passphrase that encrypts the secret value
	// (first line); empty: ask twice on the terminal.
	PassphraseFile string
}

// NewCmdExport builds `byok export NAME [--out FILE] [--with-secret [--yes]]`.
func NewCmdExport(f *Factory) *cobra.Command {
	return newCmdExport(f, nil)
}

// newExportOptions returns export's options: dependencies from f, the
// terminal's confirmation and every flag at its default (no secret).
func newExportOptions(f *Factory) *ExportOptions {
	opts := &ExportOptions{IO: f.IO, Store: f.Store, Now: f.Now}
	opts.Confirm = func(ctx context.Context, title string, def bool) (bool, error) {
		return confirm(ctx, f.IO, false, f.NoColor || !f.IO.ColorEnabled(), title, def)
	}
	return opts
}

func newCmdExport(f *Factory, runF func(*ExportOptions) error) *cobra.Command {
	opts := newExportOptions(f)
	c := &cobra.Command{
		Use:   "export NAME",
		Short: "Write a support bundle (no secret value unless --with-secret)",
		Long: "Writes a versioned JSON bundle for support: the config, the secret's hint and\n" +
			"expiry (never its value), the secret history, the verification runs and the\n" +
			"byok version. Support recreates it with byok import and can then run\n" +
			"verify --offline, doctor --name and the simulator against it.\n\n" +
			"--with-secret also writes the secret VALUE, encrypted with a passphrase (asked\n" +
			"twice on the terminal, or the first line of --passphrase-file) using age's\n" +
			"scrypt recipient; byok asks first on a terminal and refuses without one unless\n" +
			"--yes is given. Every bundle carries an integrity check: import refuses a\n" +
			"bundle changed after export.",
		Example: "  byok export \"Acme Hiveku\" --out acme-bundle.json\n" +
			"  byok export \"Acme Hiveku\" > acme-bundle.json",
		Args: exactName,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return exportRun(c.Context(), opts)
		},
	}
	c.Flags().StringVarP(&opts.Out, "out", "o", opts.Out, "write to `FILE` (created 0600) instead of standard output")
	c.Flags().BoolVar(&opts.WithSecret, "with-secret", opts.WithSecret, "include the client secret VALUE (asks for confirmation)")
	c.Flags().BoolVarP(&opts.Yes, "yes", "y", opts.Yes, "with --with-secret: do not ask")
	c.Flags().StringVar(&opts.PassphraseFile, "passphrase-file", opts.PassphraseFile, "with --with-secret: encrypt the value with the passphrase on the first line of `FILE`")
	return c
}

func exportRun(ctx context.Context, opts *ExportOptions) error {
	toStdout := opts.Out == "" || opts.Out == "-"
	if opts.WithSecret && toStdout && opts.IO.IsStdoutTTY() {
		return flow.Invalid("--with-secret", "byok does not print a secret value on the terminal").
			WithFix("write the bundle to a file with --out FILE")
	}
	if opts.WithSecret && !opts.Yes && !opts.IO.CanPrompt() {
		return flow.Invalid("--with-secret", "refused: there is no terminal to confirm writing the secret value").
			WithFix("add --yes if you mean to put the secret value in the bundle, or leave out --with-secret")
	}
	st, cfg, err := loadConfig(ctx, opts.Store, opts.Name)
	if err != nil {
		return err
	}
	withSecret := opts.WithSecret
	if withSecret && cfg.Secret.IsZero() {
		fmt.Fprintf(opts.IO.TextErr(), "Config %q has no secret value saved; the bundle will have none.\n", cfg.Name)
		withSecret = false
	}
	if withSecret && !opts.Yes {
		ok, err := opts.Confirm(ctx, fmt.Sprintf("Write the client secret VALUE of %q into the bundle? Anyone with the file can sign in as your app.", cfg.Name), false)
		if err != nil {
			return err
		}
		if !ok {
			return ErrAborted
		}
	}
	passphrase := ""
	if withSecret {
		if passphrase, err = readPassphrase(ctx, opts.IO, opts.PassphraseFile, true); err != nil {
			return err
		}
	}
	history, err := st.SecretHistory(ctx, cfg.Name)
	if err != nil {
		return fmt.Errorf("read secret history: %w", err)
	}
	runs, err := st.Runs(ctx, cfg.Name, exportRuns)
	if err != nil {
		return fmt.Errorf("read verification runs: %w", err)
	}
	b := bundle.New(cfg, history, runs, bundle.Options{ByokVersion: currentBuild().String(), Now: opts.Now(), WithSecret: withSecret, Passphrase: passphrase, WorkFactor: bundleWorkFactor})
	data, err := b.Marshal()
	if err != nil {
		return err
	}
	if toStdout {
		if _, err := opts.IO.Out.Write(data); err != nil {
			return fmt.Errorf("write bundle: %w", err)
		}
		return nil
	}
	if err := writeFileAtomic(opts.Out, data); err != nil {
		return err
	}
	what := "no secret value"
	if withSecret {
		what = "WITH the secret value, encrypted with your passphrase: send the passphrase another way, and delete the file when done"
	}
	fmt.Fprintf(opts.IO.TextErr(), "Wrote the support bundle of %q to %s (%s).\n", cfg.Name, opts.Out, what)
	return nil
}

// bundleWorkFactor is the scrypt work factor of exported secrets: 0 is
// age's default; cmd's tests lower it (scrypt is slow under -race).
var bundleWorkFactor = 0

// writeFileAtomic writes data to path through a 0600 temporary file in
// the same directory and a rename, so a reader never sees half a bundle
// and a bundle is never readable by others.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".byok-export-*")
	if err != nil {
		return flow.Invalid("--out", "cannot write in %s: %v", filepath.Dir(path), err).WithFix("choose a directory you can write to")
	}
	name := tmp.Name()
	defer os.Remove(name)
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write bundle: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync bundle: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close bundle: %w", err)
	}
	if err := os.Rename(name, path); err != nil {
		return flow.Invalid("--out", "cannot write %s: %v", path, err).WithFix("choose another file name")
	}
	return nil
}
