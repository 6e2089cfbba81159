package verify

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// This file is a small fake of the Microsoft identity platform v2.0 and
// Microsoft Graph, written from Microsoft's protocol documentation (not
// from flow/sim) so that the engine is shown not to depend on the
// simulator's choices. It follows: discovery with a {tenantid} issuer for
// multi-tenant segments, RS256 ID tokens published in a JWKS, codes bound
// to client, redirect URI and PKCE challenge, client_secret_post, the
// documented error bodies, and Graph's error shape.

const (
	fakeTenant   = "11111111-2222-3333-4444-555555555555"
	fakeClient   = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
	fakeSecret   = "abc8Q~fixtureSecretValue.0123456789-xyzAB"
	fakeDomain   = "contoso.onmicrosoft.com"
	fakeUserMail = "adele@contoso.com"
)

var (
	fakeKeyOnce sync.Once
	fakeKey     *rsa.PrivateKey
)

func fakeSigningKey(tb testing.TB) *rsa.PrivateKey {
	tb.Helper()
	fakeKeyOnce.Do(func() {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		fakeKey = k
	})
	return fakeKey
}

// fakeMS is the fake. Knobs change its answers; the recorded fields let
// tests assert what byok sent.
type fakeMS struct {
	tb  testing.TB
	srv *httptest.Server
	key *rsa.PrivateKey

	// knobs
	secretState string // "" ok, "invalid", "expired", "nosp"
	authError   string // redirect with this AADSTS error (e.g. "65004")
	// adminConsentedLater lets prompt=select_account past authError 90094.
	adminConsentedLater bool
	pageError           string   // show an error page with this AADSTS text instead of redirecting
	grant               []string // scopes granted (nil: all requested Graph scopes)
	noRefresh           bool     // never return a refresh token
	badNonce            bool     // put another nonce in the ID token
	mailNull            bool     // /me has no mail
	folders403          bool     // /me/mailFolders answers 403
	extraRedirect       []string // registered Web redirect URIs besides the Hiveku one

	mu        sync.Mutex
	authQuery url.Values
	tokenReqs []tokenReq
	codes     map[string]codeGrant
	access    map[string]bool
	refresh   map[string]bool
	graphHits []string
	n         int
}

type tokenReq struct {
	tenant string
	form   url.Values
	origin string
	ctype  string
}

type codeGrant struct {
	challenge, method, redirect, nonce string
	scopes                             []string
}

func newFakeMS(tb testing.TB) *fakeMS {
	tb.Helper()
	f := &fakeMS{tb: tb, key: fakeSigningKey(tb), codes: map[string]codeGrant{}, access: map[string]bool{}, refresh: map[string]bool{}}
	f.srv = httptest.NewServer(f)
	tb.Cleanup(f.srv.Close)
	return f
}

func (f *fakeMS) endpoints() Endpoints {
	return Endpoints{AuthorityHost: f.srv.URL, GraphHost: f.srv.URL}
}

func (f *fakeMS) next(prefix string) string {
	f.n++
	return fmt.Sprintf("%s-%d-%s", prefix, f.n, base64.RawURLEncoding.EncodeToString([]byte(prefix)))
}

func (f *fakeMS) knownTenant(seg string) (tid string, multi bool, ok bool) {
	switch strings.ToLower(seg) {
	case "common", "organizations", "consumers":
		return "", true, true
	case fakeTenant, fakeDomain:
		return fakeTenant, false, true
	}
	return "", false, false
}

func (f *fakeMS) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	parts := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)
	if len(parts) != 2 {
		http.NotFound(w, r)
		return
	}
	if parts[0] == "v1.0" {
		f.graph(w, r, "/"+parts[1])
		return
	}
	tenant, rest := parts[0], parts[1]
	switch rest {
	case "v2.0/.well-known/openid-configuration":
		f.discovery(w, r, tenant)
	case "discovery/v2.0/keys":
		f.keys(w)
	case "oauth2/v2.0/authorize":
		f.authorize(w, r, tenant)
	case "oauth2/v2.0/token":
		f.token(w, r, tenant)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeMS) stsError(w http.ResponseWriter, status int, oauthErr string, code int, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"error":             oauthErr,
		"error_description": fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: 0000\r\nCorrelation ID: 0000\r\nTimestamp: 2026-11-27 06:00:00Z", code, msg),
		"error_codes":       []int{code},
		"timestamp":         "2026-11-27 06:00:00Z",
		"trace_id":          "0000", "correlation_id": "0000",
		"error_uri": fmt.Sprintf("%s/error?code=%d", f.srv.URL, code),
	})
}

func (f *fakeMS) discovery(w http.ResponseWriter, r *http.Request, tenant string) {
	tid, multi, ok := f.knownTenant(tenant)
	if !ok {
		f.stsError(w, 400, "invalid_tenant", 90002, fmt.Sprintf("Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.", tenant))
		return
	}
	iss := f.srv.URL + "/" + tid + "/v2.0"
	if multi {
		iss = f.srv.URL + "/{tenantid}/v2.0"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"issuer":                 iss,
		"authorization_endpoint": f.srv.URL + "/" + tenant + "/oauth2/v2.0/authorize",
		"token_endpoint":         f.srv.URL + "/" + tenant + "/oauth2/v2.0/token",
		"jwks_uri":               f.srv.URL + "/" + tenant + "/discovery/v2.0/keys",
		"msgraph_host":           "graph.microsoft.com",
	})
}

func (f *fakeMS) keys(w http.ResponseWriter) {
	pub := f.key.PublicKey
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{{
		"kty": "RSA", "use": "sig", "kid": "fake-kid",
		"n": base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e": base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}}})
}

func (f *fakeMS) redirectOK(uri string) bool {
	if uri == "https://app.hiveku.com/api/oauth/microsoft/callback" {
		return true
	}
	u, err := url.Parse(uri)
	if err != nil {
		return false
	}
	for _, reg := range f.extraRedirect {
		// Microsoft ignores the port of localhost redirect URIs.
		if reg == "http://localhost" && u.Scheme == "http" && u.Hostname() == "localhost" && (u.Path == "/" || u.Path == "") {
			return true
		}
		if reg == uri {
			return true
		}
	}
	return false
}

func (f *fakeMS) errorPage(w http.ResponseWriter, text string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, "<html><body><h1>Sorry, but we're having trouble signing you in.</h1><p>%s</p><p>Trace ID: 0000</p></body></html>", text)
}

func (f *fakeMS) authorize(w http.ResponseWriter, r *http.Request, tenant string) {
	q := r.URL.Query()
	f.authQuery = q
	if _, _, ok := f.knownTenant(tenant); !ok {
		f.errorPage(w, "AADSTS90002: Tenant '"+tenant+"' not found.")
		return
	}
	if q.Get("client_id") != fakeClient {
		f.errorPage(w, "AADSTS700016: Application with identifier '"+q.Get("client_id")+"' was not found in the directory.")
		return
	}
	redirect := q.Get("redirect_uri")
	if !f.redirectOK(redirect) {
		f.errorPage(w, fmt.Sprintf("AADSTS50011: The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'.", redirect, fakeClient))
		return
	}
	if f.pageError != "" {
		f.errorPage(w, f.pageError)
		return
	}
	back := url.Values{}
	if s := q.Get("state"); s != "" {
		back.Set("state", s)
	}
	switch f.authError {
	case "65004":
		back.Set("error", "access_denied")
		back.Set("error_description", "AADSTS65004: User declined to consent to access the app.\r\nTrace ID: 0000")
		http.Redirect(w, r, redirect+"?"+back.Encode(), http.StatusFound)
		return
	case "90094":
		if f.adminConsentedLater && q.Get("prompt") == "select_account" {
			break // an admin consented since: no consent screen, a code
		}
		back.Set("error", "consent_required")
		back.Set("error_description", "AADSTS90094: An administrator of Contoso has set a policy that prevents you from granting Acme Hiveku the permissions it is requesting.")
		http.Redirect(w, r, redirect+"?"+back.Encode(), http.StatusFound)
		return
	}
	if q.Get("response_type") != "code" {
		back.Set("error", "unsupported_response_type")
		http.Redirect(w, r, redirect+"?"+back.Encode(), http.StatusFound)
		return
	}
	code := f.next("code")
	f.codes[code] = codeGrant{
		challenge: q.Get("code_challenge"), method: q.Get("code_challenge_method"),
		redirect: redirect, nonce: q.Get("nonce"), scopes: strings.Fields(q.Get("scope")),
	}
	back.Set("code", code)
	back.Set("session_state", "fake-session")
	http.Redirect(w, r, redirect+"?"+back.Encode(), http.StatusFound)
}

func (f *fakeMS) checkClient(w http.ResponseWriter, form url.Values) bool {
	if form.Get("client_id") != fakeClient {
		f.stsError(w, 400, "unauthorized_client", 700016, "Application with identifier '"+form.Get("client_id")+"' was not found in the directory.")
		return false
	}
	switch {
	case form.Get("client_secret") == "":
		f.stsError(w, 401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
		return false
	case f.secretState == "expired":
		f.stsError(w, 401, "invalid_client", 7000222, "The provided client secret keys for app '"+fakeClient+"' are expired.")
		return false
	case form.Get("client_secret") != fakeSecret || f.secretState == "invalid":
		f.stsError(w, 401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.")
		return false
	}
	return true
}

func (f *fakeMS) token(w http.ResponseWriter, r *http.Request, tenant string) {
	if r.Method != http.MethodPost {
		f.stsError(w, 405, "invalid_request", 900561, "The endpoint only accepts POST requests.")
		return
	}
	if err := r.ParseForm(); err != nil {
		f.stsError(w, 400, "invalid_request", 900144, "The request body is not form-encoded.")
		return
	}
	form := r.PostForm
	f.tokenReqs = append(f.tokenReqs, tokenReq{tenant: tenant, form: form, origin: r.Header.Get("Origin"), ctype: r.Header.Get("Content-Type")})
	if r.Header.Get("Origin") != "" {
		f.stsError(w, 400, "invalid_request", 9002326, "Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type.")
		return
	}
	tid, _, ok := f.knownTenant(tenant)
	if !ok {
		f.stsError(w, 400, "invalid_request", 90002, "Tenant '"+tenant+"' not found.")
		return
	}
	switch form.Get("grant_type") {
	case "client_credentials":
		if tid == "" {
			f.stsError(w, 400, "invalid_request", 9001023, "The grant type isn't supported over the /common or /consumers endpoints.")
			return
		}
		if !f.checkClient(w, form) {
			return
		}
		if !strings.HasSuffix(form.Get("scope"), "/.default") {
			f.stsError(w, 400, "invalid_scope", 1002012, "The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.")
			return
		}
		if f.secretState == "nosp" {
			f.stsError(w, 401, "invalid_client", 7000229, "The client application "+fakeClient+" is missing service principal in the tenant "+fakeTenant+".")
			return
		}
		writeTok(w, map[string]any{"token_type": "Bearer", "expires_in": 3599, "access_token": f.next("app")})
	case "authorization_code":
		if !f.checkClient(w, form) {
			return
		}
		g, ok := f.codes[form.Get("code")]
		delete(f.codes, form.Get("code"))
		if !ok {
			f.stsError(w, 400, "invalid_grant", 70000, "The provided value for the 'code' parameter is not valid.")
			return
		}
		if form.Get("redirect_uri") != g.redirect {
			f.stsError(w, 400, "invalid_grant", 70000, "The redirect URI does not match the one used at authorize.")
			return
		}
		if g.challenge != "" {
			sum := sha256.Sum256([]byte(form.Get("code_verifier")))
			if g.method != "S256" || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
				f.stsError(w, 400, "invalid_grant", 501481, "The Code_Verifier does not match the code_challenge supplied in the authorization request.")
				return
			}
		}
		f.issue(w, tid, g.scopes, g.nonce, true)
	case "refresh_token":
		if !f.checkClient(w, form) {
			return
		}
		if !f.refresh[form.Get("refresh_token")] {
			f.stsError(w, 400, "invalid_grant", 70008, "The provided authorization code or refresh token has expired due to inactivity.")
			return
		}
		f.issue(w, tid, []string{"offline_access"}, "", false)
	default:
		f.stsError(w, 400, "unsupported_grant_type", 70003, "The app requested an unsupported grant type.")
	}
}

func writeTok(w http.ResponseWriter, v map[string]any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}

// issue answers a code or refresh grant.
func (f *fakeMS) issue(w http.ResponseWriter, tid string, requested []string, nonce string, withID bool) {
	if tid == "" {
		tid = fakeTenant
	}
	granted := f.grant
	if granted == nil {
		for _, s := range requested {
			switch strings.ToLower(s) {
			case "openid", "profile", "email", "offline_access":
			default:
				granted = append(granted, s)
			}
		}
	}
	at := f.next("at")
	f.access[at] = true
	resp := map[string]any{"token_type": "Bearer", "expires_in": 3599, "ext_expires_in": 3599,
		"access_token": at, "scope": strings.Join(granted, " ")}
	offline := !withID
	for _, s := range requested {
		if strings.EqualFold(s, "offline_access") {
			offline = true
		}
	}
	if offline && !f.noRefresh {
		rt := f.next("rt")
		f.refresh[rt] = true
		resp["refresh_token"] = rt
	}
	if withID {
		if f.badNonce {
			nonce = "another-nonce"
		}
		resp["id_token"] = f.sign(map[string]any{
			"aud": fakeClient, "iss": f.srv.URL + "/" + tid + "/v2.0", "tid": tid,
			"nonce": nonce, "preferred_username": fakeUserMail, "iat": 1, "exp": 4102444800,
		})
	}
	writeTok(w, resp)
}

func (f *fakeMS) sign(claims map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "fake-kid"})
	p, _ := json.Marshal(claims)
	in := base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(p)
	sum := sha256.Sum256([]byte(in))
	sig, err := rsa.SignPKCS1v15(rand.Reader, f.key, crypto.SHA256, sum[:])
	if err != nil {
		f.tb.Errorf("sign: %v", err)
	}
	return in + "." + base64.RawURLEncoding.EncodeToString(sig)
}

func graphErr(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]string{"code": code, "message": msg}})
}

func (f *fakeMS) graph(w http.ResponseWriter, r *http.Request, path string) {
	f.graphHits = append(f.graphHits, r.Method+" "+path+"?"+r.URL.RawQuery)
	if r.Method != http.MethodGet {
		graphErr(w, 405, "Request_BadRequest", "byok must never write")
		return
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || !f.access[tok] {
		graphErr(w, 401, "InvalidAuthenticationToken", "Access token is empty or invalid.")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch path {
	case "/me":
		me := map[string]any{"userPrincipalName": "adele@contoso.onmicrosoft.com", "mail": fakeUserMail}
		if f.mailNull {
			me["mail"] = nil
		}
		_ = json.NewEncoder(w).Encode(me)
	case "/me/mailFolders":
		if f.folders403 {
			graphErr(w, 403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"value": []map[string]string{{"id": "f1", "displayName": "Inbox"}}})
	case "/me/calendars":
		_ = json.NewEncoder(w).Encode(map[string]any{"value": []map[string]string{{"id": "c1", "name": "Calendar"}}})
	default:
		graphErr(w, 404, "ResourceNotFound", "no such resource")
	}
}
