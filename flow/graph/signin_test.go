package graph_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/graph"
	"github.com/hiveku/byok/flow/sim"
)

func TestDeviceCodePollsUntilSignedIn(t *testing.T) {
	w := newWorld(t, nil)
	si := w.signIn(t, "")
	si.OpenBrowser = nil
	var prompt graph.DevicePrompt
	// The second sleep is cut short (the clock moves 1s), so the second
	// poll comes too early and Microsoft answers slow_down; the person
	// enters the code during the third sleep.
	approved := false
	w.clock.onWake = func(n int) {
		if n == 3 && !approved {
			approved = true
			if err := w.sim.ApproveDevice(prompt.UserCode, "megan@contoso.com"); err != nil {
				t.Errorf("ApproveDevice() error = %v", err)
			}
		}
	}
	w.clock.step = func(n int, d time.Duration) time.Duration {
		if n == 2 {
			return time.Second
		}
		return d
	}
	sess, err := si.DeviceCode(context.Background(), graph.ScopesFor(true, false), func(p graph.DevicePrompt) { prompt = p })
	if err != nil {
		t.Fatalf("DeviceCode() error = %v", err)
	}
	if prompt.UserCode == "" || !strings.HasSuffix(prompt.VerificationURI, "/devicelogin") || prompt.ExpiresIn != 15*time.Minute {
		t.Errorf("prompt = %+v", prompt)
	}
	if sess.TenantID != sim.ContosoTenantID || sess.Username != "megan@contoso.com" {
		t.Errorf("session = %v in %s", sess, sess.TenantID)
	}
	// 5s: pending; 1s: too early → slow_down, interval 10s; 10s: tokens
	if got, want := fmt.Sprint(w.clock.slept), "[5s 5s 10s]"; got != want {
		t.Errorf("slept %s, want %s", got, want)
	}
}

func TestDeviceCodeExpires(t *testing.T) {
	w := newWorld(t, nil)
	si := w.signIn(t, "")
	w.clock.step = func(n int, d time.Duration) time.Duration { return 16 * time.Minute }
	_, err := si.DeviceCode(context.Background(), graph.ScopesFor(true, false), nil)
	if flow.ErrorCode(err) != flow.EFAILED || !strings.Contains(err.Error(), "expired") {
		t.Fatalf("DeviceCode() error = %v, want the code's expiry", err)
	}
	if len(w.clock.slept) != 1 {
		t.Errorf("polled %d times after expiry", len(w.clock.slept))
	}
}

func TestDeviceCodeDeclinedForNonAdmin(t *testing.T) {
	w := newWorld(t, nil)
	si := w.signIn(t, "")
	var code string
	w.clock.onWake = func(n int) {
		if n == 1 {
			_ = w.sim.ApproveDevice(code, "alex@contoso.com")
		}
	}
	_, err := si.DeviceCode(context.Background(), graph.ScopesFor(true, false), func(p graph.DevicePrompt) { code = p.UserCode })
	var ae *graph.AuthError
	if !errors.As(err, &ae) || ae.OAuth != "authorization_declined" || ae.Code != 90094 {
		t.Fatalf("DeviceCode() error = %v, want authorization_declined AADSTS90094", err)
	}
}

func TestBrowserSignInRefusesPersonalAccountTenant(t *testing.T) {
	w := newWorld(t, nil)
	si := w.signIn(t, "sam@outlook.com")
	si.Tenant = "common"
	sess, err := si.Browser(context.Background(), graph.ScopesFor(true, false), nil)
	if err != nil {
		t.Fatalf("Browser() error = %v", err)
	}
	if !sess.Personal() {
		t.Fatalf("session tenant %s is not the personal-account tenant", sess.TenantID)
	}
	gc := &graph.Client{HTTP: w.srv.Client(), Host: w.srv.URL, Session: sess}
	_, err = gc.CreateApplication(context.Background(), graph.NewApplication{DisplayName: "x", SignInAudience: flow.MultiTenantPersonal})
	var ge *graph.Error
	if !errors.As(err, &ge) || !ge.Denied() {
		t.Fatalf("CreateApplication() error = %v, want a refusal", err)
	}
}

func TestBrowserSignInTimesOut(t *testing.T) {
	w := newWorld(t, nil)
	si := w.signIn(t, "alex@contoso.com") // a user: "Need admin approval" page
	si.After = func(time.Duration) <-chan time.Time {
		ch := make(chan time.Time, 1)
		ch <- testNow
		return ch
	}
	var shown string
	_, err := si.Browser(context.Background(), graph.ScopesFor(true, false), func(u string, opened bool) { shown = u })
	if flow.ErrorCode(err) != flow.EFAILED {
		t.Fatalf("Browser() error = %v, want the wait to end", err)
	}
	if !strings.Contains(shown, "client_id="+graph.CommandLineToolsID) || !strings.Contains(shown, "Application.ReadWrite.All") ||
		strings.Contains(shown, "DelegatedPermissionGrant") || !strings.Contains(shown, "code_challenge_method=S256") {
		t.Errorf("authorize URL = %s", shown)
	}
}

func TestSessionNeverPrintsToken(t *testing.T) {
	s := graph.NewSession("eyJ0eXAiOiJKV1QiLCJhbGciOi.secret-token", sim.ContosoTenantID, "megan@contoso.com")
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if out := fmt.Sprintf(f, s); strings.Contains(out, "secret-token") {
			t.Errorf("%s of a session = %q", f, out)
		}
	}
}

// The admin's sign-in comes back to http://localhost:PORT/, which the
// browser may resolve to ::1: both loopback addresses on the same port
// are byok's, so no other process can take one and receive the code, and
// the browser lands on byok's page rather than plain text.
func TestBrowserSignInBindsBothLoopbacks(t *testing.T) {
	w := newWorld(t, nil)
	si := w.signIn(t, "megan@contoso.com")
	var asked []string
	si.Listen = func(network, addr string) (net.Listener, error) {
		asked = append(asked, addr)
		return net.Listen(network, addr)
	}
	var page string
	si.OpenBrowser = func(u string) error {
		landed, err := w.sim.Consent(context.Background(), w.srv.Client(), u, "megan@contoso.com", true)
		if err != nil {
			return err
		}
		resp, err := http.Get(strings.Replace(landed, "localhost", "127.0.0.1", 1))
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		page = string(b)
		return nil
	}
	var shown string
	if _, err := si.Browser(context.Background(), graph.ScopesFor(true, false), func(u string, _ bool) { shown = u }); err != nil {
		t.Fatalf("Browser() = %v", err)
	}
	if len(asked) == 0 || asked[0] != "127.0.0.1:0" {
		t.Fatalf("Listen(%q), want 127.0.0.1:0 first", asked)
	}
	if probe, err := net.Listen("tcp", "[::1]:0"); err == nil {
		probe.Close()
		q, _ := url.Parse(shown)
		port := strings.TrimSuffix(strings.TrimPrefix(q.Query().Get("redirect_uri"), "http://localhost:"), "/")
		if len(asked) < 2 || asked[1] != "[::1]:"+port {
			t.Errorf("Listen(%q), want [::1]:%s second", asked, port)
		}
	}
	if !strings.Contains(page, "<h1>Done</h1>") || !strings.Contains(page, `lang="en"`) {
		t.Errorf("landing page = %q, want byok's Done page", page)
	}
}
