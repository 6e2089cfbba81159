package graph_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/graph"
	"github.com/hiveku/byok/flow/sim"
)

// plan is the wizard's default answers for "Contoso Hiveku".
func plan(name string) graph.Plan {
	return graph.Plan{
		Config: flow.Config{
			Name: name, AccountType: flow.MultiTenantPersonal, RedirectURI: flow.HivekuRedirectURI,
			Scopes:     []string{"offline_access", "User.Read", "Mail.ReadWrite"},
			SecretInfo: flow.SecretInfo{Description: "Hiveku prod", Expires: testNow.AddDate(2, 0, 0)},
		},
		PermissionIDs: []string{"7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "024d486e-b451-40bb-833d-3e66d98c5c73"},
	}
}

func signedIn(t *testing.T, w *world, upn string, grant bool) *graph.Client {
	t.Helper()
	sess, err := w.signIn(t, upn).Browser(context.Background(), graph.ScopesFor(true, grant), nil)
	if err != nil {
		t.Fatalf("Browser() error = %v", err)
	}
	return &graph.Client{HTTP: w.srv.Client(), Host: w.srv.URL, Session: sess}
}

func TestCreateRegistersAppAndSealsSecretAtOnce(t *testing.T) {
	w := newWorld(t, nil)
	gc := signedIn(t, w, "megan@contoso.com", true)
	if got, want := gc.Session.TenantID, sim.ContosoTenantID; got != want {
		t.Fatalf("session tenant = %q, want %q", got, want)
	}
	st := newMemStore()
	var lines []string
	cr := &graph.Creator{Graph: gc, Store: st, Now: w.clock.Now, Progress: func(l string) { lines = append(lines, l) }}
	p := plan("Contoso Hiveku")
	p.Config.Loopback = true
	p.GrantAdminConsent = true
	cfg, ex, err := cr.Create(context.Background(), p)
	if err != nil {
		t.Fatalf("Create() error = %v", err)
	}
	app, ok := w.sim.App(cfg.ClientID)
	switch {
	case !ok:
		t.Fatalf("the simulator has no app %s", cfg.ClientID)
	case app.DisplayName != "Contoso Hiveku" || app.SignInAudience != flow.MultiTenantPersonal:
		t.Errorf("app = %q %s", app.DisplayName, app.SignInAudience)
	case strings.Join(app.WebRedirectURIs, " ") != flow.HivekuRedirectURI+" "+flow.LoopbackRedirectURI:
		t.Errorf("redirect URIs = %v", app.WebRedirectURIs)
	case strings.Join(app.Scopes, " ") != "offline_access User.Read Mail.ReadWrite":
		t.Errorf("scopes = %v", app.Scopes)
	case len(app.Secrets) != 1 || app.Secrets[0].Value != cfg.Secret.Reveal() || app.Secrets[0].KeyID != ex.SecretKeyID:
		t.Errorf("secrets do not match what was saved")
	case !w.sim.ServicePrincipal(cfg.ClientID, sim.ContosoTenantID):
		t.Errorf("no service principal")
	case !ex.ConsentGranted || !ex.SecretSaved:
		t.Errorf("existing = %+v", ex)
	case cfg.DirectoryID != sim.ContosoTenantID || cfg.Tenant != "common":
		t.Errorf("directory %q tenant %q", cfg.DirectoryID, cfg.Tenant)
	}
	saved, ok := st.configs["contoso hiveku"]
	if !ok || saved.Secret.Reveal() != cfg.Secret.Reveal() {
		t.Fatalf("the secret was not saved with the config")
	}
	if len(st.drafts) != 0 {
		t.Errorf("drafts left: %v", st.drafts)
	}
	out := strings.Join(lines, "\n") + fmt.Sprintf("%v %+v %#v", gc.Session, gc.Session, ex)
	if strings.Contains(out, cfg.Secret.Reveal()) {
		t.Errorf("the secret value reached the progress lines")
	}
}

func TestCreateResumesAfterFailureOnceTheAppExists(t *testing.T) {
	w := newWorld(t, nil)
	gc := signedIn(t, w, "megan@contoso.com", false)
	st := newMemStore()
	cr := &graph.Creator{Graph: gc, Store: st, Now: w.clock.Now}
	w.sim.FailNext("addPassword", 1)
	_, ex, err := cr.Create(context.Background(), plan("Contoso Hiveku"))
	var pe *graph.PartialError
	if !errors.As(err, &pe) {
		t.Fatalf("Create() error = %v, want a *PartialError", err)
	}
	if ex.AppID == "" || ex.ServicePrincipalID == "" || ex.SecretKeyID != "" || ex.SecretSaved {
		t.Fatalf("existing = %+v, want app and service principal only", ex)
	}
	lines := strings.Join(pe.Existing.Lines(), "\n")
	if !strings.Contains(lines, ex.AppID) || !strings.Contains(lines, "service principal") {
		t.Errorf("Lines() = %q", lines)
	}
	d, err := st.FindDraft(context.Background(), "contoso hiveku")
	if err != nil || d.Config.ClientID != ex.AppID {
		t.Fatalf("draft = %+v, %v; want the app's IDs kept", d.Config, err)
	}

	// --resume: the draft is the plan; nothing is created twice.
	p := plan("Contoso Hiveku")
	p.Config = d.Config
	cfg, ex2, err := cr.Create(context.Background(), p)
	if err != nil {
		t.Fatalf("resumed Create() error = %v", err)
	}
	if cfg.ClientID != ex.AppID || ex2.ServicePrincipalID != ex.ServicePrincipalID || !ex2.SecretSaved {
		t.Errorf("resume made new objects: %+v then %+v", ex, ex2)
	}
	if n := len(w.sim.AppsNamed("Contoso Hiveku", sim.ContosoTenantID)); n != 1 {
		t.Errorf("%d apps named Contoso Hiveku, want 1", n)
	}
}

func TestCreateRefusedForUserWhoMayNotRegisterApps(t *testing.T) {
	w := newWorld(t, func(o *sim.Options) {
		o.Tenants[0].UsersCannotRegisterApps = true
		o.Tenants[0].AdminConsented = []string{sim.CommandLineToolsID}
	})
	gc := signedIn(t, w, "alex@contoso.com", false)
	cr := &graph.Creator{Graph: gc, Store: newMemStore(), Now: w.clock.Now}
	_, _, err := cr.Create(context.Background(), plan("Contoso Hiveku"))
	var ge *graph.Error
	if !errors.As(err, &ge) || !ge.Denied() || ge.Code != "Authorization_RequestDenied" {
		t.Fatalf("Create() error = %v, want Graph's Authorization_RequestDenied", err)
	}
	var pe *graph.PartialError
	if errors.As(err, &pe) {
		t.Errorf("a refused create reports something as existing: %+v", pe.Existing)
	}
}

func TestGrantRefusedWithoutAdminRole(t *testing.T) {
	w := newWorld(t, func(o *sim.Options) { o.Tenants[0].AdminConsented = []string{sim.CommandLineToolsID} })
	gc := signedIn(t, w, "alex@contoso.com", true)
	p := plan("Contoso Hiveku")
	p.GrantAdminConsent = true
	_, ex, err := (&graph.Creator{Graph: gc, Store: newMemStore(), Now: w.clock.Now}).Create(context.Background(), p)
	var pe *graph.PartialError
	var ge *graph.Error
	if !errors.As(err, &pe) || !errors.As(err, &ge) || !ge.Denied() {
		t.Fatalf("Create() error = %v, want a partial create refused by Graph", err)
	}
	if !ex.SecretSaved || ex.ConsentGranted {
		t.Errorf("existing = %+v, want the secret saved and no consent", ex)
	}
}

func TestReplicationWaitRetriesThenSucceeds(t *testing.T) {
	w := newWorld(t, func(o *sim.Options) { o.ReplicationDelay = 3 })
	gc := signedIn(t, w, "megan@contoso.com", false)
	cfg, _, err := (&graph.Creator{Graph: gc, Store: newMemStore(), Now: w.clock.Now}).Create(context.Background(), plan("Contoso Hiveku"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	r := &graph.Replication{HTTP: w.srv.Client(), AuthorityHost: w.srv.URL, Sleep: w.clock.Sleep, Progress: func(l string) { lines = append(lines, l) }}
	if err := r.Wait(context.Background(), cfg.DirectoryID, cfg.ClientID, cfg.Secret); err != nil {
		t.Fatalf("Wait() error = %v", err)
	}
	// three requests fail for the app (700016), then three for the secret (7000215)
	if got, want := fmt.Sprint(w.clock.slept), "[2s 4s 8s 15s 15s 15s]"; got != want {
		t.Errorf("slept %s, want %s", got, want)
	}
	if len(lines) != 6 || !strings.Contains(lines[0], "AADSTS700016") || !strings.Contains(lines[5], "AADSTS7000215") {
		t.Errorf("progress = %q", lines)
	}
}

func TestReplicationWaitGivesUp(t *testing.T) {
	w := newWorld(t, func(o *sim.Options) { o.ReplicationDelay = 100 })
	gc := signedIn(t, w, "megan@contoso.com", false)
	cfg, _, err := (&graph.Creator{Graph: gc, Store: newMemStore(), Now: w.clock.Now}).Create(context.Background(), plan("Contoso Hiveku"))
	if err != nil {
		t.Fatal(err)
	}
	r := &graph.Replication{HTTP: w.srv.Client(), AuthorityHost: w.srv.URL, Sleep: w.clock.Sleep, MaxWait: 30 * time.Second}
	err = r.Wait(context.Background(), cfg.DirectoryID, cfg.ClientID, cfg.Secret)
	if flow.ErrorCode(err) != flow.EFAILED || !strings.Contains(err.Error(), "700016") {
		t.Fatalf("Wait() error = %v, want EFAILED naming 700016", err)
	}
}

func TestCreateRemovesASecretItCouldNotSave(t *testing.T) {
	w := newWorld(t, nil)
	gc := signedIn(t, w, "megan@contoso.com", false)
	st := newMemStore()
	st.failSave = errBoom
	_, ex, err := (&graph.Creator{Graph: gc, Store: st, Now: w.clock.Now}).Create(context.Background(), plan("Contoso Hiveku"))
	var pe *graph.PartialError
	if !errors.As(err, &pe) || !errors.Is(err, errBoom) {
		t.Fatalf("Create() error = %v, want a partial create caused by the store", err)
	}
	app, _ := w.sim.App(ex.AppID)
	if len(app.Secrets) != 0 || ex.SecretKeyID != "" || ex.SecretSaved {
		t.Errorf("a secret nobody holds was left on the app: %d secrets, existing %+v", len(app.Secrets), ex)
	}
	if d, err := st.FindDraft(context.Background(), "Contoso Hiveku"); err != nil || d.Config.ClientID != ex.AppID {
		t.Errorf("the draft does not keep the app for --resume: %+v, %v", d.Config, err)
	}
}
