package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/transport"
)

// Plan is what byok create registers: the same answers the wizard
// collects (Config without IDs and secret), the Graph permission IDs of
// its scopes, and whether to grant tenant-wide consent.
type Plan struct {
	Config flow.Config
	// PermissionIDs are the scope IDs of Config.Scopes from byok's
	// catalog (the caller looks them up: flow cannot read assets).
	PermissionIDs []string
	// GrantAdminConsent grants the scopes for every user of the tenant.
	GrantAdminConsent bool
}

// RedirectURIs returns the Web redirect URIs to register: Hiveku's (or
// the confirmed custom one) and, with Loopback, http://localhost.
func (p Plan) RedirectURIs() []string {
	uris := []string{p.Config.RedirectURI}
	if p.Config.Loopback {
		uris = append(uris, flow.LoopbackRedirectURI)
	}
	return uris
}

// Existing is what a create has made in the tenant so far.
type Existing struct {
	ObjectID           string // application object ID
	AppID              string // Application (client) ID
	TenantID           string // directory
	ServicePrincipalID string
	SecretKeyID        string // the client secret byok added
	SecretSaved        bool   // the config (with the sealed secret) is saved
	ConsentGranted     bool
}

// Lines lists what exists, one item per line, for a report.
func (e Existing) Lines() []string {
	var out []string
	if e.AppID != "" {
		out = append(out, fmt.Sprintf("application (client ID %s, object ID %s) in directory %s", e.AppID, e.ObjectID, e.TenantID))
	}
	if e.ServicePrincipalID != "" {
		out = append(out, "its service principal (enterprise application) "+e.ServicePrincipalID)
	}
	if e.SecretKeyID != "" {
		s := "a client secret (Secret ID " + e.SecretKeyID + ")"
		if e.SecretSaved {
			s += ", saved sealed in byok"
		}
		out = append(out, s)
	}
	if e.ConsentGranted {
		out = append(out, "tenant-wide admin consent")
	}
	return out
}

// PartialError is a create that stopped after something was made in the
// tenant: Err says what failed, Existing what is there.
type PartialError struct {
	Name     string
	Existing Existing
	Err      error
}

// Error names the failed step; the report lists what exists.
func (e *PartialError) Error() string { return e.Err.Error() }

// Unwrap returns the failure.
func (e *PartialError) Unwrap() error { return e.Err }

// Creator runs a create against Graph and saves progress in the store
// after every step, so that a failure can be resumed: the application's
// IDs go into a draft as soon as it exists, and the secret is sealed into
// the saved config the moment Graph returns it.
type Creator struct {
	Graph *Client
	Store flow.Store
	Now   func() time.Time
	// Progress receives one line per step ("✓ application created …").
	Progress func(line string)
}

func (c *Creator) progress(format string, args ...any) {
	if c.Progress != nil {
		c.Progress(fmt.Sprintf(format, args...))
	}
}

func (c *Creator) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// Create registers plan's app, or finishes a create that stopped: when
// plan.Config.ClientID is set the application exists and is looked up;
// when its secret is set the config is already saved. It returns the
// saved config. After something exists, any failure is a *PartialError.
func (c *Creator) Create(ctx context.Context, plan Plan) (flow.Config, Existing, error) {
	cfg := plan.Config
	ex := Existing{AppID: cfg.ClientID, TenantID: cfg.DirectoryID, SecretSaved: !cfg.Secret.IsZero()}
	partial := func(err error) (flow.Config, Existing, error) {
		return cfg, ex, &PartialError{Name: cfg.Name, Existing: ex, Err: err}
	}
	if cfg.ClientID == "" {
		app, err := c.Graph.CreateApplication(ctx, NewApplication{
			DisplayName: cfg.Name, SignInAudience: cfg.AccountType,
			RedirectURIs: plan.RedirectURIs(), PermissionIDs: plan.PermissionIDs,
		})
		if err != nil {
			return cfg, ex, err
		}
		cfg.ClientID, cfg.DirectoryID = app.AppID, c.Graph.Session.TenantID
		ex.ObjectID, ex.AppID, ex.TenantID = app.ID, app.AppID, cfg.DirectoryID
		if cfg.Tenant == "" || cfg.AccountType == flow.SingleTenant && !strings.EqualFold(cfg.Tenant, cfg.DirectoryID) {
			cfg.Tenant = DefaultTenant(cfg.AccountType, cfg.DirectoryID)
		}
		c.progress("✓ application created: client ID %s", app.AppID)
		if err := c.Store.SaveDraft(ctx, flow.Draft{Config: cfg, Step: flow.StepTenant, UpdatedAt: c.now()}); err != nil {
			return partial(fmt.Errorf("remember the new application: %w", err))
		}
	} else {
		app, err := c.Graph.ApplicationByAppID(ctx, cfg.ClientID)
		if err != nil {
			return cfg, ex, err
		}
		ex.ObjectID = app.ID
		c.progress("✓ application found: client ID %s", app.AppID)
	}

	sp, ok, err := c.Graph.ServicePrincipalByAppID(ctx, cfg.ClientID)
	if err != nil {
		return partial(err)
	}
	if !ok {
		if sp, err = c.Graph.CreateServicePrincipal(ctx, cfg.ClientID); err != nil {
			return partial(err)
		}
		c.progress("✓ service principal created")
	}
	ex.ServicePrincipalID = sp.ID

	if cfg.Secret.IsZero() {
		desc, expires := cfg.SecretInfo.Description, cfg.SecretInfo.Expires
		pw, err := c.Graph.AddPassword(ctx, ex.ObjectID, desc, expires)
		if err != nil {
			return partial(err)
		}
		ex.SecretKeyID = pw.KeyID
		cfg.Secret = pw.SecretText
		cfg.SecretInfo = flow.SecretInfo{Description: desc, Hint: pw.SecretText.Hint(), Created: c.now(), Expires: expires}
		if !pw.EndDateTime.IsZero() {
			cfg.SecretInfo.Expires = pw.EndDateTime
		}
		// Seal it now: Graph never shows the value again.
		if err := c.Store.SaveConfig(ctx, cfg, false); err != nil {
			// A secret nobody holds is only a risk: take it away again.
			cfg.Secret, cfg.SecretInfo = "", flow.SecretInfo{Description: desc, Expires: expires}
			if rerr := c.Graph.RemovePassword(ctx, ex.ObjectID, pw.KeyID); rerr == nil {
				ex.SecretKeyID = ""
			}
			return partial(fmt.Errorf("save the config with its secret: %w", err))
		}
		ex.SecretSaved = true
		c.progress("✓ client secret %q added and sealed in byok (expires %s)", desc, cfg.SecretInfo.Expires.Format("2006-01-02"))
	}

	if plan.GrantAdminConsent {
		if err := c.Graph.GrantTenantWide(ctx, sp.ID, cfg.Scopes); err != nil {
			return partial(err)
		}
		ex.ConsentGranted = true
		c.progress("✓ admin consent granted for everyone in the directory: %s", strings.Join(cfg.Scopes, ", "))
	}
	return cfg, ex, nil
}

// DefaultTenant is the tenant the guide recommends for an account type.
func DefaultTenant(a flow.AccountType, directoryID string) string {
	switch a {
	case flow.SingleTenant:
		return directoryID
	case flow.MultiTenant:
		return "organizations"
	case flow.PersonalOnly:
		return "consumers"
	}
	return "common"
}

// Replication waits until Microsoft's token service knows a new app and
// secret: a new registration replicates over seconds to a minute, and
// until then a client-credentials request fails with AADSTS700016 (app
// not found) or 7000215 (invalid secret).
type Replication struct {
	HTTP *http.Client
	// AuthorityHost is scheme://host of the login service.
	AuthorityHost string
	// Resource is the Graph resource for the .default scope
	// (https://graph.microsoft.com when empty).
	Resource string
	Sleep    func(ctx context.Context, d time.Duration) error
	// MaxWait bounds the total waiting (2 minutes when zero).
	MaxWait time.Duration
	// Progress receives a line before each wait.
	Progress func(line string)
}

// Wait proves clientID and secret in directory with client credentials,
// retrying with backoff (2s, 4s, 8s, then 15s) while Microsoft answers
// 700016 or 7000215; any other answer, or MaxWait spent, ends it.
func (r *Replication) Wait(ctx context.Context, directory, clientID string, secret flow.Secret) error {
	sleep := r.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	maxWait := r.MaxWait
	if maxWait <= 0 {
		maxWait = 2 * time.Minute
	}
	host := strings.TrimRight(r.AuthorityHost, "/")
	if host == "" {
		host = "https://login.microsoftonline.com"
	}
	res := strings.TrimRight(r.Resource, "/")
	if res == "" {
		res = "https://graph.microsoft.com"
	}
	hc := r.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	hc = transport.SecretClient(hc) // the request carries the new secret
	waited, delay := time.Duration(0), 2*time.Second
	for attempt := 1; ; attempt++ {
		err := clientCredentials(ctx, hc, host+"/"+url.PathEscape(directory)+"/oauth2/v2.0/token", clientID, secret, res+"/.default")
		var ae *AuthError
		if err == nil || !errors.As(err, &ae) || (ae.Code != 700016 && ae.Code != 7000215) {
			return err
		}
		if waited+delay > maxWait {
			return flow.Errorf(flow.EFAILED, "Microsoft still does not know the new app after %s (AADSTS%d)", waited, ae.Code).
				WithFix("wait a minute, then run byok verify with the app's name")
		}
		if r.Progress != nil {
			what := "app"
			if ae.Code == 7000215 {
				what = "secret"
			}
			r.Progress(fmt.Sprintf("… Microsoft is still replicating the new %s (AADSTS%d); trying again in %s (attempt %d)", what, ae.Code, delay, attempt+1))
		}
		if err := sleep(ctx, delay); err != nil {
			return err
		}
		waited += delay
		delay *= 2
		if delay > 15*time.Second {
			delay = 15 * time.Second
		}
	}
}

// clientCredentials asks for an app-only token and throws it away: it
// only proves the client ID and secret.
func clientCredentials(ctx context.Context, hc *http.Client, endpoint, clientID string, secret flow.Secret, scope string) error {
	form := url.Values{}
	form.Set("grant_type", "client_credentials")
	form.Set("client_id", clientID)
	form.Set("client_secret", secret.Reveal())
	form.Set("scope", scope)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("build token request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("reach the token service: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("read token answer: %w", err)
	}
	var tr struct {
		AccessToken string `json:"access_token"`
		Error       string `json:"error"`
		Description string `json:"error_description"`
	}
	_ = json.Unmarshal(body, &tr)
	if resp.StatusCode == http.StatusOK && tr.AccessToken != "" {
		return nil
	}
	return authError(tr.Error, tr.Description)
}
