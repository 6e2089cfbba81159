package ui

import (
	"context"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/screens"
)

// Fixtures. testSecret must never appear in any view, output or golden.
const (
	testSecret    = "abC8Q~tX1yZ2secretVALUEnotAGuid0123456789"
	testClientID  = "11111111-2222-4333-8444-555555555555"
	testDirectory = "66666666-7777-4888-9999-aaaaaaaaaaaa"
)

var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// fakeStore is a hand-written flow.Store: drafts and configs in maps; a
// method the wizard must not call fails the test.
type fakeStore struct {
	flow.Store // nil: any other method panics, failing loudly
	tb         testing.TB

	mu        sync.Mutex
	taken     map[string]bool // lower-case names of saved configs
	drafts    []flow.Draft    // every SaveDraft call, in order
	deleted   []string        // DeleteDraft calls
	saved     []flow.Config
	saveErr   error
	draftErr  error
	nameCalls int
}

func newFakeStore(tb testing.TB, taken ...string) *fakeStore {
	s := &fakeStore{tb: tb, taken: map[string]bool{}}
	for _, n := range taken {
		s.taken[strings.ToLower(n)] = true
	}
	return s
}

func (s *fakeStore) NameTaken(_ context.Context, name string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nameCalls++
	return s.taken[strings.ToLower(name)], nil
}

func (s *fakeStore) SaveDraft(_ context.Context, d flow.Draft) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.draftErr != nil {
		return s.draftErr
	}
	s.drafts = append(s.drafts, d)
	return nil
}

func (s *fakeStore) DeleteDraft(_ context.Context, name string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deleted = append(s.deleted, name)
	return nil
}

func (s *fakeStore) SaveConfig(_ context.Context, c flow.Config, replace bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if replace {
		s.tb.Errorf("SaveConfig(replace=true): the wizard must not replace a saved config")
	}
	if s.saveErr != nil {
		return s.saveErr
	}
	s.saved = append(s.saved, c)
	return nil
}

func (s *fakeStore) lastDraft() (flow.Draft, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.drafts) == 0 {
		return flow.Draft{}, false
	}
	return s.drafts[len(s.drafts)-1], true
}

func (s *fakeStore) draftSteps() []flow.StepID {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []flow.StepID
	for _, d := range s.drafts {
		out = append(out, d.Step)
	}
	return out
}

// testCatalog is a small permission catalog.
func testCatalog() []flow.Permission {
	return []flow.Permission{
		{Name: "offline_access", Description: "Maintain access to data you have given it access to"},
		{Name: "Mail.Read", Description: "Read your mail", Mail: true},
		{Name: "Mail.ReadWrite", Description: "Read and write access to your mail", Mail: true},
		{Name: "Mail.Send", Description: "Send mail as you", Mail: true},
		{Name: "Calendars.ReadWrite", Description: "Have full access to your calendars", Calendar: true},
		{Name: "User.Read", Description: "Sign you in and read your profile"},
	}
}

func testHelp(id flow.StepID) string {
	return "Help for " + id.Title() + ": where to find it in the portal."
}

// testOptions returns options for an 80×24 wizard on store s.
func testOptions(s *fakeStore) WizardOptions {
	return WizardOptions{
		Store:       s,
		Permissions: testCatalog(),
		Help:        testHelp,
		Now:         func() time.Time { return testNow },
		NoColor:     true,
		Width:       80,
		Height:      24,
	}
}

// draftAt returns a draft whose last completed step is step, with every
// answer filled in validly.
func draftAt(step flow.StepID) *flow.Draft {
	return &flow.Draft{Step: step, UpdatedAt: testNow, Config: flow.Config{
		Name:        "Acme Hiveku",
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: flow.HivekuRedirectURI,
		Scopes:      []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
		ClientID:    testClientID,
		DirectoryID: testDirectory,
		Tenant:      "common",
		Secret:      flow.Secret(testSecret),
		SecretInfo:  flow.SecretInfo{Description: "Hiveku prod", Hint: "abC…", Expires: testNow.AddDate(2, 0, 0)},
	}}
}

// Keys.
var (
	keyEnter = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyEsc   = tea.KeyPressMsg{Code: tea.KeyEscape}
	keyCtrlC = tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	keyDown  = tea.KeyPressMsg{Code: tea.KeyDown}
	keyUp    = tea.KeyPressMsg{Code: tea.KeyUp}
	keyClear = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl} // clears a huh input
)

// typed is s typed as one key press: inputs insert a key's whole Text.
func typed(s string) tea.Msg {
	if s == "" {
		return nil
	}
	return tea.KeyPressMsg{Code: []rune(s)[0], Text: s}
}

func funcName(c tea.Cmd) string {
	return runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name()
}

// skipCmd reports whether a command must not be run synchronously: timers
// (cursor blink, spinner, ticks) and the verification's event wait, which
// the verify test reads itself.
func skipCmd(c tea.Cmd) bool {
	name := funcName(c)
	for _, s := range []string{"bubbles/v2/cursor", "bubbles/v2/spinner", "bubbletea/v2.Tick", "bubbletea/v2.Every", "waitEvent"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// isStartVerify reports whether c is the command that calls the
// VerifyFunc (it blocks until the verification ends).
func isStartVerify(c tea.Cmd) bool {
	name := funcName(c)
	return strings.Contains(name, "startVerify") && !strings.Contains(name, "compactCmds")
}

// send feeds msgs to w one by one and runs every command they return
// (and the commands those msgs return) synchronously, in order, like
// huh's batchUpdate. It returns whether tea.Quit was returned.
func send(tb testing.TB, w *Wizard, msgs ...tea.Msg) (quit bool) {
	tb.Helper()
	for _, m := range msgs {
		_, cmd := w.Update(m)
		q, _ := runCmds(tb, w, cmd)
		quit = quit || q
	}
	return quit
}

// sendVerify is send for the key that starts verification: it returns
// the command that runs the VerifyFunc instead of running it.
func sendVerify(tb testing.TB, w *Wizard, m tea.Msg) tea.Cmd {
	tb.Helper()
	_, cmd := w.Update(m)
	_, held := runCmds(tb, w, cmd)
	if len(held) != 1 {
		tb.Fatalf("verification started %d times, want once", len(held))
	}
	return held[0]
}

func runCmds(tb testing.TB, w *Wizard, cmd tea.Cmd) (quit bool, held []tea.Cmd) {
	tb.Helper()
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 10000 {
			tb.Fatalf("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil || skipCmd(c) {
			continue
		}
		if isStartVerify(c) {
			held = append(held, c)
			continue
		}
		msg := c()
		if msg == nil {
			continue
		}
		if _, ok := msg.(tea.QuitMsg); ok {
			quit = true
			continue
		}
		// tea.BatchMsg and tea's unexported sequenceMsg are both []tea.Cmd.
		if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
			for i := 0; i < v.Len(); i++ {
				queue = append(queue, v.Index(i).Interface().(tea.Cmd))
			}
			continue
		}
		_, next := w.Update(msg)
		queue = append(queue, next)
	}
	return quit, held
}

// start returns an initialised wizard, past "Before you start" (see
// TestBeforeYouStart) on a new one.
func start(tb testing.TB, o WizardOptions) *Wizard {
	tb.Helper()
	w := NewWizard(o)
	runCmds(tb, w, w.Init())
	if current(w) == scrBefore {
		send(tb, w, keyEnter)
		wantScreen(tb, w, scrName)
	}
	return w
}

// view is the wizard's screen without ANSI sequences.
func view(w *Wizard) string { return ansi.Strip(w.View().Content) }

// typeInto clears the focused input and types s.
func typeInto(tb testing.TB, w *Wizard, s string) {
	tb.Helper()
	send(tb, w, keyClear, typed(s))
}

// screen names what the wizard shows, for tests: a page, or a step's
// screen and where on it.
type screen int

const (
	scrBefore screen = iota
	scrName
	scrAccount
	scrRedirect
	scrRedirectFix
	scrPermissions
	scrCustomScopes
	scrSecret
	scrTenantIDs
	scrTenant
	scrTenantDomain
	scrReview
	scrVerifyAsk
	scrVerifying
	scrPaste
	scrDone
)

// current returns what w shows.
func current(w *Wizard) screen {
	switch w.page {
	case pageBefore:
		return scrBefore
	case pageRedirectFix:
		return scrRedirectFix
	case pageReview:
		return scrReview
	case pageVerifyAsk:
		return scrVerifyAsk
	case pageVerifying:
		return scrVerifying
	case pagePaste:
		return scrPaste
	case pageDone:
		return scrDone
	}
	ch, _ := w.screen.(*screens.Choice)
	other := ch != nil && ch.OnOther()
	switch w.step {
	case flow.StepName:
		return scrName
	case flow.StepAccountType:
		return scrAccount
	case flow.StepRedirect:
		return scrRedirect
	case flow.StepPermissions:
		if other {
			return scrCustomScopes
		}
		return scrPermissions
	case flow.StepSecret:
		return scrSecret
	case flow.StepTenant:
		switch {
		case w.part == 0:
			return scrTenantIDs
		case other:
			return scrTenantDomain
		}
		return scrTenant
	}
	return -1
}

// wantScreen fails unless w shows want.
func wantScreen(tb testing.TB, w *Wizard, want screen) {
	tb.Helper()
	if got := current(w); got != want {
		tb.Fatalf("screen = %d, want %d\n%s", got, want, view(w))
	}
}

// noSecret fails if s holds the fixture secret.
func noSecret(tb testing.TB, where, s string) {
	tb.Helper()
	if strings.Contains(s, testSecret) || strings.Contains(s, testSecret[:12]) {
		tb.Fatalf("%s shows the secret value:\n%s", where, s)
	}
}

// submitValues submits the current screen as if values (and secret)
// had been typed into it.
func submitValues(tb testing.TB, w *Wizard, values map[string]string, secret string) {
	tb.Helper()
	send(tb, w, screens.SubmittedMsg{Values: values, Secret: flow.Secret(secret)})
}
