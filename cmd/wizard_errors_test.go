package cmd

import (
	"bytes"
	"context"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui"
)

// TestSameErrorEverywhere runs the same bad answer through `setup
// --no-input`, the TUI wizard and its accessible mode, and checks that
// all three say what flow's step says: the steps are defined once.
func TestSameErrorEverywhere(t *testing.T) {
	long := strings.Repeat("x", 121)
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	good := flow.Config{
		Name: "Acme Hiveku", AccountType: flow.MultiTenantPersonal, RedirectURI: flow.HivekuRedirectURI,
		Scopes: flow.ScopePresets["full"], ClientID: setupClientID, DirectoryID: setupDirectoryID, Tenant: "common",
		Secret: flow.Secret(setupFixtureSecret), SecretInfo: flow.SecretInfo{Description: "Hiveku prod", Expires: now.AddDate(1, 0, 0)},
	}
	tests := []struct {
		name  string
		step  flow.StepID // the step the answer belongs to
		flags []string    // setup --no-input flags that replace the good ones
		draft flow.StepID // the TUI and accessible mode resume after this step
		keys  []tea.Msg   // TUI keys on the step's screen
		lines string      // accessible answers
		a     func(*flow.Answers)
	}{
		{
			name: "name too long", step: flow.StepName, flags: []string{"--name", long},
			keys:  []tea.Msg{pressKey('u', tea.ModCtrl), typedKey(long), pressKey(tea.KeyEnter, 0)},
			lines: long + "\n",
			a:     func(a *flow.Answers) { a.Name = long },
		},
		{
			name: "client ID not a GUID", step: flow.StepTenant, flags: []string{"--client-id", "not-a-guid"}, draft: flow.StepSecret,
			keys:  []tea.Msg{pressKey('u', tea.ModCtrl), typedKey("not-a-guid"), pressKey(tea.KeyEnter, 0)},
			lines: "not-a-guid\n",
			a:     func(a *flow.Answers) { a.ClientID = "not-a-guid" },
		},
		{
			name: "expiry in the past", step: flow.StepSecret, flags: []string{"--secret-expires", "2020-01-01"}, draft: flow.StepPermissions,
			keys:  []tea.Msg{pressKey(tea.KeyEnter, 0), pressKey('u', tea.ModCtrl), typedKey("2020-01-01"), pressKey(tea.KeyEnter, 0)},
			lines: "\n2020-01-01\n",
			a:     func(a *flow.Answers) { a.SecretExpires = "2020-01-01" },
		},
	}
	perms, _ := assets.Permissions()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// What flow's step says.
			a := flow.AnswersFrom(good)
			a.SecretValue = good.Secret
			tt.a(&a)
			_, _, ferr := tt.step.Def().Submit(a, flow.Config{}, flow.StepEnv{Now: now, Permissions: perms})
			if ferr == nil {
				t.Fatalf("flow accepts the bad answer")
			}
			want := ferr.Error()

			// setup --no-input.
			f, _, stderr := newTestFactory(t)
			setupStdin(f, setupFixtureSecret)
			args := setupArgs(tt.flags...)
			if code := runCmd(t, f, args...); code != 2 {
				t.Errorf("setup --no-input exit = %d, want 2", code)
			}
			if !strings.Contains(flat(stderr.String()), flat(want)) {
				t.Errorf("setup --no-input says\n%s\nwant %q", stderr.String(), want)
			}

			// The TUI.
			var d *flow.Draft
			if tt.draft != "" {
				d = &flow.Draft{Config: good, Step: tt.draft}
			}
			o := ui.WizardOptions{Permissions: perms, Now: func() time.Time { return now }, NoColor: true, Width: 80, Height: 40, Draft: d}
			w := ui.NewWizard(o)
			drive(t, w, w.Init())
			if tt.draft == "" {
				drive(t, w, send(w, pressKey(tea.KeyEnter, 0))) // before you start
			}
			for _, k := range tt.keys {
				drive(t, w, send(w, k))
			}
			if v := ansi.Strip(w.View().Content); !strings.Contains(flat(v), flat(want)) {
				t.Errorf("TUI shows\n%s\nwant %q", v, want)
			}

			// Accessible mode.
			var out bytes.Buffer
			o.Accessible, o.In, o.Out = true, strings.NewReader("\n"+tt.lines), &out
			if tt.draft != "" {
				o.In = strings.NewReader(tt.lines)
			}
			_, _ = ui.RunWizard(context.Background(), o)
			if !strings.Contains(flat(out.String()), flat(want)) {
				t.Errorf("accessible mode says\n%s\nwant %q", out.String(), want)
			}
		})
	}
}

// flat joins s's words with single spaces: wrapping differs by screen.
func flat(s string) string { return strings.Join(strings.Fields(s), " ") }

func pressKey(code rune, mod tea.KeyMod) tea.KeyPressMsg {
	return tea.KeyPressMsg{Code: code, Mod: mod}
}

func typedKey(s string) tea.KeyPressMsg { return tea.KeyPressMsg{Code: []rune(s)[0], Text: s} }

func send(w *ui.Wizard, m tea.Msg) tea.Cmd {
	_, cmd := w.Update(m)
	return cmd
}

// drive runs cmd and what it leads to synchronously, skipping timers
// (cursor blink, spinner ticks).
func drive(t *testing.T, w *ui.Wizard, cmd tea.Cmd) {
	t.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			t.Fatalf("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		name := runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name()
		if strings.Contains(name, "bubbles/v2/cursor") || strings.Contains(name, "bubbles/v2/spinner") || strings.Contains(name, "bubbletea/v2.Tick") {
			continue
		}
		msg := c()
		if msg == nil {
			continue
		}
		if _, ok := msg.(tea.QuitMsg); ok {
			continue
		}
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := 0; i < v.Len(); i++ {
				queue = append(queue, v.Index(i).Interface().(tea.Cmd))
			}
			continue
		}
		queue = append(queue, send(w, msg))
	}
}
