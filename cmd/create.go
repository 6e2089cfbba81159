package cmd

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/graph"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/flow/verify"
	"github.com/spf13/cobra"
)

// CreateOptions holds the dependencies and flag values of `byok create`.
type CreateOptions struct {
	IO          *IOStreams
	Store       func(ctx context.Context) (flow.Store, error)
	Now         func() time.Time
	Getenv      func(string) string
	Permissions func() ([]flow.Permission, error)
	// Confirm asks a yes/no question on the terminal.
	Confirm func(ctx context.Context, title string, def bool) (bool, error)
	// AskName asks the app's name on a terminal when --name is missing.
	AskName func(ctx context.Context) (string, error)
	// AdminSignIn is the admin's sign-in and the Microsoft side.
	AdminSignIn
	// Verifier returns the verification engine (as `byok verify`).
	Verifier func() *verify.Verifier

	Interactive bool

	NoInput             bool
	Name                string
	AccountType         string
	RedirectURI         string
	AllowCustomRedirect bool
	Scopes              string
	SecretDescription   string
	SecretExpires       string
	AddLoopback         bool
	Tenant              string
	GrantAdminConsent   bool
	IfExists            string
	Resume              string
	Delete              bool
	Yes                 bool
	NoVerify            bool
}

// NewCmdCreate builds `byok create`.
func NewCmdCreate(f *Factory) *cobra.Command { return newCmdCreate(f, nil) }

func newCmdCreate(f *Factory, runF func(*CreateOptions) error) *cobra.Command {
	opts := &CreateOptions{
		IO: f.IO, Store: f.Store, Now: f.Now, Getenv: f.getenv, Permissions: defaultPermissions,
		AdminSignIn: AdminSignIn{Microsoft: realMicrosoft(f.getenv)}, Verifier: verifyEngine(f),
	}
	c := &cobra.Command{
		Use:   "create [flags]",
		Short: "Register the app through Microsoft Graph after an admin signs in",
		Long: "create does the portal's work for you: an administrator signs in (in a browser,\n" +
			"or with --device-code on a machine without one) with Microsoft's own\n" +
			"\"Microsoft Graph Command Line Tools\" app, and byok registers the app with the\n" +
			"same answers as setup (name, account types, Hiveku's Web redirect URI, the\n" +
			"Graph permissions), creates its service principal and a client secret, seals\n" +
			"the secret in its database the moment Microsoft returns it, and runs verify.\n\n" +
			"It asks only for Application.ReadWrite.All, plus\n" +
			"DelegatedPermissionGrant.ReadWrite.All with --grant-admin-consent (consent\n" +
			"for every user of the directory). Tokens stay in memory.\n\n" +
			"If something fails after the app exists, byok says what exists; finish with\n" +
			"--resume NAME, or remove the app with --resume NAME --delete.",
		Example: "  byok create --name \"Acme Hiveku\"\n" +
			"  byok create --no-input --name \"Acme Hiveku\" --account-type single --add-loopback\n" +
			"  byok create --device-code --grant-admin-consent --name \"Acme Hiveku\"\n" +
			"  byok create --resume \"Acme Hiveku\"",
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Interactive = opts.IO.CanPrompt() && !opts.NoInput
			if opts.Confirm == nil {
				noColor := f.NoColor || !f.IO.ColorEnabled()
				opts.Confirm = func(ctx context.Context, title string, def bool) (bool, error) {
					return confirm(ctx, f.IO, false, noColor, title, def)
				}
			}
			if opts.AskName == nil {
				noColor := f.NoColor || !f.IO.ColorEnabled()
				opts.AskName = func(ctx context.Context) (string, error) { return askAppName(ctx, f.IO, false, noColor) }
			}
			if runF != nil {
				return runF(opts)
			}
			return createRun(c.Context(), opts)
		},
	}
	fl := c.Flags()
	fl.BoolVar(&opts.NoInput, "no-input", false, "never prompt: take every value from flags")
	fl.StringVar(&opts.Name, "name", "", "display name of the app, e.g. \"Acme Hiveku\"")
	fl.StringVar(&opts.AccountType, "account-type", flow.DefaultAccountType.Short(), "supported account types: single, multi, multi-personal or personal")
	fl.StringVar(&opts.RedirectURI, "redirect-uri", flow.HivekuRedirectURI, "Web redirect URI")
	fl.BoolVar(&opts.AllowCustomRedirect, "allow-custom-redirect", false, "accept a redirect URI other than Hiveku's (staging, self-hosted)")
	fl.StringVar(&opts.Scopes, "scopes", flow.DefaultScopePreset, "Graph delegated permissions, a,b,c or a preset: full, read, send-only")
	fl.StringVar(&opts.SecretDescription, "secret-description", flow.DefaultSecretDescription, "client secret description")
	fl.StringVar(&opts.SecretExpires, "secret-expires", flow.DefaultSecretLifetime, "client secret expiry: a date (2028-11-27) or months (24m)")
	fl.BoolVar(&opts.AddLoopback, "add-loopback", false, "also register http://localhost (Web) so byok verify can catch the code itself")
	fl.StringVar(&opts.Tenant, "tenant", "", "tenant Hiveku uses (default by account type)")
	fl.BoolVar(&opts.GrantAdminConsent, "grant-admin-consent", false, "also grant the permissions for every user of the directory")
	fl.StringVar(&opts.IfExists, "if-exists", "ask", "when the directory already has an app of that name: ask, reuse (add a secret to it) or new (create another)")
	fl.StringVar(&opts.Resume, "resume", "", "finish a create that stopped half-way for `NAME`")
	fl.BoolVar(&opts.Delete, "delete", false, "with --resume: delete the half-made app from the directory instead")
	fl.BoolVar(&opts.Yes, "yes", false, "with --delete: do not ask for confirmation")
	fl.BoolVar(&opts.NoVerify, "no-verify", false, "save the config without running verify")
	opts.AdminSignIn.addFlags(fl, "common")
	return c
}

// plan checks the answers as the wizard's steps do (name to permissions,
// then the secret's description and expiry; Graph makes the value).
func (o *CreateOptions) plan() (graph.Plan, error) {
	catalog, err := o.Permissions()
	if err != nil {
		return graph.Plan{}, fmt.Errorf("load permission catalog: %w", err)
	}
	if strings.TrimSpace(o.Name) == "" {
		return graph.Plan{}, missingFlag("--name", `pass --name "Acme Hiveku" (the app's display name in the directory)`)
	}
	a := flow.Answers{
		Name: o.Name, AccountType: o.AccountType, RedirectURI: o.RedirectURI,
		CustomRedirect: o.AllowCustomRedirect, Loopback: o.AddLoopback, Scopes: o.Scopes,
		SecretDescription: o.SecretDescription, SecretExpires: o.SecretExpires,
	}
	env := flow.StepEnv{Now: o.Now(), Permissions: catalog, AllowCustomRedirect: o.AllowCustomRedirect}
	var c flow.Config
	for _, id := range []flow.StepID{flow.StepName, flow.StepAccountType, flow.StepRedirect, flow.StepPermissions} {
		if c, _, err = id.Def().Submit(a, c, env); err != nil {
			return graph.Plan{}, err
		}
	}
	desc := strings.TrimSpace(o.SecretDescription)
	if err := flow.ValidateSecretDescription(desc); err != nil {
		return graph.Plan{}, err
	}
	expires, _, err := flow.ParseExpiry(o.SecretExpires, o.Now())
	if err != nil {
		return graph.Plan{}, err
	}
	c.SecretInfo = flow.SecretInfo{Description: desc, Expires: expires}
	c.Tenant = strings.TrimSpace(o.Tenant)
	ids, err := permissionIDs(c.Scopes, catalog)
	if err != nil {
		return graph.Plan{}, err
	}
	return graph.Plan{Config: c, PermissionIDs: ids, GrantAdminConsent: o.GrantAdminConsent}, nil
}

// permissionIDs maps scope names to the catalog's permission IDs.
func permissionIDs(scopes []string, catalog []flow.Permission) ([]string, error) {
	var ids []string
	for _, s := range scopes {
		found := false
		for _, p := range catalog {
			if strings.EqualFold(p.Name, s) && p.ID != "" {
				ids = append(ids, p.ID)
				found = true
				break
			}
		}
		if !found {
			return nil, flow.Invalid("scopes", "byok has no permission ID for %q", s).
				WithFix("choose permissions from byok's catalog (byok setup lists them)")
		}
	}
	return ids, nil
}

func createRun(ctx context.Context, o *CreateOptions) error {
	e, err := o.endpoints()
	if err != nil {
		return err
	}
	switch o.IfExists {
	case "ask", "reuse", "new":
	default:
		return flow.Invalid("--if-exists", "%q is not ask, reuse or new", o.IfExists).WithFix("use --if-exists reuse or --if-exists new")
	}
	if o.Delete && o.Resume == "" {
		return flow.Invalid("--delete", "needs --resume NAME").WithFix("name the half-made app: byok create --resume NAME --delete")
	}
	if o.DeviceCode && o.NoBrowser {
		o.NoBrowser = false // nothing to open either way
	}
	// Check every answer before anyone signs in.
	var p graph.Plan
	if o.Resume == "" && strings.TrimSpace(o.Name) == "" && o.Interactive && o.AskName != nil {
		if o.Name, err = o.AskName(ctx); err != nil {
			return err
		}
	}
	if o.Resume == "" {
		if p, err = o.plan(); err != nil {
			return err
		}
	}
	st, err := o.Store(ctx)
	if err != nil {
		return err
	}
	if o.Resume != "" {
		if p, err = o.resumePlan(ctx, st); err != nil {
			return err
		}
	} else if c, err := st.FindConfig(ctx, p.Config.Name); err == nil {
		return flow.Invalid("name", "a config named %q exists, for app %s", c.Name, c.ClientID).
			WithFix("check it with byok verify %s, renew its secret with byok rotate %s --graph, or choose another --name", shellQuote(c.Name), shellQuote(c.Name))
	} else if flow.ErrorCode(err) != flow.ENOTFOUND {
		return fmt.Errorf("look for config: %w", err)
	}

	sess, err := o.AdminSignIn.signIn(ctx, o.IO, o.Now, e, graph.ScopesFor(true, o.GrantAdminConsent))
	if err != nil {
		return err
	}
	gc := &graph.Client{HTTP: o.Microsoft.HTTP, Host: e.GraphHost, Session: sess}
	out := o.IO.ErrOut

	if o.Delete {
		return o.deleteHalfMade(ctx, st, gc, p)
	}
	if p.Config.ClientID == "" {
		if err := o.checkExisting(ctx, gc, &p); err != nil {
			return err
		}
	} else if !strings.EqualFold(p.Config.DirectoryID, sess.TenantID) {
		return flow.Invalid("directory", "%s signed in to directory %s, but %q is in %s", sess.Username, sess.TenantID, p.Config.Name, p.Config.DirectoryID).
			WithFix("sign in as an admin of %s (--directory %s)", p.Config.DirectoryID, p.Config.DirectoryID)
	}
	if p.Config.Tenant != "" && p.Config.ClientID == "" {
		if _, err := flow.ValidateTenant(p.Config.Tenant, p.Config.AccountType, sess.TenantID); err != nil {
			return err
		}
	}

	fmt.Fprintln(out, wrapText(fmt.Sprintf("Registering %q in directory %s as %s", p.Config.Name, sanitize.Line(sess.TenantID), sanitize.Line(sess.Username)), 78))
	cr := &graph.Creator{Graph: gc, Store: st, Now: o.Now, Progress: func(l string) { fmt.Fprintln(out, "  "+sanitize.Text(l)) }}
	cfg, _, err := cr.Create(ctx, p)
	if err != nil {
		return o.explainCreateFailure(p.Config.Name, err)
	}
	fmt.Fprintf(o.IO.Out, "✓ Saved %q (client ID %s, secret %s)\n", cfg.Name, cfg.ClientID, cfg.Secret.Hint())

	rep := &graph.Replication{HTTP: o.Microsoft.HTTP, AuthorityHost: e.AuthorityHost, Resource: e.GraphResource, Sleep: o.Microsoft.Sleep,
		Progress: func(l string) { fmt.Fprintln(out, "  "+sanitize.Text(l)) }}
	fmt.Fprintln(out, "  … asking Microsoft for a token with the new secret")
	if err := rep.Wait(ctx, cfg.DirectoryID, cfg.ClientID, cfg.Secret); err != nil {
		var ae *graph.AuthError
		if errors.As(err, &ae) {
			return authFailure("prove the new secret", ae)
		}
		return err
	}
	fmt.Fprintln(out, "  ✓ Microsoft knows the new app and its secret")
	if o.NoVerify {
		fmt.Fprintf(o.IO.Out, "\nNext: check it with a live consent test:\n  byok verify %s\n", shellQuote(cfg.Name))
		return nil
	}
	return o.verify(ctx, st, e, cfg)
}

// resumePlan rebuilds the plan of an interrupted create from its draft
// (the app exists, no secret yet) or its saved config (secret sealed;
// consent or verify remained).
func (o *CreateOptions) resumePlan(ctx context.Context, st flow.Store) (graph.Plan, error) {
	p := graph.Plan{GrantAdminConsent: o.GrantAdminConsent}
	if c, err := st.FindConfig(ctx, o.Resume); err == nil {
		if o.Delete {
			return p, flow.Invalid("--delete", "%q is saved and complete", c.Name).
				WithFix("remove it from byok with byok delete %s; delete the app in the portal if you no longer want it", shellQuote(c.Name))
		}
		p.Config = c
		return p, nil
	} else if flow.ErrorCode(err) != flow.ENOTFOUND {
		return p, fmt.Errorf("find config: %w", err)
	}
	d, err := st.FindDraft(ctx, o.Resume)
	if err != nil || d.Config.ClientID == "" {
		if err != nil && flow.ErrorCode(err) != flow.ENOTFOUND {
			return p, fmt.Errorf("find draft: %w", err)
		}
		return p, flow.Invalid("--resume", "there is no unfinished create named %q", o.Resume).
			WithFix("start one with byok create --name %s", shellQuote(o.Resume))
	}
	p.Config = d.Config
	return p, nil
}

// checkExisting looks for an app with the same display name in the
// directory and asks what to do (or follows --if-exists).
func (o *CreateOptions) checkExisting(ctx context.Context, gc *graph.Client, p *graph.Plan) error {
	apps, err := gc.FindApplications(ctx, p.Config.Name)
	if err != nil {
		return graphFailure(err)
	}
	if len(apps) == 0 {
		return nil
	}
	a := apps[0]
	desc := fmt.Sprintf("the directory already has an app named %q (client ID %s, created %s)", sanitize.Line(a.DisplayName), a.AppID, a.CreatedDateTime.Format("2006-01-02"))
	if len(apps) > 1 {
		desc = fmt.Sprintf("the directory already has %d apps named %q (first: client ID %s)", len(apps), sanitize.Line(a.DisplayName), a.AppID)
	}
	choice := o.IfExists
	if choice == "ask" {
		if !o.Interactive {
			return flow.Invalid("name", "%s", desc).
				WithFix("pass --if-exists reuse to add a new secret to it, --if-exists new to create another app of the same name, or choose another --name")
		}
		fmt.Fprintln(o.IO.ErrOut, wrapText(strings.ToUpper(desc[:1])+desc[1:]+".", 78))
		reuse, err := o.Confirm(ctx, "Use that app (byok adds a new client secret to it)?", true)
		if err != nil {
			return err
		}
		choice = "reuse"
		if !reuse {
			another, err := o.Confirm(ctx, "Create another app with the same name?", false)
			if err != nil {
				return err
			}
			if !another {
				return ErrAborted
			}
			choice = "new"
		}
	}
	if choice == "reuse" {
		p.Config.ClientID, p.Config.DirectoryID = a.AppID, gc.Session.TenantID
		if p.Config.Tenant == "" {
			p.Config.Tenant = graph.DefaultTenant(p.Config.AccountType, p.Config.DirectoryID)
		}
		fmt.Fprintf(o.IO.ErrOut, "Using the existing app %s; its registration is left as it is (check it with byok audit NAME --live).\n", sanitize.Line(a.AppID))
	}
	return nil
}

// deleteHalfMade deletes the app of an unfinished create, on request.
func (o *CreateOptions) deleteHalfMade(ctx context.Context, st flow.Store, gc *graph.Client, p graph.Plan) error {
	app, err := gc.ApplicationByAppID(ctx, p.Config.ClientID)
	if err != nil {
		return graphFailure(err)
	}
	if !o.Yes {
		if !o.Interactive {
			return flow.Invalid("--yes", "deleting app %s needs confirmation", app.AppID).WithFix("add --yes to delete it without a prompt")
		}
		ok, err := o.Confirm(ctx, fmt.Sprintf("Delete the app %q (client ID %s) from the directory?", sanitize.Line(app.DisplayName), app.AppID), false)
		if err != nil {
			return err
		}
		if !ok {
			return ErrAborted
		}
	}
	if err := gc.DeleteApplication(ctx, app.ID); err != nil {
		return graphFailure(err)
	}
	if err := st.DeleteDraft(ctx, p.Config.Name); err != nil {
		return fmt.Errorf("forget the unfinished create: %w", err)
	}
	fmt.Fprintf(o.IO.Out, "✓ Deleted app %s (%q) from directory %s; Entra keeps it under Deleted applications for 30 days.\n", sanitize.Line(app.AppID), sanitize.Line(app.DisplayName), sanitize.Line(gc.Session.TenantID))
	return nil
}

// explainCreateFailure reports a failed create: what exists and how to
// finish it, or why Microsoft refused.
func (o *CreateOptions) explainCreateFailure(name string, err error) error {
	var pe *graph.PartialError
	if !errors.As(err, &pe) {
		return graphFailure(err)
	}
	w := o.IO.ErrOut
	fmt.Fprintf(w, "\n%s\n", wrapText("byok create stopped half-way: "+userMessage(graphFailure(pe.Err), false), 78))
	fmt.Fprintf(w, "What exists in directory %s now:\n", sanitize.Line(pe.Existing.TenantID))
	for _, l := range pe.Existing.Lines() {
		fmt.Fprintf(w, "  • %s\n", sanitize.Text(l))
	}
	fmt.Fprintf(w, "Finish it with:\n  byok create --resume %s\nor remove the app with:\n  byok create --resume %s --delete\n", shellQuote(name), shellQuote(name))
	if pe.Existing.SecretSaved {
		fmt.Fprintf(w, "The config and its secret are saved: byok verify %s works already.\n", shellQuote(name))
	}
	return ErrSilent
}

// graphFailure turns Graph's refusals into byok's explanation and fix.
func graphFailure(err error) error {
	var ge *graph.Error
	if !errors.As(err, &ge) {
		return err
	}
	msg := sanitize.Line(ge.Message)
	switch {
	case ge.Denied() && strings.Contains(ge.Op, "grant"):
		return (&flow.Error{Code: flow.EFAILED, Err: err,
			Message: fmt.Sprintf("Microsoft refused to grant admin consent (HTTP %d %s: %s)", ge.Status, ge.Code, msg),
			Fix: "granting consent for the whole directory needs the Privileged Role Administrator, Cloud Application Administrator or Application Administrator role; " +
				"ask such an admin to run byok create --resume NAME --grant-admin-consent, or to press Grant admin consent under App registrations > the app > API permissions"})
	case ge.Denied() && ge.Op != "create the application":
		return (&flow.Error{Code: flow.EFAILED, Err: err,
			Message: fmt.Sprintf("Microsoft refused to %s (HTTP %d %s: %s)", ge.Op, ge.Status, ge.Code, msg),
			Fix:     "your account lacks the rights for this in the directory: sign in as an Application Administrator or Cloud Application Administrator, or as an owner of the app"})
	case ge.Denied():
		return (&flow.Error{Code: flow.EFAILED, Err: err,
			Message: fmt.Sprintf("Microsoft refused to %s (HTTP %d %s: %s)", ge.Op, ge.Status, ge.Code, msg),
			Fix: "your account may not register applications in this directory: ask a Global Administrator for the Application Developer role " +
				"(or Application Administrator), or to set \"Users can register applications\" to Yes (Entra admin center > Users > User settings); or use byok setup and the portal"})
	}
	return (&flow.Error{Code: flow.EFAILED, Err: err,
		Message: fmt.Sprintf("Microsoft Graph could not %s (HTTP %d %s: %s)", ge.Op, ge.Status, ge.Code, msg),
		Fix:     "try again in a minute"})
}

// authFailure explains a refused sign-in or token request with the
// doctor's fix for its AADSTS code.
func authFailure(doing string, ae *graph.AuthError) error {
	desc := sanitize.Line(firstLine(ae.Description))
	e := &flow.Error{Code: flow.EFAILED, Err: ae, Message: fmt.Sprintf("Microsoft refused to %s: %s", doing, ae.OAuth)}
	if desc != "" {
		e.Message += " (" + desc + ")"
	}
	switch ae.Code {
	case 90094, 90093, 65001:
		e.Fix = "only an administrator can approve the permissions byok create asks for: sign in as a Global Administrator, Cloud Application Administrator or Application Administrator"
	default:
		if fix := doctorFix(); fix != nil && ae.Description != "" {
			if _, f := fix(ae.Description); f != "" {
				e.Fix = f
			}
		}
	}
	return e
}

func firstLine(s string) string {
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		return s[:i]
	}
	return s
}

// verify runs the live check on the new config and saves the run.
func (o *CreateOptions) verify(ctx context.Context, st flow.Store, e verify.Endpoints, cfg flow.Config) error {
	v := o.Verifier()
	v.Endpoints, v.Timeout = e, o.AdminSignIn.timeout()
	v.NoBrowser = o.NoBrowser
	if o.Now != nil {
		v.Now = o.Now
	}
	mode := verify.ModeAuto
	v.Mode = mode
	rep := &verifyReporter{io: o.IO, timeout: o.AdminSignIn.timeout(), loopback: cfg.Loopback}
	fmt.Fprintf(o.IO.Out, "\nVerifying %s\n", cfg.Name)
	run, err := v.Verify(ctx, cfg, rep, false)
	if err != nil {
		return err
	}
	if err := st.SaveRun(ctx, run); err != nil {
		return fmt.Errorf("save verification run: %w", err)
	}
	writeVerifySummary(o.IO.Out, cfg.Name, run)
	if run.Failed() {
		return ErrSilent
	}
	return nil
}
