package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sim"
	"github.com/hiveku/byok/flow/verify"
	"github.com/hiveku/byok/storage"
)

const verifyTestSecret = "Vrf8Q~cmdTestSecretValue.0123456789-abcd"

// verifyTestConfig is a config that passes the offline checks at testNow.
func verifyTestConfig() flow.Config {
	return flow.Config{
		Name:        "Acme Hiveku",
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: flow.HivekuRedirectURI,
		Scopes:      []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
		ClientID:    "2f7c3a9e-5d41-4b8a-9c6e-0d1f2a3b4c5d",
		DirectoryID: "4b0c1d2e-7f3a-4c5b-9d6e-1a2b3c4d5e6f",
		Tenant:      "common",
		Secret:      verifyTestSecret,
		SecretInfo: flow.SecretInfo{Description: "Hiveku prod", Hint: "Vrf…",
			Created: testNow.AddDate(0, -1, 0), Expires: testNow.AddDate(1, 0, 0)},
	}
}

func verifySave(t *testing.T, f *Factory, c flow.Config) {
	t.Helper()
	if err := testStore(t, f).SaveConfig(context.Background(), c, false); err != nil {
		t.Fatalf("save config: %v", err)
	}
}

func TestVerifyOfflineText(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	verifySave(t, f, verifyTestConfig())
	if code := runCmd(t, f, "verify", "acme hiveku", "--offline"); code != 0 {
		t.Fatalf("exit %d, want 0; stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	out := stdout.String()
	if !strings.HasPrefix(out, "Verifying Acme Hiveku\n") {
		t.Errorf("output starts %q", out)
	}
	for _, id := range []string{flow.CheckRedirect, flow.CheckScopes, flow.CheckAudience, flow.CheckSecret, flow.CheckExpiry} {
		if !strings.Contains(out, "✓ "+id) {
			t.Errorf("checklist lacks a passed %s line:\n%s", id, out)
		}
	}
	for _, id := range []string{flow.CheckDiscovery, flow.CheckConsent} {
		if strings.Contains(out, id) {
			t.Errorf("offline run shows live check %s", id)
		}
	}
	if !strings.Contains(out, "Offline checks passed. Run byok verify 'Acme Hiveku' for the live test.") &&
		!strings.Contains(out, "Offline checks passed. Run byok verify \"Acme Hiveku\" for the live test.") {
		t.Errorf("summary missing:\n%s", out)
	}
	runs, err := testStore(t, f).Runs(context.Background(), "Acme Hiveku", 5)
	if err != nil || len(runs) != 1 || !runs[0].Offline || !runs[0].OK {
		t.Errorf("stored runs = %+v, %v; want one offline OK run", runs, err)
	}
	verifyNoSecret(t, stdout, stderr)
}

func TestVerifyOfflineJSON(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	verifySave(t, f, verifyTestConfig())
	if code := runCmd(t, f, "verify", "Acme Hiveku", "--offline", "--json"); code != 0 {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, stdout)
	}
	if keys := verifyKeys(got); keys != "checks,email,name,ok" {
		t.Errorf("keys = %s, want checks,email,name,ok", keys)
	}
	var checks []map[string]json.RawMessage
	if err := json.Unmarshal(got["checks"], &checks); err != nil || len(checks) == 0 {
		t.Fatalf("checks = %s", got["checks"])
	}
	for _, c := range checks {
		if keys := verifyKeys(c); keys != "code,detail,fix,id,status" {
			t.Errorf("check keys = %s, want code,detail,fix,id,status", keys)
		}
	}
	if string(got["ok"]) != "true" || string(got["name"]) != `"Acme Hiveku"` {
		t.Errorf("ok = %s name = %s", got["ok"], got["name"])
	}
	verifyNoSecret(t, stdout, stderr)
}

func verifyKeys[V any](m map[string]V) string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return strings.Join(ks, ",")
}

func TestVerifyOfflineFailureExit1(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	c := verifyTestConfig()
	c.SecretInfo.Created = testNow.AddDate(-2, 0, 0)
	c.SecretInfo.Expires = testNow.AddDate(0, 0, -2)
	verifySave(t, f, c)
	if code := runCmd(t, f, "verify", "Acme Hiveku", "--offline"); code != 1 {
		t.Fatalf("exit %d, want 1; stdout:\n%s", code, stdout)
	}
	out := stdout.String()
	if !strings.Contains(out, "✗ "+flow.CheckExpiry) || !strings.Contains(out, "    fix: ") {
		t.Errorf("want a failed secret-expiry line with an indented fix:\n%s", out)
	}
	if !strings.Contains(out, "1 check failed: "+flow.CheckExpiry) {
		t.Errorf("summary missing:\n%s", out)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing (ErrSilent)", stderr)
	}
}

func TestVerifyUsageErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
		msg  string
	}{
		{"no name", []string{"verify"}, 2, "missing NAME"},
		{"unknown cloud", []string{"verify", "Acme Hiveku", "--cloud", "mars"}, 2, "cloud"},
		{"unknown redirect mode", []string{"verify", "Acme Hiveku", "--redirect", "device"}, 2, "redirect"},
		{"bad authority host", []string{"verify", "Acme Hiveku", "--authority-host", "login.example"}, 2, "--authority-host"},
		{"bad graph host", []string{"verify", "Acme Hiveku", "--graph-host", "https://graph.example/v1.0"}, 2, "--graph-host"},
		{"zero timeout", []string{"verify", "Acme Hiveku", "--timeout", "0s"}, 2, "--timeout"},
		{"unknown config", []string{"verify", "Nope", "--offline"}, 1, `no config named "Nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			verifySave(t, f, verifyTestConfig())
			if code := runCmd(t, f, tt.args...); code != tt.want {
				t.Errorf("exit %d, want %d; stderr %s", code, tt.want, stderr)
			}
			if !strings.Contains(stderr.String(), tt.msg) {
				t.Errorf("stderr %q lacks %q", stderr, tt.msg)
			}
		})
	}
}

func TestVerifyFlags(t *testing.T) {
	f, _, _ := newTestFactory(t)
	var got *VerifyOptions
	c := newCmdVerify(f, func(o *VerifyOptions) error { got = o; return nil })
	c.SetArgs([]string{"Acme", "--cloud", "usgov", "--redirect", "paste", "--no-browser", "--timeout", "90s",
		"--authority-host", "http://127.0.0.1:8080", "--graph-host", "http://127.0.0.1:8080", "--json", "--offline"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Name != "Acme" || got.Cloud != "usgov" || got.Redirect != "paste" || !got.NoBrowser || got.Timeout != 90*time.Second ||
		got.AuthorityHost != "http://127.0.0.1:8080" || got.GraphHost != "http://127.0.0.1:8080" || !got.JSON || !got.Offline {
		t.Errorf("options = %+v", got)
	}
	c = newCmdVerify(f, func(o *VerifyOptions) error { got = o; return nil })
	c.SetArgs([]string{"Acme"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Cloud != "global" || got.Redirect != "auto" || got.Timeout != 5*time.Minute || got.NoBrowser {
		t.Errorf("defaults = %+v", got)
	}
}

// verifySimOptions wires verifyRun to the simulator for scenario sc: a
// real SQLite store in a temp dir, and a browser that signs in on the
// simulator and "pastes" the landed address into standard input.
func verifySimOptions(t *testing.T, scenario string) (*VerifyOptions, *bytes.Buffer, *bytes.Buffer, flow.Store) {
	t.Helper()
	sc, ok := sim.FindScenario(scenario, testNow)
	if !ok {
		t.Fatalf("no scenario %s", scenario)
	}
	s := sim.New(sc.Options)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	st, err := storage.Open(context.Background(), storage.Options{Path: t.TempDir() + "/byok.db", Key: testKey, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("open storage: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.SaveConfig(context.Background(), sc.Config, false); err != nil {
		t.Fatalf("save config: %v", err)
	}
	ios, stdin, stdout, stderr := Test()
	opts := &VerifyOptions{
		IO:    ios,
		Store: func(context.Context) (flow.Store, error) { return st, nil },
		Now:   func() time.Time { return testNow },
		Verifier: func() *verify.Verifier {
			return &verify.Verifier{
				HTTP: ts.Client(),
				OpenBrowser: func(u string) error {
					landed, err := s.Consent(context.Background(), ts.Client(), u, sc.User, sc.Accept)
					var ep *sim.ErrorPage
					if errors.As(err, &ep) {
						stdin.WriteString(ep.Text)
						return nil
					}
					if err != nil {
						t.Errorf("browser: %v", err)
					}
					stdin.WriteString(landed + "\n")
					return nil
				},
			}
		},
		Name: sc.Config.Name, AuthorityHost: ts.URL, GraphHost: ts.URL, Cloud: "global",
		Redirect: "auto", Timeout: 5 * time.Minute,
	}
	return opts, stdout, stderr, st
}

func TestVerifyLiveAgainstSimulator(t *testing.T) {
	opts, stdout, stderr, st := verifySimOptions(t, "happy")
	if err := verifyRun(context.Background(), opts); err != nil {
		t.Fatalf("verifyRun() = %v\nstdout:\n%s\nstderr:\n%s", err, stdout, stderr)
	}
	out := stdout.String()
	for _, id := range []string{flow.CheckDiscovery, flow.CheckCreds, flow.CheckConsent, flow.CheckToken, flow.CheckMailbox, flow.CheckRefresh, flow.CheckAccess} {
		if !strings.Contains(out, "✓ "+id) {
			t.Errorf("checklist lacks a passed %s line:\n%s", id, out)
		}
	}
	if !strings.Contains(out, "It works: signed in as alex@contoso.com.") {
		t.Errorf("summary missing:\n%s", out)
	}
	if !strings.Contains(stderr.String(), "/oauth2/v2.0/authorize?") || !strings.Contains(stderr.String(), "standard input") {
		t.Errorf("stderr lacks the consent URL or the paste prompt:\n%s", stderr)
	}
	runs, err := st.Runs(context.Background(), "Acme Hiveku", 1)
	if err != nil || len(runs) != 1 || runs[0].Email != "alex@contoso.com" || !runs[0].OK {
		t.Errorf("stored run = %+v, %v", runs, err)
	}
	verifyNoSecret(t, stdout, stderr)
	if strings.Contains(stdout.String()+stderr.String(), sim.DemoSecretValue) {
		t.Error("output shows the client secret")
	}
}

func TestVerifyLiveFailureJSON(t *testing.T) {
	opts, stdout, stderr, _ := verifySimOptions(t, "secret-id-pasted")
	opts.JSON = true
	if err := verifyRun(context.Background(), opts); !errors.Is(err, ErrSilent) {
		t.Fatalf("verifyRun() = %v, want ErrSilent", err)
	}
	var got verifyJSON
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	var secret verifyCheckJSON
	for _, c := range got.Checks {
		if c.ID == flow.CheckCreds {
			secret = c
		}
	}
	if got.OK || secret.Status != flow.Fail || secret.Code != 7000215 || secret.Fix == "" {
		t.Errorf("result = ok %v, secret check %+v", got.OK, secret)
	}
	if strings.Contains(stdout.String()+stderr.String(), sim.DemoOldSecretValue) {
		t.Error("output shows the client secret")
	}
}

func TestVerifyLiveErrorPagePasted(t *testing.T) {
	opts, stdout, _, _ := verifySimOptions(t, "redirect-mismatch")
	if err := verifyRun(context.Background(), opts); !errors.Is(err, ErrSilent) {
		t.Fatalf("verifyRun() = %v, want ErrSilent", err)
	}
	if !strings.Contains(stdout.String(), "✗ consent") || !strings.Contains(stdout.String(), "AADSTS50011") {
		t.Errorf("want the consent failure with AADSTS50011:\n%s", stdout)
	}
}

func TestVerifyPasteTTYReadsOneLine(t *testing.T) {
	ios, stdin, _, stderr := Test()
	ios.SetStdinTTY(true)
	stdin.WriteString("https://app.hiveku.com/cb?code=x&state=y\nnext line\n")
	r := newVerifyReporter(ios, false, "")
	got, err := r.Paste(context.Background())
	if err != nil || got != "https://app.hiveku.com/cb?code=x&state=y\n" {
		t.Errorf("Paste() = %q, %v", got, err)
	}
	if !strings.Contains(stderr.String(), "press Enter") {
		t.Errorf("prompt = %q", stderr)
	}
}

func TestVerifyPasteCancelled(t *testing.T) {
	ios, _, _, _ := Test()
	pr, pw := io.Pipe() // nobody types
	t.Cleanup(func() { pw.Close() })
	ios.In = pr
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := newVerifyReporter(ios, false, "")
	if _, err := r.Paste(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Paste() error = %v, want context.Canceled", err)
	}
}

func verifyNoSecret(t *testing.T, bufs ...*bytes.Buffer) {
	t.Helper()
	for _, b := range bufs {
		if strings.Contains(b.String(), verifyTestSecret) {
			t.Errorf("output contains the secret:\n%s", b)
		}
	}
}

func TestVerifyFuncUsesEngine(t *testing.T) {
	f, _, _ := newTestFactory(t)
	// With a cancelled context the engine stops at the first live check
	// before any request leaves (tests never use the network); the run
	// it returns carries the offline checks.
	run, err := VerifyFunc(f)(verifyCancelled(t), verifyTestConfig(), nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("VerifyFunc() error = %v, want context.Canceled (no network in tests)", err)
	}
	if run.Name != "Acme Hiveku" || run.Offline || len(run.Checks) < 5 {
		t.Errorf("run = %+v", run)
	}
}

// verifyCancelled returns a context that is already cancelled, so the
// first live request fails without touching the network.
func verifyCancelled(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// TestVerifyPasteMultiLineErrorPage pastes a whole Microsoft error page,
// blank lines included, into verify's paste mode on a terminal: it is
// read as one answer and the consent check carries its AADSTS code. What
// follows the page is not read (a terminal's pending input is then
// discarded, so it never reaches the shell).
func TestVerifyPasteMultiLineErrorPage(t *testing.T) {
	const page = "Sign in\n" +
		"Sorry, but we're having trouble signing you in.\n" +
		"\n" +
		"AADSTS50011: The redirect URI 'https://app.hiveku.com/api/oauth/microsoft/callbak' specified in the request does not match the redirect URIs configured for the application '11111111-2222-3333-4444-555555555555'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.\n" +
		"\n" +
		"Troubleshooting details\n" +
		"Request Id: 0a1b2c3d-0000-0000-0000-000000000000\n" +
		"Correlation Id: 9f8e7d6c-0000-0000-0000-000000000000\n" +
		"Timestamp: 2026-11-27T10:00:00Z\n"
	opts, stdout, stderr, _ := verifySimOptions(t, "happy")
	opts.IO.SetStdinTTY(true)
	opts.Redirect = "paste"
	stdin := opts.IO.In.(*bytes.Buffer)
	engine := opts.Verifier
	opts.Verifier = func() *verify.Verifier {
		v := engine()
		v.OpenBrowser = func(string) error {
			stdin.WriteString(page + "echo LEFTOVER\n")
			return nil
		}
		return v
	}
	if err := verifyRun(context.Background(), opts); !errors.Is(err, ErrSilent) {
		t.Fatalf("verifyRun() = %v, want ErrSilent\n%s\n%s", err, stdout, stderr)
	}
	var consent string
	for _, l := range strings.Split(stdout.String(), "\n") {
		if strings.HasPrefix(l, "✗ consent") {
			consent = l
		}
	}
	if !strings.Contains(consent, "AADSTS50011") {
		t.Errorf("want the consent check failed with AADSTS50011:\n%s", stdout)
	}
	if !strings.Contains(stderr.String(), "press Enter") {
		t.Errorf("the prompt does not say how to finish:\n%s", stderr)
	}
	if rest := stdin.String(); !strings.Contains(rest, "echo LEFTOVER") || strings.Contains(rest, "AADSTS") {
		t.Errorf("left on standard input: %q", rest)
	}
}
