package verify

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// testConfig is a config that passes the offline checks.
func testConfig(loopback bool) flow.Config {
	return flow.Config{
		Name:        "Acme Hiveku",
		AccountType: flow.SingleTenant,
		RedirectURI: flow.HivekuRedirectURI,
		Loopback:    loopback,
		Scopes:      []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
		ClientID:    fakeClient,
		DirectoryID: fakeTenant,
		Tenant:      fakeTenant,
		Secret:      flow.Secret(fakeSecret),
		SecretInfo: flow.SecretInfo{Description: "Hiveku prod", Hint: "abc…",
			Created: testNow.AddDate(0, -1, 0), Expires: testNow.AddDate(1, 0, 0)},
	}
}

// testReporter records what the engine reports; paste answers Paste.
type testReporter struct {
	mu       sync.Mutex
	started  []string
	finished []flow.Check
	urls     []string
	opened   []bool
	paste    func(ctx context.Context) (string, error)
}

func (r *testReporter) Started(id string) {
	r.mu.Lock()
	r.started = append(r.started, id)
	r.mu.Unlock()
}
func (r *testReporter) Finished(c flow.Check) {
	r.mu.Lock()
	r.finished = append(r.finished, c)
	r.mu.Unlock()
}
func (r *testReporter) ConsentURL(u string, opened bool) {
	r.mu.Lock()
	r.urls = append(r.urls, u)
	r.opened = append(r.opened, opened)
	r.mu.Unlock()
}
func (r *testReporter) Paste(ctx context.Context) (string, error) {
	if r.paste == nil {
		return "", errors.New("testReporter: unexpected Paste")
	}
	return r.paste(ctx)
}

// fakeBrowser follows the authorize URL like a browser would (without
// JavaScript): it records where it landed (the redirect's Location, or the
// error page's text) and, when deliver is true, follows the redirect to
// the loopback listener.
type fakeBrowser struct {
	tb      testing.TB
	deliver bool
	landed  string
	page    string
	status  int // status of the loopback's answer
	done    chan time.Time
}

func newFakeBrowser(tb testing.TB, deliver bool) *fakeBrowser {
	return &fakeBrowser{tb: tb, deliver: deliver, done: make(chan time.Time, 1)}
}

func (b *fakeBrowser) open(u string) error {
	defer func() { b.done <- time.Time{} }()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(u)
	if err != nil {
		b.tb.Errorf("browser: GET authorize: %v", err)
		return nil
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		b.page = stripTags(string(body))
		return nil
	}
	b.landed = resp.Header.Get("Location")
	lu, err := url.Parse(b.landed)
	if err != nil {
		b.tb.Errorf("browser: bad Location: %v", err)
		return nil
	}
	// Only the loopback listener is ever contacted: never the network.
	if b.deliver && (lu.Hostname() == "localhost" || lu.Hostname() == "127.0.0.1") {
		resp, err := noFollow.Get(b.landed)
		if err != nil {
			b.tb.Errorf("browser: GET callback: %v", err)
			return nil
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		b.status = resp.StatusCode
	}
	return nil
}

// stripTags turns an HTML page into the text a person would copy.
func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
			b.WriteByte('\n')
		case r == '>':
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// newTestVerifier returns a verifier pointed at f with a recording
// listener; the timer fires when the browser has finished.
func newTestVerifier(f *fakeMS, b *fakeBrowser) (*Verifier, *[]net.Listener) {
	var lns []net.Listener
	v := &Verifier{
		HTTP:        f.srv.Client(),
		Now:         func() time.Time { return testNow },
		OpenBrowser: b.open,
		Listen: func(network, addr string) (net.Listener, error) {
			ln, err := net.Listen(network, addr)
			if err == nil {
				lns = append(lns, ln)
			}
			return ln, err
		},
		Endpoints: f.endpoints(),
		Timeout:   5 * time.Minute,
		After:     func(time.Duration) <-chan time.Time { return b.done },
		Diagnose:  testCatalog(),
	}
	return v, &lns
}

// liveChecks returns the run's live checks by ID.
func liveChecks(run flow.Run) map[string]flow.Check {
	m := map[string]flow.Check{}
	for _, c := range run.Checks {
		m[c.ID] = c
	}
	return m
}

var liveIDs = []string{flow.CheckDiscovery, flow.CheckCreds, flow.CheckConsent, flow.CheckToken, flow.CheckMailbox, flow.CheckRefresh, flow.CheckAccess}

func TestVerifyLoopback(t *testing.T) {
	f := newFakeMS(t)
	f.extraRedirect = []string{"http://localhost"}
	b := newFakeBrowser(t, true)
	v, lns := newTestVerifier(f, b)
	rep := &testReporter{}

	run, err := v.Verify(context.Background(), testConfig(true), rep, false)
	if err != nil {
		t.Fatalf("Verify() error = %v", err)
	}
	got := liveChecks(run)
	for _, id := range liveIDs {
		if got[id].Status != flow.Pass {
			t.Errorf("check %s = %s (%s), want pass", id, got[id].Status, got[id].Detail)
		}
	}
	if !run.OK || run.Email != fakeUserMail || run.Name != "Acme Hiveku" || !run.At.Equal(testNow) {
		t.Errorf("run = ok %v email %q name %q at %v", run.OK, run.Email, run.Name, run.At)
	}
	if b.status != http.StatusOK {
		t.Errorf("loopback answered the browser %d, want 200", b.status)
	}
	if len(rep.urls) != 1 || !rep.opened[0] {
		t.Fatalf("ConsentURL calls = %v opened %v, want one with opened", rep.urls, rep.opened)
	}
	// Started/Finished pair up, in order.
	if len(rep.started) != len(rep.finished) {
		t.Errorf("Started %d times, Finished %d times", len(rep.started), len(rep.finished))
	}

	// The authorize request.
	q := f.authQuery
	for k, want := range map[string]string{
		"client_id": fakeClient, "response_type": "code", "response_mode": "query",
		"prompt": "consent", "code_challenge_method": "S256",
	} {
		if q.Get(k) != want {
			t.Errorf("authorize %s = %q, want %q", k, q.Get(k), want)
		}
	}
	for _, k := range []string{"state", "nonce", "code_challenge"} {
		if len(q.Get(k)) < 32 {
			t.Errorf("authorize %s = %q, want a random value", k, q.Get(k))
		}
	}
	if q.Get("state") == q.Get("nonce") {
		t.Error("state and nonce are equal, want independent random values")
	}
	scopes := strings.Fields(q.Get("scope"))
	for _, s := range []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite", "openid", "profile", "email"} {
		if !contains(scopes, s) {
			t.Errorf("authorize scope %q lacks %s", q.Get("scope"), s)
		}
	}
	ru, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || ru.Scheme != "http" || ru.Hostname() != "localhost" || ru.Port() == "" || ru.Path != "/" {
		t.Errorf("redirect_uri = %q, want http://localhost:PORT/", q.Get("redirect_uri"))
	}

	// Token requests: client credentials, code, refresh.
	if len(f.tokenReqs) != 3 {
		t.Fatalf("token requests = %d, want 3", len(f.tokenReqs))
	}
	cc, code, rt := f.tokenReqs[0], f.tokenReqs[1], f.tokenReqs[2]
	if cc.form.Get("grant_type") != "client_credentials" || cc.tenant != fakeTenant || cc.form.Get("scope") != "https://graph.microsoft.com/.default" {
		t.Errorf("client credentials = tenant %s %v", cc.tenant, cc.form.Get("scope"))
	}
	if code.form.Get("grant_type") != "authorization_code" {
		t.Fatalf("second token request grant = %q", code.form.Get("grant_type"))
	}
	sum := sha256.Sum256([]byte(code.form.Get("code_verifier")))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != q.Get("code_challenge") {
		t.Error("code_verifier does not hash (S256) to the code_challenge")
	}
	if n := len(code.form.Get("code_verifier")); n < 43 || n > 128 {
		t.Errorf("code_verifier length %d, want 43–128", n)
	}
	if code.form.Get("redirect_uri") != q.Get("redirect_uri") {
		t.Errorf("token redirect_uri %q != authorize %q", code.form.Get("redirect_uri"), q.Get("redirect_uri"))
	}
	for i, tr := range f.tokenReqs {
		if tr.form.Get("client_secret") != fakeSecret {
			t.Errorf("token request %d: secret not in the form body", i)
		}
		if tr.origin != "" {
			t.Errorf("token request %d carried Origin %q", i, tr.origin)
		}
		if !strings.HasPrefix(tr.ctype, "application/x-www-form-urlencoded") {
			t.Errorf("token request %d content type %q", i, tr.ctype)
		}
	}
	if rt.form.Get("grant_type") != "refresh_token" {
		t.Errorf("third token request grant = %q", rt.form.Get("grant_type"))
	}

	// Graph: read-only calls only, never a send.
	wantHits := []string{"GET /me?", "GET /me/mailFolders?$top=1", "GET /me/calendars?$top=1"}
	if fmt.Sprint(f.graphHits) != fmt.Sprint(wantHits) {
		t.Errorf("graph calls = %q, want %q", f.graphHits, wantHits)
	}

	// Listeners: 127.0.0.1, and [::1] on the same port where IPv6
	// exists; loopback only; all closed afterwards.
	if len(*lns) == 0 {
		t.Fatal("no listener")
	}
	addr := (*lns)[0].Addr().(*net.TCPAddr)
	if !addr.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("listener bound %v, want 127.0.0.1", addr)
	}
	for _, ln := range *lns {
		a := ln.Addr().(*net.TCPAddr)
		if !a.IP.IsLoopback() {
			t.Errorf("listener bound %v, not loopback", a)
		}
		if c, err := net.Dial("tcp", a.String()); err == nil {
			c.Close()
			t.Errorf("listener %v still accepts connections after Verify returned", a)
		}
	}
	if len(*lns) > 1 {
		if a := (*lns)[1].Addr().(*net.TCPAddr); !a.IP.Equal(net.IPv6loopback) || a.Port != addr.Port {
			t.Errorf("second listener %v, want [::1]:%d", a, addr.Port)
		}
	}

	// No secret or token in anything reported.
	assertNoSecrets(t, fmt.Sprintf("%+v %#v %v", run, run, rep.finished))
}

func TestVerifyPaste(t *testing.T) {
	f := newFakeMS(t)
	b := newFakeBrowser(t, false)
	v, lns := newTestVerifier(f, b)
	rep := &testReporter{paste: func(ctx context.Context) (string, error) {
		if b.landed == "" {
			t.Error("Paste called before the browser was opened")
		}
		return "  " + b.landed + "\n", nil
	}}
	run, err := v.Verify(context.Background(), testConfig(false), rep, false)
	if err != nil {
		t.Fatalf("Verify() error = %v", err)
	}
	got := liveChecks(run)
	for _, id := range liveIDs {
		if got[id].Status != flow.Pass {
			t.Errorf("check %s = %s (%s), want pass", id, got[id].Status, got[id].Detail)
		}
	}
	if f.authQuery.Get("redirect_uri") != flow.HivekuRedirectURI {
		t.Errorf("paste mode redirect_uri = %q, want the Hiveku callback", f.authQuery.Get("redirect_uri"))
	}
	if len(*lns) != 0 {
		t.Errorf("paste mode opened %d listeners", len(*lns))
	}
	// The address may have been pasted by a person or handed over by the
	// demo's simulated browser: say where it came from, not who pasted it.
	if d := got[flow.CheckConsent].Detail; !strings.Contains(d, "from the address the browser landed on") {
		t.Errorf("consent detail %q does not say the code came from the address the browser landed on", d)
	}
}

func TestVerifyNoBrowser(t *testing.T) {
	f := newFakeMS(t)
	b := newFakeBrowser(t, false)
	v, _ := newTestVerifier(f, b)
	v.NoBrowser = true
	v.OpenBrowser = func(string) error { t.Error("OpenBrowser called with NoBrowser"); return nil }
	rep := &testReporter{}
	rep.paste = func(ctx context.Context) (string, error) {
		// The person opens the printed URL themselves.
		b.open(rep.urls[0])
		return b.landed, nil
	}
	run, err := v.Verify(context.Background(), testConfig(false), rep, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.opened) != 1 || rep.opened[0] {
		t.Errorf("ConsentURL opened = %v, want [false]", rep.opened)
	}
	if !run.OK {
		t.Errorf("run not OK: %+v", run.Checks)
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func assertNoSecrets(tb testing.TB, s string) {
	tb.Helper()
	for _, bad := range []string{fakeSecret, "at-", "rt-", "code-", "eyJ"} {
		if strings.Contains(s, bad) {
			tb.Errorf("output contains %q:\n%s", bad, s)
		}
	}
}

func TestSessionRedacts(t *testing.T) {
	s := &session{conf: oauthConfig(Endpoints{}, testConfig(false), "http://localhost:1/"), access: "at-1", refresh: "rt-1", code: "code-1", verifier: "v"}
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		assertNoSecrets(t, fmt.Sprintf(f, s))
		assertNoSecrets(t, fmt.Sprintf(f, *s))
	}
}
