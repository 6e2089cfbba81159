package cmd

import (
	"context"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sim"
)

// happyConfig saves the happy scenario's "Acme Hiveku" config in e.
func (e *createEnv) happyConfig(t *testing.T) flow.Config {
	t.Helper()
	sc, ok := sim.FindScenario("happy", testNow)
	if !ok {
		t.Fatal("no happy scenario")
	}
	if err := e.st.SaveConfig(context.Background(), sc.Config, false); err != nil {
		t.Fatal(err)
	}
	return sc.Config
}

func TestAuditLiveReadsTheRegistrationFromGraph(t *testing.T) {
	e := newCreateEnv(t, "megan@contoso.com", nil)
	c := e.happyConfig(t)
	opts := &AuditOptions{IO: e.opts.IO, Store: e.opts.Store, Now: e.opts.Now, Permissions: defaultPermissions,
		Live: true, Name: c.Name, AdminSignIn: e.opts.AdminSignIn}
	if err := auditRun(context.Background(), opts); err != nil {
		t.Fatalf("auditRun() = %v\n%s", err, e.output())
	}
	out := e.output()
	for _, want := range []string{"Application.Read.All", "Read the registration of " + sim.DemoClientID, `Manifest of "Acme Hiveku", Microsoft Graph format, against config "Acme Hiveku"`, "No problems found."} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Application.ReadWrite") {
		t.Errorf("audit --live asked for write access:\n%s", out)
	}

	// The registration changes in the directory: the live audit sees it.
	e.stdout.Reset()
	e.stderr.Reset()
	mutated := sim.CreateOptions(testNow)
	mutated.Apps[0].WebRedirectURIs = []string{"https://app.hiveku.com/api/oauth/microsoft/callback/"}
	e2 := newCreateEnv(t, "megan@contoso.com", func(o *sim.Options) { *o = mutated })
	e2.happyConfig(t)
	opts2 := &AuditOptions{IO: e2.opts.IO, Store: e2.opts.Store, Now: e2.opts.Now, Permissions: defaultPermissions,
		Live: true, Name: c.Name, AdminSignIn: e2.opts.AdminSignIn}
	if err := auditRun(context.Background(), opts2); err != ErrSilent {
		t.Fatalf("auditRun() = %v, want a failed check\n%s", err, e2.output())
	}
	if !strings.Contains(e2.stdout.String(), "✗") {
		t.Errorf("no failed check shown:\n%s", e2.stdout)
	}
}

func TestRotateGraphAddsProvesStoresAndRemovesOld(t *testing.T) {
	e := newCreateEnv(t, "megan@contoso.com", nil)
	c := e.happyConfig(t)
	opts := &RotateOptions{IO: e.opts.IO, Store: e.opts.Store, Now: e.opts.Now, Graph: true, Name: c.Name,
		Admin: e.opts.AdminSignIn, AuthorityHost: e.ts.URL, Cloud: "global", RemoveOld: true}
	opts.Admin.AuthorityHost = ""
	if err := rotateGraphRun(context.Background(), opts); err != nil {
		t.Fatalf("rotateGraphRun() = %v\n%s", err, e.output())
	}
	got, err := e.st.FindConfig(context.Background(), c.Name)
	if err != nil {
		t.Fatal(err)
	}
	app, _ := e.sim.App(sim.DemoClientID)
	switch {
	case got.Secret.Reveal() == sim.DemoSecretValue:
		t.Fatal("the secret was not replaced")
	case len(app.Secrets) != 1 || app.Secrets[0].Value != got.Secret.Reveal():
		t.Errorf("the app's secrets are not just the new one (%d)", len(app.Secrets))
	}
	hist, err := e.st.SecretHistory(context.Background(), c.Name)
	if err != nil || len(hist) != 1 || hist[0].Hint != c.SecretInfo.Hint {
		t.Errorf("history = %+v, %v", hist, err)
	}
	out := e.output()
	for _, want := range []string{"Application.ReadWrite.All", "new client secret", "replicating the new secret (AADSTS7000215)", "Microsoft accepts the new secret",
		"Removed the old secret (Secret ID " + sim.DemoSecretID} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	e.assertNoLeaks(t, got.Secret.Reveal(), sim.DemoSecretValue)
}

func TestRotateGraphAsksBeforeRemovingOld(t *testing.T) {
	e := newCreateEnv(t, "megan@contoso.com", nil)
	c := e.happyConfig(t)
	e.opts.IO.SetStdinTTY(true)
	e.opts.IO.SetStderrTTY(true)
	e.answers = []bool{false}
	opts := &RotateOptions{IO: e.opts.IO, Store: e.opts.Store, Now: e.opts.Now, Graph: true, Name: c.Name,
		Admin: e.opts.AdminSignIn, AuthorityHost: e.ts.URL, Cloud: "global", Confirm: e.opts.Confirm}
	if err := rotateGraphRun(context.Background(), opts); err != nil {
		t.Fatalf("rotateGraphRun() = %v\n%s", err, e.output())
	}
	if len(e.asked) != 1 || !strings.Contains(e.asked[0], "Remove the old secret") {
		t.Errorf("asked %q", e.asked)
	}
	if app, _ := e.sim.App(sim.DemoClientID); len(app.Secrets) != 2 {
		t.Errorf("the app has %d secrets, want the old and the new", len(app.Secrets))
	}
}
