package cmd

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sim"
	"github.com/hiveku/byok/ui"
)

// TestDemoScenarios plays every scenario without a terminal, as a script
// or CI would: the happy one exits 0 showing the mailbox, each failing one
// exits 1 ending with the AADSTS code and a fix.
func TestDemoScenarios(t *testing.T) {
	for _, sc := range sim.Scenarios(testNow) {
		t.Run(sc.Name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			code := runCmd(t, f, "demo", "--scenario", sc.Name)
			out := stderr.String()
			happy := true
			for _, st := range sc.Expect {
				happy = happy && st != flow.Fail
			}
			if happy && sc.ExpectEmail != "" && !strings.Contains(out, "signed in as "+sc.ExpectEmail) {
				t.Errorf("output lacks the mailbox %s\n%s", sc.ExpectEmail, out)
			}
			if happy {
				if code != 0 {
					t.Fatalf("exit = %d, want 0\n%s", code, out)
				}
				for _, want := range []string{"Microsoft's consent screen (simulated)", "Acme Hiveku", "unverified", "✓ mailbox        signed in as " + sc.ExpectEmail, "It works"} {
					if !strings.Contains(out, want) {
						t.Errorf("output lacks %q\n%s", want, out)
					}
				}
			} else {
				if code != 1 {
					t.Fatalf("exit = %d, want 1\n%s", code, out)
				}
				if !strings.Contains(out, "✗ ") || !strings.Contains(out, "fix: ") {
					t.Errorf("failing scenario shows no failed check with a fix\n%s", out)
				}
				if sc.ExpectCode != 0 && !strings.Contains(out, "AADSTS"+strconv.Itoa(sc.ExpectCode)) {
					t.Errorf("output lacks AADSTS%d\n%s", sc.ExpectCode, out)
				}
			}
			if stdout.Len() != 0 {
				t.Errorf("demo wrote to stdout: %q", stdout)
			}
			for _, secret := range []string{sim.DemoSecretValue, sim.DemoOldSecretValue} {
				if strings.Contains(out, secret) {
					t.Errorf("output contains the scenario's secret value")
				}
			}
			if strings.Contains(out, "code=") || strings.Contains(out, "state=") {
				t.Errorf("output echoes an authorization code or state\n%s", out)
			}
			// The demo must not touch the user's database.
			if _, err := f.DatabasePath(); err == nil {
				st := testStore(t, f)
				ls, err := st.ListConfigs(context.Background())
				if err != nil || len(ls) != 0 {
					t.Errorf("user database has %d configs after demo (err %v), want 0", len(ls), err)
				}
			}
		})
	}
}

func TestDemoUnknownScenario(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	if code := runCmd(t, f, "demo", "--scenario", "nope"); code != 2 {
		t.Fatalf("exit = %d, want 2", code)
	}
	if got := stderr.String(); !strings.Contains(got, "scenario") || !strings.Contains(got, "redirect-mismatch") {
		t.Errorf("message should name the field and list the scenarios: %q", got)
	}
}

func TestDemoList(t *testing.T) {
	f, stdout, _ := newTestFactory(t)
	if code := runCmd(t, f, "demo", "--list"); code != 0 {
		t.Fatalf("exit = %d", code)
	}
	for _, sc := range sim.Scenarios(testNow) {
		if !strings.Contains(stdout.String(), sc.Name) {
			t.Errorf("--list lacks %s", sc.Name)
		}
	}
}

// TestDemoInteractive runs the terminal path: the wizard gets the
// scenario's answers pre-filled, what it saves is what gets verified, and
// the presenter's Cancel on the terminal consent screen is what Microsoft
// receives.
func TestDemoInteractive(t *testing.T) {
	for _, tt := range []struct {
		name   string
		accept bool
		code   int
		want   string
	}{
		{"accept", true, 0, "✓ mailbox"},
		{"cancel", false, 1, "AADSTS65004"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			f.IO.SetStdinTTY(true)
			f.IO.SetStderrTTY(true)
			var got *flow.Draft
			asked := 0
			opts := &DemoOptions{
				IO: f.IO, Now: f.Now, Getenv: f.Getenv, Scenario: "happy", NoColor: true,
				wizard: func(ctx context.Context, o ui.WizardOptions) (flow.Config, error) {
					got = o.Draft
					if !o.QuitAfterSave {
						t.Errorf("the demo's wizard must end at Save: the demo verifies next")
					}
					c := o.Draft.Config
					if err := o.Store.SaveConfig(ctx, c, false); err != nil {
						t.Fatalf("save: %v", err)
					}
					return c, nil
				},
				confirm: func(ctx context.Context, title string, def bool) (bool, error) {
					asked++
					if !def {
						t.Errorf("the happy scenario's default should be Accept")
					}
					return tt.accept, nil
				},
			}
			err := demoRun(context.Background(), opts)
			if code := exitFor(err); code != tt.code {
				t.Fatalf("exit = %d, want %d (err %v)\n%s", code, tt.code, err, stderr)
			}
			if got == nil || got.Config.Name != "Acme Hiveku" || got.Config.Secret.IsZero() {
				t.Fatalf("wizard was not given the scenario's answers: %+v", got)
			}
			if asked != 1 {
				t.Errorf("consent asked %d times, want 1", asked)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("output lacks %q\n%s", tt.want, stderr)
			}
		})
	}
}

func TestDemoWizardAborted(t *testing.T) {
	f, _, _ := newTestFactory(t)
	f.IO.SetStdinTTY(true)
	f.IO.SetStderrTTY(true)
	opts := &DemoOptions{
		IO: f.IO, Now: f.Now, Getenv: f.Getenv, Scenario: "happy", NoColor: true,
		wizard: func(context.Context, ui.WizardOptions) (flow.Config, error) { return flow.Config{}, ui.ErrAborted },
	}
	if err := demoRun(context.Background(), opts); err != ErrAborted {
		t.Fatalf("err = %v, want ErrAborted", err)
	}
}

// exitFor maps a run function's error as Run does.
func exitFor(err error) int {
	switch {
	case err == nil:
		return 0
	case err == ErrSilent:
		return 1
	}
	return flow.ExitCode(err)
}

// TestDemoRealBrowser: with a browser ($BROWSER), the demo registers the
// loopback redirect URI and waits for the browser to come back to byok's
// listener, as a presenter's browser would after pressing Accept.
func TestDemoRealBrowser(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	sc, _ := sim.FindScenario("happy", testNow)
	opened := 0
	opts := &DemoOptions{
		IO: f.IO, Now: f.Now, Getenv: func(k string) string {
			if k == "BROWSER" {
				return "fake-browser"
			}
			return f.Getenv(k)
		},
		Scenario: "happy", NoColor: true,
		openBrowser: func(u string) error {
			opened++
			// A browser: sign in and accept on the simulator's pages over
			// HTTP, then follow the redirect to byok's loopback listener.
			landed, err := sim.New(sc.Options).Consent(context.Background(), &http.Client{}, u, sc.User, true)
			if err != nil {
				return err
			}
			lu, err := url.Parse(landed)
			if err != nil || lu.Hostname() != "localhost" {
				t.Errorf("browser landed on %q, want the loopback listener", landed)
				return nil
			}
			lu.Host = "127.0.0.1:" + lu.Port()
			resp, err := http.Get(lu.String())
			if err != nil {
				return err
			}
			return resp.Body.Close()
		},
	}
	if err := demoRun(context.Background(), opts); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	if opened != 1 {
		t.Errorf("browser opened %d times, want 1", opened)
	}
	if out := stderr.String(); !strings.Contains(out, "✓ mailbox") || !strings.Contains(out, "Opened the consent page in your browser") ||
		!strings.Contains(out, "Sign in as alex@contoso.com and press Accept") || !strings.Contains(out, "Waiting for the browser") {
		t.Errorf("output:\n%s", out)
	}
}

// TestDemoRealBrowserErrorPagePasted: the browser stops on Microsoft's
// personal-account page and never comes back; the presenter pastes the
// page while byok waits, and the demo reports it at once, without
// suggesting --redirect paste (which demo does not have).
func TestDemoRealBrowserErrorPagePasted(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	sc, _ := sim.FindScenario("personal-account-blocked", testNow)
	var page string
	opts := &DemoOptions{
		IO: f.IO, Now: f.Now, Getenv: f.Getenv,
		Scenario: "personal-account-blocked", Browser: true, NoColor: true,
		openBrowser: func(u string) error {
			_, err := sim.New(sc.Options).Consent(context.Background(), &http.Client{}, u, sc.User, true)
			var ep *sim.ErrorPage
			if !errors.As(err, &ep) {
				t.Errorf("browser: %v, want Microsoft's error page", err)
				return nil
			}
			page = ep.Text
			return nil
		},
	}
	// What the presenter copies from the browser, read while byok waits.
	f.IO.In = strings.NewReader("We're unable to complete your request\nunauthorized_client: The client does not exist or is not enabled for consumers.\n")
	if err := demoRun(context.Background(), opts); !errors.Is(err, ErrSilent) {
		t.Fatalf("demo = %v, want the failed run\n%s", err, stderr)
	}
	out := stderr.String()
	if !strings.Contains(page, "We're unable to complete your request") {
		t.Errorf("browser page:\n%s", page)
	}
	for _, want := range []string{"Sign in as sam@outlook.com and press Accept", "Waiting for the browser", "✗ consent", "unauthorized_client"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "--redirect") || strings.Contains(out, "within 5 minutes") {
		t.Errorf("output points to a flag demo lacks or waited out the timer:\n%s", out)
	}
}
