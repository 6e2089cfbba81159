package cmd

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sim"
	"github.com/hiveku/byok/flow/verify"
)

// verifyAllSetup saves, against one simulator: the happy scenario's
// config, the same app with a wrong secret, and the same app with a
// secret expiring in 10 days. It returns the factory and the
// simulator's URL.
func verifyAllSetup(t *testing.T) (*Factory, string) {
	t.Helper()
	sc, ok := sim.FindScenario("happy", testNow)
	if !ok {
		t.Fatal("no happy scenario")
	}
	srv := sim.New(sc.Options)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	f, _, _ := newTestFactory(t)
	ctx := context.Background()
	st := testStore(t, f)
	good := sc.Config
	bad := sc.Config
	bad.Name, bad.Secret = "Wrong Secret", flow.Secret(sim.DemoOldSecretValue)
	bad.SecretInfo.Hint = bad.Secret.Hint()
	soon := sc.Config
	soon.Name = "Expiring Soon"
	soon.SecretInfo.Expires = testNow.Add(10 * 24 * time.Hour)
	for _, c := range []flow.Config{good, bad, soon} {
		if err := st.SaveConfig(ctx, c, false); err != nil {
			t.Fatal(err)
		}
	}
	return f, ts.URL
}

// runVerifyAll runs `byok verify --all` with the production engine
// pointed at the simulator (plain http is allowed on loopback).
func runVerifyAll(t *testing.T, f *Factory, url string, extra ...string) int {
	t.Helper()
	args := append([]string{"verify", "--all", "--authority-host", url, "--graph-host", url}, extra...)
	return runCmd(t, f, args...)
}

func TestVerifyAllAgainstSimulator(t *testing.T) {
	f, url := verifyAllSetup(t)
	stdout := f.IO.Out.(interface{ String() string })
	code := runVerifyAll(t, f, url)
	if code != 1 {
		t.Fatalf("exit = %d, want 1 (one config has a wrong secret)\n%s", code, stdout.String())
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 3 {
		t.Fatalf("want one line per config, got:\n%s", stdout.String())
	}
	want := map[string]string{"Acme Hiveku": "ok", "Wrong Secret": "FAIL", "Expiring Soon": "warn"}
	for _, l := range lines {
		cells := strings.Split(l, "\t")
		if len(cells) != 3 || want[cells[1]] != cells[0] {
			t.Errorf("line %q: want status %q for %q", l, want[cells[1]], cells[1])
		}
		if cells[1] == "Wrong Secret" && !strings.Contains(cells[2], "7000215") {
			t.Errorf("the failure does not name AADSTS7000215: %q", l)
		}
	}
	if strings.Contains(stdout.String(), sim.DemoSecretValue) || strings.Contains(stdout.String(), sim.DemoOldSecretValue) {
		t.Error("a secret value reached the output")
	}
	runs, err := testStore(t, f).Runs(context.Background(), "Acme Hiveku", 5)
	if err != nil || len(runs) != 0 {
		t.Errorf("verify --all stored runs %v (%v); it must store nothing", runs, err)
	}
}

func TestVerifyAllJSONAndAllGood(t *testing.T) {
	f, url := verifyAllSetup(t)
	st := testStore(t, f)
	if err := st.DeleteConfig(context.Background(), "Wrong Secret"); err != nil {
		t.Fatal(err)
	}
	stdout := f.IO.Out.(interface{ Bytes() []byte })
	if code := runVerifyAll(t, f, url, "--json"); code != 0 {
		t.Fatalf("exit = %d, want 0 (a warning is not a failure)", code)
	}
	var got []verifyJSON
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil || len(got) != 2 {
		t.Fatalf("--json = %s (%v)", stdout.Bytes(), err)
	}
	ids := map[string]flow.Status{}
	for _, ch := range got[0].Checks {
		ids[ch.ID] = ch.Status
	}
	if ids[flow.CheckDiscovery] != flow.Pass || ids[flow.CheckCreds] != flow.Pass || ids[flow.CheckExpiry] == "" {
		t.Errorf("checks %v: want discovery, secret and expiry", ids)
	}
	if _, ok := ids[flow.CheckConsent]; ok {
		t.Error("verify --all ran the consent check, which needs a person")
	}
}

func TestVerifyAllUsage(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	if code := runCmd(t, f, "verify", "--all", "Acme"); code != 2 || !strings.Contains(stderr.String(), "give no NAME") {
		t.Errorf("exit = %d, stderr %q", code, stderr)
	}
}

func TestUnattendedRunsNoConsent(t *testing.T) {
	sc, _ := sim.FindScenario("happy", testNow)
	ts := httptest.NewServer(sim.New(sc.Options))
	defer ts.Close()
	v := &verify.Verifier{HTTP: ts.Client(), Now: func() time.Time { return testNow },
		Endpoints: verify.Endpoints{AuthorityHost: ts.URL, GraphHost: ts.URL}}
	r := v.Unattended(context.Background(), sc.Config)
	if !r.OK || r.Checks[len(r.Checks)-1].ID != flow.CheckCreds {
		t.Errorf("Unattended = %+v", r)
	}
}

func TestVerifyAllOnATerminalWrapsNeverCuts(t *testing.T) {
	f, url := verifyAllSetup(t)
	f.IO.SetStdoutTTY(true)
	stdout := f.IO.Out.(interface{ String() string })
	runVerifyAll(t, f, url)
	out := stdout.String()
	if strings.Contains(out, "…") || !strings.Contains(out, "FAIL  Wrong Secret   secret: AADSTS7000215") {
		t.Errorf("terminal output:\n%s", out)
	}
	for _, l := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if w := len([]rune(l)); w > 80 {
			t.Errorf("line of %d cells: %q", w, l)
		}
	}
}
