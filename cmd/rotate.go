package cmd

import (
	"context"
	"errors"
	"fmt"
	"github.com/hiveku/byok/ui/prompt"
	"github.com/hiveku/byok/ui/text"
	"io"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/flow/verify"
	"github.com/spf13/cobra"
)

// RotateOptions holds the dependencies and flag values of `byok rotate`.
type RotateOptions struct {
	IO    *IOStreams
	Store func(ctx context.Context) (flow.Store, error)
	Now   func() time.Time
	// Preflight checks the NEW secret with Microsoft before anything is
	// replaced (the verification engine's client-credentials check). Nil
	// means build one from AuthorityHost and Cloud.
	Preflight func(ctx context.Context, c flow.Config) flow.Check
	// Prompt asks for the new secret on a terminal.
	Prompt func(ctx context.Context, cfg flow.Config, a RotateAnswers) (RotateAnswers, error)

	Name          string
	SecretStdin   bool
	Description   string
	Expires       string
	SkipPreflight bool
	AuthorityHost string
	Cloud         string
	NoInput       bool
	// Accessible asks in plain lines (--accessible, BYOK_ACCESSIBLE).
	Accessible bool

	// Graph creates the new secret through Microsoft Graph (an admin
	// signs in) instead of taking one made in the portal.
	Graph bool
	// Admin is the sign-in for --graph (its AuthorityHost and Cloud come
	// from the flags above).
	Admin AdminSignIn
	// RemoveOld removes the old secret from the app without asking.
	RemoveOld bool
	// Confirm asks a yes/no question on the terminal (--graph).
	Confirm          func(ctx context.Context, title string, def bool) (bool, error)
	directoryChanged bool
}

// RotateAnswers are what the person gives for the new secret.
type RotateAnswers struct {
	Description string
	Expires     string
	Value       flow.Secret
}

// NewCmdRotate builds `byok rotate NAME`.
func NewCmdRotate(f *Factory) *cobra.Command {
	return newCmdRotate(f, nil)
}

// newRotateOptions returns rotate's options with its dependencies from f,
// the terminal's prompts for the new secret and for skipping a preflight
// Microsoft did not answer, and every flag at its default. The command
// binds its flags to them; the home screen's rotate runs them as they are.
func newRotateOptions(f *Factory) *RotateOptions {
	opts := &RotateOptions{IO: f.IO, Store: f.Store, Now: f.Now, Admin: AdminSignIn{Microsoft: realMicrosoft(f.getenv)},
		Accessible: f.getenv("BYOK_ACCESSIBLE") != ""}
	noColor := func() bool { return f.NoColor || !f.IO.ColorEnabled() }
	opts.Prompt = func(ctx context.Context, cfg flow.Config, a RotateAnswers) (RotateAnswers, error) {
		return rotatePrompt(ctx, f.IO, opts.Accessible, noColor(), opts.Now(), cfg, a)
	}
	opts.Confirm = func(ctx context.Context, title string, def bool) (bool, error) {
		return confirm(ctx, f.IO, opts.Accessible, noColor(), title, def)
	}
	return opts
}

func newCmdRotate(f *Factory, runF func(*RotateOptions) error) *cobra.Command {
	opts := newRotateOptions(f)
	var accessible bool
	c := &cobra.Command{
		Use:   "rotate NAME",
		Short: "Replace the client secret, keeping a history (never old values)",
		Long: "Walks you through creating a new client secret in the portal and takes its\n" +
			"value (masked on a terminal, or --secret-stdin). byok checks it (a Secret ID\n" +
			"is refused) and proves it with Microsoft by a client-credentials request\n" +
			"before the old one is replaced; if that fails, nothing changes. The history\n" +
			"keeps each old secret's description, hint and dates, never its value.\n\n" +
			"With --graph an admin signs in instead and byok adds the new secret through\n" +
			"Microsoft Graph, proves it, stores it sealed and then, once you confirm (or\n" +
			"with --remove-old), removes the old secret from the app.",
		Example: "  byok rotate \"Acme Hiveku\"\n" +
			"  byok rotate \"Acme Hiveku\" --graph\n" +
			"  printf '%s' \"$NEW_SECRET\" | byok rotate \"Acme Hiveku\" --secret-stdin --expires 24m",
		Args: exactName,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Name = args[0]
			opts.Accessible = opts.Accessible || accessible
			opts.directoryChanged = c.Flags().Changed("directory")
			if runF != nil {
				return runF(opts)
			}
			if opts.Graph {
				return rotateGraphRun(c.Context(), opts)
			}
			return rotateRun(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&opts.SecretStdin, "secret-stdin", opts.SecretStdin, "read the new secret VALUE from standard input")
	fl.StringVar(&opts.Description, "secret-description", opts.Description, "the description given in the portal (default: the current one, else \"Hiveku prod\")")
	fl.StringVar(&opts.Expires, "expires", opts.Expires, "the expiry chosen in the portal: a date (2028-12-31) or a lifetime (24m, 180d); default 24m")
	fl.BoolVar(&opts.SkipPreflight, "skip-preflight", opts.SkipPreflight, "replace the secret without checking it with Microsoft first")
	fl.StringVar(&opts.AuthorityHost, "authority-host", opts.AuthorityHost, "login host for the check, e.g. https://login.microsoftonline.us")
	fl.StringVar(&opts.Cloud, "cloud", opts.Cloud, "global, usgov or china")
	fl.BoolVar(&opts.NoInput, "no-input", opts.NoInput, "never prompt")
	fl.BoolVar(&accessible, "accessible", false, "screen-reader friendly prompts (also BYOK_ACCESSIBLE=1)")
	fl.BoolVar(&opts.Graph, "graph", opts.Graph, "create the new secret through Microsoft Graph (an admin signs in)")
	fl.BoolVar(&opts.RemoveOld, "remove-old", opts.RemoveOld, "with --graph: remove the old secret from the app without asking")
	fl.StringVar(&opts.Admin.GraphHost, "graph-host", opts.Admin.GraphHost, "with --graph: Microsoft Graph host, e.g. https://graph.microsoft.us or a simulator")
	fl.StringVar(&opts.Admin.Directory, "directory", opts.Admin.Directory, "with --graph: where the admin signs in (default: the config's directory)")
	fl.BoolVar(&opts.Admin.DeviceCode, "device-code", opts.Admin.DeviceCode, "with --graph: sign in with a code on another device")
	fl.BoolVar(&opts.Admin.NoBrowser, "no-browser", opts.Admin.NoBrowser, "with --graph: print the sign-in address instead of opening a browser")
	return c
}

// rotatePreflight builds the client-credentials check from the flags.
func rotatePreflight(opts *RotateOptions) (func(ctx context.Context, c flow.Config) flow.Check, error) {
	e, err := verify.CloudEndpoints(opts.Cloud)
	if err != nil {
		return nil, err
	}
	if h := strings.TrimSpace(opts.AuthorityHost); h != "" {
		if e.AuthorityHost, err = hostFlag("--authority-host", h); err != nil {
			return nil, err
		}
	}
	v := verify.NewVerifier()
	v.Endpoints = e
	v.Now = opts.Now
	return v.CheckSecret, nil
}

func rotateRun(ctx context.Context, opts *RotateOptions) error {
	preflight := opts.Preflight
	if preflight == nil && !opts.SkipPreflight {
		var err error
		if preflight, err = rotatePreflight(opts); err != nil {
			return err
		}
	}
	st, cfg, err := loadConfig(ctx, opts.Store, opts.Name)
	if err != nil {
		return err
	}
	now := opts.Now()

	a := RotateAnswers{Description: opts.Description, Expires: opts.Expires}
	if a.Description == "" {
		a.Description = cfg.SecretInfo.Description
	}
	if a.Description == "" {
		a.Description = flow.DefaultSecretDescription
	}
	if a.Expires == "" {
		a.Expires = flow.DefaultSecretLifetime
	}
	switch {
	case opts.SecretStdin:
		if a.Value, err = readSecret(opts.IO.In); err != nil {
			return err
		}
	case opts.IO.CanPrompt() && !opts.NoInput:
		if a, err = opts.Prompt(ctx, cfg, a); err != nil {
			return err
		}
	default:
		return flow.Invalid("secret value", "no terminal to ask for the new secret").
			WithFix("pipe the new Value on standard input: printf '%%s' \"$SECRET\" | byok rotate %s --secret-stdin", text.ShellQuote(cfg.Name))
	}

	next, warning, err := rotateInfo(a, cfg, now)
	if err != nil {
		return err
	}
	errOut := opts.IO.TextErr()
	if warning != "" {
		fmt.Fprintf(errOut, "warning: %s\n", sanitize.Text(warning))
	}
	info := next.SecretInfo

	if opts.SkipPreflight {
		fmt.Fprintln(errOut, "Not checking the new secret with Microsoft (--skip-preflight).")
	} else {
		fmt.Fprintf(errOut, "Checking the new secret with Microsoft (client credentials on %s)…\n", orDash(cfg.DirectoryID))
	check:
		ch := preflight(ctx, next)
		if err := ctx.Err(); err != nil {
			return err
		}
		w, _ := opts.IO.TerminalSize()
		if !opts.IO.IsStderrTTY() {
			w = text.Unlimited
		}
		fmt.Fprintln(errOut, text.CheckStyle{Width: w, Color: opts.IO.ColorEnabled(), Indent: "  "}.Render(ch))
		if ch.Status == flow.Fail {
			switch ch.Code {
			case 7000215:
				fmt.Fprintln(errOut, "      A secret created seconds ago can take a minute or two to work: try again shortly.")
				if opts.IO.CanPrompt() && !opts.NoInput && opts.Confirm != nil {
					// Keep what was pasted: checking it again in a
					// minute beats pasting it again (the portal shows it
					// only once).
					again, err := opts.Confirm(ctx, "Check the same secret again? Wait a minute first.", true)
					if err != nil {
						return err
					}
					if again {
						fmt.Fprintln(errOut, "Checking the new secret again…")
						goto check
					}
				}
			case 0:
				// Not Microsoft's verdict on the secret (no answer, proxy…).
				if opts.IO.CanPrompt() && !opts.NoInput && opts.Confirm != nil {
					// Keep what was pasted: the person may replace it
					// without the check rather than paste it again.
					skip, err := opts.Confirm(ctx, "Microsoft could not be asked. Replace the secret without this check?", false)
					if err != nil {
						return err
					}
					if skip {
						goto replace
					}
				}
				// The whole command: from the home screen there are no
				// flags to add "again".
				fmt.Fprintf(errOut, "      To replace the secret without this check: byok rotate %s --skip-preflight\n", text.ShellQuote(cfg.Name))
			}
			fmt.Fprintf(errOut, "Nothing was replaced: %q keeps its current secret (%s).\n", cfg.Name, sanitize.Line(hintOrNone(cfg.SecretInfo)))
			return ErrSilent
		}
	}

replace:
	if err := st.RotateSecret(ctx, cfg.Name, next.Secret, info); err != nil {
		return fmt.Errorf("rotate secret: %w", err)
	}
	writeRotated(opts.IO.Text(), cfg, info, now)
	return nil
}

// rotateInfo runs the wizard's secret step on the answers for a new
// secret (flow.StepSecret with NewSecret: a value is required and must
// differ from cur's) and returns cur with the new secret, and the
// warning, if any.
func rotateInfo(a RotateAnswers, cur flow.Config, now time.Time) (flow.Config, string, error) {
	next, warns, err := flow.StepSecret.Def().Submit(flow.Answers{
		SecretDescription: a.Description,
		SecretExpires:     a.Expires,
		SecretValue:       a.Value,
	}, cur, flow.StepEnv{Now: now, NewSecret: true})
	if err != nil {
		return cur, "", err
	}
	var warning string
	for _, w := range warns {
		warning = w.Message
	}
	return next, warning, nil
}

func hintOrNone(s flow.SecretInfo) string {
	if s.Missing || s.Hint == "" {
		return "none saved"
	}
	return s.Hint
}

// writeRotated prints the outcome and what the admin must do next.
func writeRotated(w io.Writer, old flow.Config, info flow.SecretInfo, now time.Time) {
	days := info.DaysLeft(now)
	fmt.Fprintf(w, "Rotated the client secret of %q: %s → %s,\nexpires %s (in %d %s).\n",
		old.Name, hintOrNone(old.SecretInfo), info.Hint, day(info.Expires), days, text.Plural(days, "day", "days"))
	fmt.Fprintln(w, "Now:")
	fmt.Fprintln(w, "  1. Paste the new Value into Hiveku > Settings > OAuth Apps for this app.")
	fmt.Fprintln(w, "  2. Users may need to reconnect their Outlook connection once.")
	if !old.SecretInfo.Missing && old.SecretInfo.Hint != "" {
		fmt.Fprintf(w, "  3. Once Hiveku uses the new secret, delete the old one (%s) in the portal:\n", old.SecretInfo.Hint)
	} else {
		fmt.Fprintln(w, "  3. Once Hiveku uses the new secret, delete the old one in the portal:")
	}
	fmt.Fprintln(w, "     App registrations > your app > Certificates & secrets.")
	fmt.Fprintf(w, "byok show %s lists the secret history.\n", text.ShellQuote(old.Name))
}

// rotatePrompt asks for the new secret: where to create it in the portal,
// its description and expiry, and the value, masked.
func rotatePrompt(ctx context.Context, ios *IOStreams, accessible, noColor bool, now time.Time, cfg flow.Config, a RotateAnswers) (RotateAnswers, error) {
	var value string
	step := flow.StepSecret.Def()
	check := func(key string) func(string) error {
		f, _ := step.Field(key)
		env := flow.StepEnv{Now: now}
		return func(v string) error { return f.Check(v, flow.Answers{}, env) }
	}
	// One paragraph: huh wraps it to the terminal's width.
	steps := "In the Azure portal open App registrations > " + cfg.Name + " > Certificates & secrets > " +
		"Client secrets > New client secret. Give it a description and an expiry, click " +
		"Add, then copy the Value column (not the Secret ID): it is shown only once."
	err := prompter(ctx, ios, accessible, noColor).Form(ctx, fmt.Sprintf("New client secret for %q", cfg.Name), steps,
		prompt.Field{Title: "Description", Hint: "as typed in the portal", Value: &a.Description,
			Validate: check(flow.FieldSecretDescription)},
		prompt.Field{Title: "Expires", Hint: "as chosen in the portal: 24m, 12m, 180d or a date such as 2028-12-31",
			Value: &a.Expires, Validate: check(flow.FieldSecretExpiry)},
		prompt.Field{Title: "Secret value", Hint: "paste the Value; it stays hidden", Value: &value, Secret: true,
			Validate: check(flow.FieldSecretValue)},
	)
	if errors.Is(err, prompt.ErrAborted) {
		return a, ErrAborted
	}
	if err != nil {
		return a, fmt.Errorf("ask for the new secret: %w", err)
	}
	a.Value = flow.Secret(value)
	return a, nil
}
