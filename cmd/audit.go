package cmd

import (
	"context"
	"fmt"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
	"io"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/graph"
	"github.com/hiveku/byok/flow/manifest"
	"github.com/spf13/cobra"
)

// AuditOptions holds the dependencies and flag values of `byok audit`.
type AuditOptions struct {
	IO          *IOStreams
	Store       func(ctx context.Context) (flow.Store, error)
	Now         func() time.Time
	Permissions func() ([]flow.Permission, error)

	File string // path, or "-" for standard input
	Name string // --name: the config to compare with
	JSON bool
	// Live reads the registration from Microsoft Graph (by the config's
	// app ID) instead of a downloaded manifest; the argument is NAME.
	Live bool
	AdminSignIn
	directoryChanged bool
}

// NewCmdAudit builds `byok audit MANIFEST.json [--name NAME] [--json]`.
func NewCmdAudit(f *Factory) *cobra.Command {
	return newCmdAudit(f, nil)
}

func newCmdAudit(f *Factory, runF func(*AuditOptions) error) *cobra.Command {
	opts := &AuditOptions{IO: f.IO, Store: f.Store, Now: f.Now, Permissions: assets.Permissions,
		AdminSignIn: AdminSignIn{Microsoft: realMicrosoft(f.getenv)}}
	c := &cobra.Command{
		Use:   "audit MANIFEST.json | audit NAME --live",
		Short: "Check an app manifest downloaded from the portal against a config",
		Long: "Reads the manifest you download from App registrations > your app > Manifest\n" +
			"(Microsoft Graph or the older Azure AD Graph format) and reports, check by\n" +
			"check: the Hiveku redirect URI on the Web platform, signInAudience against\n" +
			"the config and its tenant, the Graph delegated permissions (by ID, with\n" +
			"offline_access), expired or expiring secrets, and the app ID.\n\n" +
			"Exits 1 when a check fails, 0 otherwise. Pass - to read standard input.\n\n" +
			"With --live, byok reads the registration of config NAME from Microsoft Graph\n" +
			"instead (an admin signs in; byok asks only for Application.Read.All) and runs\n" +
			"the same checks.",
		Example: "  byok audit ~/Downloads/manifest.json --name \"Acme Hiveku\"\n" +
			"  byok audit manifest.json --json\n" +
			"  byok audit \"Acme Hiveku\" --live",
		Args: func(c *cobra.Command, args []string) error {
			live, _ := c.Flags().GetBool("live")
			switch {
			case live && len(args) != 1:
				return usagef(c, "audit --live takes the name of one saved config")
			case live:
				return nil
			case len(args) == 0:
				return usagef(c, "missing MANIFEST.json: the file downloaded from App registrations > your app > Manifest")
			case len(args) > 1:
				return usagef(c, "too many arguments: audit takes one manifest file")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.File = args[0]
			if opts.Live {
				if opts.Name != "" {
					return usagef(c, "--name is for a manifest file; with --live give the config's name as the argument")
				}
				opts.File, opts.Name = "", args[0]
				opts.directoryChanged = c.Flags().Changed("directory")
			}
			if runF != nil {
				return runF(opts)
			}
			return auditRun(c.Context(), opts)
		},
	}
	c.Flags().StringVarP(&opts.Name, "name", "n", "", "compare with the saved config `NAME`")
	addJSONFlags(c, f.IO, &opts.JSON, "print the report as JSON", auditJSON{}, "")
	c.Flags().BoolVar(&opts.Live, "live", false, "read the registration of config NAME from Microsoft Graph instead of a file")
	opts.AdminSignIn.addFlags(c.Flags(), "the config's directory")
	return c
}

// auditJSON is the --json shape of a report.
type auditJSON struct {
	Format      manifest.Format `json:"format"`
	AppID       string          `json:"app_id"`
	DisplayName string          `json:"display_name"`
	Config      *string         `json:"config"`
	OK          bool            `json:"ok"`
	Checks      []flow.Check    `json:"checks"`
}

func auditRun(ctx context.Context, opts *AuditOptions) error {
	var data []byte
	var err error
	if opts.Live {
		data, err = auditLiveManifest(ctx, opts)
	} else {
		data, err = readInput(ctx, opts.IO, opts.File, manifest.MaxSize, "manifest",
			"pass the path of the file downloaded from App registrations > your app > Manifest")
	}
	if err != nil {
		return err
	}
	m, err := manifest.Parse(data)
	if err != nil {
		return err
	}
	o := manifest.Options{Now: opts.Now()}
	if opts.Permissions != nil {
		if o.Catalog, err = opts.Permissions(); err != nil {
			return fmt.Errorf("load permission catalog: %w", err)
		}
	}
	if opts.Name != "" {
		_, cfg, err := loadConfigInfo(readOnly(ctx), opts.Store, opts.Name)
		if err != nil {
			return err
		}
		o.Config = &cfg
	}
	r := manifest.Audit(m, o)
	if opts.JSON {
		j := auditJSON{Format: r.Format, AppID: r.AppID, DisplayName: r.DisplayName, OK: !r.Failed(), Checks: r.Checks}
		if o.Config != nil {
			j.Config = &o.Config.Name
		}
		if err := writeJSON(opts.IO, j); err != nil {
			return err
		}
	} else {
		writeAudit(opts.IO.Text(), r, o.Config, auditStyle(opts.IO))
	}
	if r.Failed() {
		return ErrSilent
	}
	return nil
}

// auditStyle lays out audit's checks: indented, with room for its
// longer check IDs.
func auditStyle(ios *IOStreams) text.CheckStyle {
	return text.CheckStyle{Width: ios.TextWidth(), Color: ios.OutColorEnabled(), Indent: "  ", IDWidth: 17}
}

// writeAudit prints the report: a heading, one line per check with its
// fix indented below, and a summary line.
func writeAudit(w io.Writer, r manifest.Report, cfg *flow.Config, style text.CheckStyle) {
	format := "Microsoft Graph format"
	if r.Format == manifest.FormatAADGraph {
		format = "older Azure AD Graph format"
	}
	name := r.DisplayName
	if name == "" {
		name = "(no name)"
	}
	fmt.Fprintf(w, "Manifest of %q, %s", sanitize.Text(name), format)
	if cfg != nil {
		fmt.Fprintf(w, ", against config %q", cfg.Name)
	}
	fmt.Fprintln(w)
	for _, c := range r.Checks {
		fmt.Fprintln(w, style.Render(c))
	}
	probs := r.Problems()
	switch {
	case len(probs) == 0:
		fmt.Fprintln(w, "No problems found.")
	default:
		var fails, warns int
		for _, c := range probs {
			if c.Status == flow.Fail {
				fails++
			} else {
				warns++
			}
		}
		var parts []string
		if fails > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", fails, text.Plural(fails, "problem", "problems")))
		}
		if warns > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", warns, text.Plural(warns, "warning", "warnings")))
		}
		fmt.Fprintln(w, strings.Join(parts, ", ")+".")
	}
}

// readInput reads path ("-" is standard input) up to max bytes. Problems
// are EINVALID errors naming field, with fix.
func readInput(ctx context.Context, ios *IOStreams, path string, max int, field, fix string) ([]byte, error) {
	var r io.Reader
	if path == "-" {
		r = ios.In
	} else {
		// Stat before opening: opening a FIFO with no writer blocks in
		// open(2), where no signal handler can help. Only regular files
		// (and standard input) are read.
		st, err := os.Stat(path)
		if err != nil {
			msg := "cannot be read"
			switch {
			case os.IsNotExist(err):
				msg = "does not exist"
			case os.IsPermission(err):
				msg = "cannot be read: permission denied"
			}
			e := flow.Invalid(field, "%s %s", path, msg).WithFix("%s", fix)
			e.Err = err
			return nil, e
		}
		switch {
		case st.IsDir():
			return nil, flow.Invalid(field, "%s is a directory", path).WithFix("%s", fix)
		case !st.Mode().IsRegular():
			return nil, flow.Invalid(field, "%s is not a regular file (a pipe, device or socket)", path).
				WithFix("%s; to read a pipe, pass - and redirect it to standard input", fix)
		case st.Size() > int64(max):
			return nil, flow.Invalid(field, "%s is %d bytes, more than the %d byok reads", path, st.Size(), max).WithFix("%s", fix)
		}
		fh, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
		if err != nil {
			e := flow.Invalid(field, "%s cannot be read", path).WithFix("%s", fix)
			e.Err = err
			return nil, e
		}
		defer fh.Close()
		if st2, err := fh.Stat(); err != nil || !st2.Mode().IsRegular() {
			return nil, flow.Invalid(field, "%s is not a regular file", path).WithFix("%s", fix)
		}
		r = fh
	}
	data, err := readAllCtx(ctx, r, max)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		e := flow.Invalid(field, "%s cannot be read", path).WithFix("%s", fix)
		e.Err = err
		return nil, e
	}
	if len(data) > max {
		return nil, flow.Invalid(field, "%s holds more than the %d bytes byok reads", path, max).WithFix("%s", fix)
	}
	return data, nil
}

// auditLiveManifest signs an admin in to the config's directory and
// reads the app's registration from Graph by its app ID: the same JSON
// as the portal's Manifest download in the Microsoft Graph format.
func auditLiveManifest(ctx context.Context, opts *AuditOptions) ([]byte, error) {
	e, err := opts.AdminSignIn.endpoints()
	if err != nil {
		return nil, err
	}
	_, cfg, err := loadConfigInfo(readOnly(ctx), opts.Store, opts.Name)
	if err != nil {
		return nil, err
	}
	if !opts.directoryChanged {
		opts.Directory = cfg.DirectoryID
	}
	sess, err := opts.AdminSignIn.signIn(ctx, opts.IO, opts.Now, e, graph.ScopesFor(false, false))
	if err != nil {
		return nil, err
	}
	app, err := opts.AdminSignIn.client(e, sess).ApplicationByAppID(ctx, cfg.ClientID)
	if err != nil {
		return nil, graphFailure(err)
	}
	fmt.Fprintf(opts.IO.TextErr(), "Read the registration of %s from Microsoft Graph.\n", cfg.ClientID)
	return app.Raw, nil
}
