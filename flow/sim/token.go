package sim

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
)

// Refresh token lifetimes: 90 days, 24 hours for SPA redirect URIs.
const (
	refreshLifetime    = 90 * 24 * time.Hour
	spaRefreshLifetime = 24 * time.Hour
)

// accessToken is what the simulator remembers about an access token.
type accessToken struct {
	ClientID string
	TID      string
	User     *User // nil for app-only tokens
	Graph    scopeSet
	Expires  time.Time
}

// tokenResponse has Microsoft's field order.
type tokenResponse struct {
	TokenType    string `json:"token_type"`
	Scope        string `json:"scope,omitempty"`
	ExpiresIn    int    `json:"expires_in"`
	ExtExpiresIn int    `json:"ext_expires_in"`
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	IDToken      string `json:"id_token,omitempty"`
	ClientInfo   string `json:"client_info,omitempty"`
}

// tokenRequest is a parsed POST to the token endpoint.
type tokenRequest struct {
	auth     authority
	form     url.Values
	clientID string
	secret   string
	origin   string
}

// stsPost checks what every POST endpoint of the token service checks
// first, in Microsoft's order: the method (AADSTS900561), a form body
// that parses, then the tenant (90002). It answers the error itself and
// reports false; on true the form is parsed and the authority resolved.
func (s *Server) stsPost(w http.ResponseWriter, r *http.Request, seg string) (authority, bool) {
	fail := func(e *stsError) { s.writeJSONError(w, r, e) }
	if r.Method != http.MethodPost {
		fail(newErr(400, "invalid_request", 900561, "The endpoint only accepts POST, OPTIONS requests. Received a %s request.", r.Method))
		return authority{}, false
	}
	if err := r.ParseForm(); err != nil {
		fail(errMalformed())
		return authority{}, false
	}
	auth, ok := s.resolve(seg)
	if !ok {
		fail(errTenantNotFound(seg))
		return authority{}, false
	}
	return auth, true
}

// serveToken answers POST /{tenant}/oauth2/v2.0/token.
func (s *Server) serveToken(w http.ResponseWriter, r *http.Request, seg string) {
	fail := func(e *stsError) { s.writeJSONError(w, r, e) }
	auth, ok := s.stsPost(w, r, seg)
	if !ok {
		return
	}
	req := tokenRequest{auth: auth, form: r.PostForm, origin: r.Header.Get("Origin")}
	req.clientID = req.form.Get("client_id")
	req.secret = req.form.Get("client_secret")
	if u, p, ok := r.BasicAuth(); ok {
		// RFC 6749 §2.3.1: both parts are form-encoded before base64
		if v, err := url.QueryUnescape(u); err == nil {
			u = v
		}
		if v, err := url.QueryUnescape(p); err == nil {
			p = v
		}
		if req.clientID == "" {
			req.clientID = u
		}
		if req.secret == "" {
			req.secret = p
		}
	}
	gt := req.form.Get("grant_type")
	if gt == "" {
		fail(errMissing("grant_type"))
		return
	}
	if req.clientID == "" {
		fail(errMissing("client_id"))
		return
	}
	if e := s.replicationHold(req.auth, req.clientID, req.secret); e != nil {
		fail(e)
		return
	}
	switch gt {
	case deviceCodeGrant:
		s.redeemDeviceCode(w, r, req)
	case "authorization_code":
		s.redeemCode(w, r, req)
	case "refresh_token":
		s.redeemRefresh(w, r, req)
	case "client_credentials":
		s.clientCredentials(w, r, req)
	default:
		fail(newErr(400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type '%s'.", gt))
	}
}

// authenticate checks the client's credentials for the platform the
// redirect URI is registered under.
func (s *Server) authenticate(app *App, req tokenRequest, platform string) *stsError {
	switch platform {
	case "spa":
		if req.origin == "" {
			return newErr(400, "invalid_request", 9002327, "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.")
		}
		if req.secret != "" {
			return errPublicClientSecret()
		}
		return nil
	case "public":
		if req.origin != "" {
			return newErr(400, "invalid_request", 9002326, "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '%s'.", req.origin)
		}
		if req.secret != "" {
			return errPublicClientSecret()
		}
		return nil
	}
	if req.origin != "" {
		return newErr(400, "invalid_request", 9002326, "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '%s'.", req.origin)
	}
	return s.checkSecret(app, req.secret)
}

// checkSecret compares the presented secret with the app's
// passwordCredentials: missing 7000218, unknown 7000215, expired 7000222.
func (s *Server) checkSecret(app *App, secret string) *stsError {
	if secret == "" {
		return errSecretMissing()
	}
	now := s.now()
	for _, sec := range app.Secrets {
		if subtle.ConstantTimeCompare([]byte(sec.Value), []byte(secret)) == 1 {
			if !sec.Expires.IsZero() && !now.Before(sec.Expires) {
				return errSecretExpired(app.ClientID)
			}
			return nil
		}
	}
	return errSecretInvalid(app.ClientID)
}

func (s *Server) lookupApp(auth authority, clientID string) (*App, *stsError) {
	s.mu.Lock()
	app := s.apps[strings.ToLower(clientID)]
	s.mu.Unlock()
	dir := auth.Segment
	if auth.Kind == "tenant" {
		dir = tenantName(auth.Tenant)
	}
	if app == nil {
		return nil, errAppNotFound(clientID, dir)
	}
	return app, nil
}

// redeemCode is grant_type=authorization_code.
func (s *Server) redeemCode(w http.ResponseWriter, r *http.Request, req tokenRequest) {
	fail := func(e *stsError) { s.writeJSONError(w, r, e) }
	app, e := s.checkClient(req.auth, req.clientID)
	if e != nil {
		fail(e)
		return
	}
	redirectURI := req.form.Get("redirect_uri")
	if redirectURI == "" {
		fail(errMissing("redirect_uri"))
		return
	}
	platform, e := s.checkRedirect(app, redirectURI)
	if e != nil {
		fail(e)
		return
	}
	if e := s.authenticate(app, req, platform); e != nil {
		fail(e)
		return
	}
	code := req.form.Get("code")
	if code == "" {
		fail(errMissing("code"))
		return
	}
	s.mu.Lock()
	g := s.codes[code]
	used := g != nil && g.Used
	s.mu.Unlock()
	switch {
	case g == nil:
		fail(newErr(400, "invalid_grant", 70000, "The provided authorization code is invalid or malformed."))
		return
	case used:
		fail(newErr(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."))
		return
	case !strings.EqualFold(g.ClientID, app.ClientID):
		fail(newErr(400, "invalid_grant", 70000, "The provided authorization code was issued to a different client."))
		return
	case !sameAuthority(g.Auth, req.auth):
		fail(newErr(400, "invalid_grant", 700005, "Provided Authorization Code is intended to use against other tenant, thus rejected."))
		return
	case !s.now().Before(g.Issued.Add(codeLifetime)):
		fail(newErr(400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource."))
		return
	case g.RedirectURI != redirectURI:
		// Microsoft names both addresses: AADSTS500112, the text public
		// error reports quote (PartnerCenterSamples/Reseller-Web-Application#73,
		// where it came wrapped in AADSTS70002 under its old number), with
		// error invalid_client as deployments behind proxies report it.
		fail(newErr(400, "invalid_client", 500112, "The reply address '%s' does not match the reply address '%s' provided when requesting Authorization code.", redirectURI, g.RedirectURI))
		return
	}
	verifier := req.form.Get("code_verifier")
	switch {
	case g.Challenge == "" && g.Platform == "spa":
		fail(newErr(400, "invalid_request", 9002325, "Proof Key for Code Exchange is required for cross-origin authorization code redemption."))
		return
	case g.Challenge != "" && verifier == "":
		fail(newErr(400, "invalid_grant", 50148, "The code_verifier does not match the code_challenge supplied in the authorization request for PKCE."))
		return
	case g.Challenge != "" && !pkceMatches(g.Challenge, g.Method, verifier):
		fail(newErr(400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request."))
		return
	}
	s.mu.Lock()
	if g.Used { // lost a race with a concurrent redemption
		s.mu.Unlock()
		fail(newErr(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token."))
		return
	}
	g.Used = true
	s.mu.Unlock()
	s.issueTokens(w, r, app, g, g.Nonce)
}

// sameAuthority reports whether a code issued through a can be redeemed
// through b: the same segment, or two names of the same tenant.
func sameAuthority(a, b authority) bool {
	if strings.EqualFold(a.Segment, b.Segment) {
		return true
	}
	return a.Kind == b.Kind && (a.Kind != "tenant" || strings.EqualFold(a.Tenant.ID, b.Tenant.ID))
}

// pkceMatches checks verifier against the challenge (RFC 7636 §4.6).
func pkceMatches(challenge, method, verifier string) bool {
	if n := len(verifier); n < 43 || n > 128 {
		return false
	}
	want := verifier
	if method == "S256" {
		sum := sha256.Sum256([]byte(verifier))
		want = base64.RawURLEncoding.EncodeToString(sum[:])
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(challenge)) == 1
}

// issueTokens answers a successful code or refresh redemption.
func (s *Server) issueTokens(w http.ResponseWriter, r *http.Request, app *App, g *grant, nonce string) {
	now := s.now()
	graph := grantable(s.consented(app.ClientID, g.User), g.User) // fidelity.go: workOnlyScope
	life := s.lifetime()
	at := s.token(120)
	s.mu.Lock()
	s.access[at] = &accessToken{ClientID: app.ClientID, TID: g.TID, User: g.User, Graph: graph, Expires: now.Add(time.Duration(life) * time.Second)}
	s.mu.Unlock()
	resp := tokenResponse{
		TokenType: "Bearer", Scope: grantedScope(graph, g.OIDC),
		ExpiresIn: life, ExtExpiresIn: life, AccessToken: at,
	}
	if hasString(g.OIDC, "offline_access") {
		rt := "1.A" + s.token(160)
		ng := *g
		ng.Issued = now
		ng.Used = false
		s.mu.Lock()
		s.refresh[rt] = &ng
		s.mu.Unlock()
		resp.RefreshToken = rt
	}
	if hasString(g.OIDC, "openid") {
		resp.IDToken = s.idToken(r, app, g, nonce, now)
	}
	if r.PostForm.Get("client_info") == "1" {
		resp.ClientInfo = clientInfo(g.User)
	}
	w.Header().Set("Cache-Control", "no-store, no-cache")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, resp)
}

// lifetime is the access token's expires_in: Microsoft randomises it
// between 60 and 90 minutes; here it comes from the injected stream.
func (s *Server) lifetime() int {
	b := s.randBytes(2)
	return 3599 + (int(b[0])<<8|int(b[1]))%1800
}

func hasString(list []string, v string) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}

// idToken builds the v2.0 id_token for g.
func (s *Server) idToken(r *http.Request, app *App, g *grant, nonce string, now time.Time) string {
	u := g.User
	claims := map[string]any{
		"aud": app.ClientID,
		"iss": baseURL(r) + "/" + g.TID + "/v2.0",
		"iat": now.Unix(),
		"nbf": now.Unix(),
		"exp": now.Add(time.Hour).Unix(),
		"sub": pairwiseSub(app.ClientID, u.ID),
		"tid": g.TID,
		"ver": "2.0",
		"uti": s.token(16),
	}
	if nonce != "" {
		claims["nonce"] = nonce
	}
	if hasString(g.OIDC, "profile") {
		claims["name"] = u.DisplayName
		claims["preferred_username"] = u.UPN
		claims["oid"] = u.ID
	}
	if hasString(g.OIDC, "email") {
		if u.Mail != "" {
			claims["email"] = u.Mail
		} else if u.Personal {
			claims["email"] = u.UPN
		}
	}
	return s.signJWT(claims)
}

// clientInfo is Microsoft's client_info: base64url JSON {"uid": object ID,
// "utid": home tenant ID}, returned on the authorize redirect and in the
// token response when the client sent client_info=1 (MSAL always does).
// MSAL builds the account's homeAccountId "<uid>.<utid>" from it
// (msal-common account/ClientInfo.ts buildClientInfo; type ClientInfo in
// learn.microsoft.com/javascript/api/@azure/msal-common/clientinfo);
// without it MSAL falls back to the id_token's sub.
func clientInfo(u *User) string {
	b, _ := json.Marshal(struct {
		UID  string `json:"uid"`
		UTID string `json:"utid"`
	}{u.ID, u.TenantID})
	return base64.RawURLEncoding.EncodeToString(b)
}

// pairwiseSub is the app-specific subject identifier.
func pairwiseSub(clientID, oid string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(clientID) + "|" + oid))
	return base64.RawURLEncoding.EncodeToString(new(big.Int).SetBytes(sum[:]).Bytes())[:43]
}

// redeemRefresh is grant_type=refresh_token.
func (s *Server) redeemRefresh(w http.ResponseWriter, r *http.Request, req tokenRequest) {
	fail := func(e *stsError) { s.writeJSONError(w, r, e) }
	app, e := s.checkClient(req.auth, req.clientID)
	if e != nil {
		fail(e)
		return
	}
	rt := req.form.Get("refresh_token")
	if rt == "" {
		fail(errMissing("refresh_token"))
		return
	}
	s.mu.Lock()
	g := s.refresh[rt]
	s.mu.Unlock()
	platform := "web"
	if g != nil {
		platform = g.Platform
	}
	if e := s.authenticate(app, req, platform); e != nil {
		fail(e)
		return
	}
	switch {
	case g == nil:
		fail(newErr(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid."))
		return
	case !strings.EqualFold(g.ClientID, app.ClientID):
		fail(newErr(400, "invalid_grant", 70000, "The provided refresh token was issued to a different client."))
		return
	case g.Platform == "spa" && !s.now().Before(g.Issued.Add(spaRefreshLifetime)):
		fail(newErr(400, "invalid_grant", 700084, "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page."))
		return
	case !s.now().Before(g.Issued.Add(refreshLifetime)):
		fail(newErr(400, "invalid_grant", 700082, "The refresh token has expired due to inactivity. The token was issued on %s and was inactive for 90.00:00:00.", g.Issued.UTC().Format("2006-01-02T15:04:05.0000000Z")))
		return
	}
	if raw := req.form.Get("scope"); strings.TrimSpace(raw) != "" {
		q, bad, ok := parseScopes(raw, app)
		if !ok {
			fail(errInvalidScope(bad))
			return
		}
		have := s.consented(app.ClientID, g.User)
		for _, sc := range q.Graph {
			if !have[sc] {
				fail(errNoConsent(app))
				return
			}
		}
	}
	s.issueTokens(w, r, app, g, "")
}

// clientCredentials is grant_type=client_credentials (app-only).
func (s *Server) clientCredentials(w http.ResponseWriter, r *http.Request, req tokenRequest) {
	fail := func(e *stsError) { s.writeJSONError(w, r, e) }
	switch req.auth.Kind {
	case "common", "consumers":
		fail(newErr(400, "invalid_request", 9001023, "The grant type is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint."))
		return
	case "organizations":
		fail(newErr(400, "invalid_request", 50059, "No tenant-identifying information found in either the request or implied by any provided credentials."))
		return
	}
	app, e := s.lookupApp(req.auth, req.clientID)
	if e != nil {
		fail(e)
		return
	}
	t := req.auth.Tenant
	home := strings.EqualFold(t.ID, app.HomeTenantID)
	if !home && app.SignInAudience == flow.SingleTenant {
		fail(errAppNotFound(app.ClientID, tenantName(t)))
		return
	}
	scope := strings.TrimSpace(req.form.Get("scope"))
	if scope == "" {
		fail(errMissing("scope"))
		return
	}
	switch strings.ToLower(scope) {
	case GraphResource + "/.default", "00000003-0000-0000-c000-000000000000/.default":
	default:
		fail(newErr(400, "invalid_scope", 1002012, "The provided value for scope %s is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).", scope))
		return
	}
	if req.origin != "" {
		fail(newErr(400, "invalid_request", 9002326, "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '%s'.", req.origin))
		return
	}
	if e := s.checkSecret(app, req.secret); e != nil {
		fail(e)
		return
	}
	if !home && !s.hasServicePrincipal(app.ClientID, t.ID) {
		fail(errNoServicePrincipal(app.ClientID, t.ID))
		return
	}
	life := s.lifetime()
	at := s.token(120)
	s.mu.Lock()
	s.access[at] = &accessToken{ClientID: app.ClientID, TID: t.ID, Expires: s.now().Add(time.Duration(life) * time.Second)}
	s.mu.Unlock()
	w.Header().Set("Cache-Control", "no-store, no-cache")
	writeJSON(w, http.StatusOK, tokenResponse{TokenType: "Bearer", ExpiresIn: life, ExtExpiresIn: life, AccessToken: at})
}

// hasServicePrincipal reports whether the app has been consented to in
// tenant tid (by an administrator or any user of it).
func (s *Server) hasServicePrincipal(clientID, tid string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.adminGrant[strings.ToLower(clientID)+"|"+strings.ToLower(tid)]) > 0 {
		return true
	}
	for _, u := range s.users {
		if strings.EqualFold(u.TenantID, tid) && len(s.consents[strings.ToLower(clientID)+"|"+u.ID]) > 0 {
			return true
		}
	}
	return false
}
