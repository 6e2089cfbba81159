package verify

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/hiveku/byok/flow"
)

// Endpoints are the hosts of one Microsoft cloud: the Entra ID authority
// (login) host and the Microsoft Graph host, as scheme://host without a
// trailing slash.
type Endpoints struct {
	AuthorityHost string // e.g. https://login.microsoftonline.com
	GraphHost     string // e.g. https://graph.microsoft.com
	// GraphResource is the Graph resource identifier used in the
	// client-credentials scope ({GraphResource}/.default). Empty means
	// GraphHost when it is a known Microsoft Graph host, else
	// https://graph.microsoft.com (a simulator or proxy on another host
	// still expects the real resource name).
	GraphResource string
}

// Cloud host names (checked against Microsoft's "national cloud
// deployments" pages for Entra ID and Graph).
const (
	GlobalAuthority = "https://login.microsoftonline.com"
	GlobalGraph     = "https://graph.microsoft.com"
	USGovAuthority  = "https://login.microsoftonline.us"
	USGovGraph      = "https://graph.microsoft.us"
	// ChinaAuthority is the 21Vianet login host as Microsoft Graph's
	// deployment table and MSAL list it; Entra's own page also names
	// login.partner.microsoftonline.cn for the same service.
	ChinaAuthority = "https://login.chinacloudapi.cn"
	ChinaGraph     = "https://microsoftgraph.chinacloudapi.cn"
)

// CloudEndpoints returns the endpoints of a cloud by name: global (also
// ""), usgov or china, case-insensitively. Any other name is an EINVALID
// *flow.Error naming the cloud field.
func CloudEndpoints(cloud string) (Endpoints, error) {
	switch strings.ToLower(strings.TrimSpace(cloud)) {
	case "", "global", "public", "azurepublic":
		return Endpoints{AuthorityHost: GlobalAuthority, GraphHost: GlobalGraph}, nil
	case "usgov", "us-gov", "usgovernment", "gcchigh":
		return Endpoints{AuthorityHost: USGovAuthority, GraphHost: USGovGraph}, nil
	case "china", "cn", "21vianet":
		return Endpoints{AuthorityHost: ChinaAuthority, GraphHost: ChinaGraph}, nil
	}
	return Endpoints{}, flow.Invalid("cloud", "%q is not a cloud byok knows", cloud).
		WithFix("use global, usgov or china, or give --authority-host and --graph-host")
}

// authority returns the authority host without a trailing slash.
func (e Endpoints) authority() string {
	if e.AuthorityHost == "" {
		return GlobalAuthority
	}
	return strings.TrimRight(e.AuthorityHost, "/")
}

// graph returns the Graph host without a trailing slash.
func (e Endpoints) graph() string {
	if e.GraphHost == "" {
		return GlobalGraph
	}
	return strings.TrimRight(e.GraphHost, "/")
}

// resource returns the Graph resource identifier for .default scopes.
func (e Endpoints) resource() string {
	if e.GraphResource != "" {
		return strings.TrimRight(e.GraphResource, "/")
	}
	switch g := e.graph(); g {
	case GlobalGraph, USGovGraph, ChinaGraph, "https://dod-graph.microsoft.us":
		return g
	}
	return GlobalGraph
}

// AuthorizeURL returns {authority}/{tenant}/oauth2/v2.0/authorize.
func (e Endpoints) AuthorizeURL(tenant string) string {
	return e.authority() + "/" + tenant + "/oauth2/v2.0/authorize"
}

// TokenURL returns {authority}/{tenant}/oauth2/v2.0/token.
func (e Endpoints) TokenURL(tenant string) string {
	return e.authority() + "/" + tenant + "/oauth2/v2.0/token"
}

// DiscoveryURL returns {authority}/{tenant}/v2.0/.well-known/openid-configuration.
func (e Endpoints) DiscoveryURL(tenant string) string {
	return e.authority() + "/" + tenant + "/v2.0/.well-known/openid-configuration"
}

// AdminConsentEndpoint returns {authority}/{tenant}/v2.0/adminconsent.
func (e Endpoints) AdminConsentEndpoint(tenant string) string {
	return e.authority() + "/" + tenant + "/v2.0/adminconsent"
}

// Mode is how the authorization code comes back: "auto" (loopback when
// the config registers http://localhost, else paste), "loopback" or
// "paste".
type Mode string

// The code-delivery modes.
const (
	ModeAuto     Mode = "auto"
	ModeLoopback Mode = "loopback"
	ModePaste    Mode = "paste"
)

// ParseMode accepts auto, loopback or paste (empty means auto). Anything
// else is an EINVALID *flow.Error naming the redirect field.
func ParseMode(s string) (Mode, error) {
	switch m := Mode(strings.ToLower(strings.TrimSpace(s))); m {
	case "":
		return ModeAuto, nil
	case ModeAuto, ModeLoopback, ModePaste:
		return m, nil
	}
	return "", flow.Invalid("redirect", "%q is not a way to receive the code", s).
		WithFix("use auto, loopback or paste")
}

// nationalAuthorities are the login hosts of Microsoft's national clouds.
var nationalAuthorities = []string{"login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn"}

// National reports whether e points at a national cloud (US Government or
// China) rather than the global one or a simulator.
func (e Endpoints) National() bool {
	u, err := url.Parse(e.authority())
	if err != nil {
		return false
	}
	for _, h := range nationalAuthorities {
		if strings.EqualFold(u.Hostname(), h) {
			return true
		}
	}
	return false
}

// cloudCheck is the offline check that only applies to national clouds:
// Microsoft does not support apps that accept personal accounts there.
func cloudCheck(e Endpoints, c flow.Config) (flow.Check, bool) {
	if !e.National() {
		return flow.Check{}, false
	}
	ch := flow.Check{ID: flow.CheckCloud, Status: flow.Pass,
		Detail: fmt.Sprintf("%s accounts are supported in the national cloud at %s", c.AccountType.Short(), e.authority())}
	if c.AccountType == flow.MultiTenantPersonal || c.AccountType == flow.PersonalOnly {
		ch.Status = flow.Fail
		ch.Detail = fmt.Sprintf("national clouds don't support apps that accept personal Microsoft accounts (%s)", c.AccountType.Short())
		ch.Fix = "register the app in that cloud's portal with Supported account types Single tenant or Multitenant, then byok setup --replace --account-type single|multi"
	}
	return ch, true
}
