package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/home"
	"github.com/spf13/cobra"
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
	t       *testing.T
	choices []home.Choice
	shown   []*home.Model
	setups  []string
	acts    []string // "action|name|out" of each act call
	pauses  int
	actErr  error
	setupFn func(resume string) error
	events  []string // show, act, pause and clear calls in order
}

func (h *homeFake) deps() homeDeps {
	return homeDeps{
		show: func(ctx context.Context, m *home.Model) (home.Choice, error) {
			h.shown = append(h.shown, m)
			h.events = append(h.events, "show")
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
		act: func(ctx context.Context, c home.Choice, out string) error {
			h.acts = append(h.acts, c.Action.String()+"|"+c.Name+"|"+out)
			h.events = append(h.events, "act")
			return h.actErr
		},
		pause:      func(ctx context.Context) error { h.pauses++; h.events = append(h.events, "pause"); return nil },
		exportPath: func(name string) string { return "bundle.json" },
		clear:      func() { h.events = append(h.events, "clear") },
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
	if len(h.setups) != 0 || len(h.acts) != 0 || h.pauses != 0 {
		t.Errorf("quit ran something: setups %q acts %q pauses %d", h.setups, h.acts, h.pauses)
	}
	if stdout.Len() != 0 || stderr.Len() != 0 {
		t.Errorf("quit printed: stdout %q stderr %q", stdout, stderr)
	}
}

func TestHomeActions(t *testing.T) {
	tests := []struct {
		name      string
		choice    home.Choice
		wantAct   string
		wantSetup []string
		wantPause int
		status    string
	}{
		{"verify", home.Choice{Action: home.Verify, Name: "Acme Hiveku"}, "verify|Acme Hiveku|", nil, 1, `✓ verify "Acme Hiveku" finished`},
		{"rotate", home.Choice{Action: home.Rotate, Name: "Acme Hiveku"}, "rotate|Acme Hiveku|", nil, 1, `✓ rotate "Acme Hiveku" finished`},
		{"show", home.Choice{Action: home.Show, Name: "Acme Hiveku"}, "show|Acme Hiveku|", nil, 1, `✓ show "Acme Hiveku" finished`},
		{"delete asks through the delete command", home.Choice{Action: home.Delete, Name: "Acme Hiveku"}, "delete|Acme Hiveku|", nil, 0, `"Acme Hiveku" was not deleted`},
		{"export", home.Choice{Action: home.Export, Name: "Acme Hiveku"}, "export|Acme Hiveku|bundle.json", nil, 1, `✓ exported "Acme Hiveku" to bundle.json`},
		{"doctor with the selected config", home.Choice{Action: home.Doctor, Name: "Acme Hiveku"}, "doctor|Acme Hiveku|", nil, 1, "✓ doctor"},
		{"doctor alone", home.Choice{Action: home.Doctor}, "doctor||", nil, 1, "✓ doctor finished"},
		{"new setup", home.Choice{Action: home.Setup}, "", []string{""}, 0, "✓ setup finished"},
		{"resume a draft", home.Choice{Action: home.Resume, Name: "Northwind"}, "", []string{"Northwind"}, 0, `✓ resume "Northwind" finished`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := newTestFactory(t)
			homeSave(t, f, homeConfig("Acme Hiveku"))
			h := &homeFake{t: t, choices: []home.Choice{tt.choice, {Action: home.Quit}}}
			if err := homeLoop(context.Background(), f, h.deps()); err != nil {
				t.Fatalf("homeLoop() = %v", err)
			}
			if got := strings.Join(h.acts, ","); got != tt.wantAct {
				t.Errorf("act calls = %q, want %q", got, tt.wantAct)
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
	// Run the real command, offline (no network in tests).
	d.act = homeAct(f, func(opts any) { opts.(*VerifyOptions).Offline = true })
	if err := homeLoop(context.Background(), f, d); err != nil {
		t.Fatalf("homeLoop() = %v; stderr %s", err, stderr)
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
		actErr: flow.Invalid("--yes", "refusing to delete %q without confirmation", "Acme Hiveku").WithFix("pass --yes")}
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
	// The person answers the confirmation on the terminal.
	homeTerminal(f, "y\n")
	d.act = homeAct(f, nil)
	if err := homeLoop(context.Background(), f, d); err != nil {
		t.Fatalf("homeLoop() = %v", err)
	}
	v := homeView(h.shown[1])
	if strings.Contains(v, "> Acme Hiveku") || !strings.Contains(v, "Contoso test") || !strings.Contains(v, `✓ deleted "Acme Hiveku"`) {
		t.Errorf("second screen after delete:\n%s", v)
	}
}

// TestHomeClearsAfterEachAction: what an action printed on the normal
// screen is wiped before the home screen returns, once the person has
// read it. Delete does not wait, so its "✓ Deleted" used to stay there,
// unseen behind the home screen, and turned up under the shell prompt
// when home quit; the home screen's status line says it instead
// (TestHomeDeleteRemovesTheRow).
func TestHomeClearsAfterEachAction(t *testing.T) {
	f, _, _ := newTestFactory(t)
	homeSave(t, f, homeConfig("Acme Hiveku"))
	h := &homeFake{t: t, choices: []home.Choice{
		{Action: home.Delete, Name: "Acme Hiveku"}, {Action: home.Verify, Name: "Acme Hiveku"}, {Action: home.Quit},
	}}
	if err := homeLoop(context.Background(), f, h.deps()); err != nil {
		t.Fatalf("homeLoop() = %v", err)
	}
	want := []string{"show", "clear", "act", "clear", "show", "clear", "act", "pause", "clear", "show"}
	if !reflect.DeepEqual(h.events, want) {
		t.Errorf("events = %v, want %v", h.events, want)
	}
}

// errHomeStop ends an action's run once its options were captured.
var errHomeStop = errors.New("stop: options captured")

// TestHomeActionsMatchTheirCommands: each home action starts from the
// options its command has with no flags (plus the name, and export's
// --out and doctor's --name), so a default given to a flag but not to
// its options constructor (say verify's --cloud or --timeout, rotate's
// prompts) fails here.
func TestHomeActionsMatchTheirCommands(t *testing.T) {
	const name = "Acme Hiveku"
	tests := []struct {
		choice home.Choice
		out    string
		args   []string
		cmd    func(f *Factory, capture func(any)) *cobra.Command
	}{
		{home.Choice{Action: home.Verify, Name: name}, "", []string{"--", name}, func(f *Factory, c func(any)) *cobra.Command {
			return newCmdVerify(f, func(o *VerifyOptions) error { c(o); return nil })
		}},
		{home.Choice{Action: home.Rotate, Name: name}, "", []string{"--", name}, func(f *Factory, c func(any)) *cobra.Command {
			return newCmdRotate(f, func(o *RotateOptions) error { c(o); return nil })
		}},
		{home.Choice{Action: home.Delete, Name: name}, "", []string{"--", name}, func(f *Factory, c func(any)) *cobra.Command {
			return NewCmdDelete(f, func(o *DeleteOptions) error { c(o); return nil })
		}},
		{home.Choice{Action: home.Show, Name: name}, "", []string{"--", name}, func(f *Factory, c func(any)) *cobra.Command {
			return NewCmdShow(f, func(o *ShowOptions) error { c(o); return nil })
		}},
		{home.Choice{Action: home.Export, Name: name}, "b.json", []string{"--out", "b.json", "--", name}, func(f *Factory, c func(any)) *cobra.Command {
			return newCmdExport(f, func(o *ExportOptions) error { c(o); return nil })
		}},
		{home.Choice{Action: home.Doctor, Name: name}, "", []string{"--name", name}, func(f *Factory, c func(any)) *cobra.Command {
			return newCmdDoctor(f, func(o *DoctorOptions) error { c(o); return nil })
		}},
		{home.Choice{Action: home.Doctor}, "", []string{}, func(f *Factory, c func(any)) *cobra.Command {
			return newCmdDoctor(f, func(o *DoctorOptions) error { c(o); return nil })
		}},
	}
	for _, tt := range tests {
		t.Run(tt.choice.Action.String()+" "+tt.choice.Name, func(t *testing.T) {
			f, _, _ := newTestFactory(t)
			var fromCmd, fromHome any
			c := tt.cmd(f, func(o any) { fromCmd = o })
			c.SetArgs(tt.args)
			c.SetOut(io.Discard)
			c.SetErr(io.Discard)
			if err := c.ExecuteContext(context.Background()); err != nil {
				t.Fatalf("command: %v", err)
			}
			err := homeAct(f, func(o any) {
				fromHome = o
				// Stop the run at its first use of the database.
				reflect.ValueOf(o).Elem().FieldByName("Store").Set(reflect.ValueOf(
					func(context.Context) (flow.Store, error) { return nil, errHomeStop }))
			})(context.Background(), tt.choice, tt.out)
			if tt.choice.Name != "" && !errors.Is(err, errHomeStop) {
				t.Errorf("the action's run stopped before using the database: %v", err)
			}
			if fromCmd == nil || fromHome == nil {
				t.Fatalf("options not captured: command %v, home %v", fromCmd != nil, fromHome != nil)
			}
			for _, d := range optionDiffs("", reflect.ValueOf(fromCmd).Elem(), reflect.ValueOf(fromHome).Elem()) {
				t.Errorf("home %s: %s", tt.choice.Action, d)
			}
		})
	}
}

// optionDiffs lists the fields where two options structs differ: values
// compared, funcs and interfaces only for being set (Store is skipped:
// the test replaces it).
func optionDiffs(prefix string, a, b reflect.Value) []string {
	var diffs []string
	for i := 0; i < a.NumField(); i++ {
		ft := a.Type().Field(i)
		if !ft.IsExported() || ft.Name == "Store" {
			continue
		}
		name := prefix + ft.Name
		x, y := a.Field(i), b.Field(i)
		switch ft.Type.Kind() {
		case reflect.Func, reflect.Interface, reflect.Pointer:
			if x.IsNil() != y.IsNil() {
				diffs = append(diffs, fmt.Sprintf("%s set %v in the command, %v at home", name, !x.IsNil(), !y.IsNil()))
			}
		case reflect.Struct:
			diffs = append(diffs, optionDiffs(name+".", x, y)...)
		case reflect.Slice:
			if (x.Len() != 0 || y.Len() != 0) && !reflect.DeepEqual(x.Interface(), y.Interface()) {
				diffs = append(diffs, fmt.Sprintf("%s = %v in the command, %v at home", name, x, y))
			}
		default:
			if !reflect.DeepEqual(x.Interface(), y.Interface()) {
				diffs = append(diffs, fmt.Sprintf("%s = %v in the command, %v at home", name, x, y))
			}
		}
	}
	return diffs
}

// homeTerminal makes f a terminal a person answers in plain lines
// (accessible prompts), typing input.
func homeTerminal(f *Factory, input string) {
	f.IO.SetStdinTTY(true)
	f.IO.SetStdoutTTY(true)
	f.IO.SetStderrTTY(true)
	f.IO.In = iotest.OneByteReader(strings.NewReader(input))
	env := f.Getenv
	f.Getenv = func(k string) string {
		if k == "BYOK_ACCESSIBLE" {
			return "1"
		}
		return env(k)
	}
}

// TestHomeRotateKeepsThePastedSecret is issue 10's "the home screen's
// rotate cannot skip the preflight and throws the pasted secret away":
// when Microsoft cannot be asked, rotate from home offers to replace the
// secret without the check and, on yes, stores the value pasted before.
func TestHomeRotateKeepsThePastedSecret(t *testing.T) {
	for _, tt := range []struct {
		answer   string
		replaced bool
		say      string
	}{
		{"y", true, "Rotated the client secret"},
		{"n", false, "--skip-preflight"},
	} {
		t.Run(tt.answer, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			homeSave(t, f, homeConfig("Acme Hiveku"))
			homeTerminal(f, "Hiveku 2027\n6m\n"+rotateNewSecret+"\n"+tt.answer+"\n")
			var checked string
			h := &homeFake{t: t, choices: []home.Choice{{Action: home.Rotate, Name: "Acme Hiveku"}, {Action: home.Quit}}}
			d := h.deps()
			d.act = homeAct(f, func(o any) {
				// Microsoft does not answer (no AADSTS code).
				o.(*RotateOptions).Preflight = func(ctx context.Context, c flow.Config) flow.Check {
					checked = c.Secret.Reveal()
					return flow.Check{ID: "secret", Status: flow.Fail, Detail: "no answer from login.microsoftonline.com"}
				}
			})
			if err := homeLoop(context.Background(), f, d); err != nil {
				t.Fatalf("homeLoop() = %v\n%s", err, stderr)
			}
			if checked != rotateNewSecret {
				t.Fatalf("the preflight checked %d characters, not the pasted secret\n%s", len(checked), stderr)
			}
			if !strings.Contains(stderr.String(), "Replace the secret without this check?") {
				t.Errorf("rotate did not offer to skip the check:\n%s", stderr)
			}
			if !strings.Contains(stdout.String()+stderr.String(), tt.say) {
				t.Errorf("output lacks %q:\nstdout %s\nstderr %s", tt.say, stdout, stderr)
			}
			got, err := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku")
			if err != nil {
				t.Fatal(err)
			}
			if replaced := got.Secret.Reveal() == rotateNewSecret; replaced != tt.replaced {
				t.Errorf("secret replaced = %v, want %v", replaced, tt.replaced)
			}
			if strings.Contains(stdout.String()+stderr.String(), rotateNewSecret) {
				t.Error("the new secret value was printed")
			}
		})
	}
}

// TestHomeRotateChecksAgain: when Microsoft does not know the new
// secret yet (AADSTS7000215, a secret created seconds ago), rotate from
// home offers to check the same pasted value again instead of dropping it.
func TestHomeRotateChecksAgain(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	homeSave(t, f, homeConfig("Acme Hiveku"))
	homeTerminal(f, "Hiveku 2027\n6m\n"+rotateNewSecret+"\ny\n")
	var checked []string
	h := &homeFake{t: t, choices: []home.Choice{{Action: home.Rotate, Name: "Acme Hiveku"}, {Action: home.Quit}}}
	d := h.deps()
	d.act = homeAct(f, func(o any) {
		o.(*RotateOptions).Preflight = func(ctx context.Context, c flow.Config) flow.Check {
			checked = append(checked, c.Secret.Reveal())
			if len(checked) == 1 {
				return flow.Check{ID: "secret", Status: flow.Fail, Code: 7000215, Detail: "AADSTS7000215: Invalid client secret provided."}
			}
			return flow.Check{ID: "secret", Status: flow.Pass, Detail: "accepted"}
		}
	})
	if err := homeLoop(context.Background(), f, d); err != nil {
		t.Fatalf("homeLoop() = %v\n%s", err, stderr)
	}
	if len(checked) != 2 || checked[0] != rotateNewSecret || checked[1] != rotateNewSecret {
		t.Fatalf("the preflight checked %d values, want the pasted secret twice\n%s", len(checked), stderr)
	}
	if !strings.Contains(stderr.String(), "Check the same secret again?") {
		t.Errorf("rotate did not offer to check again:\n%s", stderr)
	}
	got, err := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku")
	if err != nil {
		t.Fatal(err)
	}
	if got.Secret.Reveal() != rotateNewSecret {
		t.Errorf("secret not replaced after the second check passed\n%s", stderr)
	}
	if strings.Contains(stdout.String()+stderr.String(), rotateNewSecret) {
		t.Error("the new secret value was printed")
	}
}

// TestHomeSetupStoppedSaysTheDraft: a wizard left with Ctrl+C from the
// home screen keeps its answers as a draft; its note goes with its
// screen, so the home screen's status line names the draft and selects it.
func TestHomeSetupStoppedSaysTheDraft(t *testing.T) {
	f, _, _ := newTestFactory(t)
	homeSave(t, f, homeConfig("Acme Hiveku"))
	h := &homeFake{t: t, choices: []home.Choice{{Action: home.Setup}, {Action: home.Quit}}}
	h.setupFn = func(string) error {
		if err := testStore(t, f).SaveDraft(context.Background(), flow.Draft{Config: flow.Config{Name: "Half Way"}, Step: flow.StepName}); err != nil {
			t.Fatal(err)
		}
		return ErrAborted
	}
	if err := homeLoop(context.Background(), f, h.deps()); err != nil {
		t.Fatalf("homeLoop() = %v", err)
	}
	v := homeView(h.shown[1])
	if name, draft := h.shown[1].Selected(); !strings.Contains(v, `kept as the draft "Half Way"`) || name != "Half Way" || !draft {
		t.Errorf("screen after the wizard was stopped (selected %q):\n%s", name, v)
	}
}

// TestHomeShowUsesTheRunningDatabase: an action runs on the factory's
// database (--db), not on a default one.
func TestHomeShowUsesTheRunningDatabase(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	f.DBPath = filepath.Join(t.TempDir(), "other.db")
	homeSave(t, f, homeConfig("-dash name"))
	if err := homeAct(f, nil)(context.Background(), home.Choice{Action: home.Show, Name: "-dash name"}, ""); err != nil {
		t.Fatalf("show: %v; stderr %s", err, stderr)
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
