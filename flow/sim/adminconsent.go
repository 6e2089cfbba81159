package sim

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/hiveku/byok/flow"
)

// serveAdminConsent answers GET /{tenant}/v2.0/adminconsent: an
// administrator signs in and grants the app's permissions tenant-wide.
func (s *Server) serveAdminConsent(w http.ResponseWriter, r *http.Request, seg string) {
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
	if auth.Kind == "consumers" {
		// personal accounts can't grant admin consent
		s.errorPage(w, r, newErr(400, "invalid_request", 90130, "Application is not supported over the /common or /consumers endpoints. Please use the /organizations or tenant-specific endpoint."))
		return
	}
	if auth.Kind == "common" || auth.Kind == "organizations" {
		// an administrator consents in a tenant: for a single-tenant app
		// that is its home tenant
		if a, ok := s.App(f.Get("client_id")); ok && a.SignInAudience == flow.SingleTenant {
			if t := s.tenantByID(a.HomeTenantID); t != nil {
				auth = authority{Segment: seg, Kind: "tenant", Tenant: t}
			}
		}
	}
	app, redirectURI, platform, ok := s.trustRedirect(w, r, auth, f)
	if !ok {
		return
	}
	state := f.Get("state")
	raw := f.Get("scope")
	if strings.TrimSpace(raw) == "" {
		s.redirectError(w, r, redirectURI, "query", state, errMissing("scope"))
		return
	}
	scopes, bad, ok := parseScopes(raw, app)
	if !ok {
		s.redirectError(w, r, redirectURI, "query", state, authorizeScopeError(app, bad))
		return
	}
	sess := &session{
		ID: s.token(24), AdminConsent: true, App: app, Auth: auth, RedirectURI: redirectURI,
		Platform: platform, Mode: "query", State: state, Scopes: scopes, LoginHint: f.Get("login_hint"),
		Created: s.now(),
	}
	s.mu.Lock()
	s.sessions[sess.ID] = sess
	s.mu.Unlock()
	s.signInPage(w, sess, "")
}

func (s *Server) finishAdminConsent(w http.ResponseWriter, r *http.Request, sess *session) {
	tid := sess.User.TenantID
	s.mu.Lock()
	s.grantAdmin(sess.App.ClientID, tid, sess.Scopes.Graph)
	s.mu.Unlock()
	v := url.Values{}
	v.Set("admin_consent", "True")
	v.Set("tenant", tid)
	var granted []string
	for _, g := range sess.Scopes.Graph {
		granted = append(granted, GraphResource+"/"+g)
	}
	v.Set("scope", strings.Join(granted, " "))
	if sess.State != "" {
		v.Set("state", sess.State)
	}
	s.respondTo(w, sess.RedirectURI, "query", v)
}

// adminConsentError reports a declined admin consent as Microsoft does:
// error=access_denied with AADSTS65004, error_uri and admin_consent=True,
// without tenant (MicrosoftDocs/azure-docs#114009).
func (s *Server) adminConsentError(w http.ResponseWriter, r *http.Request, sess *session, e *stsError) {
	t := s.trace(r)
	v := url.Values{}
	v.Set("error", e.Err)
	v.Set("error_description", e.description(t))
	if e.Code != 0 {
		v.Set("error_uri", errorURI(e.Code))
	}
	v.Set("admin_consent", "True")
	if sess.State != "" {
		v.Set("state", sess.State)
	}
	s.respondTo(w, sess.RedirectURI, "query", v)
}
