// Package sim is a faithful fixture of the Microsoft identity platform
// v2.0 (login.microsoftonline.com) and of the few Microsoft Graph calls
// byok makes. It serves discovery, JWKS, authorize (with sign-in, consent
// and admin-approval pages), token, adminconsent and Graph /v1.0/me,
// /v1.0/me/mailFolders and /v1.0/me/calendars on one http.Handler.
//
// It checks the same parameters Microsoft checks and answers with the
// same status codes, the same error body shapes and the same AADSTS codes
// (see the team's microsoft-identity.md fact sheet), so that byok's verification
// engine can be exercised end to end without a Microsoft account. It is a
// fixture, not the product: the engine must work unchanged against the
// real endpoints.
//
// All times come from Options.Now and all identifiers from Options.Rand,
// so a test with a fixed clock and a fixed random stream sees the same
// codes, tokens and trace IDs on every run.
package sim

import (
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/webpage"
)

// ConsumersTenantID is the tenant ID of personal Microsoft accounts; the
// tid claim of every personal account's id_token.
const ConsumersTenantID = "9188040d-6c67-4c5b-b112-36a304b66dad"

// DefaultNow is the clock used when Options.Now is nil: a fixed instant,
// so that a simulator built without a clock is deterministic.
var DefaultNow = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

// App is an app registration as it really is in Entra ID.
type App struct {
	DisplayName  string `json:"displayName"`
	ClientID     string `json:"appId"`
	HomeTenantID string `json:"homeTenantId"`
	// SignInAudience is the manifest's signInAudience.
	SignInAudience flow.AccountType `json:"signInAudience"`
	// Redirect URIs by platform (web.redirectUris, spa.redirectUris,
	// publicClient.redirectUris).
	WebRedirectURIs          []string `json:"webRedirectUris,omitempty"`
	SPARedirectURIs          []string `json:"spaRedirectUris,omitempty"`
	PublicClientRedirectURIs []string `json:"publicClientRedirectUris,omitempty"`
	// Secrets are the passwordCredentials.
	Secrets []Secret `json:"passwordCredentials,omitempty"`
	// Scopes are the Graph delegated permissions in requiredResourceAccess.
	// They are what /.default stands for; dynamic consent to other
	// scopes still works, as at Microsoft.
	Scopes []string `json:"scopes,omitempty"`
	// PublisherVerified removes the "unverified" mark on the consent page.
	PublisherVerified bool `json:"publisherVerified,omitempty"`
}

// Secret is one client secret (passwordCredential). KeyID is the
// "Secret ID" GUID the portal shows beside the Value.
type Secret struct {
	KeyID   string    `json:"keyId"`
	Value   string    `json:"secretText"`
	Expires time.Time `json:"endDateTime"`
}

// String keeps the value out of logs and test failures.
func (s Secret) String() string { return "secret " + s.KeyID }

// GoString keeps the value out of %#v.
func (s Secret) GoString() string { return "sim.Secret{KeyID:" + s.KeyID + "}" }

// User is one account that can sign in.
type User struct {
	ID          string `json:"id"` // object ID (oid)
	UPN         string `json:"userPrincipalName"`
	Mail        string `json:"mail,omitempty"` // empty: no mailbox (Graph mail is null)
	DisplayName string `json:"displayName"`
	TenantID    string `json:"tenantId"` // home tenant; personal accounts: ConsumersTenantID
	Personal    bool   `json:"personal,omitempty"`
	// Password, when set, must be typed on the sign-in page.
	Password string `json:"password,omitempty"`
	// Admin marks a tenant administrator: may grant admin consent.
	Admin bool `json:"admin,omitempty"`
}

// Tenant is one Entra ID directory.
type Tenant struct {
	ID      string   `json:"id"`
	Name    string   `json:"displayName,omitempty"`
	Domains []string `json:"domains,omitempty"`
	// UserConsentBlocked: users may not consent to any app ("Do not allow
	// user consent"); an administrator must approve.
	UserConsentBlocked bool `json:"userConsentBlocked,omitempty"`
	// AdminOnlyScopes need admin consent in this tenant.
	AdminOnlyScopes []string `json:"adminOnlyScopes,omitempty"`
	// AdminConsented lists app IDs an administrator has already granted
	// (tenant-wide, for the app's Scopes).
	AdminConsented []string `json:"adminConsented,omitempty"`
	// UsersCannotRegisterApps is the tenant setting "Users can register
	// applications" = No: only administrators create apps through Graph.
	UsersCannotRegisterApps bool `json:"usersCannotRegisterApps,omitempty"`
}

// Options configure a Server: the Microsoft side of the world.
type Options struct {
	Apps    []App    `json:"apps"`
	Tenants []Tenant `json:"tenants"`
	Users   []User   `json:"users"`
	// ReplicationDelay is how many token requests an app or client
	// secret created through Graph is still unknown to /token for
	// (AADSTS700016, then 7000215), as while Microsoft's directory
	// replicates.
	ReplicationDelay int `json:"replicationDelay,omitempty"`
	// Now is the clock (nil: DefaultNow, frozen).
	Now func() time.Time `json:"-"`
	// Rand supplies every identifier, code and token (nil: a fixed
	// pseudo-random stream).
	Rand io.Reader `json:"-"`
}

// Server is the simulator. It is safe for concurrent use.
type Server struct {
	opts Options
	now  func() time.Time
	key  *rsa.PrivateKey
	kid  string

	mu         sync.Mutex
	rand       io.Reader
	apps       map[string]*App
	tenants    []*Tenant
	users      []*User
	sessions   map[string]*session
	codes      map[string]*grant
	refresh    map[string]*grant
	access     map[string]*accessToken
	consents   map[string]map[string]bool // clientID|userID -> scopes
	adminGrant map[string]map[string]bool // clientID|tenantID -> scopes
	dir        *directory                 // Graph app management (graphapps.go)
	devices    map[string]*deviceGrant    // device_code -> grant (devicecode.go)
}

// New builds a Server from o. Apps, tenants and users are copied.
func New(o Options) *Server {
	s := &Server{
		opts:       o,
		now:        o.Now,
		rand:       o.Rand,
		apps:       map[string]*App{},
		sessions:   map[string]*session{},
		codes:      map[string]*grant{},
		refresh:    map[string]*grant{},
		access:     map[string]*accessToken{},
		consents:   map[string]map[string]bool{},
		adminGrant: map[string]map[string]bool{},
		dir:        newDirectory(),
		devices:    map[string]*deviceGrant{},
	}
	if s.now == nil {
		s.now = func() time.Time { return DefaultNow }
	}
	if s.rand == nil {
		s.rand = newFixedRand()
	}
	for i := range o.Apps {
		a := o.Apps[i]
		s.apps[strings.ToLower(a.ClientID)] = &a
	}
	s.addCommandLineTools()
	for i := range o.Tenants {
		t := o.Tenants[i]
		s.tenants = append(s.tenants, &t)
		for _, id := range t.AdminConsented {
			if a := s.apps[strings.ToLower(id)]; a != nil {
				s.grantAdmin(a.ClientID, t.ID, a.Scopes)
			}
		}
	}
	for i := range o.Users {
		u := o.Users[i]
		if u.Personal && u.TenantID == "" {
			u.TenantID = ConsumersTenantID
		}
		s.users = append(s.users, &u)
	}
	s.key, s.kid = mustKey()
	return s
}

// mustKey parses the fixed signing key once: parsing validates and
// precomputes the key, which costs most of New otherwise. The key is
// read-only afterwards, so every Server shares it.
var mustKey = sync.OnceValues(parseKey)

func parseKey() (*rsa.PrivateKey, string) {
	block, _ := pem.Decode([]byte(strings.TrimSpace(signingKeyPEM)))
	if block == nil {
		panic("sim: decode signing key: no PEM block")
	}
	k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
	if err != nil {
		panic(fmt.Sprintf("sim: parse signing key: %v", err))
	}
	return k, keyID(&k.PublicKey)
}

// fixedRand is the default random stream: deterministic, not secret.
type fixedRand struct{ r *rand.ChaCha8 }

func newFixedRand() io.Reader {
	var seed [32]byte
	copy(seed[:], "byok simulator fixed seed 000001")
	return &fixedRand{r: rand.NewChaCha8(seed)}
}

// Read fills p from the fixed stream; it never fails.
func (f *fixedRand) Read(p []byte) (int, error) { return f.r.Read(p) }

// ServeHTTP routes login paths (/{tenant}/...) and Graph paths (/v1.0/...).
// Every answer carries x-ms-request-id and echoes the caller's
// client-request-id (see requestid.go).
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r = s.stampRequest(w, r)
	p := r.URL.Path
	if p == "/favicon.ico" {
		webpage.Favicon(w) // a browser asks on every page: answer quietly
		return
	}
	if p == "/devicelogin" {
		s.serveDeviceLogin(w, r)
		return
	}
	if p == "/oidc/userinfo" {
		s.serveUserInfo(w, r)
		return
	}
	if strings.HasPrefix(p, "/v1.0/") || p == "/v1.0" {
		s.serveGraph(w, r)
		return
	}
	parts := strings.SplitN(strings.TrimPrefix(p, "/"), "/", 2)
	if len(parts) != 2 || parts[0] == "" {
		http.NotFound(w, r)
		return
	}
	tenant, rest := parts[0], "/"+parts[1]
	switch rest {
	case "/v2.0/.well-known/openid-configuration":
		s.serveDiscovery(w, r, tenant)
	case "/discovery/v2.0/keys":
		s.serveKeys(w, r)
	case "/oauth2/v2.0/authorize":
		s.serveAuthorize(w, r, tenant)
	case "/oauth2/v2.0/token":
		s.serveToken(w, r, tenant)
	case "/oauth2/v2.0/devicecode":
		s.serveDeviceCode(w, r, tenant)
	case "/v2.0/adminconsent":
		s.serveAdminConsent(w, r, tenant)
	case "/login":
		s.serveLogin(w, r, tenant)
	case "/Consent/Set":
		s.serveConsentSet(w, r, tenant)
	default:
		http.NotFound(w, r)
	}
}

// baseURL is the scheme and host the client used, standing in for
// https://login.microsoftonline.com and https://graph.microsoft.com. Every
// URL the simulator hands out (discovery, jwks_uri, the id_token's iss) is
// built from it, so that a client reaching it through a TLS-terminating
// proxy sees https URLs on the proxy's host. Behind such a proxy the
// scheme and host come from X-Forwarded-Proto and X-Forwarded-Host, as
// ASP.NET Core's ForwardedHeadersMiddleware and Azure App Service use
// them (learn.microsoft.com/aspnet/core/host-and-deploy/proxy-load-balancer).
// The simulator is a loopback fixture, so it trusts any proxy; values
// that are not a plain scheme or host are ignored.
func baseURL(r *http.Request) string {
	if r.URL.IsAbs() { // a client-side request served in-process
		return r.URL.Scheme + "://" + r.URL.Host
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if p := strings.ToLower(firstForwarded(r.Header.Get("X-Forwarded-Proto"))); p == "http" || p == "https" {
		scheme = p
	}
	if h := firstForwarded(r.Header.Get("X-Forwarded-Host")); validHost(h) {
		host = h
	}
	if host == "" {
		host = "login.microsoftonline.com"
		scheme = "https"
	}
	return scheme + "://" + host
}

// firstForwarded is the first value of a comma-separated X-Forwarded-*
// header: the one the outermost proxy (nearest the client) set.
func firstForwarded(v string) string {
	if i := strings.IndexByte(v, ','); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// validHost accepts host or host:port (a name, IPv4, or bracketed IPv6)
// and nothing that could change a URL's meaning (/, @, ?, #, spaces).
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for _, c := range h {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case c == '.', c == '-', c == ':', c == '[', c == ']', c == '_':
		default:
			return false
		}
	}
	return true
}

// randBytes reads n bytes from the injected random stream.
func (s *Server) randBytes(n int) []byte {
	b := make([]byte, n)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := io.ReadFull(s.rand, b); err != nil {
		panic(fmt.Sprintf("sim: read random: %v", err))
	}
	return b
}

// guid returns a random version-4 GUID.
func (s *Server) guid() string {
	b := s.randBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// App returns the registration with clientID, for tests and `byok simulate`.
func (s *Server) App(clientID string) (App, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apps[strings.ToLower(clientID)]
	if !ok {
		return App{}, false
	}
	return *a, true
}

// Apps returns the registrations, in Options order.
func (s *Server) Apps() []App {
	out := make([]App, 0, len(s.opts.Apps))
	for _, a := range s.opts.Apps {
		if got, ok := s.App(a.ClientID); ok {
			out = append(out, got)
		}
	}
	return out
}
