package home

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/internal/tuitest"
)

func TestActionKeys(t *testing.T) {
	tests := []struct {
		name string
		keys []string
		want Choice
	}{
		{"enter verifies the selected config", []string{"enter"}, Choice{Verify, "Acme Hiveku"}},
		{"v verifies", []string{"v"}, Choice{Verify, "Acme Hiveku"}},
		{"r rotates", []string{"r"}, Choice{Rotate, "Acme Hiveku"}},
		{"e exports", []string{"e"}, Choice{Export, "Acme Hiveku"}},
		{"d deletes", []string{"d"}, Choice{Delete, "Acme Hiveku"}},
		{"i shows", []string{"i"}, Choice{Show, "Acme Hiveku"}},
		{"? opens the doctor for the selected config", []string{"?"}, Choice{Doctor, "Acme Hiveku"}},
		{"n starts a new setup", []string{"n"}, Choice{Setup, ""}},
		{"s resumes the most recent draft", []string{"s"}, Choice{Resume, "Northwind draft"}},
		{"q quits", []string{"q"}, Choice{Quit, ""}},
		{"esc quits", []string{"esc"}, Choice{Quit, ""}},
		{"ctrl+c quits", []string{"ctrl+c"}, Choice{Quit, ""}},
		{"down then v verifies the second config", []string{"down", "v"}, Choice{Verify, "Contoso test"}},
		{"j k j then r", []string{"j", "k", "j", "r"}, Choice{Rotate, "Contoso test"}},
		{"enter on a draft resumes it", []string{"end", "enter"}, Choice{Resume, "Northwind draft"}},
		{"? on a draft opens the doctor without a name", []string{"end", "?"}, Choice{Doctor, ""}},
		{"d on a draft deletes it", []string{"end", "d"}, Choice{Delete, "Northwind draft"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newFixture(t)
			cmd := press(m, tt.keys...)
			if got := m.Choice(); got != tt.want {
				t.Errorf("Choice() = %+v, want %+v", got, tt.want)
			}
			if cmd == nil {
				t.Fatal("no command returned, want tea.Quit")
			}
			if _, ok := cmd().(tea.QuitMsg); !ok {
				t.Errorf("command returned %T, want tea.QuitMsg", cmd())
			}
			if v := m.View().Content; v != "" {
				t.Errorf("View() after a choice = %q, want empty", v)
			}
		})
	}
}

func TestConfigActionsOnADraftLeaveANotice(t *testing.T) {
	for _, k := range []string{"v", "r", "e", "i"} {
		t.Run(k, func(t *testing.T) {
			m := newFixture(t)
			press(m, "end")
			if cmd := press(m, k); cmd != nil {
				t.Errorf("key %q on a draft returned a command", k)
			}
			if got := m.Choice().Action; got != None {
				t.Errorf("Choice().Action = %v, want none", got)
			}
			if v := plain(m); !strings.Contains(v, "select a saved config first") {
				t.Errorf("view has no notice:\n%s", v)
			}
			press(m, "up")
			if v := plain(m); strings.Contains(v, "select a saved config first") {
				t.Errorf("notice still shown after moving:\n%s", v)
			}
		})
	}
}

func TestNavigation(t *testing.T) {
	tests := []struct {
		name  string
		keys  []string
		want  string
		draft bool
	}{
		{"starts on the first name", nil, "Acme Hiveku", false},
		{"up at the top stays", []string{"up", "up"}, "Acme Hiveku", false},
		{"down", []string{"down"}, "Contoso test", false},
		{"down past the end stays on the last row", []string{"down", "down", "down", "down", "down"}, "Northwind draft", true},
		{"end then home", []string{"end", "g"}, "Acme Hiveku", false},
		{"G", []string{"G"}, "Northwind draft", true},
		{"pgdown", []string{"pgdown"}, "Northwind draft", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newFixture(t)
			press(m, tt.keys...)
			name, draft := m.Selected()
			if name != tt.want || draft != tt.draft {
				t.Errorf("Selected() = %q, %v, want %q, %v", name, draft, tt.want, tt.draft)
			}
			if v := plain(m); !strings.Contains(v, "> ") || !strings.Contains(v, "── "+map[bool]string{true: "draft: "}[tt.draft]+tt.want) {
				t.Errorf("view does not show %q selected with its detail pane:\n%s", tt.want, v)
			}
		})
	}
}

func TestSelectedOption(t *testing.T) {
	m := New(Options{Listings: fixtureListings(), Now: fixedNow, NoColor: true, Selected: "contoso TEST"})
	if name, _ := m.Selected(); name != "Contoso test" {
		t.Errorf("Selected() = %q, want Contoso test", name)
	}
}

func TestSortedByName(t *testing.T) {
	m := newFixture(t)
	v := plain(m)
	a, c, f := strings.Index(v, "Acme Hiveku"), strings.Index(v, "Contoso test"), strings.Index(v, "Fabrikam mail")
	if a < 0 || c < 0 || f < 0 || !(a < c && c < f) {
		t.Errorf("configs not in name order (Acme %d, Contoso %d, Fabrikam %d):\n%s", a, c, f, v)
	}
	d := strings.Index(v, "draft: Northwind draft, stopped after step 4")
	if d < f {
		t.Errorf("draft line missing or above the configs:\n%s", v)
	}
}

func TestEmptyState(t *testing.T) {
	m := New(Options{Now: fixedNow, NoColor: true})
	v := plain(m)
	for _, want := range []string{"0 saved configs", "No saved configs", "Press n"} {
		if !strings.Contains(v, want) {
			t.Errorf("empty view lacks %q:\n%s", want, v)
		}
	}
	for _, k := range []string{"v", "r", "e", "d", "i", "enter", "s", "down"} {
		if cmd := press(m, k); cmd != nil || m.Choice().Action != None {
			t.Errorf("key %q on an empty home chose %+v", k, m.Choice())
		}
	}
	press(m, "s")
	if v := plain(m); !strings.Contains(v, "no draft to resume") {
		t.Errorf("s with no draft leaves no notice:\n%s", v)
	}
	press(m, "n")
	if got, want := m.Choice(), (Choice{Setup, ""}); got != want {
		t.Errorf("Choice() = %+v, want %+v", got, want)
	}
}

func TestDraftsOnly(t *testing.T) {
	m := New(Options{Drafts: fixtureDrafts(), Now: fixedNow, NoColor: true})
	v := plain(m)
	for _, want := range []string{"0 saved configs, 1 draft", "draft: Northwind draft, stopped after step 4 (API permissions)", "Stopped after step 4 (API permissions)", "2h ago"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	press(m, "enter")
	if got, want := m.Choice(), (Choice{Resume, "Northwind draft"}); got != want {
		t.Errorf("Choice() = %+v, want %+v", got, want)
	}
}

// TestNoColorWording checks that without colour every warning is in
// words, and that the view holds no escape sequence at all.
func TestNoColorWording(t *testing.T) {
	m := New(Options{Listings: fixtureListings(), Now: fixedNow, NoColor: true, Width: 100, Height: 30})
	v := m.View().Content
	if strings.Contains(v, "\x1b[3") || strings.Contains(v, "\x1b[9") {
		t.Errorf("NoColor view holds a colour sequence: %q", v)
	}
	for _, want := range []string{"in 412 days", "expires in 12 days!", "EXPIRED 3 days ago", "✗ failed 1h ago", "✓ 2d ago as alex@contoso.com", "never"} {
		if !strings.Contains(ansi.Strip(v), want) {
			t.Errorf("view lacks %q:\n%s", want, ansi.Strip(v))
		}
	}
}

// TestColorMarksWarnings checks that with colour on the warnings are
// coloured (and keep their words).
func TestColorMarksWarnings(t *testing.T) {
	m := New(Options{Listings: fixtureListings(), Now: fixedNow, Width: 100, Height: 30})
	v := m.View().Content
	for _, w := range []string{"expires in 12 days!", "EXPIRED 3 days ago", "✗ failed 1h ago"} {
		i := strings.Index(v, w)
		if i < 0 {
			t.Errorf("coloured view lacks %q", w)
			continue
		}
		if before := v[max(0, i-12):i]; !strings.Contains(before, "\x1b[") {
			t.Errorf("%q is not preceded by a colour sequence: %q", w, before)
		}
	}
}

func TestExpiryWording(t *testing.T) {
	day := 24 * time.Hour
	tests := []struct {
		name string
		info flow.SecretInfo
		want string
		lvl  level
	}{
		{"far", flow.SecretInfo{Expires: testNow.Add(412*day + time.Hour)}, "in 412 days", lvlPlain},
		{"thirty days is fine", flow.SecretInfo{Expires: testNow.Add(30*day + time.Hour)}, "in 30 days", lvlPlain},
		{"under thirty warns", flow.SecretInfo{Expires: testNow.Add(29*day + time.Hour)}, "expires in 29 days!", lvlWarn},
		{"one day", flow.SecretInfo{Expires: testNow.Add(day + time.Hour)}, "expires in 1 day!", lvlWarn},
		{"later today", flow.SecretInfo{Expires: testNow.Add(time.Hour)}, "expires today!", lvlErr},
		{"just expired", flow.SecretInfo{Expires: testNow.Add(-time.Hour)}, "EXPIRED today", lvlErr},
		{"expired days ago", flow.SecretInfo{Expires: testNow.Add(-3*day - time.Hour)}, "EXPIRED 3 days ago", lvlErr},
		{"missing", flow.SecretInfo{Missing: true, Expires: testNow.Add(400 * day)}, "MISSING secret!", lvlErr},
		{"unknown", flow.SecretInfo{}, "expiry unknown", lvlMuted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, lvl := expiry(tt.info, testNow)
			if got != tt.want || lvl != tt.lvl {
				t.Errorf("expiry() = %q, %v, want %q, %v", got, lvl, tt.want, tt.lvl)
			}
		})
	}
}

func TestVerifiedWording(t *testing.T) {
	tests := []struct {
		name string
		run  *flow.Run
		want string
	}{
		{"never", nil, "never"},
		{"ok with address", &flow.Run{At: testNow.Add(-48 * time.Hour), OK: true, Email: "alex@contoso.com"}, "✓ 2d ago as alex@contoso.com"},
		{"offline", &flow.Run{At: testNow.Add(-5 * time.Minute), OK: true, Offline: true}, "✓ offline 5m ago"},
		{"failed", &flow.Run{At: testNow.Add(-time.Hour), Checks: []flow.Check{{ID: "secret", Status: flow.Fail}}}, "✗ failed 1h ago"},
		{"a failed check wins over OK", &flow.Run{At: testNow, OK: true, Checks: []flow.Check{{ID: "secret", Status: flow.Fail}}}, "✗ failed just now"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := verified(tt.run, testNow); got != tt.want {
				t.Errorf("verified() = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestSizes renders the fixtures at several sizes, moving over every
// row: no line may be wider than the terminal or the view taller.
func TestSizes(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {40, 15}, {120, 40}, {60, 20}, {30, 10}, {20, 6}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			m := newFixture(t)
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			for i := 0; i < 4; i++ {
				assertFits(t, m, size[0], size[1])
				press(m, "down")
			}
			press(m, "a")
			assertFits(t, m, size[0], size[1])
		})
	}
}

// TestNarrow checks what stays readable at 40×15: names, the secret
// column's words, the hints.
func TestNarrow(t *testing.T) {
	m := newFixture(t)
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 15})
	press(m, "down")
	v := plain(m)
	assertFits(t, m, 40, 15)
	for _, want := range []string{"NAME", "SECRET", "expires in 12 days!", "EXPIRED 3 days ago", "── Contoso test", "q quit"} {
		if !strings.Contains(v, want) {
			t.Errorf("40×15 view lacks %q:\n%s", want, v)
		}
	}
}

// TestNarrowIDsWhole: at 40 columns a GUID does not fit beside its
// label; it stands alone on the next line, whole, so that it copies in
// one piece (it was cut after 30 characters under the label's indent).
func TestNarrowIDsWhole(t *testing.T) {
	m := newFixture(t)
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 40})
	v := plain(m)
	assertFits(t, m, 40, 40)
	for _, id := range []string{"11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"} {
		if !strings.Contains("\n"+v+"\n", "\n"+id+"\n") {
			t.Errorf("%s is not whole on a line of its own:\n%s", id, v)
		}
	}
}

func assertFits(tb testing.TB, m *Model, width, height int) {
	tb.Helper()
	v := plain(m)
	lines := strings.Split(v, "\n")
	if len(lines) > height {
		tb.Errorf("%d lines, taller than %d:\n%s", len(lines), height, v)
	}
	for _, l := range lines {
		if w := ansi.StringWidth(l); w > width {
			tb.Errorf("line %q is %d wide, more than %d", l, w, width)
		}
	}
}

// TestScroll checks that with more configs than fit, the selected row
// stays on screen and the view keeps its height.
func TestScroll(t *testing.T) {
	var ls []flow.Listing
	for i := 0; i < 60; i++ {
		l := fixtureListings()[i%3]
		l.Config.Name = fmt.Sprintf("config %02d", i)
		ls = append(ls, l)
	}
	m := New(Options{Listings: ls, Now: fixedNow, NoColor: true, Width: 80, Height: 24, ConsentURLs: fakeConsentURLs})
	for i := 0; i < 60; i++ {
		want := fmt.Sprintf("> config %02d", i)
		if v := plain(m); !strings.Contains(v, want) {
			t.Fatalf("after %d downs the view lacks %q:\n%s", i, want, v)
		}
		assertFits(t, m, 80, 24)
		press(m, "down")
	}
	press(m, "g")
	if v := plain(m); !strings.Contains(v, "> config 00") || strings.Contains(v, "config 59") {
		t.Errorf("home did not scroll back to the top:\n%s", v)
	}
	press(m, "pgdown")
	if name, _ := m.Selected(); name == "config 00" || name == "config 01" {
		t.Errorf("pgdown moved to %q only", name)
	}
}

func TestWindowSizeRelayout(t *testing.T) {
	m := newFixture(t)
	wide := plain(m)
	m.Update(tea.WindowSizeMsg{Width: 40, Height: 15})
	if narrow := plain(m); narrow == wide || strings.Contains(narrow, "TENANT") {
		t.Errorf("view did not follow the new size:\n%s", narrow)
	}
	m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	if v := plain(m); !strings.Contains(v, "TENANT") || !strings.Contains(v, "VERIFIED") {
		t.Errorf("wide view lacks columns:\n%s", v)
	}
}

func TestConsentURL(t *testing.T) {
	calls := 0
	urls := func(c flow.Config) (string, string, error) {
		calls++
		return fakeConsentURLs(c)
	}
	m := New(Options{Listings: fixtureListings(), Now: fixedNow, NoColor: true, Width: 200, Height: 40, ConsentURLs: urls})
	v := plain(m)
	if !strings.Contains(v, "Consent URL") || !strings.Contains(v, "oauth2/v2.0/authorize?client_id=11111111-1111-4111-8111-111111111111") {
		t.Errorf("view lacks the consent URL:\n%s", v)
	}
	press(m, "a")
	v = plain(m)
	if !strings.Contains(v, "Admin consent") || !strings.Contains(v, "/v2.0/adminconsent?client_id=") {
		t.Errorf("a does not show the admin consent URL:\n%s", v)
	}
	for i := 0; i < 5; i++ {
		_ = m.View().Content
	}
	if calls != 1 {
		t.Errorf("ConsentURLs called %d times for one config, want 1", calls)
	}
	failing := New(Options{Listings: fixtureListings(), Now: fixedNow, NoColor: true, Width: 200, Height: 40,
		ConsentURLs: func(flow.Config) (string, string, error) { return "", "", fmt.Errorf("make state: no randomness") }})
	if v := plain(failing); !strings.Contains(v, "unavailable: make state: no randomness") {
		t.Errorf("view hides the consent URL error:\n%s", v)
	}
	hidden := New(Options{Listings: fixtureListings(), Now: fixedNow, NoColor: true, Width: 200, Height: 40})
	if v := plain(hidden); strings.Contains(v, "Consent URL") {
		t.Errorf("consent URL shown without ConsentURLs:\n%s", v)
	}
}

func TestStatusLine(t *testing.T) {
	m := New(Options{Listings: fixtureListings(), Now: fixedNow, NoColor: true, Status: `✓ verify "Acme Hiveku" finished`})
	if v := plain(m); !strings.Contains(v, `✓ verify "Acme Hiveku" finished`) {
		t.Errorf("view lacks the status line:\n%s", v)
	}
}

// TestHomeGolden runs the home screen in a real program at 80×24 with a
// fixed clock and no colour, compares the first frame with
// testdata/TestHomeGolden.golden (go test ./ui/home -update rewrites it),
// then quits with q.
func TestHomeGolden(t *testing.T) {
	rec, screen := tuitest.Record(newFixture(t))
	tm := teatest.NewTestModel(t, rec, teatest.WithInitialTermSize(80, 24))
	t.Cleanup(func() { _ = tm.Quit() })
	frame := []byte(screen.WaitFor(t, "a admin URL · q quit", 5*time.Second))
	for _, want := range []string{"expires in 12 days!", "EXPIRED 3 days ago", "✗ failed 1h ago", "✓ 2d ago as al"} {
		if !bytes.Contains(frame, []byte(want)) {
			t.Errorf("first frame lacks %q", want)
		}
	}
	teatest.RequireEqualOutput(t, frame)
	tm.Type("q")
	fm, ok := tuitest.Unwrap(tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second))).(*Model)
	if !ok {
		t.Fatalf("final model is not *Model")
	}
	if got, want := fm.Choice(), (Choice{Quit, ""}); got != want {
		t.Errorf("Choice() = %+v, want %+v", got, want)
	}
}

// TestCompactConsentURL checks that when the consent URL does not fit,
// the list keeps its rows (the draft stays visible) and the detail pane
// names the command that prints the URL.
func TestCompactConsentURL(t *testing.T) {
	m := New(Options{Listings: fixtureListings(), Drafts: fixtureDrafts(), Now: fixedNow, NoColor: true,
		Width: 80, Height: 20, ConsentURLs: fakeConsentURLs, Status: "✓ show finished"})
	v := plain(m)
	for _, want := range []string{"draft: Northwind draft", "Consent URL   taller terminal, or: byok consent-url 'Acme Hiveku'"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	assertFits(t, m, 80, 20)
	press(m, "a")
	if v := plain(m); !strings.Contains(v, "byok consent-url 'Acme Hiveku' --admin") {
		t.Errorf("admin pointer missing:\n%s", v)
	}
}

// TestNoResumeHintWithoutDraft: "s resume draft" is offered only when
// there is a draft.
func TestNoResumeHintWithoutDraft(t *testing.T) {
	m := New(Options{Listings: fixtureListings(), Now: fixedNow, NoColor: true, Width: 80, Height: 24})
	if v := plain(m); strings.Contains(v, "resume draft") {
		t.Errorf("resume offered with no draft:\n%s", v)
	}
	if v := plain(newFixture(t)); !strings.Contains(v, "s resume draft") {
		t.Errorf("resume not offered with a draft:\n%s", v)
	}
}

// TestDraftHints: on a selected draft the footer offers what applies to
// it (enter or s resumes it) and not the saved configs' actions.
func TestDraftHints(t *testing.T) {
	m := newFixture(t)
	press(m, "end")
	v := plain(m)
	if !strings.Contains(v, "enter/s resume") {
		t.Errorf("no resume hint on a draft:\n%s", v)
	}
	if !strings.Contains(v, "d delete") {
		t.Errorf("no delete hint on a draft:\n%s", v)
	}
	for _, no := range []string{"verify", "r rotate", "e export", "i show", "a admin URL"} {
		if strings.Contains(v, no) {
			t.Errorf("hint %q offered on a draft:\n%s", no, v)
		}
	}
	press(m, "up")
	if v := plain(m); !strings.Contains(v, "enter/v verify") || !strings.Contains(v, "s resume draft") {
		t.Errorf("config hints missing:\n%s", v)
	}
	empty := New(Options{Now: fixedNow, NoColor: true, Width: 80, Height: 24})
	if v := plain(empty); strings.Contains(v, "verify") || !strings.Contains(v, "n new") {
		t.Errorf("hints with nothing saved:\n%s", v)
	}
}

// The status line is the last action's result, and an error may quote
// Microsoft's text: it is drawn through the sanitizer.
func TestStatusLineSanitized(t *testing.T) {
	m := New(Options{Listings: fixtureListings(), Now: fixedNow, NoColor: true, Width: 80, Height: 24,
		Status: "✗ verify \"Acme\": AADSTS50011: \x1b]52;c;aGk=\x07 \u202eevil"})
	raw := m.View().Content
	for _, bad := range []string{"\x1b]52", "\x07", "\u202e"} {
		if strings.Contains(raw, bad) {
			t.Errorf("status line draws %q raw", bad)
		}
	}
}
