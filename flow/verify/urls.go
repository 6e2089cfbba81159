package verify

import (
	"net/url"
	"strings"

	"github.com/hiveku/byok/flow"
	"golang.org/x/oauth2"
)

// oidcScopes are added to the config's scopes at /authorize so that the
// token response carries an id_token with the user's identity, and
// User.Read so that the mailbox check may call Graph /me (which needs
// it; the portal adds User.Read to every new registration by default).
var oidcScopes = []string{"openid", "profile", "email", "User.Read"}

// RequestScopes returns the scopes byok asks for at /authorize: the
// config's scopes followed by openid, profile, email and User.Read,
// without duplicates (compared case-insensitively).
func RequestScopes(c flow.Config) []string {
	out := make([]string, 0, len(c.Scopes)+len(oidcScopes))
	seen := map[string]bool{}
	for _, s := range append(append([]string{}, c.Scopes...), oidcScopes...) {
		k := strings.ToLower(strings.TrimSpace(s))
		if k == "" || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// oauthConfig returns the x/oauth2 configuration for c on e against the
// tenant Hiveku uses (c.Tenant). The client secret travels in the form
// body (client_secret_post), as Microsoft documents for Web apps.
// Never print the result: it holds the secret.
func oauthConfig(e Endpoints, c flow.Config, redirectURI string) *oauth2.Config {
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.Secret.Reveal(),
		Endpoint: oauth2.Endpoint{
			AuthURL:   e.AuthorizeURL(tenantOf(c)),
			TokenURL:  e.TokenURL(tenantOf(c)),
			AuthStyle: oauth2.AuthStyleInParams,
		},
		RedirectURL: redirectURI,
		Scopes:      RequestScopes(c),
	}
}

// tenantOf returns the authority segment Hiveku uses (common when unset).
func tenantOf(c flow.Config) string {
	if t := strings.TrimSpace(c.Tenant); t != "" {
		return t
	}
	return "common"
}

// directoryOf returns the directory (tenant) the app is registered in,
// falling back to the config's tenant.
func directoryOf(c flow.Config) string {
	if d := strings.TrimSpace(c.DirectoryID); d != "" {
		return d
	}
	return tenantOf(c)
}

// AuthCodeURL returns the authorization URL for an authorization code
// request on c's tenant: response_type=code, response_mode=query,
// prompt=consent, the request scopes, state and nonce, and PKCE S256 with
// challenge (omitted when challenge is empty, e.g. for a consent-only
// link nobody redeems).
func AuthCodeURL(e Endpoints, c flow.Config, redirectURI, state, nonce, challenge string) string {
	return authCodeURL(e, c, redirectURI, state, nonce, challenge, PromptConsent)
}

// Prompt values byok may send (--prompt).
const (
	PromptConsent       = "consent"
	PromptSelectAccount = "select_account"
	PromptLogin         = "login"
)

// ParsePrompt accepts consent, select_account or login ("" is consent).
// It returns an EINVALID *flow.Error otherwise.
func ParsePrompt(s string) (string, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "":
		return PromptConsent, nil
	case PromptConsent, PromptSelectAccount, PromptLogin:
		return v, nil
	}
	return "", flow.Invalid("prompt", "%q is not a prompt byok sends", s).
		WithFix("use consent (the default: always shows the consent screen), select_account (after an admin granted consent in a tenant that blocks user consent) or login")
}

func authCodeURL(e Endpoints, c flow.Config, redirectURI, state, nonce, challenge, prompt string) string {
	conf := oauthConfig(e, flow.Config{ClientID: c.ClientID, Tenant: c.Tenant, Scopes: c.Scopes}, redirectURI)
	opts := []oauth2.AuthCodeOption{
		oauth2.SetAuthURLParam("response_mode", "query"),
		oauth2.SetAuthURLParam("prompt", prompt),
	}
	if nonce != "" {
		opts = append(opts, oauth2.SetAuthURLParam("nonce", nonce))
	}
	if challenge != "" {
		opts = append(opts,
			oauth2.SetAuthURLParam("code_challenge", challenge),
			oauth2.SetAuthURLParam("code_challenge_method", "S256"))
	}
	return conf.AuthCodeURL(state, opts...)
}

// AdminConsentURL returns the v2.0 admin consent URL on the app's
// directory (never common, which Microsoft refuses for admin consent):
// {authority}/{directory}/v2.0/adminconsent with client_id, scope (the
// static {graph}/.default, i.e. every permission the registration lists),
// redirect_uri and state.
func AdminConsentURL(e Endpoints, c flow.Config, redirectURI, state string) string {
	tenant := directoryOf(c)
	switch strings.ToLower(tenant) {
	case "common", "consumers":
		tenant = "organizations"
	}
	q := url.Values{}
	q.Set("client_id", c.ClientID)
	q.Set("scope", e.resource()+"/.default")
	q.Set("redirect_uri", redirectURI)
	if state != "" {
		q.Set("state", state)
	}
	return e.AdminConsentEndpoint(tenant) + "?" + q.Encode()
}
