package verify

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os/exec"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/loopback"
	"github.com/hiveku/byok/flow/transport"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// DefaultTimeout is how long the engine waits for the browser to come
// back to the loopback listener.
const DefaultTimeout = 5 * time.Minute

// Verifier runs byok's verification. Every side effect is a field so that
// tests (and the simulator) can replace it; NewVerifier fills in the real
// ones. The zero value works too, with real defaults for nil fields
// except OpenBrowser (nil: never open a browser).
type Verifier struct {
	// HTTP sends every request to Microsoft (discovery, token, Graph).
	HTTP *http.Client
	// Now is the clock (the run's timestamp, offline expiry checks).
	Now func() time.Time
	// OpenBrowser opens url in a browser; best-effort.
	OpenBrowser func(url string) error
	// Listen opens the loopback listener (net.Listen when nil).
	Listen func(network, addr string) (net.Listener, error)
	// Rand is the source of state, nonce and PKCE verifier
	// (crypto/rand.Reader when nil).
	Rand io.Reader
	// Endpoints are the login and Graph hosts (global cloud when zero).
	Endpoints Endpoints
	// Mode is how the code comes back (auto when empty).
	Mode Mode
	// NoBrowser: don't open a browser; the Reporter shows the URL.
	NoBrowser bool
	// Timeout bounds the wait for the loopback callback (DefaultTimeout
	// when zero).
	Timeout time.Duration
	// After returns a channel that fires once d has elapsed (a real
	// timer when nil). Tests inject one they fire themselves.
	After func(d time.Duration) <-chan time.Time
	// Prompt is the prompt parameter of the consent request (consent
	// when empty). prompt=consent always shows the consent screen, which
	// tenants that block user consent answer with "Need admin approval"
	// even after an admin granted consent: select_account gets past it.
	Prompt string
	// Diagnose is byok's one source of AADSTS knowledge: it turns
	// Microsoft's error text into an AADSTS code and a fix. cmd wires the
	// doctor over assets' catalog; when nil, failed checks point to
	// `byok doctor` and Microsoft's lookup page.
	Diagnose DiagnoseFunc
	// Paste, when set, is read while the loopback listener waits for the
	// browser: a person whose browser shows Microsoft's error page (and so
	// never comes back) pastes its text, and the wait ends at once with
	// the diagnosis. cmd wires it to standard input and prints
	// LoopbackPasteHint. It is not used in paste mode (the Reporter's
	// Paste is).
	Paste PasteReader
	// Confirm, when set, asks the person a yes/no question; verify uses
	// it to offer the select_account retry after "Need admin approval"
	// (AADSTS90093/90094) once an administrator has consented.
	Confirm func(ctx context.Context, question string) (bool, error)
}

// DiagnoseFunc turns Microsoft's error text into an AADSTS code and a
// fix (0 and "" when nothing is recognised). (*doctor.Doctor).Fix is one.
type DiagnoseFunc func(text string) (code int, fix string)

// PasteReader reads one paste from the person: a line, or a multi-line
// block pasted at once. It must return soon after ctx is done: verify
// cancels it when the browser answers first and waits for it to return
// (so that its prompt and the checklist never write at the same time).
type PasteReader interface {
	ReadPaste(ctx context.Context) (string, error)
}

// PasteFunc adapts a func to PasteReader.
type PasteFunc func(ctx context.Context) (string, error)

// ReadPaste calls f.
func (f PasteFunc) ReadPaste(ctx context.Context) (string, error) { return f(ctx) }

// LoopbackPasteHint is the line to show while the loopback listener
// waits, when a Paste reader is wired.
const LoopbackPasteHint = "If the browser shows an error instead, paste it here."

// NewVerifier returns a Verifier with real defaults: a 30-second HTTP
// client, the system clock, crypto/rand, net.Listen, the global cloud,
// auto mode and a 5-minute timeout. It opens no browser: flow reads no
// environment, so cmd injects BrowserOpener($BROWSER, runtime.GOOS).
func NewVerifier() *Verifier {
	return &Verifier{
		HTTP:      &http.Client{Timeout: 30 * time.Second},
		Now:       time.Now,
		Listen:    net.Listen,
		Rand:      rand.Reader,
		Endpoints: Endpoints{AuthorityHost: GlobalAuthority, GraphHost: GlobalGraph},
		Mode:      ModeAuto,
		Timeout:   DefaultTimeout,
	}
}

// BrowserOpener returns a func that starts browser (when non-empty) with
// the URL as its only argument, else the OS's opener for goos: xdg-open,
// open (darwin) or rundll32 url.dll,FileProtocolHandler (windows). It
// does not wait for the browser to exit.
func BrowserOpener(browser, goos string) func(url string) error {
	return func(u string) error {
		var c *exec.Cmd
		switch {
		case strings.TrimSpace(browser) != "":
			c = exec.Command(strings.TrimSpace(browser), u)
		case goos == "darwin":
			c = exec.Command("open", u)
		case goos == "windows":
			c = exec.Command("rundll32", "url.dll,FileProtocolHandler", u)
		default:
			c = exec.Command("xdg-open", u)
		}
		if err := c.Start(); err != nil {
			return fmt.Errorf("open browser: %w", err)
		}
		go func() { _ = c.Wait() }()
		return nil
	}
}

// Func adapts v to flow.VerifyFunc (a full, live verification) for the ui.
func (v *Verifier) Func() flow.VerifyFunc {
	return func(ctx context.Context, c flow.Config, r flow.Reporter) (flow.Run, error) {
		return v.Verify(ctx, c, r, false)
	}
}

func (v *Verifier) now() time.Time {
	if v.Now == nil {
		return time.Now()
	}
	return v.Now()
}

func (v *Verifier) client() *http.Client {
	if v.HTTP == nil {
		return http.DefaultClient
	}
	return v.HTTP
}

// oauthCtx returns ctx carrying v's HTTP client for x/oauth2. Every
// token request carries a secret (client secret, code, refresh token):
// the client sends it only over https (or to loopback) and follows no
// redirect (transport.SecretClient).
func (v *Verifier) oauthCtx(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, transport.SecretClient(v.client()))
}

// random returns n random bytes from v.Rand, base64url without padding.
func (v *Verifier) random(n int) (string, error) {
	src := v.Rand
	if src == nil {
		src = rand.Reader
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(src, b); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Verify runs the offline checks on c and, unless offline, the live
// checks, reporting each to r (which may be nil). It returns the run
// (OK when no check failed) and an error only when the run was cut short:
// ctx was cancelled or the Reporter's Paste failed.
func (v *Verifier) Verify(ctx context.Context, c flow.Config, r flow.Reporter, offline bool) (flow.Run, error) {
	if r == nil {
		r = nopReporter{}
	}
	now := v.now()
	rec := &recorder{r: r, run: flow.Run{Name: c.Name, At: now, Offline: offline}}
	for _, ch := range flow.OfflineChecks(c, now) {
		rec.r.Started(ch.ID)
		rec.add(ch)
	}
	if ch, ok := cloudCheck(v.Endpoints, c); ok {
		rec.r.Started(ch.ID)
		rec.add(ch)
	}
	var err error
	if !offline {
		err = v.live(ctx, c, rec)
	}
	rec.run.OK = !rec.run.Failed()
	return rec.run, err
}

// recorder collects checks and forwards them to the Reporter.
type recorder struct {
	r   flow.Reporter
	run flow.Run
}

func (rec *recorder) add(c flow.Check) flow.Check {
	rec.run.Checks = append(rec.run.Checks, c)
	rec.r.Finished(c)
	return c
}

func (rec *recorder) skip(id, why string) {
	rec.r.Started(id)
	rec.add(flow.Check{ID: id, Status: flow.Skip, Detail: why})
}

// status returns the status of the check id recorded so far ("" if none).
func (rec *recorder) status(id string) flow.Status {
	for _, c := range rec.run.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

type nopReporter struct{}

func (nopReporter) Started(string)                        {}
func (nopReporter) Finished(flow.Check)                   {}
func (nopReporter) ConsentURL(string, bool)               {}
func (nopReporter) Paste(context.Context) (string, error) { return "", errors.New("no one to paste") }

// fail builds a failed check from Microsoft's error.
func (v *Verifier) fail(id string, m msError, prefix string) flow.Check {
	code := m.code()
	if code == 0 && v.Diagnose != nil {
		code, _ = v.Diagnose(m.text())
	}
	d := m.line()
	if prefix != "" {
		d = prefix + ": " + d
	}
	return flow.Check{ID: id, Status: flow.Fail, Detail: d, Code: code, Fix: v.fix(id, code, m.text())}
}

// failf builds a failed check from a plain reason.
func (v *Verifier) failf(id string, code int, format string, args ...any) flow.Check {
	d := fmt.Sprintf(format, args...)
	return flow.Check{ID: id, Status: flow.Fail, Detail: firstLine(d), Code: code, Fix: v.fix(id, code, d)}
}

// transportFail describes an error that got no answer from Microsoft.
func (v *Verifier) transportFail(id, host string, err error) flow.Check {
	c := v.failf(id, 0, "no answer from %s: %s", host, oneLineErr(err))
	c.Fix = "check the network connection and --authority-host/--graph-host/--cloud"
	return c
}

// oneLineErr renders err without the URL noise of *url.Error.
func oneLineErr(err error) string {
	var ue interface{ Unwrap() error }
	if errors.As(err, &ue) {
		if inner := ue.Unwrap(); inner != nil {
			err = inner
		}
	}
	return firstLine(err.Error())
}

// session is the live state of one run. It holds tokens: never print it.
type session struct {
	disc      discovery
	discOK    bool
	credsOK   bool
	conf      *oauth2.Config
	verifier  string
	nonce     string
	code      string
	access    string
	refresh   string
	granted   []string
	scopeSeen bool
	// From the ID token: the tenant, email and preferred_username.
	tid, idEmail, idUser string
}

// Format keeps tokens and the client secret (inside conf) out of every
// fmt verb, should a session ever reach a log or a panic.
func (s session) Format(f fmt.State, verb rune) {
	_, _ = io.WriteString(f, "verify.session{[redacted]}")
}

// GoString implements fmt.GoStringer with the same redaction.
func (s session) GoString() string { return "verify.session{[redacted]}" }

// discovery is the part of the OpenID configuration byok reads.
type discovery struct {
	Issuer       string `json:"issuer"`
	TokenURL     string `json:"token_endpoint"`
	AuthURL      string `json:"authorization_endpoint"`
	JWKSURI      string `json:"jwks_uri"`
	MSGraphHost  string `json:"msgraph_host"`
	CloudName    string `json:"cloud_instance_name"`
	TenantRegion string `json:"tenant_region_scope"`
}

// live runs the live checks in order, skipping those whose prerequisite
// failed.
func (v *Verifier) live(ctx context.Context, c flow.Config, rec *recorder) error {
	s := &session{}

	rec.r.Started(flow.CheckDiscovery)
	rec.add(v.checkDiscovery(ctx, c, s))
	if err := ctx.Err(); err != nil {
		return err
	}
	s.discOK = rec.status(flow.CheckDiscovery) != flow.Fail

	if c.Secret.IsZero() {
		rec.skip(flow.CheckCreds, "no client secret is saved")
	} else {
		rec.r.Started(flow.CheckCreds)
		rec.add(v.CheckSecret(ctx, c))
		if err := ctx.Err(); err != nil {
			return err
		}
		s.credsOK = rec.status(flow.CheckCreds) != flow.Fail
	}

	switch {
	case !s.discOK:
		rec.skip(flow.CheckConsent, "skipped: discovery failed")
	case c.Secret.IsZero():
		rec.skip(flow.CheckConsent, "skipped: no client secret to redeem the code with")
	case !s.credsOK:
		rec.skip(flow.CheckConsent, "skipped: the client secret check failed")
	default:
		rec.r.Started(flow.CheckConsent)
		ch, err := v.checkConsent(ctx, c, rec.r, s)
		if err != nil {
			return err
		}
		rec.add(ch)
	}

	if rec.status(flow.CheckConsent) != flow.Pass {
		for _, id := range []string{flow.CheckToken, flow.CheckMailbox, flow.CheckRefresh, flow.CheckAccess} {
			rec.skip(id, "skipped: no authorization code (consent did not pass)")
		}
		return nil
	}

	rec.r.Started(flow.CheckToken)
	rec.add(v.checkToken(ctx, c, s))
	if err := ctx.Err(); err != nil {
		return err
	}
	if s.access == "" {
		for _, id := range []string{flow.CheckMailbox, flow.CheckRefresh, flow.CheckAccess} {
			rec.skip(id, "skipped: no access token (token failed)")
		}
		return nil
	}

	rec.r.Started(flow.CheckMailbox)
	mb, email := v.checkMailbox(ctx, s)
	rec.add(mb)
	rec.run.Email = email
	if err := ctx.Err(); err != nil {
		return err
	}

	if s.refresh == "" {
		rec.skip(flow.CheckRefresh, "skipped: no refresh token (offline_access not granted)")
	} else {
		rec.r.Started(flow.CheckRefresh)
		rec.add(v.checkRefresh(ctx, s))
		if err := ctx.Err(); err != nil {
			return err
		}
	}

	rec.r.Started(flow.CheckAccess)
	rec.add(v.checkAccess(ctx, c, s))
	return ctx.Err()
}

// getJSON GETs u (with a bearer token when non-empty) and returns the
// status and body (at most 1 MiB).
func (v *Verifier) getJSON(ctx context.Context, u, bearer string) (int, []byte, error) {
	status, body, _, err := v.getJSONHeader(ctx, u, bearer)
	return status, body, err
}

// getJSONHeader is getJSON with the response headers.
func (v *Verifier) getJSONHeader(ctx context.Context, u, bearer string) (int, []byte, http.Header, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, nil, nil, fmt.Errorf("build request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	resp, err := v.client().Do(req)
	if err != nil {
		return 0, nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, nil, resp.Header, fmt.Errorf("read response: %w", err)
	}
	return resp.StatusCode, body, resp.Header, nil
}

// checkDiscovery fetches the tenant's OpenID configuration.
func (v *Verifier) checkDiscovery(ctx context.Context, c flow.Config, s *session) flow.Check {
	tenant := tenantOf(c)
	status, body, err := v.getJSON(ctx, v.Endpoints.DiscoveryURL(tenant), "")
	if err != nil {
		return v.transportFail(flow.CheckDiscovery, v.Endpoints.authority(), err)
	}
	if status != http.StatusOK {
		if m, ok := parseMSError(body); ok {
			return v.fail(flow.CheckDiscovery, m, fmt.Sprintf("tenant %q", tenant))
		}
		return v.failf(flow.CheckDiscovery, 0, "tenant %q: discovery answered HTTP %d", tenant, status)
	}
	if err := json.Unmarshal(body, &s.disc); err != nil || s.disc.Issuer == "" {
		return v.failf(flow.CheckDiscovery, 0, "tenant %q: the discovery document has no issuer", tenant)
	}
	return flow.Check{ID: flow.CheckDiscovery, Status: flow.Pass,
		Detail: fmt.Sprintf("tenant %q found (issuer %s)", tenant, s.disc.Issuer)}
}

// CheckSecret proves the client ID, secret and directory together with a
// client-credentials request for {graph}/.default on the app's directory
// (never common, which refuses this grant). A token, or AADSTS7000229 (no
// service principal yet: the secret itself was accepted), passes. It is
// the preflight `byok rotate` runs on a new secret.
func (v *Verifier) CheckSecret(ctx context.Context, c flow.Config) flow.Check {
	if c.Secret.IsZero() {
		return flow.Check{ID: flow.CheckCreds, Status: flow.Fail, Detail: "no client secret is saved",
			Fix: "run `byok rotate NAME` to enter the secret value"}
	}
	tenant := directoryOf(c)
	cc := clientcredentials.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.Secret.Reveal(),
		TokenURL:     v.Endpoints.TokenURL(tenant),
		Scopes:       []string{v.Endpoints.resource() + "/.default"},
		AuthStyle:    oauth2.AuthStyleInParams,
	}
	_, err := cc.Token(v.oauthCtx(ctx))
	if err == nil {
		return flow.Check{ID: flow.CheckCreds, Status: flow.Pass,
			Detail: fmt.Sprintf("client ID and secret accepted by directory %s", tenant)}
	}
	m, ok := tokenError(err)
	if !ok {
		return v.transportFail(flow.CheckCreds, v.Endpoints.authority(), err)
	}
	if m.code() == 7000229 {
		return flow.Check{ID: flow.CheckCreds, Status: flow.Pass, Code: 7000229,
			Detail: "client ID and secret accepted; the app has no service principal in the directory yet (consent creates it)"}
	}
	return v.fail(flow.CheckCreds, m, "")
}

// AdminRetryQuestion is what verify asks (through Confirm) after "Need
// admin approval".
const AdminRetryQuestion = "If an administrator has granted consent for the organization since, byok can sign in again without the consent screen (prompt=select_account). Try again?"

// checkConsent runs the authorization request and collects the code.
// After "Need admin approval" (AADSTS90093/90094) with prompt=consent it
// offers, through Confirm, one retry with prompt=select_account: a tenant
// that blocks user consent shows that page to prompt=consent even after
// an administrator granted consent. Its error is non-nil only when the
// run must stop (ctx cancelled, Paste failed).
func (v *Verifier) checkConsent(ctx context.Context, c flow.Config, r flow.Reporter, s *session) (flow.Check, error) {
	prompt := v.Prompt
	if prompt == "" {
		prompt = PromptConsent
	}
	ch, err := v.consentOnce(ctx, c, r, s, prompt)
	if err != nil || ch.Status != flow.Fail || (ch.Code != 90093 && ch.Code != 90094) ||
		prompt == PromptSelectAccount || v.Confirm == nil {
		return ch, err
	}
	again, cerr := v.Confirm(ctx, fmt.Sprintf("Microsoft answered AADSTS%d: an administrator must grant what the app asks. %s", ch.Code, AdminRetryQuestion))
	if cerr != nil {
		if ctx.Err() != nil {
			return flow.Check{}, ctx.Err()
		}
		return ch, nil
	}
	if !again {
		return ch, nil
	}
	ch2, err := v.consentOnce(ctx, c, r, s, PromptSelectAccount)
	if err != nil {
		return ch2, err
	}
	if ch2.Status == flow.Pass {
		ch2.Detail += " (prompt=select_account, after an administrator's consent)"
	}
	return ch2, nil
}

// consentOnce runs one authorization request with prompt.
func (v *Verifier) consentOnce(ctx context.Context, c flow.Config, r flow.Reporter, s *session, prompt string) (flow.Check, error) {
	id := flow.CheckConsent
	mode := v.Mode
	if mode == "" || mode == ModeAuto {
		mode = ModePaste
		if c.Loopback {
			mode = ModeLoopback
		}
	}
	if mode == ModeLoopback && !c.Loopback {
		ch := v.failf(id, 0, "loopback mode needs http://localhost registered as a Web redirect URI, and this config does not have it")
		ch.Fix = "add http://localhost under Authentication > Web and run `byok setup --resume NAME --add-loopback`, or use --redirect paste"
		return ch, nil
	}
	state, err := v.random(24)
	if err != nil {
		return v.failf(id, 0, "%s", err), nil
	}
	if s.nonce, err = v.random(24); err != nil {
		return v.failf(id, 0, "%s", err), nil
	}
	if s.verifier, err = v.random(32); err != nil { // as oauth2.GenerateVerifier
		return v.failf(id, 0, "%s", err), nil
	}

	var (
		srv      *loopback.Server
		redirect = c.RedirectURI
	)
	if mode == ModeLoopback {
		if srv, redirect, err = v.listenCallback(state); err != nil {
			ch := v.failf(id, 0, "%s", err)
			ch.Fix = "free a local port or use --redirect paste"
			return ch, nil
		}
		defer srv.Close()
	}
	s.conf = oauthConfig(v.Endpoints, c, redirect)
	u := authCodeURL(v.Endpoints, c, redirect, state, s.nonce, oauth2.S256ChallengeFromVerifier(s.verifier), prompt)

	opened := false
	if !v.NoBrowser && v.OpenBrowser != nil {
		opened = v.OpenBrowser(u) == nil
	}
	r.ConsentURL(u, opened)

	var p Pasted
	how := "on the loopback listener"
	if mode == ModeLoopback {
		d := v.Timeout
		if d <= 0 {
			d = DefaultTimeout
		}
		var timer <-chan time.Time
		if v.After != nil {
			timer = v.After(d)
		} else {
			t := time.NewTimer(d)
			defer t.Stop()
			timer = t.C
		}
		var pasted string
		p, pasted, err = v.waitLoopback(ctx, srv, timer, d)
		var te loopback.TimeoutError
		if errors.As(err, &te) {
			ch := v.failf(id, 0, "%s", err)
			ch.Fix = "if Microsoft showed an error page, copy its AADSTS line into `byok doctor`, or run verify again with --redirect paste and paste it"
			if v.Paste != nil {
				// the person could paste while waiting (demo has no --redirect)
				ch.Fix = "if Microsoft showed an error page, paste its text while byok waits for the browser, or copy its AADSTS line into `byok doctor`"
			}
			return ch, nil
		}
		if err != nil {
			return flow.Check{}, err
		}
		if pasted != "" {
			how = "from the address the browser landed on"
			var bad *flow.Check
			if p, bad = v.parsePaste(pasted, state); bad != nil {
				return *bad, nil
			}
		}
	} else {
		how = "from the address the browser landed on"
		text, err := r.Paste(ctx)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return flow.Check{}, cerr
			}
			return flow.Check{}, fmt.Errorf("read pasted address: %w", err)
		}
		var bad *flow.Check
		if p, bad = v.parsePaste(text, state); bad != nil {
			return *bad, nil
		}
	}
	if p.Failed() {
		m := msError{Error: p.Error, Description: p.Description}
		if p.AADSTS != 0 && m.code() == 0 {
			m.Codes = []int{p.AADSTS}
		}
		ch := v.fail(id, m, "Microsoft refused the sign-in")
		if mode == ModeLoopback && ch.Code == 50011 {
			// The URI refused is the loopback one byok sent, not Hiveku's.
			ch.Fix = "register http://localhost under Authentication > Web in the app registration (Microsoft accepts any port for it), " +
				"as `byok setup --resume NAME --add-loopback` describes, or run verify with --redirect paste"
		}
		return ch, nil
	}
	s.code = p.Code.Reveal()
	return flow.Check{ID: id, Status: flow.Pass, Detail: "consent given; code received " + how}, nil
}

// parsePaste reads what the person pasted for the sign-in with state: a
// redirect address (whose state must match) or an error page's text. A
// paste byok cannot use comes back as the failed check.
func (v *Verifier) parsePaste(text, state string) (Pasted, *flow.Check) {
	id := flow.CheckConsent
	p, err := ParsePasted(text)
	if err != nil {
		var fe *flow.Error
		if errors.As(err, &fe) {
			return p, &flow.Check{ID: id, Status: flow.Fail, Detail: fe.Message, Fix: fe.Fix}
		}
		ch := v.failf(id, 0, "%s", err)
		return p, &ch
	}
	if p.State != "" && p.State != state {
		ch := v.failf(id, 0, "the pasted address belongs to another sign-in (its state does not match)")
		ch.Fix = "paste the address from the browser tab this run opened, or run verify again"
		return p, &ch
	}
	if !p.Code.IsZero() && p.State == "" {
		ch := v.failf(id, 0, "the pasted address has a code but no state, so byok cannot tell it belongs to this sign-in")
		ch.Fix = "paste the whole address from the browser's address bar"
		return p, &ch
	}
	return p, nil
}

// waitLoopback waits for the browser to come back to srv and, when a
// Paste reader is wired, for a paste at the same time: whichever comes
// first ends the wait. A paste is returned as text (pasted non-empty)
// for the caller to parse; empty pastes (Enter pressed) are ignored, and
// io.EOF from the reader leaves the browser alone to answer. Any other
// reader error stops the run. The reader's context is cancelled when the
// wait ends.
func (v *Verifier) waitLoopback(ctx context.Context, srv *loopback.Server, timer <-chan time.Time, d time.Duration) (p Pasted, pasted string, err error) {
	if v.Paste == nil {
		c, err := srv.Wait(ctx, timer, d)
		return pastedFrom(c), "", err
	}
	pctx, cancel := context.WithCancel(ctx)
	type answer struct {
		text string
		err  error
	}
	pastes := make(chan answer, 1)
	pending := false
	read := func() {
		pending = true
		go func() {
			t, err := v.Paste.ReadPaste(pctx)
			pastes <- answer{t, err}
		}()
	}
	// The reader must be done before the run goes on: it may still be
	// writing its prompt, and the Reporter writes next.
	defer func() {
		cancel()
		if pending {
			<-pastes
		}
	}()
	read()
	for {
		select {
		case c := <-srv.Results():
			return pastedFrom(c), "", nil
		case a := <-pastes:
			pending = false
			switch {
			case errors.Is(a.err, io.EOF):
				// No paste source after all (end of input): keep
				// waiting for the browser alone.
				c, err := srv.Wait(ctx, timer, d)
				return pastedFrom(c), "", err
			case a.err != nil:
				// Ctrl+C at the paste prompt, or a broken terminal:
				// the run stops, as in paste mode.
				if cerr := ctx.Err(); cerr != nil {
					return Pasted{}, "", cerr
				}
				return Pasted{}, "", a.err
			case strings.TrimSpace(a.text) == "":
				read()
			default:
				return Pasted{}, a.text, nil
			}
		case <-ctx.Done():
			return Pasted{}, "", ctx.Err()
		case <-timer:
			c, err := srv.Late(d)
			return pastedFrom(c), "", err
		}
	}
}

// checkToken redeems the code and checks the tokens.
func (v *Verifier) checkToken(ctx context.Context, c flow.Config, s *session) flow.Check {
	id := flow.CheckToken
	tok, err := s.conf.Exchange(v.oauthCtx(ctx), s.code, oauth2.VerifierOption(s.verifier))
	s.code = ""
	if err != nil {
		m, ok := tokenError(err)
		if !ok {
			return v.transportFail(id, v.Endpoints.authority(), err)
		}
		return v.fail(id, m, "code redemption refused")
	}
	s.access, s.refresh = tok.AccessToken, tok.RefreshToken
	if sc, ok := tok.Extra("scope").(string); ok {
		s.granted, s.scopeSeen = strings.Fields(sc), true
	}
	var problems []string
	if s.refresh == "" {
		problems = append(problems, "no refresh token (offline_access was not granted)")
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		problems = append(problems, "no id_token (openid was not granted)")
	} else {
		problems = append(problems, v.checkIDToken(ctx, c, s, raw)...)
	}
	if len(problems) > 0 {
		ch := v.failf(id, 0, "%s", strings.Join(problems, "; "))
		ch.Detail = clip(strings.Join(problems, "; "), 240)
		return ch
	}
	return flow.Check{ID: id, Status: flow.Pass,
		Detail: "access, refresh and ID tokens received; ID token audience, issuer, nonce and signature match"}
}

// checkIDToken returns what is wrong with the ID token.
func (v *Verifier) checkIDToken(ctx context.Context, c flow.Config, s *session, raw string) []string {
	jwt, err := parseJWT(raw)
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	cl := jwt.claims
	s.tid, s.idEmail, s.idUser = cl.Tid, cl.Email, cl.PreferredUsername
	if !cl.Aud.has(c.ClientID) {
		problems = append(problems, fmt.Sprintf("ID token audience %q is not the client ID", strings.Join(cl.Aud, ",")))
	}
	want := s.disc.Issuer
	if strings.Contains(want, "{tenantid}") {
		want = strings.ReplaceAll(want, "{tenantid}", cl.Tid)
	}
	if cl.Iss != want {
		problems = append(problems, fmt.Sprintf("ID token issuer %q is not %q", cl.Iss, want))
	}
	if cl.Nonce != s.nonce {
		problems = append(problems, "ID token nonce does not match the one sent")
	}
	if s.disc.JWKSURI != "" {
		status, body, err := v.getJSON(ctx, s.disc.JWKSURI, "")
		var set jwks
		switch {
		case err != nil:
			problems = append(problems, "signing keys unreachable: "+oneLineErr(err))
		case status != http.StatusOK || json.Unmarshal(body, &set) != nil:
			problems = append(problems, fmt.Sprintf("signing keys answered HTTP %d", status))
		default:
			if err := jwt.verifyRS256(set); err != nil {
				problems = append(problems, err.Error())
			}
		}
	}
	return problems
}

// me is the part of Graph's /me byok reads.
type me struct {
	Mail              string `json:"mail"`
	UserPrincipalName string `json:"userPrincipalName"`
}

// ConsumersTenantID is the tenant of every personal Microsoft account
// (the tid of their tokens).
const ConsumersTenantID = "9188040d-6c67-4c5b-b112-36a304b66dad"

// getGraph GETs a Graph path with the access token. Unless retry is
// false, a 429 or 503 is retried once after Retry-After (when Graph asks
// for at most maxRetryAfter), waiting on v.After so that tests need no
// clock.
func (v *Verifier) getGraph(ctx context.Context, path, bearer string, retry bool) (int, []byte, error) {
	status, body, hdr, err := v.getJSONHeader(ctx, v.Endpoints.graph()+path, bearer)
	if err != nil || !retry || (status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable) {
		return status, body, err
	}
	d, ok := retryAfter(hdr.Get("Retry-After"), v.now())
	if !ok {
		return status, body, nil
	}
	var wait <-chan time.Time
	if v.After != nil {
		wait = v.After(d)
	} else {
		t := time.NewTimer(d)
		defer t.Stop()
		wait = t.C
	}
	select {
	case <-ctx.Done():
		return 0, nil, ctx.Err()
	case <-wait:
	}
	status, body, _, err = v.getJSONHeader(ctx, v.Endpoints.graph()+path, bearer)
	return status, body, err
}

// checkMailbox reads /me and returns the signed-in address: Graph's
// mail, else (Graph has "mail": null for personal accounts and for users
// without Exchange Online) the ID token's email, the userPrincipalName
// or preferred_username. A personal account passes with that address
// (its userPrincipalName is its mail address); a work account without
// mail warns, since it may have no Exchange Online mailbox.
func (v *Verifier) checkMailbox(ctx context.Context, s *session) (flow.Check, string) {
	id := flow.CheckMailbox
	status, body, err := v.getGraph(ctx, "/v1.0/me", s.access, true)
	if err != nil {
		return v.transportFail(id, v.Endpoints.graph(), err), ""
	}
	if status != http.StatusOK {
		g := judgeGraph(status, body)
		ch := v.failf(id, 0, "Graph /me: %s", g.line)
		if g.kind == "permission" {
			ch.Fix = g.fixFor("User.Read")
		} else if g.kind != "other" {
			ch.Fix = g.fixFor("")
		}
		return ch, ""
	}
	var u me
	if err := json.Unmarshal(body, &u); err != nil {
		return v.failf(id, 0, "Graph /me answered something that is not a user"), ""
	}
	if u.Mail != "" {
		return flow.Check{ID: id, Status: flow.Pass, Detail: "signed in as " + u.Mail}, u.Mail
	}
	addr := firstNonEmpty(s.idEmail, u.UserPrincipalName, s.idUser)
	if addr == "" {
		return v.failf(id, 0, "Graph /me has neither mail nor userPrincipalName"), ""
	}
	if strings.EqualFold(s.tid, ConsumersTenantID) {
		return flow.Check{ID: id, Status: flow.Pass, Detail: "signed in as " + addr + " (personal Microsoft account)"}, addr
	}
	return flow.Check{ID: id, Status: flow.Warn, Detail: "signed in as " + addr + ", which has no mail address in Microsoft 365",
		Fix: "the user may have no Exchange Online mailbox; the access check below tells"}, addr
}

// checkRefresh redeems the refresh token once.
func (v *Verifier) checkRefresh(ctx context.Context, s *session) flow.Check {
	id := flow.CheckRefresh
	tok, err := s.conf.TokenSource(v.oauthCtx(ctx), &oauth2.Token{RefreshToken: s.refresh}).Token()
	s.refresh = ""
	if err != nil {
		m, ok := tokenError(err)
		if !ok {
			return v.transportFail(id, v.Endpoints.authority(), err)
		}
		return v.fail(id, m, "refresh refused")
	}
	if tok.AccessToken != "" {
		s.access = tok.AccessToken
	}
	return flow.Check{ID: id, Status: flow.Pass, Detail: "refresh token redeemed for a new access token"}
}

// scopeName strips a resource prefix (https://graph.microsoft.com/Mail.Read).
func scopeName(s string) string {
	if strings.Contains(s, "://") {
		if i := strings.LastIndex(s, "/"); i >= 0 {
			return s[i+1:]
		}
	}
	return s
}

// notEchoed are scopes Microsoft does not list in a token's scope.
var notEchoed = map[string]bool{"offline_access": true, "openid": true, "profile": true, "email": true}

// checkAccess makes one read-only Graph call per granted permission
// family and compares granted with requested scopes. A requested
// permission Microsoft left out of the token fails the check: Hiveku's
// features that need it would fail. Each Graph refusal gets its own cause
// and fix (no mailbox, token refused, permission denied, throttled).
func (v *Verifier) checkAccess(ctx context.Context, c flow.Config, s *session) flow.Check {
	id := flow.CheckAccess
	granted := map[string]string{} // lower → as granted
	for _, g := range s.granted {
		n := scopeName(g)
		granted[strings.ToLower(n)] = n
	}
	perms := c.Scopes
	if s.scopeSeen {
		perms = nil
		for _, g := range s.granted {
			perms = append(perms, scopeName(g))
		}
	}
	var mailRead, calendar, send bool
	var mailPerm, calPerm string
	for _, p := range perms {
		l := strings.ToLower(p)
		switch {
		case strings.HasPrefix(l, "mail.send"):
			send = true
		case strings.HasPrefix(l, "mail."):
			mailRead, mailPerm = true, firstNonEmpty(mailPerm, p)
		case strings.HasPrefix(l, "calendars."):
			calendar, calPerm = true, firstNonEmpty(calPerm, p)
		}
	}
	var (
		done, failed []string
		failedOn     = map[string]int{} // Graph's answer → index in failed
		worst        *graphProblem
		worstPerm    string
	)
	rank := map[string]int{"mailbox": 5, "permission": 4, "token": 3, "throttled": 2, "other": 1}
	throttled := false // still throttled after a retry: no more waiting
	call := func(what, path, perm string) {
		status, body, err := v.getGraph(ctx, path, s.access, !throttled)
		switch {
		case err != nil:
			failed = append(failed, what+": no answer: "+oneLineErr(err))
		case status != http.StatusOK:
			g := judgeGraph(status, body)
			throttled = throttled || g.kind == "throttled"
			if i, ok := failedOn[g.line]; ok {
				// the same answer for both calls: say it once
				failed[i] = strings.Replace(failed[i], ": ", " and "+what+": ", 1)
			} else {
				failedOn[g.line] = len(failed)
				failed = append(failed, what+": "+strings.TrimSuffix(g.line, "."))
			}
			if worst == nil || rank[g.kind] > rank[worst.kind] {
				worst, worstPerm = &g, perm
			}
		default:
			done = append(done, what+" listed")
		}
	}
	if mailRead {
		call("mail folders", "/v1.0/me/mailFolders?$top=1", mailPerm)
	}
	if calendar {
		call("calendars", "/v1.0/me/calendars?$top=1", calPerm)
	}
	if send {
		done = append(done, "Mail.Send granted (no mail sent)")
	}
	var missing []string
	if s.scopeSeen {
		for _, want := range c.Scopes {
			l := strings.ToLower(scopeName(want))
			if notEchoed[l] {
				continue
			}
			if _, ok := granted[l]; !ok {
				missing = append(missing, want)
			}
		}
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "Microsoft did not grant "+strings.Join(missing, ", "))
	}
	parts = append(parts, failed...)
	if len(parts) > 0 {
		ch := flow.Check{ID: id, Status: flow.Fail, Detail: clip(strings.Join(parts, "; ")+describe(done), 240)}
		switch {
		case worst != nil && worst.kind == "mailbox":
			ch.Fix = fixMailbox
		case len(missing) > 0:
			ch.Fix = missingFix(missing, strings.EqualFold(s.tid, ConsumersTenantID))
		case worst != nil:
			ch.Fix = worst.fixFor(worstPerm)
		default:
			ch.Fix = checkFixes["access"]
		}
		return ch
	}
	if len(done) == 0 {
		return flow.Check{ID: id, Status: flow.Warn, Detail: "no mail or calendar permission was granted to test",
			Fix: v.fix(id, 0, "")}
	}
	if !s.scopeSeen {
		return flow.Check{ID: id, Status: flow.Warn, Detail: clip(strings.Join(done, "; ")+"; Microsoft did not say which scopes were granted", 240)}
	}
	return flow.Check{ID: id, Status: flow.Pass, Detail: clip(strings.Join(done, "; "), 240)}
}

// missingFix is the fix for requested permissions Microsoft left out of
// the token.
func missingFix(missing []string, personal bool) string {
	names := strings.Join(missing, ", ")
	if personal {
		return "a personal Microsoft account cannot hold " + names + " (Microsoft leaves it out without an error): remove it under " +
			portalPermissions + " and from byok's config, or connect a work or school account"
	}
	return "add " + names + " as delegated Microsoft Graph permissions under " + portalPermissions +
		" > Add a permission, grant consent (Grant admin consent if the tenant requires it), and run verify again"
}

func describe(done []string) string {
	if len(done) == 0 {
		return ""
	}
	return "; " + strings.Join(done, "; ")
}
