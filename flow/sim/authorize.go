package sim

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
)

// codeLifetime is how long an authorization code can be redeemed.
const codeLifetime = 10 * time.Minute

// session is one authorize (or adminconsent) request between the first
// GET and the redirect back to the app, keyed by the ctx form field.
type session struct {
	ID           string
	AdminConsent bool
	App          *App
	Auth         authority
	RedirectURI  string
	Platform     string // web, spa or public
	Mode         string // query, fragment, form_post
	State, Nonce string
	Challenge    string
	Method       string
	Prompt       string
	LoginHint    string
	Scopes       scopeRequest
	User         *User
	ClientInfo   bool // client_info=1: answer with client_info
	// CorrelationID is the authorize request's, kept for the whole sign-in.
	CorrelationID string
	Prompted      []string  // Graph scopes on the consent page
	Created       time.Time // abandoned sign-ins are purged after an hour
}

// grant is an issued authorization code or refresh token.
type grant struct {
	ClientID    string
	Auth        authority
	TID         string
	User        *User
	RedirectURI string
	Platform    string
	Graph       scopeSet
	OIDC        []string
	Nonce       string
	Challenge   string
	Method      string
	Issued      time.Time
	Used        bool
}

// serveAuthorize answers GET (or POST) /{tenant}/oauth2/v2.0/authorize.
func (s *Server) serveAuthorize(w http.ResponseWriter, r *http.Request, seg string) {
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, errMalformed())
		return
	}
	f := r.Form
	auth, ok := s.resolve(seg)
	if !ok {
		s.errorPage(w, r, errTenantNotFound(seg))
		return
	}
	app, redirectURI, platform, ok := s.trustRedirect(w, r, auth, f)
	if !ok {
		return
	}
	mode := f.Get("response_mode")
	state := f.Get("state")
	switch mode {
	case "", "query", "fragment", "form_post":
	default:
		s.redirectError(w, r, redirectURI, "query", state, errMalformed())
		return
	}
	if mode == "" {
		mode = "query"
	}
	fail := func(e *stsError) { s.redirectError(w, r, redirectURI, mode, state, e) }

	switch rt := f.Get("response_type"); {
	case rt == "":
		fail(errMissing("response_type"))
		return
	case rt == "code":
	case strings.Contains(rt, "token"):
		fail(newErr(400, "unsupported_response_type", 700054, "response_type '%s' is not enabled for the application.", rt))
		return
	default:
		fail(newErr(400, "unsupported_response_type", 70005, "response_type '%s' is not supported.", rt))
		return
	}
	rawScope := f.Get("scope")
	if strings.TrimSpace(rawScope) == "" {
		fail(errMissing("scope"))
		return
	}
	scopes, bad, ok := parseScopes(rawScope, app)
	if !ok {
		fail(authorizeScopeError(app, bad))
		return
	}
	challenge, method := f.Get("code_challenge"), f.Get("code_challenge_method")
	if challenge != "" {
		if method == "" {
			method = "plain" // Microsoft assumes plain when the method is omitted
		}
		if method != "S256" && method != "plain" {
			fail(newErr(400, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid. The code_challenge_method '%s' is not supported.", method))
			return
		}
		if n := len(challenge); n < 43 || n > 128 {
			fail(newErr(400, "invalid_request", 501491, "Invalid size of Code_Challenge parameter."))
			return
		}
	}
	prompt := f.Get("prompt")
	switch prompt {
	case "", "login", "consent", "select_account", "admin_consent":
	case "none":
		fail(errLoginRequired())
		return
	default:
		fail(newErr(400, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid. The 'prompt' value '%s' is not supported.", prompt))
		return
	}
	sess := &session{
		ID: s.token(24), App: app, Auth: auth, RedirectURI: redirectURI, Platform: platform,
		Mode: mode, State: state, Nonce: f.Get("nonce"), Challenge: challenge, Method: method,
		Prompt: prompt, LoginHint: f.Get("login_hint"), Scopes: scopes, Created: s.now(),
		ClientInfo: f.Get("client_info") == "1", CorrelationID: s.idsOf(r).CorrelationID,
	}
	s.mu.Lock()
	s.purgeLocked(sess.Created)
	s.sessions[sess.ID] = sess
	s.mu.Unlock()
	s.signInPage(w, sess, "")
}

// checkClient finds the app for client_id as seen from the authority,
// and applies the audience rules of §1.2.
// trustRedirect makes the checks Microsoft makes before it will redirect
// anywhere: the client exists for this authority and redirect_uri is
// registered for it. A failure is shown as an error page (never a
// redirect, since the URI is not trusted) and ok is false.
func (s *Server) trustRedirect(w http.ResponseWriter, r *http.Request, auth authority, f url.Values) (app *App, redirectURI, platform string, ok bool) {
	app, e := s.checkClient(auth, f.Get("client_id"))
	if redirectsToApp(e) {
		// the app exists, only not for this authority: a registered
		// redirect URI is trusted with the error
		if a, ok := s.App(f.Get("client_id")); ok {
			if _, re := s.checkRedirect(&a, f.Get("redirect_uri")); re == nil {
				mode := f.Get("response_mode")
				if mode != "fragment" && mode != "form_post" {
					mode = "query"
				}
				s.redirectError(w, r, f.Get("redirect_uri"), mode, f.Get("state"), e)
				return nil, "", "", false
			}
		}
	}
	if e != nil {
		s.errorPage(w, r, e)
		return nil, "", "", false
	}
	redirectURI = f.Get("redirect_uri")
	platform, e = s.checkRedirect(app, redirectURI)
	if e != nil {
		s.errorPage(w, r, e)
		return nil, "", "", false
	}
	return app, redirectURI, platform, true
}

func (s *Server) checkClient(auth authority, clientID string) (*App, *stsError) {
	if clientID == "" {
		return nil, errMissing("client_id")
	}
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
	if auth.Kind == "tenant" && !strings.EqualFold(auth.Tenant.ID, app.HomeTenantID) && app.SignInAudience == flow.SingleTenant {
		return nil, errAppNotFound(clientID, dir)
	}
	switch app.SignInAudience {
	case flow.SingleTenant:
		switch auth.Kind {
		case "common", "organizations":
			return nil, errNotMultiTenant(app)
		case "consumers":
			return nil, errEntraOnly(app)
		}
	case flow.MultiTenant:
		if auth.Kind == "consumers" {
			return nil, errEntraOnly(app)
		}
	case flow.PersonalOnly:
		if auth.Kind != "consumers" {
			return nil, errMSAOnly(app)
		}
	}
	return app, nil
}

// checkRedirect matches redirectURI against the app's registered URIs and
// returns the platform it is registered under.
func (s *Server) checkRedirect(app *App, redirectURI string) (string, *stsError) {
	if len(app.WebRedirectURIs)+len(app.SPARedirectURIs)+len(app.PublicClientRedirectURIs) == 0 {
		return "", errNoReplyAddress()
	}
	if redirectURI == "" {
		return "", newErr(400, "invalid_request", 900971, "No reply address provided.")
	}
	for _, p := range []struct {
		name string
		uris []string
	}{{"web", app.WebRedirectURIs}, {"spa", app.SPARedirectURIs}, {"public", app.PublicClientRedirectURIs}} {
		for _, reg := range p.uris {
			if redirectMatches(reg, redirectURI) {
				return p.name, nil
			}
		}
	}
	return "", errRedirectMismatch(redirectURI, app.ClientID)
}

// redirectMatches compares a sent redirect URI with a registered one the
// way Microsoft does: byte for byte, except that a URI without a path
// equals the same URI with "/", and that the port of a loopback URI
// (localhost, 127.0.0.1) is ignored (RFC 8252 §7.3).
func redirectMatches(registered, sent string) bool {
	if registered == sent {
		return true
	}
	ru, err1 := url.Parse(registered)
	su, err2 := url.Parse(sent)
	if err1 != nil || err2 != nil || ru.Fragment != "" || su.Fragment != "" {
		return false
	}
	rp, sp := ru.EscapedPath(), su.EscapedPath()
	if rp == "" {
		rp = "/"
	}
	if sp == "" {
		sp = "/"
	}
	if ru.Scheme != su.Scheme || rp != sp || ru.RawQuery != su.RawQuery || ru.User != nil || su.User != nil {
		return false
	}
	rh, sh := ru.Hostname(), su.Hostname()
	if isLoopback(rh) && rh == sh {
		return true // any port
	}
	return ru.Host == su.Host
}

func isLoopback(h string) bool { return h == "localhost" || h == "127.0.0.1" }

// pickable lists the accounts the picker shows: the tenant's users for a
// tenant authority, everyone otherwise.
func (s *Server) pickable(sess *session) []*User {
	var out []*User
	for _, u := range s.users {
		if sess.Auth.Kind == "tenant" && !strings.EqualFold(u.TenantID, sess.Auth.Tenant.ID) {
			continue
		}
		out = append(out, u)
	}
	return out
}

func (s *Server) session(id string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[id]
}

func (s *Server) endSession(id string) {
	s.mu.Lock()
	delete(s.sessions, id)
	s.mu.Unlock()
}

// serveLogin handles the sign-in form: POST /{tenant}/login.
func (s *Server) serveLogin(w http.ResponseWriter, r *http.Request, seg string) {
	if r.Method != http.MethodPost {
		s.errorPage(w, r, newErr(400, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a %s request.", r.Method))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, errMalformed())
		return
	}
	sess := s.session(r.PostForm.Get("ctx"))
	if sess == nil {
		s.errorPage(w, r, newErr(400, "invalid_request", 50089, "Flow token expired - Authentication Failed. Have the user try signing-in again with username -password."))
		return
	}
	r = s.inSession(r, sess)
	upn := strings.TrimSpace(r.PostForm.Get("login"))
	var user *User
	for _, u := range s.users {
		if strings.EqualFold(u.UPN, upn) {
			user = u
		}
	}
	if user == nil {
		s.errorPage(w, r, errUserNotFound())
		return
	}
	if user.Password != "" {
		// Email first, then Next: the password page comes only after
		// the account is known, and only for an account that has one.
		if _, typed := r.PostForm["passwd"]; !typed {
			s.passwordPage(w, sess, user)
			return
		}
		if r.PostForm.Get("passwd") != user.Password {
			s.errorPage(w, r, errBadPassword())
			return
		}
	}
	if e, redirect := s.checkUser(sess, user); e != nil {
		if redirect {
			s.endSession(sess.ID)
			s.redirectError(w, r, sess.RedirectURI, sess.Mode, sess.State, e)
			return
		}
		if e.Code == 0 {
			s.livePage(w, e)
			return
		}
		s.errorPage(w, r, e)
		return
	}
	s.mu.Lock()
	sess.User = user
	s.mu.Unlock()
	if sess.AdminConsent {
		s.adminConsentPage(w, r, sess)
		return
	}
	s.consentStep(w, r, sess)
}

// checkUser applies the rules on who may sign in through this authority
// to this app. redirect is true when Microsoft reports the error to the
// app rather than on its own page.
func (s *Server) checkUser(sess *session, u *User) (*stsError, bool) {
	app, auth := sess.App, sess.Auth
	if u.Personal {
		orgOnly := app.SignInAudience == flow.SingleTenant || app.SignInAudience == flow.MultiTenant
		switch {
		case orgOnly && auth.Kind == "common":
			// the personal-account side (login.live.com) refuses the app
			// on its own page: "We're unable to complete your request"
			return errNotEnabledForConsumers(), false
		case auth.Kind == "organizations":
			return errPersonalNotSupported(u), false
		case auth.Kind == "tenant":
			return errUserNotInTenant(u, "live.com", tenantName(auth.Tenant), app), false
		}
		return nil, false
	}
	switch {
	case auth.Kind == "consumers" || app.SignInAudience == flow.PersonalOnly:
		return errUserNotFound(), false
	case auth.Kind == "tenant" && !strings.EqualFold(u.TenantID, auth.Tenant.ID):
		return errUserNotInTenant(u, "https://sts.windows.net/"+u.TenantID+"/", tenantName(auth.Tenant), app), false
	}
	if sess.AdminConsent && !u.Admin {
		return newErr(400, "invalid_request", 90093, "Graph returned 403 Forbidden, Access Denied. The calling principal cannot consent due to lack of permissions."), false
	}
	return nil, false
}

// consented returns the Graph scopes u (or u's tenant admin) granted app.
func (s *Server) consented(clientID string, u *User) scopeSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := scopeSet{}
	for k := range s.consents[strings.ToLower(clientID)+"|"+u.ID] {
		out[k] = true
	}
	for k := range s.adminGrant[strings.ToLower(clientID)+"|"+strings.ToLower(u.TenantID)] {
		out[k] = true
	}
	return out
}

func (s *Server) grantUser(clientID string, u *User, scopes []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(clientID) + "|" + u.ID
	if s.consents[k] == nil {
		s.consents[k] = map[string]bool{}
	}
	for _, sc := range scopes {
		s.consents[k][sc] = true
	}
}

// grantAdmin records a tenant-wide grant; callers outside New hold no lock.
func (s *Server) grantAdmin(clientID, tenantID string, scopes []string) {
	k := strings.ToLower(clientID) + "|" + strings.ToLower(tenantID)
	if s.adminGrant[k] == nil {
		s.adminGrant[k] = map[string]bool{}
	}
	for _, sc := range scopes {
		if g, ok := findGraphScope(sc); ok {
			s.adminGrant[k][g.Name] = true
		}
	}
}

// consentStep decides between issuing a code, the consent page and the
// "Need admin approval" page.
func (s *Server) consentStep(w http.ResponseWriter, r *http.Request, sess *session) {
	have := s.consented(sess.App.ClientID, sess.User)
	var need []string
	for _, g := range sess.Scopes.Graph {
		if !have[g] {
			need = append(need, g)
		}
	}
	firstTime := len(have) == 0
	prompted := need
	if sess.Prompt == "consent" {
		prompted = sess.Scopes.Graph
	}
	if len(need) == 0 && sess.Prompt != "consent" && !firstTime {
		s.issueCode(w, r, sess)
		return
	}
	if !sess.User.Personal && !sess.User.Admin {
		if t := s.tenantByID(sess.User.TenantID); t != nil && s.needsAdmin(t, prompted) {
			s.approvalPage(w, r, sess)
			return
		}
	}
	s.mu.Lock()
	sess.Prompted = prompted
	s.mu.Unlock()
	s.consentPage(w, sess)
}

// needsAdmin reports whether tenant t keeps users from consenting to scopes.
func (s *Server) needsAdmin(t *Tenant, scopes []string) bool {
	if t.UserConsentBlocked {
		return true
	}
	for _, sc := range scopes {
		if g, ok := findGraphScope(sc); ok && g.Admin {
			return true
		}
		for _, a := range t.AdminOnlyScopes {
			if strings.EqualFold(a, sc) {
				return true
			}
		}
	}
	return false
}

// serveConsentSet handles Accept/Cancel: POST /{tenant}/Consent/Set.
func (s *Server) serveConsentSet(w http.ResponseWriter, r *http.Request, seg string) {
	if r.Method != http.MethodPost {
		s.errorPage(w, r, newErr(400, "invalid_request", 900561, "The endpoint only accepts POST requests. Received a %s request.", r.Method))
		return
	}
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, errMalformed())
		return
	}
	sess := s.session(r.PostForm.Get("ctx"))
	if sess == nil || sess.User == nil {
		s.errorPage(w, r, newErr(400, "invalid_request", 50089, "Flow token expired - Authentication Failed. Have the user try signing-in again with username -password."))
		return
	}
	r = s.inSession(r, sess)
	s.endSession(sess.ID)
	if r.PostForm.Get("accept") != "true" {
		e := errDeclined()
		if r.PostForm.Get("approval") == "true" {
			// "Return to the application without granting consent" on
			// "Need admin approval": the app gets access_denied with
			// AADSTS90094, like a decline but for its code
			// (microsoft-identity.md: "AADSTS90094/65001 in the callback";
			// apps in the wild handle exactly
			// error=access_denied&error_description=AADSTS90094: The grant
			// requires admin permission.).
			e = errAdminApproval()
		}
		if sess.AdminConsent {
			s.adminConsentError(w, r, sess, errAdminConsentDeclined())
			return
		}
		s.redirectError(w, r, sess.RedirectURI, sess.Mode, sess.State, e)
		return
	}
	if sess.AdminConsent {
		s.finishAdminConsent(w, r, sess)
		return
	}
	if r.PostForm.Get("consent_on_behalf") == "true" && sess.User.Admin {
		s.mu.Lock()
		s.grantAdmin(sess.App.ClientID, sess.User.TenantID, sess.Scopes.Graph)
		s.mu.Unlock()
	}
	s.grantUser(sess.App.ClientID, sess.User, sess.Scopes.Graph)
	s.issueCode(w, r, sess)
}

// issueCode ends a successful sign-in: a code back to the app.
func (s *Server) issueCode(w http.ResponseWriter, r *http.Request, sess *session) {
	s.endSession(sess.ID)
	code := "1.A" + s.token(96)
	g := &grant{
		ClientID: sess.App.ClientID, Auth: sess.Auth, TID: sess.User.TenantID, User: sess.User,
		RedirectURI: sess.RedirectURI, Platform: sess.Platform,
		Graph: s.consented(sess.App.ClientID, sess.User), OIDC: sess.Scopes.OIDC,
		Nonce: sess.Nonce, Challenge: sess.Challenge, Method: sess.Method, Issued: s.now(),
	}
	s.mu.Lock()
	s.purgeLocked(g.Issued)
	s.codes[code] = g
	s.mu.Unlock()
	v := url.Values{}
	v.Set("code", code)
	if sess.State != "" {
		v.Set("state", sess.State)
	}
	v.Set("session_state", s.guid())
	if sess.ClientInfo { // see clientInfo in token.go
		v.Set("client_info", clientInfo(sess.User))
	}
	s.respondTo(w, sess.RedirectURI, sess.Mode, v)
}

// token returns n random bytes as base64url: codes, tokens, session keys.
func (s *Server) token(n int) string {
	return base64.RawURLEncoding.EncodeToString(s.randBytes(n))
}

// purgeLocked forgets codes, access tokens and abandoned sign-ins long
// past their lifetime,
// so that a long-running `byok simulate` does not grow without bound.
// Used codes are kept for a while to answer AADSTS54005 on reuse.
func (s *Server) purgeLocked(now time.Time) {
	for k, g := range s.codes {
		if now.Sub(g.Issued) > 2*codeLifetime {
			delete(s.codes, k)
		}
	}
	for k, a := range s.access {
		if now.Sub(a.Expires) > time.Hour {
			delete(s.access, k)
		}
	}
	for k, se := range s.sessions {
		if now.Sub(se.Created) > time.Hour {
			delete(s.sessions, k)
		}
	}
}
