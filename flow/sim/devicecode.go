package sim

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"time"
)

// The device authorization grant (RFC 8628) as Microsoft serves it
// (learn.microsoft.com/entra/identity-platform/v2-oauth2-device-code):
// POST /{tenant}/oauth2/v2.0/devicecode returns user_code, device_code,
// verification_uri, expires_in 900, interval 5 and a message; the client
// polls /token with grant_type device_code and gets authorization_pending
// until the person has entered the code and signed in, then the tokens,
// or authorization_declined, bad_verification_code or expired_token.

const (
	deviceCodeGrant    = "urn:ietf:params:oauth:grant-type:device_code"
	deviceCodeLifetime = 900 * time.Second
	deviceInterval     = 5 * time.Second
)

// deviceGrant is one pending device sign-in.
type deviceGrant struct {
	UserCode  string
	App       *App
	Auth      authority
	Scopes    scopeRequest
	Issued    time.Time
	Interval  time.Duration
	LastPoll  time.Time
	User      *User // set once approved
	Declined  *stsError
	Redeemed  bool
	verifyURI string
}

// serveDeviceCode answers POST /{tenant}/oauth2/v2.0/devicecode.
func (s *Server) serveDeviceCode(w http.ResponseWriter, r *http.Request, seg string) {
	fail := func(e *stsError) { s.writeJSONError(w, r, e) }
	auth, ok := s.stsPost(w, r, seg)
	if !ok {
		return
	}
	app, e := s.checkClient(auth, r.PostForm.Get("client_id"))
	if e != nil {
		fail(e)
		return
	}
	if len(app.PublicClientRedirectURIs) == 0 {
		// only public clients ("Allow public client flows") may use it
		fail(newErr(400, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."))
		return
	}
	raw := r.PostForm.Get("scope")
	if strings.TrimSpace(raw) == "" {
		fail(errMissing("scope"))
		return
	}
	scopes, bad, ok := parseScopes(raw, app)
	if !ok {
		fail(errInvalidScope(bad))
		return
	}
	code := s.userCode()
	dc := "DAQABAAEAAAD" + s.token(60)
	verify := baseURL(r) + "/devicelogin"
	g := &deviceGrant{UserCode: code, App: app, Auth: auth, Scopes: scopes, Issued: s.now(), Interval: deviceInterval, verifyURI: verify}
	s.mu.Lock()
	s.devices[dc] = g
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{
		"user_code": code, "device_code": dc, "verification_uri": verify,
		"expires_in": int(deviceCodeLifetime / time.Second), "interval": int(deviceInterval / time.Second),
		"message": fmt.Sprintf("To sign in, use a web browser to open the page %s and enter the code %s to authenticate.", verify, code),
	})
}

// userCode is nine upper-case letters and digits, as Microsoft's.
func (s *Server) userCode() string {
	const alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := s.randBytes(9)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// redeemDeviceCode is the token grant that polls a device sign-in.
func (s *Server) redeemDeviceCode(w http.ResponseWriter, r *http.Request, req tokenRequest) {
	fail := func(e *stsError) { s.writeJSONError(w, r, e) }
	dc := req.form.Get("device_code")
	if dc == "" {
		fail(errMissing("device_code"))
		return
	}
	now := s.now()
	s.mu.Lock()
	g := s.devices[dc]
	var (
		e    *stsError
		user *User
	)
	switch {
	case g == nil || !strings.EqualFold(g.App.ClientID, req.clientID):
		e = newErr(400, "bad_verification_code", 70019, "Verification code expired. The device code is not valid.")
	case !now.Before(g.Issued.Add(deviceCodeLifetime)):
		e = newErr(400, "expired_token", 70020, "The provided value for the input parameter 'device_code' is not valid. Device code expired.")
	case g.Redeemed:
		e = newErr(400, "invalid_grant", 54005, "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.")
	case g.Declined != nil:
		e = g.Declined
	case g.User == nil && !g.LastPoll.IsZero() && now.Sub(g.LastPoll) < g.Interval:
		// RFC 8628 §3.5: polling faster than the interval
		g.Interval += deviceInterval
		e = newErr(400, "slow_down", 0, "The client is polling too quickly and should back off.")
	case g.User == nil:
		e = newErr(400, "authorization_pending", 70016, "OAuth 2.0 device flow error. Authorization is pending. Continue polling.")
	default:
		g.Redeemed = true
		user = g.User
	}
	if g != nil {
		g.LastPoll = now
	}
	s.mu.Unlock()
	if e != nil {
		fail(e)
		return
	}
	if ae := s.authenticate(g.App, req, "public"); ae != nil {
		fail(ae)
		return
	}
	s.issueTokens(w, r, g.App, &grant{
		ClientID: g.App.ClientID, Auth: g.Auth, TID: user.TenantID, User: user, Platform: "public",
		Graph: s.consented(g.App.ClientID, user), OIDC: g.Scopes.OIDC, Issued: now,
	}, "")
}

// ApproveDevice is the person at https://microsoft.com/devicelogin: it
// enters userCode and signs in as upn, accepting the permissions. An
// account that may not consent to them (admin-only permissions, a
// non-administrator) declines the sign-in as Microsoft's "Need admin
// approval" page does; the client then sees the error when it polls.
func (s *Server) ApproveDevice(userCode, upn string) error {
	s.mu.Lock()
	var g *deviceGrant
	for _, d := range s.devices {
		if strings.EqualFold(d.UserCode, strings.TrimSpace(userCode)) {
			g = d
		}
	}
	var u *User
	for _, x := range s.users {
		if strings.EqualFold(x.UPN, upn) {
			u = x
		}
	}
	s.mu.Unlock()
	switch {
	case g == nil:
		return fmt.Errorf("approve device: no sign-in waits for code %s", userCode)
	case u == nil:
		return fmt.Errorf("approve device: no account %s", upn)
	}
	sess := &session{App: g.App, Auth: g.Auth, Scopes: g.Scopes}
	if e, _ := s.checkUser(sess, u); e != nil {
		s.mu.Lock()
		g.Declined = newErr(400, "authorization_declined", e.Code, "%s", e.Msg)
		s.mu.Unlock()
		return nil
	}
	have := s.consented(g.App.ClientID, u)
	var need []string
	for _, sc := range g.Scopes.Graph {
		if !have[sc] {
			need = append(need, sc)
		}
	}
	if !u.Personal && !u.Admin {
		if t := s.tenantByID(u.TenantID); t != nil && len(need) > 0 && s.needsAdmin(t, need) {
			s.mu.Lock()
			g.Declined = newErr(400, "authorization_declined", 90094, "The grant requires admin permission.")
			s.mu.Unlock()
			return nil
		}
	}
	s.grantUser(g.App.ClientID, u, g.Scopes.Graph)
	s.mu.Lock()
	g.User = u
	s.mu.Unlock()
	return nil
}

// serveDeviceLogin is the page the verification URI shows: enter the
// code and the account (the simulator's sign-in needs no password
// unless the account has one).
func (s *Server) serveDeviceLogin(w http.ResponseWriter, r *http.Request) {
	msg := ""
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			s.errorPage(w, r, errMalformed())
			return
		}
		upn := r.PostForm.Get("login")
		if pw := s.password(upn); pw != "" && r.PostForm.Get("passwd") != pw {
			s.errorPage(w, r, errBadPassword())
			return
		}
		if err := s.ApproveDevice(r.PostForm.Get("otc"), upn); err != nil {
			msg = "That code or account was not recognised. Check the code and try again."
		} else {
			msg = "You have signed in. You can close this window and return to the application."
		}
	}
	var b strings.Builder
	b.WriteString(`<div id="devicelogin-page"><h1>Enter code</h1>`)
	if msg != "" {
		fmt.Fprintf(&b, `<p role="alert">%s</p>`, html.EscapeString(msg))
	}
	b.WriteString(`<p>Enter the code displayed on your app or device.</p>`)
	b.WriteString(`<form id="devicelogin" method="post" action="/devicelogin">`)
	b.WriteString(`<label for="otc" class="vh">Code</label><input type="text" id="otc" name="otc" placeholder="Code" autocomplete="off" autofocus>`)
	b.WriteString(`<label for="dl-login" class="vh">Email, phone, or Skype</label><input type="email" id="dl-login" name="login" placeholder="Email, phone, or Skype" autocomplete="username">`)
	b.WriteString(`<label for="dl-passwd" class="vh">Password</label><input type="password" id="dl-passwd" name="passwd" placeholder="Password (only if the account has one)" autocomplete="current-password">`)
	b.WriteString(`<div class="actions"><button type="submit" class="primary">Next</button></div></form></div>`)
	s.writePage(w, http.StatusOK, "Enter code", b.String())
}
