// Package graph registers and maintains a Hiveku app through Microsoft
// Graph after an administrator signs in: the admin sign-in (Microsoft's
// public client for command-line tools, by browser with PKCE or by device
// code), a small Graph client for applications, service principals,
// passwords and permission grants, and the resumable create that byok
// create runs.
//
// Every side effect is injected (HTTP client, clock, sleeper, browser
// opener, listener, randomness); tokens stay in memory and never print.
package graph

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/loopback"
	"github.com/hiveku/byok/flow/transport"
)

// CommandLineToolsID is "Microsoft Graph Command Line Tools", the
// multi-tenant public client Microsoft Graph PowerShell signs in with
// (http://localhost redirect and device code). byok signs the admin in
// with it so that nothing has to be registered first.
const CommandLineToolsID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"

// ConsumersTenantID is the tenant ID (tid) of personal Microsoft accounts.
const ConsumersTenantID = "9188040d-6c67-4c5b-b112-36a304b66dad"

// Delegated permissions the admin is asked for, least privileged per
// Microsoft Graph's v1.0 reference ("Permissions" table of each call):
//   - Application.ReadWrite.All: POST /applications, addPassword,
//     removePassword, DELETE /applications/{id}, POST /servicePrincipals
//     (learn.microsoft.com/graph/api/application-post-applications,
//     /application-addpassword, /serviceprincipal-post-serviceprincipals)
//   - Application.Read.All: GET /applications, GET /servicePrincipals
//     (audit --live only reads)
//   - DelegatedPermissionGrant.ReadWrite.All: POST /oauth2PermissionGrants
//     (learn.microsoft.com/graph/api/oauth2permissiongrant-post), asked
//     only with --grant-admin-consent.
const (
	ScopeAppRead      = "Application.Read.All"
	ScopeAppReadWrite = "Application.ReadWrite.All"
	ScopeGrant        = "DelegatedPermissionGrant.ReadWrite.All"
)

// Session is a signed-in administrator. The access token lives only
// here, in memory; Session never prints it.
type Session struct {
	access flow.Secret
	// TenantID is the directory the admin signed in to (tid).
	TenantID string
	// Username is the admin's sign-in name (preferred_username).
	Username string
	// Expires is when the access token stops working.
	Expires time.Time
}

// Personal reports whether a personal Microsoft account signed in.
func (s *Session) Personal() bool { return strings.EqualFold(s.TenantID, ConsumersTenantID) }

// String describes the session without its token.
func (s *Session) String() string { return "graph session for " + s.Username }

// GoString keeps the token out of %#v.
func (s *Session) GoString() string { return s.String() }

// NewSession wraps an access token obtained elsewhere (tests).
func NewSession(token, tenantID, username string) *Session {
	return &Session{access: flow.Secret(token), TenantID: tenantID, Username: username}
}

// SignIn signs an administrator in with the command-line tools public
// client. Every side effect is a field; nil fields get real defaults
// except OpenBrowser (nil: never open a browser).
type SignIn struct {
	HTTP *http.Client
	// AuthorityHost is scheme://host of the login service
	// (https://login.microsoftonline.com when empty).
	AuthorityHost string
	// Tenant is the authority segment: organizations (default), common,
	// a directory GUID or a verified domain. byok create uses common, so
	// that a personal account gets through and byok can tell the person
	// apps live in a work or school directory, rather than leaving them
	// on Microsoft's error page while byok waits.
	Tenant string
	// Resource prefixes the Graph scopes (https://graph.microsoft.com
	// when empty).
	Resource string
	// ClientID is the public client (CommandLineToolsID when empty).
	ClientID    string
	OpenBrowser func(url string) error
	Listen      func(network, addr string) (net.Listener, error)
	Rand        io.Reader
	Now         func() time.Time
	// Sleep waits d or until ctx ends (device code polling).
	Sleep func(ctx context.Context, d time.Duration) error
	// After returns a channel that fires after d (loopback wait).
	After func(d time.Duration) <-chan time.Time
	// Timeout bounds the wait for the browser (5 minutes when zero).
	Timeout time.Duration
}

// ScopesFor returns the delegated permissions to ask for: reading or
// writing applications, plus granting consent when grant is true.
func ScopesFor(write, grant bool) []string {
	s := []string{ScopeAppRead}
	if write {
		s = []string{ScopeAppReadWrite}
	}
	if grant {
		s = append(s, ScopeGrant)
	}
	return s
}

func (s *SignIn) client() *http.Client {
	if s.HTTP == nil {
		return &http.Client{Timeout: 30 * time.Second}
	}
	return s.HTTP
}

func (s *SignIn) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

func (s *SignIn) authority() string {
	h := strings.TrimRight(s.AuthorityHost, "/")
	if h == "" {
		h = "https://login.microsoftonline.com"
	}
	t := s.Tenant
	if t == "" {
		t = "organizations"
	}
	return h + "/" + url.PathEscape(t)
}

func (s *SignIn) clientID() string {
	if s.ClientID == "" {
		return CommandLineToolsID
	}
	return s.ClientID
}

// scope is the scope parameter: the Graph permissions with the resource
// prefix, plus openid and profile for the admin's name and tenant.
func (s *SignIn) scope(perms []string) string {
	res := strings.TrimRight(s.Resource, "/")
	if res == "" {
		res = "https://graph.microsoft.com"
	}
	parts := make([]string, 0, len(perms)+2)
	for _, p := range perms {
		parts = append(parts, res+"/"+p)
	}
	return strings.Join(append(parts, "openid", "profile"), " ")
}

func (s *SignIn) random(n int) (string, error) {
	src := s.Rand
	if src == nil {
		src = rand.Reader
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(src, b); err != nil {
		return "", fmt.Errorf("read random: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Browser signs the admin in with the authorization code flow and PKCE
// (S256): it listens on 127.0.0.1, opens the sign-in page (best-effort;
// show always receives the URL so it can be printed) and waits for the
// browser to come back with the code, ctx to end, or the timeout.
func (s *SignIn) Browser(ctx context.Context, perms []string, show func(authURL string, opened bool)) (*Session, error) {
	state, err := s.random(24)
	if err != nil {
		return nil, err
	}
	verifier, err := s.random(48)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256([]byte(verifier))
	challenge := base64.RawURLEncoding.EncodeToString(sum[:])

	// 127.0.0.1 and [::1] on one port, as verify's consent test: the
	// browser may resolve localhost to either, and no other process may
	// take the other one and receive the admin's code.
	srv, redirect, err := loopback.Listen(s.Listen, state)
	if err != nil {
		return nil, err
	}
	defer srv.Close()

	v := url.Values{}
	v.Set("client_id", s.clientID())
	v.Set("response_type", "code")
	v.Set("redirect_uri", redirect)
	v.Set("response_mode", "query")
	v.Set("scope", s.scope(perms))
	v.Set("state", state)
	v.Set("code_challenge", challenge)
	v.Set("code_challenge_method", "S256")
	v.Set("prompt", "select_account")
	authURL := s.authority() + "/oauth2/v2.0/authorize?" + v.Encode()

	opened := false
	if s.OpenBrowser != nil {
		opened = s.OpenBrowser(authURL) == nil
	}
	if show != nil {
		show(authURL, opened)
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	after := s.After
	if after == nil {
		after = time.After
	}
	var got loopback.Callback
	select {
	case got = <-srv.Results():
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-after(timeout):
		if got, err = srv.Late(timeout); err != nil {
			return nil, flow.Errorf(flow.EFAILED, "the browser did not come back within %s", loopback.HumanDuration(timeout)).
				WithFix("run the command again, or use --device-code on a machine without a browser")
		}
	}
	if got.Failed() {
		return nil, authError(got.Error, got.Description)
	}
	form := url.Values{}
	form.Set("client_id", s.clientID())
	form.Set("grant_type", "authorization_code")
	form.Set("code", got.Code.Reveal())
	form.Set("redirect_uri", redirect)
	form.Set("code_verifier", verifier)
	form.Set("scope", s.scope(perms))
	return s.redeem(ctx, form)
}

// DevicePrompt is what the person must do for the device code flow.
type DevicePrompt struct {
	UserCode        string
	VerificationURI string
	// Message is Microsoft's own instruction (text from outside).
	Message   string
	ExpiresIn time.Duration
}

// DeviceCode signs the admin in with the device authorization grant
// (RFC 8628) for a machine without a browser: show gets the code and the
// address; polling honours the interval, slows down on slow_down, keeps
// waiting on authorization_pending and stops on expired_token,
// authorization_declined or bad_verification_code.
func (s *SignIn) DeviceCode(ctx context.Context, perms []string, show func(DevicePrompt)) (*Session, error) {
	form := url.Values{}
	form.Set("client_id", s.clientID())
	form.Set("scope", s.scope(perms))
	var dc struct {
		UserCode        string          `json:"user_code"`
		DeviceCode      string          `json:"device_code"`
		VerificationURI string          `json:"verification_uri"`
		ExpiresIn       json.Number     `json:"expires_in"`
		Interval        json.Number     `json:"interval"`
		Message         string          `json:"message"`
		Error           string          `json:"error"`
		ErrorDesc       string          `json:"error_description"`
		Codes           json.RawMessage `json:"error_codes"`
	}
	status, err := s.post(ctx, s.authority()+"/oauth2/v2.0/devicecode", form, &dc)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK || dc.Error != "" {
		return nil, authError(dc.Error, dc.ErrorDesc)
	}
	if dc.DeviceCode == "" || dc.UserCode == "" {
		return nil, fmt.Errorf("start device code sign-in: the answer has no device_code or user_code")
	}
	interval := 5 * time.Second
	if n, err := dc.Interval.Int64(); err == nil && n > 0 {
		interval = time.Duration(n) * time.Second
	}
	expires := 15 * time.Minute
	if n, err := dc.ExpiresIn.Int64(); err == nil && n > 0 {
		expires = time.Duration(n) * time.Second
	}
	if show != nil {
		show(DevicePrompt{UserCode: dc.UserCode, VerificationURI: dc.VerificationURI, Message: dc.Message, ExpiresIn: expires})
	}
	sleep := s.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	deadline := s.now().Add(expires)
	poll := url.Values{}
	poll.Set("client_id", s.clientID())
	poll.Set("grant_type", "urn:ietf:params:oauth:grant-type:device_code")
	poll.Set("device_code", dc.DeviceCode)
	for {
		if err := sleep(ctx, interval); err != nil {
			return nil, err
		}
		sess, err := s.redeem(ctx, poll)
		var ae *AuthError
		switch {
		case err == nil:
			return sess, nil
		case errors.As(err, &ae) && ae.OAuth == "authorization_pending":
		case errors.As(err, &ae) && ae.OAuth == "slow_down":
			interval += 5 * time.Second // RFC 8628 §3.5
		case errors.As(err, &ae) && ae.OAuth == "expired_token":
			return nil, flow.Errorf(flow.EFAILED, "the code %s expired before anyone signed in with it", dc.UserCode).
				WithFix("run the command again and enter the new code within %s", expires)
		default:
			return nil, err
		}
		if !s.now().Before(deadline) {
			return nil, flow.Errorf(flow.EFAILED, "the code %s expired before anyone signed in with it", dc.UserCode).
				WithFix("run the command again and enter the new code within %s", expires)
		}
	}
}

// Sleep waits d, or until ctx ends (its error). It is the default sleeper
// of the polls and retries here, and of callers that pace the same way.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// redeem posts a token request and builds the session from the answer.
func (s *SignIn) redeem(ctx context.Context, form url.Values) (*Session, error) {
	var tr struct {
		AccessToken string      `json:"access_token"`
		ExpiresIn   json.Number `json:"expires_in"`
		IDToken     string      `json:"id_token"`
		Error       string      `json:"error"`
		ErrorDesc   string      `json:"error_description"`
	}
	status, err := s.post(ctx, s.authority()+"/oauth2/v2.0/token", form, &tr)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK || tr.Error != "" || tr.AccessToken == "" {
		return nil, authError(tr.Error, tr.ErrorDesc)
	}
	sess := &Session{access: flow.Secret(tr.AccessToken)}
	if n, err := tr.ExpiresIn.Int64(); err == nil {
		sess.Expires = s.now().Add(time.Duration(n) * time.Second)
	}
	claims := idTokenClaims(tr.IDToken)
	sess.TenantID, sess.Username = claims.Tid, claims.PreferredUsername
	if err := checkSession(sess); err != nil {
		return nil, err
	}
	return sess, nil
}

// post sends a form and decodes the JSON answer into v.
func (s *SignIn) post(ctx context.Context, endpoint string, form url.Values, v any) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, fmt.Errorf("build sign-in request: %w", err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := transport.SecretClient(s.client()).Do(req) // carries a code or device code
	if err != nil {
		return 0, fmt.Errorf("reach the sign-in service: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, fmt.Errorf("read sign-in answer: %w", err)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return resp.StatusCode, fmt.Errorf("read sign-in answer (HTTP %d): not JSON", resp.StatusCode)
	}
	return resp.StatusCode, nil
}

// idClaims are the ID token claims the session uses. The token came
// straight from the token endpoint over TLS, so it is read, not
// verified: it only names who signed in.
type idClaims struct {
	Tid               string `json:"tid"`
	PreferredUsername string `json:"preferred_username"`
}

func idTokenClaims(tok string) idClaims {
	var c idClaims
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return c
	}
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return c
	}
	_ = json.Unmarshal(b, &c)
	return c
}

// AuthError is an error answer of the sign-in service: the OAuth error
// and, when present, the AADSTS code and Microsoft's description (text
// from outside: sanitize before printing).
type AuthError struct {
	OAuth       string
	Code        int
	Description string
}

// Error renders "sign-in refused: error (AADSTSn)".
func (e *AuthError) Error() string {
	s := "sign-in refused: " + e.OAuth
	if e.Code != 0 {
		s += " (AADSTS" + strconv.Itoa(e.Code) + ")"
	}
	return s
}

func authError(oauth, desc string) *AuthError {
	e := &AuthError{OAuth: oauth, Description: desc}
	if oauth == "" {
		e.OAuth = "unknown_error"
	}
	if i := strings.Index(desc, "AADSTS"); i >= 0 {
		j := i + 6
		for j < len(desc) && desc[j] >= '0' && desc[j] <= '9' {
			j++
		}
		e.Code, _ = strconv.Atoi(desc[i+6 : j])
	}
	return e
}
