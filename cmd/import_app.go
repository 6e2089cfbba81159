package cmd

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/manifest"
	"github.com/hiveku/byok/flow/sanitize"
)

// ImportAppOptions are the flags of `byok import --app FILE|-`.
type ImportAppOptions struct {
	File        string // the application's JSON; "-" for standard input
	DirectoryID string
	Tenant      string
	SecretStdin bool
}

// importAppFix is the fix for an application JSON that cannot be used.
const importAppFix = "save the output of az ad app show --id APP_ID (or Graph GET /applications/{id}) to a file and pass it with --app"

// importAppRun is `byok import --app FILE|- --name NAME`: a config built
// from an existing registration's JSON, as `az ad app show` or Graph
// GET /applications return it (the Azure AD Graph manifest is read too).
// Everything in the file is outside text: it is parsed by the manifest
// reader and the config is then held to Config.Validate, the same
// validators as typed answers, before anything is stored. The secret
// value is not in that JSON (Microsoft never returns it): it is asked for
// separately, masked on a terminal or with --secret-stdin. The saved
// config is then audited against the JSON like any config.
func importAppRun(ctx context.Context, opts *ImportOptions) error {
	a := opts.AppOptions
	if a.SecretStdin && a.File == "-" {
		return flow.Invalid("--secret-stdin", "cannot share standard input with --app -").
			WithFix("pass the application JSON as a file: --app app.json")
	}
	data, err := readInput(ctx, opts.IO, a.File, manifest.MaxSize, "app", importAppFix)
	if err != nil {
		return err
	}
	m, err := manifest.Parse(data)
	if err != nil {
		if fe, ok := err.(*flow.Error); ok && fe.Field == "manifest" {
			fe.Field, fe.Fix = "app", importAppFix
		}
		return err
	}
	if strings.TrimSpace(a.DirectoryID) == "" {
		return flow.Invalid("--directory-id", "is required: an application's JSON does not name its directory").
			WithFix("pass --directory-id with the Directory (tenant) ID from the app's Overview page (az account show --query tenantId -o tsv)")
	}
	var catalog []flow.Permission
	if opts.Permissions != nil {
		if catalog, err = opts.Permissions(); err != nil {
			return fmt.Errorf("load permission catalog: %w", err)
		}
	}
	cfg, notes := configFromApp(m, catalog)
	cfg.Name = strings.TrimSpace(opts.Name)
	if cfg.Name == "" {
		cfg.Name = strings.TrimSpace(m.DisplayName)
	}
	cfg.DirectoryID = strings.TrimSpace(a.DirectoryID)
	cfg.Tenant = strings.TrimSpace(a.Tenant)
	if cfg.Tenant == "" {
		cfg.Tenant = flow.RecommendedTenant(cfg.AccountType, cfg.DirectoryID)
	}

	// The secret value, asked for separately and matched against the
	// hints Microsoft keeps (its first three characters).
	var value flow.Secret
	switch {
	case a.SecretStdin:
		if value, err = readSecret(opts.IO.In); err != nil {
			return err
		}
	case opts.IO.CanPrompt():
		fmt.Fprintln(opts.IO.ErrOut, "The application's JSON has no secret value (Microsoft never returns it).")
		fmt.Fprintln(opts.IO.ErrOut, "Paste the Value of one of its client secrets (Enter: save without one).")
		if value, err = readSecretInput(opts.IO); err != nil {
			return err
		}
	}
	if err := applyAppSecret(&cfg, m, value); err != nil {
		return err
	}

	cfg = cfg.Normalize()
	if err := cfg.Validate(); err != nil {
		return err
	}
	if opts.Now != nil {
		now := opts.Now()
		cfg.CreatedAt, cfg.UpdatedAt = now, now
	}
	st, err := opts.Store(ctx)
	if err != nil {
		return err
	}
	if err := st.SaveConfig(ctx, cfg, opts.Replace); err != nil {
		if flow.ErrorCode(err) == flow.ECONFLICT {
			return flow.Invalid("name", "a config named %q exists", cfg.Name).
				WithFix("import it under another name with --name NEW, or overwrite it with --replace")
		}
		return fmt.Errorf("save config: %w", err)
	}

	w := opts.IO.Text()
	fmt.Fprintf(w, "Imported %q from the registration of app %s.\n", cfg.Name, cfg.ClientID)
	for _, n := range notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	o := manifest.Options{Catalog: catalog, Config: &cfg}
	if opts.Now != nil {
		o.Now = opts.Now()
	}
	fmt.Fprintln(w)
	writeAudit(w, manifest.Audit(m, o), &cfg, auditStyle(opts.IO))
	q := shellQuote(cfg.Name)
	fmt.Fprintln(w)
	if cfg.SecretInfo.Missing {
		fmt.Fprintf(w, "It has no client secret value: enter one with byok rotate %s before a live verification.\n", q)
	}
	fmt.Fprintf(w, "Next: byok verify %s\n", q)
	return nil
}

// configFromApp maps an application's registration onto a config: the
// account type from signInAudience, Hiveku's redirect URI (and the
// loopback one when registered on the Web platform), and the Microsoft
// Graph delegated permissions by ID through the catalog. notes says what
// could not be carried over. Nothing here is trusted: Validate judges the
// result.
func configFromApp(m *manifest.Manifest, catalog []flow.Permission) (flow.Config, []string) {
	var notes []string
	c := flow.Config{
		AccountType: m.Audience,
		ClientID:    strings.TrimSpace(m.AppID),
		RedirectURI: flow.HivekuRedirectURI,
	}
	for _, u := range m.RedirectsOn(manifest.Web) {
		if strings.HasPrefix(u, "http://localhost") || strings.HasPrefix(u, "http://127.0.0.1") {
			c.Loopback = true
		}
	}
	byID := make(map[string]string, len(catalog))
	for _, p := range catalog {
		byID[strings.ToLower(p.ID)] = p.Name
	}
	var unknown, roles int
	for _, r := range m.Resources {
		if !strings.EqualFold(r.AppID, flow.GraphAppID) {
			continue
		}
		for _, acc := range r.Access {
			if acc.Type != "Scope" {
				roles++
				continue
			}
			name, ok := byID[strings.ToLower(acc.ID)]
			if !ok {
				unknown++
				continue
			}
			if !slices.Contains(c.Scopes, name) {
				c.Scopes = append(c.Scopes, name)
			}
		}
	}
	if unknown > 0 {
		notes = append(notes, fmt.Sprintf("%d Microsoft Graph delegated %s that byok does not use %s left out", unknown, plural(unknown, "permission", "permissions"), plural(unknown, "was", "were")))
	}
	if roles > 0 {
		notes = append(notes, fmt.Sprintf("%d application %s (app roles) left out: Hiveku signs in as the user", roles, plural(roles, "permission", "permissions")))
	}
	return c, notes
}

// applyAppSecret sets cfg's secret from value and the registration's
// secrets: the one whose hint (its first three characters) the value
// starts with describes it (description, creation, expiry). Without a
// value the config is saved as needing one, described by the secret that
// lasts longest.
func applyAppSecret(cfg *flow.Config, m *manifest.Manifest, value flow.Secret) error {
	creds := append([]manifest.Credential(nil), m.Passwords...)
	sort.SliceStable(creds, func(i, j int) bool { return creds[i].End.After(creds[j].End) })
	describe := func(cr manifest.Credential) {
		cfg.SecretInfo.Description = strings.TrimSpace(cr.DisplayName)
		cfg.SecretInfo.Created, cfg.SecretInfo.Expires = cr.Start, cr.End
	}
	if value.IsZero() {
		cfg.SecretInfo.Missing = true
		if len(creds) > 0 {
			describe(creds[0])
			cfg.SecretInfo.Hint = strings.TrimSpace(creds[0].Hint) + "…"
		}
		if cfg.SecretInfo.Description == "" {
			cfg.SecretInfo.Description = "imported"
		}
		return nil
	}
	cfg.Secret = value
	cfg.SecretInfo.Hint = value.Hint()
	if len(creds) == 0 {
		cfg.SecretInfo.Description = "imported"
		return nil
	}
	var hints []string
	for _, cr := range creds {
		h := strings.TrimSpace(cr.Hint)
		if h != "" && strings.HasPrefix(value.Reveal(), h) {
			describe(cr)
			if cfg.SecretInfo.Description == "" {
				cfg.SecretInfo.Description = "imported"
			}
			return nil
		}
		if h != "" {
			hints = append(hints, sanitize.Line(h)+"…")
		}
	}
	if len(hints) == 0 {
		// Older registrations carry no hints: nothing to match against.
		describe(creds[0])
		if cfg.SecretInfo.Description == "" {
			cfg.SecretInfo.Description = "imported"
		}
		return nil
	}
	return flow.Invalid("secret value", "starts with %q, but this app's secrets start with %s",
		value.Hint(), strings.Join(hints, ", ")).
		WithFix("paste the Value (not the Secret ID) of one of them; a secret created since the JSON was saved needs a fresh az ad app show")
}
