package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sim"
	"github.com/hiveku/byok/flow/verify"
	"github.com/hiveku/byok/storage"
)

// tokenRecorder remembers every access and refresh token the simulator
// hands out, so a test can look for them where they must not be.
type tokenRecorder struct {
	base   http.RoundTripper
	mu     sync.Mutex
	tokens []string
}

func (r *tokenRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil || !strings.HasSuffix(req.URL.Path, "/token") {
		return resp, err
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	var tr struct {
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
	}
	if json.Unmarshal(body, &tr) == nil {
		r.mu.Lock()
		for _, t := range []string{tr.AccessToken, tr.RefreshToken} {
			if t != "" {
				r.tokens = append(r.tokens, t)
			}
		}
		r.mu.Unlock()
	}
	return resp, nil
}

// createEnv is byok create wired to a simulated Microsoft.
type createEnv struct {
	sim     *sim.Server
	ts      *httptest.Server
	rec     *tokenRecorder
	dbPath  string
	st      flow.Store
	stdout  *bytes.Buffer
	stderr  *bytes.Buffer
	opts    *CreateOptions
	slept   []time.Duration
	asked   []string
	answers []bool
}

// simBrowser is upn at the simulated pages: it signs in, accepts, and
// follows the redirect to byok's loopback listener.
func simBrowser(t testing.TB, s *sim.Server, client *http.Client, upn string) func(string) error {
	return func(u string) error {
		landed, err := s.Consent(context.Background(), client, u, upn, true)
		if err != nil {
			return err
		}
		resp, err := http.Get(strings.Replace(landed, "//localhost:", "//127.0.0.1:", 1))
		if err != nil {
			t.Errorf("browser: %v", err)
			return err
		}
		return resp.Body.Close()
	}
}

func newCreateEnv(t *testing.T, upn string, mutate func(*sim.Options)) *createEnv {
	t.Helper()
	o := sim.CreateOptions(testNow)
	if mutate != nil {
		mutate(&o)
	}
	s := sim.New(o)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	rec := &tokenRecorder{base: ts.Client().Transport}
	client := &http.Client{Transport: rec, Timeout: 30 * time.Second}
	dbPath := t.TempDir() + "/byok.db"
	st, err := storage.Open(context.Background(), storage.Options{Path: dbPath, Key: testKey, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatalf("open storage: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	ios, _, stdout, stderr := Test()
	env := &createEnv{sim: s, ts: ts, rec: rec, dbPath: dbPath, st: st, stdout: stdout, stderr: stderr}
	browser := simBrowser(t, s, client, upn)
	env.opts = &CreateOptions{
		IO: ios, Store: func(context.Context) (flow.Store, error) { return st, nil },
		Now: func() time.Time { return testNow }, Getenv: func(string) string { return "" },
		Permissions: defaultPermissions,
		Confirm: func(ctx context.Context, title string, def bool) (bool, error) {
			env.asked = append(env.asked, title)
			if len(env.answers) == 0 {
				t.Errorf("unexpected question %q", title)
				return false, errors.New("no answer")
			}
			a := env.answers[0]
			env.answers = env.answers[1:]
			return a, nil
		},
		AdminSignIn: AdminSignIn{
			Microsoft: MicrosoftSide{
				HTTP: client, OpenBrowser: browser,
				Sleep: func(ctx context.Context, d time.Duration) error { env.slept = append(env.slept, d); return nil },
				After: func(time.Duration) <-chan time.Time { return make(chan time.Time) },
			},
			Directory: "organizations", AuthorityHost: ts.URL, GraphHost: ts.URL, Cloud: "global", Timeout: 5 * time.Minute,
		},
		Verifier: func() *verify.Verifier { return &verify.Verifier{HTTP: client, OpenBrowser: browser} },
		NoInput:  true, Name: "Contoso Hiveku", AccountType: "multi-personal", RedirectURI: flow.HivekuRedirectURI,
		Scopes: "full", SecretDescription: "Hiveku prod", SecretExpires: "24m", AddLoopback: true,
		IfExists: "ask",
	}
	return env
}

func (e *createEnv) output() string { return e.stdout.String() + e.stderr.String() }

// assertNoLeaks checks that no token and no secret value is in the
// output or, in plain text, in the database file.
func (e *createEnv) assertNoLeaks(t *testing.T, secrets ...string) {
	t.Helper()
	db, err := os.ReadFile(e.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	wal, _ := os.ReadFile(e.dbPath + "-wal")
	db = append(db, wal...)
	e.rec.mu.Lock()
	all := append(append([]string(nil), e.rec.tokens...), secrets...)
	e.rec.mu.Unlock()
	if len(e.rec.tokens) == 0 {
		t.Fatal("no token was recorded: the check would prove nothing")
	}
	for _, s := range all {
		if strings.Contains(e.output(), s) {
			t.Errorf("output contains a token or secret (%.6s…)", s)
		}
		if bytes.Contains(db, []byte(s)) {
			t.Errorf("database contains a token or secret in plain text (%.6s…)", s)
		}
	}
}

func TestCreateNoInputCreatesSavesAndVerifies(t *testing.T) {
	e := newCreateEnv(t, "megan@contoso.com", nil)
	if err := createRun(context.Background(), e.opts); err != nil {
		t.Fatalf("createRun() = %v\n%s", err, e.output())
	}
	c, err := e.st.FindConfig(context.Background(), "Contoso Hiveku")
	if err != nil {
		t.Fatalf("config not saved: %v", err)
	}
	app, ok := e.sim.App(c.ClientID)
	if !ok || len(app.Secrets) != 1 || app.Secrets[0].Value != c.Secret.Reveal() {
		t.Fatalf("the saved secret is not the app's")
	}
	if c.DirectoryID != sim.ContosoTenantID || c.Tenant != "common" || !c.Loopback || c.SecretInfo.Description != "Hiveku prod" {
		t.Errorf("config = %+v", c)
	}
	out := e.output()
	for _, want := range []string{
		"Application.ReadWrite.All", "✓ Signed in as megan@contoso.com", "✓ application created", "✓ service principal created",
		"sealed in byok", "replicating the new app (AADSTS700016)", "replicating the new secret (AADSTS7000215)",
		"✓ Microsoft knows the new app", "It works: signed in as megan@contoso.com.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "DelegatedPermissionGrant") {
		t.Errorf("asked for the consent permission without --grant-admin-consent")
	}
	runs, err := e.st.Runs(context.Background(), "Contoso Hiveku", 1)
	if err != nil || len(runs) != 1 || !runs[0].OK {
		t.Errorf("verify run = %+v, %v", runs, err)
	}
	e.assertNoLeaks(t, c.Secret.Reveal())

	// A second run with the same name stops before signing in.
	e.stdout.Reset()
	e.stderr.Reset()
	err = createRun(context.Background(), e.opts)
	if flow.ExitCode(err) != 2 || !strings.Contains(err.Error(), c.ClientID) {
		t.Fatalf("second createRun() = %v, want exit 2 naming app %s", err, c.ClientID)
	}
	if n := len(e.sim.AppsNamed("Contoso Hiveku", sim.ContosoTenantID)); n != 1 {
		t.Errorf("%d apps named Contoso Hiveku, want 1", n)
	}
}

func TestCreateExistingAppInDirectory(t *testing.T) {
	// The directory has "Acme Hiveku" (made in the portal); byok has no config.
	e := newCreateEnv(t, "megan@contoso.com", nil)
	e.opts.Name = "Acme Hiveku"
	e.opts.NoVerify = true
	err := createRun(context.Background(), e.opts)
	if flow.ExitCode(err) != 2 || !strings.Contains(err.Error(), sim.DemoClientID) || !strings.Contains(err.Error(), "--if-exists") {
		t.Fatalf("createRun() = %v, want exit 2 naming app %s", err, sim.DemoClientID)
	}
	// On a terminal byok asks; reusing adds a secret to that app.
	e.opts.Interactive = true
	e.answers = []bool{true}
	if err := createRun(context.Background(), e.opts); err != nil {
		t.Fatalf("createRun() reuse = %v\n%s", err, e.output())
	}
	if len(e.asked) != 1 || !strings.Contains(e.asked[0], "Use that app") {
		t.Errorf("asked %q", e.asked)
	}
	c, err := e.st.FindConfig(context.Background(), "Acme Hiveku")
	if err != nil || c.ClientID != sim.DemoClientID {
		t.Fatalf("config = %+v, %v; want the existing app", c, err)
	}
	if n := len(e.sim.AppsNamed("Acme Hiveku", sim.ContosoTenantID)); n != 1 {
		t.Errorf("%d apps named Acme Hiveku, want 1", n)
	}
}

func TestCreateFailureAfterAppExistsThenResume(t *testing.T) {
	e := newCreateEnv(t, "megan@contoso.com", nil)
	e.sim.FailNext("addPassword", 1)
	err := createRun(context.Background(), e.opts)
	if !errors.Is(err, ErrSilent) {
		t.Fatalf("createRun() = %v, want a reported failure", err)
	}
	apps := e.sim.AppsNamed("Contoso Hiveku", sim.ContosoTenantID)
	if len(apps) != 1 {
		t.Fatalf("%d apps, want 1", len(apps))
	}
	out := e.stderr.String()
	for _, want := range []string{"stopped half-way", "What exists in directory " + sim.ContosoTenantID, "client ID " + apps[0].ClientID,
		"service principal", "byok create --resume 'Contoso Hiveku'", "--delete", "serviceNotAvailable"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
	if _, err := e.st.FindConfig(context.Background(), "Contoso Hiveku"); flow.ErrorCode(err) != flow.ENOTFOUND {
		t.Errorf("a config was saved without a secret: %v", err)
	}

	e.stdout.Reset()
	e.stderr.Reset()
	e.opts.Resume, e.opts.Name = "Contoso Hiveku", ""
	if err := createRun(context.Background(), e.opts); err != nil {
		t.Fatalf("resume = %v\n%s", err, e.output())
	}
	c, err := e.st.FindConfig(context.Background(), "Contoso Hiveku")
	if err != nil || c.ClientID != apps[0].ClientID {
		t.Fatalf("resumed config = %+v, %v", c, err)
	}
	if n := len(e.sim.AppsNamed("Contoso Hiveku", sim.ContosoTenantID)); n != 1 {
		t.Errorf("resume created another app: %d", n)
	}
	if !strings.Contains(e.stdout.String(), "It works") {
		t.Errorf("resume did not end with a passing verify:\n%s", e.output())
	}
	e.assertNoLeaks(t, c.Secret.Reveal())
}

func TestCreateResumeDelete(t *testing.T) {
	e := newCreateEnv(t, "megan@contoso.com", nil)
	e.sim.FailNext("createServicePrincipal", 1)
	if err := createRun(context.Background(), e.opts); !errors.Is(err, ErrSilent) {
		t.Fatalf("createRun() = %v", err)
	}
	e.opts.Resume, e.opts.Delete = "Contoso Hiveku", true
	if err := createRun(context.Background(), e.opts); flow.ExitCode(err) != 2 || !strings.Contains(err.Error(), "--yes") {
		t.Fatalf("delete without --yes = %v, want exit 2", err)
	}
	e.opts.Yes = true
	if err := createRun(context.Background(), e.opts); err != nil {
		t.Fatalf("delete = %v\n%s", err, e.output())
	}
	if n := len(e.sim.AppsNamed("Contoso Hiveku", sim.ContosoTenantID)); n != 0 {
		t.Errorf("%d apps left", n)
	}
	if _, err := e.st.FindDraft(context.Background(), "Contoso Hiveku"); flow.ErrorCode(err) != flow.ENOTFOUND {
		t.Errorf("draft left: %v", err)
	}
}

func TestCreateRefusals(t *testing.T) {
	t.Run("user may not register apps", func(t *testing.T) {
		e := newCreateEnv(t, "alex@contoso.com", func(o *sim.Options) {
			o.Tenants[0].UsersCannotRegisterApps = true
			o.Tenants[0].AdminConsented = []string{sim.CommandLineToolsID}
		})
		err := createRun(context.Background(), e.opts)
		msg := userMessage(err, false)
		if flow.ExitCode(err) != 1 || !strings.Contains(msg, "Authorization_RequestDenied") || !strings.Contains(msg, "Application Developer") ||
			!strings.Contains(msg, "Users can register applications") {
			t.Fatalf("createRun() = %q, want Graph's refusal explained", msg)
		}
	})
	t.Run("user cannot approve the permissions", func(t *testing.T) {
		e := newCreateEnv(t, "alex@contoso.com", nil)
		e.opts.DeviceCode = true
		e.opts.Microsoft.ApproveDevice = func(code string) error { return e.sim.ApproveDevice(code, "alex@contoso.com") }
		err := createRun(context.Background(), e.opts)
		msg := userMessage(err, false)
		if flow.ExitCode(err) != 1 || !strings.Contains(msg, "AADSTS90094") || !strings.Contains(msg, "Application Administrator") {
			t.Fatalf("createRun() = %q, want the admin-approval refusal", msg)
		}
	})
	t.Run("no role to grant consent", func(t *testing.T) {
		e := newCreateEnv(t, "alex@contoso.com", func(o *sim.Options) { o.Tenants[0].AdminConsented = []string{sim.CommandLineToolsID} })
		e.opts.GrantAdminConsent = true
		if err := createRun(context.Background(), e.opts); !errors.Is(err, ErrSilent) {
			t.Fatalf("createRun() = %v, want a reported partial create", err)
		}
		if out := e.stderr.String(); !strings.Contains(out, "refused to grant admin consent") || !strings.Contains(out, "saved sealed in byok") {
			t.Errorf("report:\n%s", out)
		}
	})
	t.Run("personal account", func(t *testing.T) {
		e := newCreateEnv(t, "sam@outlook.com", nil)
		e.opts.Directory = "common"
		err := createRun(context.Background(), e.opts)
		if msg := userMessage(err, false); flow.ExitCode(err) != 1 || !strings.Contains(msg, "personal Microsoft account") || !strings.Contains(msg, "work or school") {
			t.Fatalf("createRun() = %q", msg)
		}
	})
}

func TestCreateDeviceCodeAndAdminConsent(t *testing.T) {
	e := newCreateEnv(t, "megan@contoso.com", nil)
	e.opts.DeviceCode, e.opts.GrantAdminConsent, e.opts.NoVerify = true, true, true
	e.opts.Microsoft.ApproveDevice = func(code string) error { return e.sim.ApproveDevice(code, "megan@contoso.com") }
	if err := createRun(context.Background(), e.opts); err != nil {
		t.Fatalf("createRun() = %v\n%s", err, e.output())
	}
	out := e.output()
	if !strings.Contains(out, "/devicelogin\nand enter the code") || !strings.Contains(out, "DelegatedPermissionGrant.ReadWrite.All") ||
		!strings.Contains(out, "admin consent granted") {
		t.Errorf("output:\n%s", out)
	}
	e.assertNoLeaks(t)
}

func TestCreateBadInputExit2BeforeSignIn(t *testing.T) {
	for name, mut := range map[string]func(o *CreateOptions){
		"no name":      func(o *CreateOptions) { o.Name = "" },
		"bad account":  func(o *CreateOptions) { o.AccountType = "everyone" },
		"bad scope":    func(o *CreateOptions) { o.Scopes = "Mail.Raed" },
		"bad expiry":   func(o *CreateOptions) { o.SecretExpires = "2020-01-01" },
		"bad redirect": func(o *CreateOptions) { o.RedirectURI = "http://app.hiveku.com/api/oauth/microsoft/callback" },
		"if-exists":    func(o *CreateOptions) { o.IfExists = "maybe" },
	} {
		t.Run(name, func(t *testing.T) {
			e := newCreateEnv(t, "megan@contoso.com", nil)
			mut(e.opts)
			e.opts.Microsoft.OpenBrowser = func(string) error { t.Error("signed in despite bad input"); return nil }
			e.opts.Microsoft.After = func(time.Duration) <-chan time.Time {
				ch := make(chan time.Time, 1)
				ch <- testNow
				return ch
			}
			if err := createRun(context.Background(), e.opts); flow.ExitCode(err) != 2 {
				t.Fatalf("createRun() = %v, want exit 2", err)
			}
		})
	}
}

func TestDemoCreateScenario(t *testing.T) {
	ios, _, stdout, stderr := Test()
	var slept []time.Duration
	opts := &DemoOptions{IO: ios, Now: func() time.Time { return testNow }, Getenv: func(string) string { return "" }, Scenario: "create",
		sleep: func(ctx context.Context, d time.Duration) error { slept = append(slept, d); return nil }}
	if err := demoRun(context.Background(), opts); err != nil {
		t.Fatalf("demoRun() = %v\n%s%s", err, stdout, stderr)
	}
	out := stdout.String() + stderr.String()
	for _, want := range []string{"Read and write all applications", "✓ application created", "admin consent granted", "AADSTS700016", "It works: signed in as megan@contoso.com."} {
		if !strings.Contains(out, want) {
			t.Errorf("demo output lacks %q:\n%s", want, out)
		}
	}
	if len(slept) != 2 {
		t.Errorf("the demo waited %v, want two short waits", slept)
	}
	ios2, _, list, _ := Test()
	if err := demoRun(context.Background(), &DemoOptions{IO: ios2, Now: opts.Now, List: true}); err != nil || !strings.Contains(list.String(), "create ") {
		t.Errorf("--list lacks create: %v\n%s", err, list)
	}
}

func TestCreateAsksTheNameOnATerminal(t *testing.T) {
	e := newCreateEnv(t, "megan@contoso.com", nil)
	e.opts.Name, e.opts.Interactive, e.opts.NoVerify = "", true, true
	e.opts.AskName = func(context.Context) (string, error) { return "Asked Hiveku", nil }
	if err := createRun(context.Background(), e.opts); err != nil {
		t.Fatalf("createRun() = %v\n%s", err, e.output())
	}
	if _, err := e.st.FindConfig(context.Background(), "Asked Hiveku"); err != nil {
		t.Errorf("config of the asked name: %v", err)
	}
}
