package cmd

import (
	"context"
	"errors"
	"fmt"
	"github.com/hiveku/byok/ui/prompt"
	"github.com/hiveku/byok/ui/text"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui"
	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// SetupOptions holds the dependencies and flag values of `byok setup`.
type SetupOptions struct {
	IO     *IOStreams
	Store  func(ctx context.Context) (flow.Store, error)
	Now    func() time.Time
	Getenv func(string) string
	// Permissions returns the Graph delegated permission catalog.
	Permissions func() ([]flow.Permission, error)
	// Confirm asks a yes/no question on the terminal.
	Confirm func(ctx context.Context, title string, def bool) (bool, error)
	// Wizard runs the interactive wizard, resuming draft when not nil.
	Wizard func(ctx context.Context, opts *SetupOptions, draft *flow.Draft) error
	// Verify runs the live check at the wizard's last step; nil offers
	// "verify later" only (the lead wires the engine).
	Verify flow.VerifyFunc

	// AskHow asks the wizard's first question, portal or create (nil:
	// always the portal steps).
	AskHow func(ctx context.Context, opts *SetupOptions) (string, error)
	// Create is the "Create it for me" path (byok create on this
	// terminal).
	Create func(ctx context.Context, opts *SetupOptions) error

	// Interactive is true when the wizard runs: a terminal, no --no-input
	// and no --secret-stdin.
	Interactive bool

	NoInput             bool
	Name                string
	AccountType         string
	RedirectURI         string
	AllowCustomRedirect bool
	Scopes              string
	ClientID            string
	DirectoryID         string
	Tenant              string
	SecretStdin         bool
	Secret              flow.Secret
	SecretDescription   string
	SecretExpires       string
	AddLoopback         bool
	Replace             bool
	Resume              string
	Accessible          bool
	NoColor             bool

	// changed reports whether a flag was given on the command line; the
	// wizard starts pre-filled with those values.
	changed func(flag string) bool
}

// Defaults of the flags: the wizard's (flow.DefaultAnswers).
var (
	defaultAccountType       = flow.DefaultAccountType.Short()
	defaultScopes            = flow.DefaultScopePreset
	defaultSecretDescription = flow.DefaultSecretDescription
	defaultSecretExpires     = flow.DefaultSecretLifetime
)

// maxSecretInput bounds what --secret-stdin reads: a client secret is
// about 40 characters, so anything near this is a mistake.
const maxSecretInput = 64 << 10

// newSetupOptions copies f's dependencies into fresh options with the
// flag defaults.
func newSetupOptions(f *Factory) *SetupOptions {
	opts := &SetupOptions{
		IO:                f.IO,
		Store:             f.Store,
		Now:               f.Now,
		Getenv:            f.getenv,
		Permissions:       defaultPermissions,
		AccountType:       defaultAccountType,
		RedirectURI:       flow.HivekuRedirectURI,
		Scopes:            defaultScopes,
		SecretDescription: defaultSecretDescription,
		SecretExpires:     defaultSecretExpires,
	}
	opts.Confirm = huhConfirm(opts)
	opts.Wizard = runWizard
	opts.Verify = f.Verify
	opts.AskHow, opts.Create = askHow, createFromWizard(f)
	return opts
}

// NewCmdSetup builds `byok setup`. runF replaces setupRun in tests.
func NewCmdSetup(f *Factory, runF func(*SetupOptions) error) *cobra.Command {
	opts := newSetupOptions(f)
	c := &cobra.Command{
		Use:   "setup [flags]",
		Short: "Register an app step by step (the wizard), or from flags",
		Long: "Walks through the Azure portal steps and saves the app's configuration.\n\n" +
			"On a terminal it runs the wizard. With --no-input, or when standard input is\n" +
			"not a terminal, every value comes from flags (defaults: account type\n" +
			"multi-personal, Hiveku's redirect URI, scopes full, secret description\n" +
			"\"Hiveku prod\", expiry 24m, tenant by account type); the secret value is read\n" +
			"from standard input with --secret-stdin. Any invalid value exits with status 2\n" +
			"and stores nothing.",
		Example: "  byok setup\n" +
			"  byok setup --resume \"Acme Hiveku\"\n" +
			"  printf '%s' \"$SECRET\" | byok setup --no-input --name \"Acme Hiveku\" \\\n" +
			"      --client-id 11111111-2222-3333-4444-555555555555 \\\n" +
			"      --directory-id 66666666-7777-8888-9999-000000000000 --secret-stdin",
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef(c, "setup takes no arguments; pass the app name with --name")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			opts.applyEnv(f)
			if opts.SecretStdin {
				s, err := readSecretInput(opts.IO)
				if err != nil {
					return err
				}
				opts.Secret = s
			}
			opts.changed = c.Flags().Changed
			opts.Interactive = opts.IO.CanPrompt() && !opts.NoInput && !opts.SecretStdin
			if opts.Resume != "" && !opts.Interactive {
				return flow.Invalid("--resume", "resuming a draft needs the wizard on a terminal").
					WithFix("run byok setup --resume %s in a terminal, or pass every value as flags with --no-input", text.ShellQuote(opts.Resume))
			}
			if runF != nil {
				return runF(opts)
			}
			return setupRun(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&opts.NoInput, "no-input", false, "never prompt: take every value from flags")
	fl.StringVar(&opts.Name, "name", "", "display name of the Azure app, e.g. \"Acme Hiveku\"")
	fl.StringVar(&opts.AccountType, "account-type", defaultAccountType, "supported account types: single, multi, multi-personal or personal")
	fl.StringVar(&opts.RedirectURI, "redirect-uri", flow.HivekuRedirectURI, "Web redirect URI")
	fl.BoolVar(&opts.AllowCustomRedirect, "allow-custom-redirect", false, "accept a redirect URI other than Hiveku's (staging, self-hosted)")
	fl.StringVar(&opts.Scopes, "scopes", defaultScopes, "Graph delegated permissions, a,b,c or a preset: full, read, send-only")
	fl.StringVar(&opts.ClientID, "client-id", "", "Application (client) ID from the app's Overview page")
	fl.StringVar(&opts.DirectoryID, "directory-id", "", "Directory (tenant) ID from the app's Overview page")
	fl.StringVar(&opts.Tenant, "tenant", "", "tenant Hiveku uses: common, organizations, consumers, the directory ID or a domain (default by account type)")
	fl.BoolVar(&opts.SecretStdin, "secret-stdin", false, "read the client secret VALUE from standard input")
	fl.StringVar(&opts.SecretDescription, "secret-description", defaultSecretDescription, "client secret description, as entered in the portal")
	fl.StringVar(&opts.SecretExpires, "secret-expires", defaultSecretExpires, "client secret expiry: a date (2028-11-27) or months (24m)")
	fl.BoolVar(&opts.AddLoopback, "add-loopback", false, "also register http://localhost (Web) so byok verify can catch the code itself")
	fl.BoolVar(&opts.Replace, "replace", false, "overwrite a saved config of the same name")
	fl.StringVar(&opts.Resume, "resume", "", "continue the interrupted wizard draft `NAME`")
	fl.BoolVar(&opts.Accessible, "accessible", false, "screen-reader friendly prompts (also BYOK_ACCESSIBLE=1)")
	return c
}

// applyEnv folds the global --no-color, NO_COLOR and BYOK_ACCESSIBLE
// into opts.
func (opts *SetupOptions) applyEnv(f *Factory) {
	opts.NoColor = opts.NoColor || f.NoColor || opts.Getenv("NO_COLOR") != ""
	if !opts.Accessible {
		opts.Accessible, _ = strconv.ParseBool(opts.Getenv("BYOK_ACCESSIBLE"))
	}
}

// readSecretInput reads --secret-stdin's value. On a terminal it asks
// for it without echo (one line) instead of waiting silently for end of
// input; otherwise it reads the pipe to its end.
func readSecretInput(ios *IOStreams) (flow.Secret, error) {
	if f, ok := ios.In.(*os.File); ok && ios.IsStdinTTY() {
		fmt.Fprint(ios.ErrOut, "Client secret value (not shown): ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(ios.ErrOut)
		if err != nil {
			return "", fmt.Errorf("read secret from terminal: %w", err)
		}
		return flow.Secret(strings.TrimSpace(string(b))), nil
	}
	return readSecret(ios.In)
}

// readSecret reads the secret value from r to end of input and trims the
// surrounding whitespace (a trailing newline from echo or a file).
func readSecret(r io.Reader) (flow.Secret, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSecretInput+1))
	if err != nil {
		return "", fmt.Errorf("read secret from stdin: %w", err)
	}
	if len(b) > maxSecretInput {
		return "", flow.Invalid("secret value", "standard input holds more than %d bytes", maxSecretInput).
			WithFix("pipe only the secret's Value, e.g. printf '%%s' \"$SECRET\" | byok setup --secret-stdin …")
	}
	return flow.Secret(strings.TrimSpace(string(b))), nil
}

// setupRun runs the wizard or, without a terminal, builds the config from
// the flags, validates every value and saves it.
func setupRun(ctx context.Context, opts *SetupOptions) error {
	if opts.Interactive {
		return setupInteractive(ctx, opts)
	}
	// Validate every value before touching the database, so that bad
	// input does not even create the file.
	c, warnings, err := configFromFlags(opts)
	if err != nil {
		return err
	}
	st, err := opts.Store(ctx)
	if err != nil {
		return err
	}
	if err := st.SaveConfig(ctx, c, opts.Replace); err != nil {
		if flow.ErrorCode(err) == flow.ECONFLICT {
			return nameTaken(c.Name)
		}
		return fmt.Errorf("save config: %w", err)
	}
	errOut := opts.IO.TextErr()
	for _, w := range warnings {
		fmt.Fprintf(errOut, "warning: %s\n", sanitize.Text(w))
	}
	out := opts.IO.Text()
	fmt.Fprintf(out, "✓ Saved %q\n", c.Name)
	writeConfigDetails(out, c, opts.Now())
	fmt.Fprintf(out, "\nNext: check it with a live consent test:\n  byok verify %s\n", text.ShellQuote(c.Name))
	fmt.Fprintf(out, "\n%s\n", ui.InHiveku)
	return nil
}

// nameTaken is the error for a saved name without --replace.
func nameTaken(name string) error {
	return flow.Invalid("name", "a config named %q exists", name).
		WithFix("pass --replace to overwrite it or choose another --name")
}

// missingFlag is the error for a required flag left out when byok cannot
// prompt.
func missingFlag(flag, fix string) error {
	return flow.Invalid(flag, "required when byok cannot prompt").WithFix("%s", fix)
}

// configFromFlags builds and validates the config from opts by running
// the wizard's steps (flow.StepID.Def) on the answers the flags give; the
// first problem is returned as an EINVALID error naming the field. It
// also returns the steps' warnings. A required value whose flag is
// missing is reported at its step, naming the flag. Whether the name is
// taken is the caller's check (it needs the store).
func configFromFlags(opts *SetupOptions) (flow.Config, []string, error) {
	catalog, err := opts.Permissions()
	if err != nil {
		return flow.Config{}, nil, fmt.Errorf("load permission catalog: %w", err)
	}
	a := opts.answers()
	env := flow.StepEnv{Now: opts.Now(), Permissions: catalog, AllowCustomRedirect: opts.AllowCustomRedirect}
	var c flow.Config
	var warnings []string
	for _, id := range flow.Steps {
		if id == flow.StepVerify {
			break
		}
		if err := opts.missing(id, a); err != nil {
			return flow.Config{}, nil, err
		}
		var warns []flow.Warning
		if c, warns, err = id.Def().Submit(a, c, env); err != nil {
			return flow.Config{}, nil, err
		}
		for _, w := range warns {
			warnings = append(warnings, w.String())
		}
	}
	return c, warnings, nil
}

// answers are the wizard's answers as the flags give them.
func (opts *SetupOptions) answers() flow.Answers {
	return flow.Answers{
		Name:              opts.Name,
		AccountType:       opts.AccountType,
		RedirectURI:       opts.RedirectURI,
		CustomRedirect:    opts.AllowCustomRedirect,
		Loopback:          opts.AddLoopback,
		Scopes:            opts.Scopes,
		SecretDescription: opts.SecretDescription,
		SecretExpires:     opts.SecretExpires,
		SecretValue:       opts.Secret,
		ClientID:          opts.ClientID,
		DirectoryID:       opts.DirectoryID,
		Tenant:            opts.Tenant,
	}
}

// missing reports a value step id needs that no flag gave: without a
// terminal there is nobody to ask, so the error names the flag.
func (opts *SetupOptions) missing(id flow.StepID, a flow.Answers) error {
	switch id {
	case flow.StepName:
		if strings.TrimSpace(a.Name) == "" {
			return missingFlag("--name", `pass --name "Acme Hiveku" (the app's display name in Azure)`)
		}
	case flow.StepSecret:
		if !opts.SecretStdin {
			return missingFlag("--secret-stdin",
				"pipe the client secret's Value on standard input with --secret-stdin (it is never taken as a flag)")
		}
		if a.SecretValue.IsZero() {
			return flow.Invalid("secret value", "standard input was empty").
				WithFix("pipe the secret's Value (Certificates & secrets > Client secrets), e.g. printf '%%s' \"$SECRET\" | byok setup --secret-stdin …")
		}
	case flow.StepTenant:
		if strings.TrimSpace(a.ClientID) == "" {
			return missingFlag("--client-id", "pass --client-id with the Application (client) ID from the app's Overview page")
		}
		if strings.TrimSpace(a.DirectoryID) == "" {
			return missingFlag("--directory-id", "pass --directory-id with the Directory (tenant) ID from the app's Overview page")
		}
	}
	return nil
}

// setupInteractive offers to resume a draft, then runs the wizard.
func setupInteractive(ctx context.Context, opts *SetupOptions) error {
	st, err := opts.Store(ctx)
	if err != nil {
		return err
	}
	var draft *flow.Draft
	if opts.Resume != "" {
		d, err := st.FindDraft(ctx, opts.Resume)
		if flow.ErrorCode(err) == flow.ENOTFOUND {
			return flow.Invalid("--resume", "no draft named %q", opts.Resume).
				WithFix("%s", draftHint(ctx, st))
		}
		if err != nil {
			return fmt.Errorf("find draft: %w", err)
		}
		draft = &d
	} else {
		drafts, err := st.ListDrafts(ctx)
		if err != nil {
			return fmt.Errorf("list drafts: %w", err)
		}
		if len(drafts) > 0 {
			d := drafts[0]
			title := fmt.Sprintf("Resume %q (stopped after step %d, %s)?", d.Config.Name, d.Step.Number(), d.Step.Title())
			keys := " ←/→ choose, enter answers, ctrl+c quits."
			if opts.Accessible || opts.IO.DumbTerminal() {
				keys = "" // plain prompts: the question says how to answer
			}
			fmt.Fprintf(opts.IO.ErrOut, "An interrupted setup was found.\n%s\n\n", text.Wrap(fmt.Sprintf(
				"Yes continues it with its answers filled in; No starts a new setup and keeps the draft (byok setup --resume %s later).%s",
				text.ShellQuote(d.Config.Name), keys), opts.IO.TextWidth()))
			yes, err := opts.Confirm(ctx, title, true)
			if err != nil {
				return err
			}
			if yes {
				draft = &d
			}
		}
	}
	if draft == nil {
		draft = prefillDraft(opts)
	}
	return opts.Wizard(ctx, opts, draft)
}

// prefillDraft turns the flags given with an interactive `byok setup`
// into a draft with no completed step, so the wizard starts at step 1
// with those answers filled in (and still checks each one). It returns
// nil when no value flag was given.
func prefillDraft(opts *SetupOptions) *flow.Draft {
	if opts.changed == nil {
		return nil
	}
	var c flow.Config
	given := false
	set := func(flag string, apply func()) {
		if opts.changed(flag) {
			apply()
			given = true
		}
	}
	set("name", func() { c.Name = strings.TrimSpace(opts.Name) })
	set("account-type", func() { c.AccountType, _ = flow.ParseAccountType(opts.AccountType) })
	set("redirect-uri", func() {
		c.RedirectURI = opts.RedirectURI
		c.CustomRedirect = opts.AllowCustomRedirect && opts.RedirectURI != flow.HivekuRedirectURI
	})
	set("scopes", func() {
		if catalog, err := opts.Permissions(); err == nil {
			c.Scopes, _ = flow.ParseScopes(opts.Scopes, catalog)
		}
	})
	set("secret-description", func() { c.SecretInfo.Description = opts.SecretDescription })
	set("secret-expires", func() { c.SecretInfo.Expires, _, _ = flow.ParseExpiry(opts.SecretExpires, opts.Now()) })
	set("client-id", func() { c.ClientID = strings.TrimSpace(opts.ClientID) })
	set("directory-id", func() { c.DirectoryID = strings.TrimSpace(opts.DirectoryID) })
	set("tenant", func() { c.Tenant = strings.TrimSpace(opts.Tenant) })
	set("add-loopback", func() { c.Loopback = opts.AddLoopback })
	if !given {
		return nil
	}
	return &flow.Draft{Config: c, UpdatedAt: opts.Now()}
}

// draftHint lists the saved drafts for a --resume mistake.
func draftHint(ctx context.Context, st flow.Store) string {
	drafts, err := st.ListDrafts(ctx)
	if err != nil || len(drafts) == 0 {
		return "there are no drafts; run byok setup to start the wizard"
	}
	names := make([]string, len(drafts))
	for i, d := range drafts {
		names[i] = strconv.Quote(d.Config.Name)
	}
	return "drafts: " + strings.Join(names, ", ")
}

// huhConfirm returns a yes/no prompt drawn on stderr, honouring
// --accessible and colour settings at call time.
func huhConfirm(opts *SetupOptions) func(ctx context.Context, title string, def bool) (bool, error) {
	return func(ctx context.Context, title string, def bool) (bool, error) {
		return confirm(ctx, opts.IO, opts.Accessible, opts.NoColor || !opts.IO.ColorEnabled(), title, def)
	}
}

// promptInput is the input of a huh form: in accessible mode, wrapped so
// that Ctrl+C ends a pending answer at once (see ui.AccessibleInput).
func promptInput(ctx context.Context, ios *IOStreams, accessible bool) io.Reader {
	if accessible {
		return ui.AccessibleInput(ctx, ios.In)
	}
	return ios.In
}

// prompter is the ui prompter on the terminal: plain lines in
// accessible mode and on TERM=dumb, a huh form otherwise, on stderr.
func prompter(ctx context.Context, ios *IOStreams, accessible, noColor bool) prompt.Prompter {
	w, _ := ios.TerminalSize()
	return prompt.Prompter{In: promptInput(ctx, ios, accessible), Out: ios.ErrOut,
		Accessible: accessible, Plain: ios.DumbTerminal(), NoColor: noColor, Width: w}
}

// confirm asks title on the terminal and returns the answer.
func confirm(ctx context.Context, ios *IOStreams, accessible, noColor bool, title string, def bool) (bool, error) {
	v, err := prompter(ctx, ios, accessible, noColor).Confirm(ctx, title, def)
	if errors.Is(err, prompt.ErrAborted) {
		return false, ErrAborted
	}
	if err != nil {
		return false, fmt.Errorf("ask %q: %w", title, err)
	}
	return v, nil
}

// runWizard runs the interactive wizard (package ui) on the terminal,
// drawing on stderr, and prints where to go next once it saved.
func runWizard(ctx context.Context, opts *SetupOptions, draft *flow.Draft) error {
	if draft == nil && opts.AskHow != nil && opts.Create != nil {
		how, err := opts.AskHow(ctx, opts)
		if err != nil {
			return err
		}
		if how == howCreate {
			return opts.Create(ctx, opts)
		}
	}
	st, err := opts.Store(ctx)
	if err != nil {
		return err
	}
	catalog, err := opts.Permissions()
	if err != nil {
		return fmt.Errorf("load permission catalog: %w", err)
	}
	w, h := opts.IO.TerminalSize()
	c, err := ui.RunWizard(ctx, ui.WizardOptions{
		Store:               st,
		Permissions:         catalog,
		Help:                assets.StepHelp,
		Draft:               draft,
		Now:                 opts.Now,
		AllowCustomRedirect: opts.AllowCustomRedirect,
		AddLoopback:         opts.AddLoopback,
		Verify:              opts.Verify,
		Doctor:              wizardDoctor(),
		Accessible:          opts.Accessible,
		NoColor:             opts.NoColor || !opts.IO.ColorEnabled(),
		In:                  opts.IO.In,
		Out:                 opts.IO.ErrOut,
		Width:               w,
		Height:              h,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(opts.IO.Text(), "✓ Saved %q. See it with byok show %s; check it with byok verify %s\n",
		c.Name, text.ShellQuote(c.Name), text.ShellQuote(c.Name))
	return nil
}

// isUIAbort reports whether err is the wizard's own cancellation.
func isUIAbort(err error) bool { return errors.Is(err, ui.ErrAborted) }

// defaultPermissions is the Graph delegated permission catalog.
func defaultPermissions() ([]flow.Permission, error) { return assets.Permissions() }
