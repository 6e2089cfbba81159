package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/doctor"
	"github.com/hiveku/byok/ui/prompt"
	"github.com/spf13/cobra"
)

// DoctorOptions holds the dependencies and flag values of `byok doctor`.
type DoctorOptions struct {
	IO    *IOStreams
	Store func(ctx context.Context) (flow.Store, error)
	// Catalog loads the AADSTS catalog (assets.AADSTSCatalog).
	Catalog func() ([]doctor.Entry, error)
	// Getenv reads the environment ($TERM: how a paste is read).
	Getenv func(string) string
	// ReadFile reads a file named on the command line; it reports
	// exists=false (and no error) when there is no such regular file.
	ReadFile func(path string) (data []byte, exists bool, err error)

	Args []string
	Name string
	JSON bool
}

// NewCmdDoctor builds `byok doctor [FILE|-|TEXT…] [--name NAME] [--json]`.
func NewCmdDoctor(f *Factory) *cobra.Command { return newCmdDoctor(f, nil) }

// newDoctorOptions returns doctor's options: dependencies from f, the
// embedded catalog, input from standard input, text output.
func newDoctorOptions(f *Factory) *DoctorOptions {
	return &DoctorOptions{IO: f.IO, Store: f.Store, Getenv: f.getenv, Catalog: assets.AADSTSCatalog, ReadFile: readInputFile}
}

// newCmdDoctor is NewCmdDoctor with a runF seam for tests.
func newCmdDoctor(f *Factory, runF func(*DoctorOptions) error) *cobra.Command {
	opts := newDoctorOptions(f)
	c := &cobra.Command{
		Use:   "doctor [FILE | - | TEXT…]",
		Short: "Diagnose a pasted Microsoft sign-in error",
		Long: `Explain a Microsoft sign-in error: its cause and the exact fix.

The input can be anything a customer sends: the address the browser landed
on (error_description=…), a token-endpoint JSON body, the text or HTML of
Microsoft's "trouble signing you in" page, an MSAL or oauth2 exception, a
log file or a ticket. Every AADSTS code (and bare OAuth errors such as
invalid_client or access_denied) is reported once, in order.

Where the input comes from:
  byok doctor FILE         reads FILE, if a file of that name exists
  byok doctor -            reads standard input to end of file
  byok doctor TEXT…        otherwise the arguments are the text itself
  byok doctor              reads standard input; on a terminal it asks you
                           to paste the error and press Enter

With --name, the redirect URI, app ID and tenant named in the error are
compared with the saved config.

Exit status: 0 when an error was recognised, 1 when none was found.`,
		Example: "  byok doctor support-ticket-4411.txt\n" +
			"  pbpaste | byok doctor --name \"Acme Hiveku\"\n" +
			"  byok doctor \"AADSTS50011: The redirect URI 'https://app.hiveku.com/callback' …\"\n" +
			"  byok doctor app.log --json",
		RunE: func(c *cobra.Command, args []string) error {
			opts.Args = args
			if runF != nil {
				return runF(opts)
			}
			return doctorRun(c.Context(), opts)
		},
	}
	c.Flags().StringVar(&opts.Name, "name", opts.Name, "compare with the saved config NAME")
	addJSONFlags(c, f.IO, &opts.JSON, "print JSON", doctor.Finding{}, "findings")
	return c
}

// errNothingFound is doctor's exit-1 message.
const errNothingFound = "no Microsoft sign-in error found in the input; paste the whole message including the AADSTS code"

// doctorRun reads the input, diagnoses it and prints the findings.
func doctorRun(ctx context.Context, opts *DoctorOptions) error {
	var cfg *flow.Config
	if opts.Name != "" {
		_, c, err := loadConfigInfo(readOnly(ctx), opts.Store, opts.Name)
		if err != nil {
			return err
		}
		cfg = &c
	}
	d, err := loadDoctor(opts.Catalog)
	if err != nil {
		return err
	}
	text, err := doctorInput(ctx, opts, d)
	if err != nil {
		return err
	}
	findings := d.Diagnose(text)
	if cfg != nil {
		findings = d.Compare(findings, *cfg)
	}
	if opts.JSON {
		if findings == nil {
			findings = []doctor.Finding{}
		}
		out := struct {
			Findings []doctor.Finding `json:"findings"`
		}{findings}
		if opts.IO.jsonExport.active() {
			if err := exportJSON(opts.IO, opts.IO.jsonExport, out); err != nil {
				return err
			}
		} else {
			enc := json.NewEncoder(opts.IO.Out)
			enc.SetIndent("", "  ")
			if err := enc.Encode(out); err != nil {
				return fmt.Errorf("write findings: %w", err)
			}
		}
	} else if len(findings) > 0 {
		if _, err := io.WriteString(opts.IO.Text(), doctor.Text(findings, opts.IO.TerminalWidth())); err != nil {
			return fmt.Errorf("write findings: %w", err)
		}
	}
	if len(findings) == 0 {
		return flow.Errorf(flow.EFAILED, errNothingFound)
	}
	return nil
}

// loadDoctor builds a Doctor from the catalog loader (nil: the embedded
// catalog). The verify and setup commands use it for their diagnosis too.
func loadDoctor(catalog func() ([]doctor.Entry, error)) (*doctor.Doctor, error) {
	if catalog == nil {
		catalog = assets.AADSTSCatalog
	}
	cat, err := catalog()
	if err != nil {
		return nil, flow.Errorf(flow.EINTERNAL, "load the AADSTS catalog: %v", err)
	}
	return doctor.New(cat), nil
}

// doctorInput returns the text to diagnose, following the rule in the
// command's help: "-" is stdin, one argument naming an existing file is
// that file, other arguments are the text, no argument is stdin. At most
// doctor.MaxInput bytes are read.
//
// On a terminal stdin is read by the one paste reader (ui/prompt): a
// whole multi-line paste (bracketed paste) ended by Enter, or on a
// terminal without it (TERM=dumb) lines until d recognises an error or
// an empty line follows another; nothing of the paste is left for the
// shell. Piped stdin is read to its end.
func doctorInput(ctx context.Context, opts *DoctorOptions, d *doctor.Doctor) (string, error) {
	args := opts.Args
	if len(args) == 1 && args[0] == "-" {
		args = nil
	}
	if len(args) == 0 {
		o := prompt.PasteOptions{
			TTY:   opts.IO.IsStdinTTY(),
			Term:  opts.Getenv("TERM"),
			Echo:  opts.IO.ErrOut,
			Width: opts.IO.EchoWidth(),
			Limit: doctor.MaxInput,
			// A Microsoft error page has blank lines: it is whole once
			// it names an error.
			Complete: func(s string) bool { return len(d.Diagnose(s)) > 0 },
		}
		if m := o.Mode(opts.IO.In); m != prompt.PasteAll {
			fmt.Fprintf(opts.IO.TextErr(), "Paste the error Microsoft showed (the whole page or message), %s:\n", m.Hint())
		}
		s, err := prompt.ReadPaste(ctx, opts.IO.In, o)
		if errors.Is(err, prompt.ErrInterrupted) {
			return "", ErrAborted
		}
		return s, err
	}
	if len(args) == 1 {
		data, exists, err := opts.ReadFile(args[0])
		if err != nil {
			return "", flow.Invalid("file", "cannot read %s: %v", args[0], err).
				WithFix("check the file's permissions, or pipe the text in with byok doctor -")
		}
		if exists {
			return string(data), nil
		}
		if looksLikePath(args[0]) {
			return "", flow.Invalid("file", "%s does not exist", args[0]).
				WithFix("check the path, or paste the error text itself in quotes")
		}
	}
	return strings.Join(args, " "), nil
}

// looksLikePath reports whether a lone argument is more likely a mistyped
// file name than error text: one word with a path separator or a file
// extension, and none of the marks of an error.
func looksLikePath(s string) bool {
	if strings.ContainsAny(s, " \t\n=") || strings.Contains(strings.ToUpper(s), "AADSTS") || strings.Contains(s, "_") && !strings.ContainsAny(s, "/\\.") {
		return false
	}
	switch strings.ToLower(filepath.Ext(s)) {
	case ".txt", ".log", ".json", ".html", ".htm", ".har", ".eml", ".md":
		return true
	}
	return strings.ContainsAny(s, "/\\") && !strings.Contains(s, "://")
}

// readInputFile reads path when it names an existing file (or pipe), up
// to doctor.MaxInput bytes; a directory is an error.
func readInputFile(path string) ([]byte, bool, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, false, nil
	}
	if st.IsDir() {
		return nil, true, fmt.Errorf("it is a directory")
	}
	fh, err := os.Open(path)
	if err != nil {
		return nil, true, err
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, doctor.MaxInput))
	if err != nil {
		return nil, true, err
	}
	return b, true, nil
}
