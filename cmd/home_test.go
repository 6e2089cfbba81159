package cmd

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/home"
)

const homeTestSecret = "Hm8Q~homeTestSecretValue.0123456789-abcd"

// homeConfig is a valid config named name.
func homeConfig(name string) flow.Config {
	return flow.Config{
		Name:        name,
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: flow.HivekuRedirectURI,
		Scopes:      []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
		ClientID:    "2f7c3a9e-5d41-4b8a-9c6e-0d1f2a3b4c5d",
		DirectoryID: "4b0c1d2e-7f3a-4c5b-9d6e-1a2b3c4d5e6f",
		Tenant:      "common",
		Secret:      homeTestSecret,
		SecretInfo: flow.SecretInfo{Description: "Hiveku prod", Hint: "Hm8…",
			Created: testNow.AddDate(0, -1, 0), Expires: testNow.AddDate(0, 0, 12)},
	}
}

// homeSave stores c in f's database.
func homeSave(t *testing.T, f *Factory, c flow.Config) {
	t.Helper()
	if err := testStore(t, f).SaveConfig(context.Background(), c, false); err != nil {
		t.Fatalf("save config: %v", err)
	}
}

// homeFake records what the home loop did. choices are returned by show
// in order; running out of them fails the test (the loop would never end).
type homeFake struct {
	t        *testing.T
	choices  []home.Choice
	shown    []*home.Model
	setups   []string
	execs    [][]string
	pauses   int
	execErr  error
	setupFn  func(resume string) error
	execHook func(args []string)
}

func (h *homeFake) deps() homeDeps {
	return homeDeps{
		show: func(ctx context.Context, m *home.Model) (home.Choice, error) {
			h.shown = append(h.shown, m)
			if len(h.choices) == 0 {
				h.t.Fatalf("home screen shown a %d. time with no choice scripted", len(h.shown))
			}
			c := h.choices[0]
			h.choices = h.choices[1:]
			return c, nil
		},
		setup: func(ctx context.Context, resume string) error {
			h.setups = append(h.setups, resume)
			if h.setupFn != nil {
				return h.setupFn(resume)
			}
			return nil
		},
		exec: func(ctx context.Context, args ...string) error {
			h.execs = append(h.execs, args)
			if h.execHook != nil {
				h.execHook(args)
			}
			return h.execErr
		},
		pause:      func(ctx context.Context) error { h.pauses++; return nil },
		exportPath: func(name string) string { return "bundle.json" },
	}
}

func TestHomeEmptyDatabaseStartsTheWizard(t *testing.T) {
	f, _, _ := newTestFactory(t)
	h := &homeFake{t: t}
	// The wizard saves a config; then the home screen shows it.
	h.setupFn = func(resume string) error {
		homeSave(t, f, homeConfig("Acme Hiveku"))
		return nil
	}
	h.choices = []home.Choice{{Action: home.Quit}}
	if err := homeLoop(context.Background(), f, h.deps()); err != nil {
		t.Fatalf("homeLoop() = %v", err)
	}
	if len(h.setups) != 1 || h.setups[0] != "" {
		t.Errorf("setup calls = %q, want one new wizard", h.setups)
	}
	if len(h.shown) != 1 {
		t.Fatalf("home screen shown %d times, want 1 after the wizard", len(h.shown))
	}
	if name, _ := h.shown[0].Selected(); name != "Acme Hiveku" {
		t.Errorf("home screen shows %q, want the new config", name)
	}
}

func TestHomeEmptyDatabaseWizardCancelled(t *testing.T) {
	f, _, _ := newTestFactory(t)
	h := &homeFake{t: t, setupFn: func(string) error { return ErrAborted }}
	if err := homeLoop(context.Background(), f, h.deps()); !errors.Is(err, ErrAborted) {
		t.Fatalf("homeLoop() = %v, want ErrAborted (exit 130)", err)
	}
	if len(h.shown) != 0 {
		t.Errorf("home screen shown after a cancelled first wizard")
	}
}

func TestHomeQuit(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	homeSave(t, f, homeConfig("Acme Hiveku"))
	h := &homeFake{t: t, choices: []home.Choice{{Action: home.Quit}}}
	if err := homeLoop(context.Background(), f, h.deps()); err != nil {
		t.Fatalf("homeLoop() = %v, want nil", err)
	}
	if len(h.setups) != 0 || len(h.execs) != 0 || h.pauses != 0 {
		t.Errorf("quit ran something: setups %q execs %q pauses %d", h.setups, h.execs, h.pauses)
	}
	if stdout.Len() != 0 || stderr.Len() != 0 {
		t.Errorf("quit printed: stdout %q stderr %q", stdout, stderr)
	}
}

func TestHomeActions(t *testing.T) {
	tests := []struct {
		name      string
		choice    home.Choice
		wantExec  []string
		wantSetup []string
		wantPause int
		status    string
	}{
		{"verify", home.Choice{Action: home.Verify, Name: "Acme Hiveku"}, []string{"verify", "--", "Acme Hiveku"}, nil, 1, `✓ verify "Acme Hiveku" finished`},
		{"rotate", home.Choice{Action: home.Rotate, Name: "Acme Hiveku"}, []string{"rotate", "--", "Acme Hiveku"}, nil, 1, `✓ rotate "Acme Hiveku" finished`},
		{"show", home.Choice{Action: home.Show, Name: "Acme Hiveku"}, []string{"show", "--", "Acme Hiveku"}, nil, 1, `✓ show "Acme Hiveku" finished`},
		{"delete asks through the delete command", home.Choice{Action: home.Delete, Name: "Acme Hiveku"}, []string{"delete", "--", "Acme Hiveku"}, nil, 0, `"Acme Hiveku" was not deleted`},
		{"export", home.Choice{Action: home.Export, Name: "Acme Hiveku"}, []string{"export", "--out", "bundle.json", "--", "Acme Hiveku"}, nil, 1, `✓ exported "Acme Hiveku" to bundle.json`},
		{"doctor with the selected config", home.Choice{Action: home.Doctor, Name: "Acme Hiveku"}, []string{"doctor", "--name", "Acme Hiveku"}, nil, 1, "✓ doctor"},
		{"doctor alone", home.Choice{Action: home.Doctor}, []string{"doctor"}, nil, 1, "✓ doctor finished"},
		{"new setup", home.Choice{Action: home.Setup}, nil, []string{""}, 0, "✓ setup finished"},
		{"resume a draft", home.Choice{Action: home.Resume, Name: "Northwind"}, nil, []string{"Northwind"}, 0, `✓ resume "Northwind" finished`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := newTestFactory(t)
			homeSave(t, f, homeConfig("Acme Hiveku"))
			h := &homeFake{t: t, choices: []home.Choice{tt.choice, {Action: home.Quit}}}
			if err := homeLoop(context.Background(), f, h.deps()); err != nil {
				t.Fatalf("homeLoop() = %v", err)
			}
			if tt.wantExec == nil && len(h.execs) != 0 || tt.wantExec != nil && (len(h.execs) != 1 || strings.Join(h.execs[0], "|") != strings.Join(tt.wantExec, "|")) {
				t.Errorf("exec calls = %q, want %q", h.execs, tt.wantExec)
			}
			if strings.Join(h.setups, "|") != strings.Join(tt.wantSetup, "|") || len(h.setups) != len(tt.wantSetup) {
				t.Errorf("setup calls = %q, want %q", h.setups, tt.wantSetup)
			}
			if h.pauses != tt.wantPause {
				t.Errorf("pauses = %d, want %d", h.pauses, tt.wantPause)
			}
			if len(h.shown) != 2 {
				t.Fatalf("home screen shown %d times, want 2 (back after the action)", len(h.shown))
			}
			if v := homeView(h.shown[1]); !strings.Contains(v, tt.status) {
				t.Errorf("second screen lacks status %q:\n%s", tt.status, v)
			}
		})
	}
}

// homeView renders m at its size, for assertions.
func homeView(m *home.Model) string { return m.View().Content }

func TestHomeVerifyRunsForThatName(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	homeSave(t, f, homeConfig("Acme Hiveku"))
	homeSave(t, f, homeConfig("Contoso test"))
	h := &homeFake{t: t, choices: []home.Choice{{Action: home.Verify, Name: "Contoso test"}, {Action: home.Quit}}}
	d := h.deps()
	// Run the real subcommand, offline (no network in tests).
	real := homeExec(f)
	d.exec = func(ctx context.Context, args ...string) error {
		h.execs = append(h.execs, args)
		return real(ctx, append([]string{args[0], "--offline"}, args[1:]...)...)
	}
	if err := homeLoop(context.Background(), f, d); err != nil {
		t.Fatalf("homeLoop() = %v; stderr %s", err, stderr)
	}
	if len(h.execs) != 1 || h.execs[0][0] != "verify" || h.execs[0][2] != "Contoso test" {
		t.Fatalf("exec calls = %q, want verify of Contoso test", h.execs)
	}
	runs, err := testStore(t, f).Runs(context.Background(), "Contoso test", 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 1 || !runs[0].Offline {
		t.Errorf("runs of Contoso test = %+v, want one offline run", runs)
	}
	if other, _ := testStore(t, f).Runs(context.Background(), "Acme Hiveku", 5); len(other) != 0 {
		t.Errorf("Acme Hiveku was verified too: %+v", other)
	}
	// The home screen comes back with the run.
	if v := homeView(h.shown[1]); !strings.Contains(v, "Contoso test") || !strings.Contains(v, "✓ offline") {
		t.Errorf("second screen does not show the verification:\n%s", v)
	}
	if strings.Contains(stdout.String()+stderr.String(), homeTestSecret) {
		t.Errorf("secret value printed")
	}
}

func TestHomeFailedActionIsReportedAndWaits(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	homeSave(t, f, homeConfig("Acme Hiveku"))
	h := &homeFake{t: t, choices: []home.Choice{{Action: home.Delete, Name: "Acme Hiveku"}, {Action: home.Quit}},
		execErr: flow.Invalid("--yes", "refusing to delete %q without confirmation", "Acme Hiveku").WithFix("pass --yes")}
	if err := homeLoop(context.Background(), f, h.deps()); err != nil {
		t.Fatalf("homeLoop() = %v", err)
	}
	if !strings.Contains(stderr.String(), "refusing to delete") {
		t.Errorf("stderr lacks the error: %q", stderr)
	}
	if h.pauses != 1 {
		t.Errorf("pauses = %d, want 1 so the error can be read", h.pauses)
	}
	if v := homeView(h.shown[1]); !strings.Contains(v, `✗ delete "Acme Hiveku": `) {
		t.Errorf("second screen lacks the failure:\n%s", v)
	}
}

func TestHomeCancelledActionReturnsHome(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	homeSave(t, f, homeConfig("Acme Hiveku"))
	h := &homeFake{t: t, choices: []home.Choice{{Action: home.Setup}, {Action: home.Quit}},
		setupFn: func(string) error { return ErrAborted }}
	if err := homeLoop(context.Background(), f, h.deps()); err != nil {
		t.Fatalf("homeLoop() = %v, want nil (cancelling the wizard returns home)", err)
	}
	if h.pauses != 0 || stderr.Len() != 0 {
		t.Errorf("cancel paused %d times and printed %q", h.pauses, stderr)
	}
	if v := homeView(h.shown[1]); !strings.Contains(v, "setup cancelled") {
		t.Errorf("second screen lacks the cancellation:\n%s", v)
	}
}

func TestHomeDeleteRemovesTheRow(t *testing.T) {
	f, _, _ := newTestFactory(t)
	homeSave(t, f, homeConfig("Acme Hiveku"))
	homeSave(t, f, homeConfig("Contoso test"))
	h := &homeFake{t: t, choices: []home.Choice{{Action: home.Delete, Name: "Acme Hiveku"}, {Action: home.Quit}}}
	d := h.deps()
	real := homeExec(f)
	d.exec = func(ctx context.Context, args ...string) error {
		return real(ctx, append(args[:1:1], append([]string{"--yes"}, args[1:]...)...)...)
	}
	if err := homeLoop(context.Background(), f, d); err != nil {
		t.Fatalf("homeLoop() = %v", err)
	}
	v := homeView(h.shown[1])
	if strings.Contains(v, "> Acme Hiveku") || !strings.Contains(v, "Contoso test") || !strings.Contains(v, `✓ delete "Acme Hiveku" finished`) {
		t.Errorf("second screen after delete:\n%s", v)
	}
}

// TestHomeExecKeepsGlobalFlags checks that running an action through a
// fresh root keeps --db and --no-color of the running byok.
func TestHomeExecKeepsGlobalFlags(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	f.DBPath = filepath.Join(t.TempDir(), "other.db")
	f.NoColor = true
	homeSave(t, f, homeConfig("-dash name"))
	if err := homeExec(f)(context.Background(), "show", "--", "-dash name"); err != nil {
		t.Fatalf("show: %v; stderr %s", err, stderr)
	}
	if f.DBPath == "" || !f.NoColor {
		t.Errorf("global flags lost: DBPath %q NoColor %v", f.DBPath, f.NoColor)
	}
	if !strings.Contains(stdout.String(), "-dash name") {
		t.Errorf("show printed %q", stdout)
	}
	if strings.Contains(stdout.String(), homeTestSecret) {
		t.Errorf("secret value printed")
	}
}

func TestHomeExportPath(t *testing.T) {
	t.Chdir(t.TempDir())
	if got, want := homeExportPath("Acme Hiveku (prod)"), "acme-hiveku-prod-bundle.json"; got != want {
		t.Errorf("homeExportPath() = %q, want %q", got, want)
	}
	if err := os.WriteFile("acme-hiveku-prod-bundle.json", []byte("{}"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, want := homeExportPath("Acme Hiveku (prod)"), "acme-hiveku-prod-bundle-2.json"; got != want {
		t.Errorf("homeExportPath() with the file present = %q, want %q", got, want)
	}
	if got, want := homeExportPath("???"), "byok-bundle.json"; got != want {
		t.Errorf("homeExportPath(\"???\") = %q, want %q", got, want)
	}
}

func TestHomePause(t *testing.T) {
	ios, in, _, errOut := Test()
	in.WriteString("\nleft over")
	if err := homePause(ios)(context.Background()); err != nil {
		t.Fatalf("pause: %v", err)
	}
	if !strings.Contains(errOut.String(), "Press Enter") {
		t.Errorf("pause printed %q", errOut)
	}
	if in.String() != "left over" {
		t.Errorf("pause read past the newline: %q left", in.String())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	blocked, _, _, _ := Test()
	pr, pw := io.Pipe() // a terminal nobody types in
	t.Cleanup(func() { _ = pw.Close() })
	blocked.In = pr
	if err := homePause(blocked)(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("pause on a cancelled context = %v, want context.Canceled", err)
	}
}

func TestHomeSelectsTheConfigTheWizardSaved(t *testing.T) {
	f, _, _ := newTestFactory(t)
	homeSave(t, f, homeConfig("Acme Hiveku"))
	h := &homeFake{t: t, choices: []home.Choice{{Action: home.Setup}, {Action: home.Quit}}}
	h.setupFn = func(string) error {
		homeSave(t, f, homeConfig("Zeta mail"))
		return nil
	}
	if err := homeLoop(context.Background(), f, h.deps()); err != nil {
		t.Fatalf("homeLoop() = %v", err)
	}
	if name, _ := h.shown[1].Selected(); name != "Zeta mail" {
		t.Errorf("after the wizard the home screen selects %q, want the new Zeta mail", name)
	}
}
