package screens

import (
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
)

const testSecret = "abC8Q~tX1yZ2secretVALUEnotAGuid0123456789"

var (
	keyEnter = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyEsc   = tea.KeyPressMsg{Code: tea.KeyEscape}
	keyDown  = tea.KeyPressMsg{Code: tea.KeyDown}
	keyUp    = tea.KeyPressMsg{Code: tea.KeyUp}
	keyClear = tea.KeyPressMsg{Code: 'u', Mod: tea.ModCtrl}
	keyX     = tea.KeyPressMsg{Code: 'x', Text: "x"}
)

func typed(s string) tea.Msg { return tea.KeyPressMsg{Code: []rune(s)[0], Text: s} }

// run starts s at 80×24 the way the wizard does.
func run(tb testing.TB, s Screen) []tea.Msg {
	tb.Helper()
	_ = s.SetSize(80, 20)
	return settle(tb, s, s.Init())
}

// send feeds msgs to s, runs the commands they return synchronously
// (timers skipped) and returns the screen's own msgs (SubmittedMsg,
// BackMsg) instead of feeding them back.
func send(tb testing.TB, s Screen, msgs ...tea.Msg) []tea.Msg {
	tb.Helper()
	var out []tea.Msg
	for _, m := range msgs {
		_, cmd := s.Update(m)
		out = append(out, settle(tb, s, cmd)...)
	}
	return out
}

func settle(tb testing.TB, s Screen, cmd tea.Cmd) []tea.Msg {
	tb.Helper()
	var out []tea.Msg
	queue := []tea.Cmd{cmd}
	for steps := 0; len(queue) > 0; steps++ {
		if steps > 1000 {
			tb.Fatalf("commands never settle")
		}
		c := queue[0]
		queue = queue[1:]
		if c == nil {
			continue
		}
		name := runtime.FuncForPC(reflect.ValueOf(c).Pointer()).Name()
		if strings.Contains(name, "bubbles/v2/cursor") || strings.Contains(name, "bubbletea/v2.Tick") {
			continue
		}
		switch msg := c().(type) {
		case nil:
		case SubmittedMsg, BackMsg:
			out = append(out, msg)
		default:
			if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeOf(tea.Cmd(nil)) {
				for i := 0; i < v.Len(); i++ {
					queue = append(queue, v.Index(i).Interface().(tea.Cmd))
				}
				continue
			}
			_, next := s.Update(msg)
			queue = append(queue, next)
		}
	}
	return out
}

func view(s Screen) string { return ansi.Strip(s.Content()) }

// onlySubmitted returns the one SubmittedMsg in msgs.
func onlySubmitted(tb testing.TB, msgs []tea.Msg) SubmittedMsg {
	tb.Helper()
	var subs []SubmittedMsg
	for _, m := range msgs {
		if s, ok := m.(SubmittedMsg); ok {
			subs = append(subs, s)
		}
	}
	if len(subs) != 1 {
		tb.Fatalf("got %d SubmittedMsg in %v, want 1", len(subs), msgs)
	}
	return subs[0]
}

func noMsgs(tb testing.TB, msgs []tea.Msg, s Screen) {
	tb.Helper()
	if len(msgs) != 0 {
		tb.Fatalf("screen reported %v, want nothing yet:\n%s", msgs, view(s))
	}
}

func testCommon() common.Common { return common.NewCommon(80, 24, true) }

func TestInputSubmitsPrefilledAndTyped(t *testing.T) {
	in := NewInput(testCommon(), nil,
		Field{Key: "name", Title: "Name", Hint: "The app's display name.", Value: "Acme"},
		Field{Key: "loop", Title: "Loopback?", Kind: flow.KindConfirm, Value: "false"},
	)
	run(t, in)
	v := view(in)
	for _, want := range []string{"Name", "The app's display name.", "> Acme", "Loopback?"} {
		if !strings.Contains(v, want) {
			t.Errorf("view lacks %q:\n%s", want, v)
		}
	}
	noMsgs(t, send(t, in, keyClear, typed("Contoso"), keyEnter), in)
	got := onlySubmitted(t, send(t, in, tea.KeyPressMsg{Code: tea.KeyLeft}, keyEnter))
	if got.Values["name"] != "Contoso" || got.Values["loop"] != "true" || got.Other {
		t.Errorf("submitted %+v, want name Contoso, loop true", got)
	}
}

func TestInputLiveCheckSeesOtherFields(t *testing.T) {
	same := errors.New("directory ID: is the client ID")
	in := NewInput(testCommon(), nil,
		Field{Key: "client", Title: "Client ID"},
		Field{Key: "dir", Title: "Directory ID", Check: func(v string, values map[string]string) error {
			if v == values["client"] {
				return same
			}
			return nil
		}},
	)
	run(t, in)
	noMsgs(t, send(t, in, typed("abc"), keyEnter, typed("abc"), keyEnter), in)
	if v := view(in); !strings.Contains(v, "is the client ID") {
		t.Errorf("live check not shown:\n%s", v)
	}
	got := onlySubmitted(t, send(t, in, keyClear, typed("def"), keyEnter))
	if got.Values["client"] != "abc" || got.Values["dir"] != "def" {
		t.Errorf("submitted %v", got.Values)
	}
}

func TestInputSecret(t *testing.T) {
	in := NewInput(testCommon(), nil,
		Field{Key: "desc", Title: "Description", Value: "Hiveku prod"},
		Field{Key: "secret value", Title: "Secret value", Kind: flow.KindSecret, Value: "ignored"},
	)
	run(t, in)
	send(t, in, keyEnter)
	if v := view(in); strings.Contains(v, "ignored") {
		t.Errorf("a secret field is pre-filled:\n%s", v)
	}
	send(t, in, typed(testSecret))
	if v := view(in); strings.Contains(v, testSecret[:8]) || !strings.Contains(v, "****") {
		t.Errorf("secret not masked:\n%s", v)
	}
	got := onlySubmitted(t, send(t, in, keyEnter))
	if got.Secret.Reveal() != testSecret {
		t.Errorf("secret not submitted")
	}
	if _, ok := got.Values["secret value"]; ok {
		t.Errorf("secret in Values")
	}
	if s := fmt.Sprintf("%v %+v %#v", got, got, got); strings.Contains(s, testSecret) {
		t.Errorf("SubmittedMsg prints the secret: %s", s)
	}
	// A rejected step: asked again, the value gone.
	send(t, in, nil)
	in.Fail("secret value: this is the Secret ID")
	v := view(in)
	if !strings.Contains(v, "error: secret value: this is the Secret ID") || !strings.Contains(v, "> Hiveku prod") {
		t.Errorf("failure not shown or description lost:\n%s", v)
	}
	send(t, in, keyEnter)
	if got := onlySubmitted(t, send(t, in, keyEnter)); !got.Secret.IsZero() {
		t.Errorf("the rejected value was kept")
	}
}

func TestInputBackAndPaste(t *testing.T) {
	in := NewInput(testCommon(), nil, Field{Key: "name", Title: "Name", Value: "Acme Hiveku"})
	run(t, in)
	send(t, in, tea.PasteMsg{Content: "Contoso"})
	if got := onlySubmitted(t, send(t, in, keyEnter)); got.Values["name"] != "Contoso" {
		t.Errorf("paste gave %q, want it to replace the pre-filled value", got.Values["name"])
	}
	in = NewInput(testCommon(), nil, Field{Key: "name", Title: "Name"})
	run(t, in)
	if msgs := send(t, in, keyEsc); len(msgs) != 1 || msgs[0] != (BackMsg{}) {
		t.Errorf("esc reported %v, want BackMsg", msgs)
	}
}

func TestInputIntroCutToFit(t *testing.T) {
	long := strings.Repeat("line\n", 30) + "last"
	in := NewInput(testCommon(), func(int) string { return long }, Field{Key: "k", Title: "Question"})
	_ = in.SetSize(40, 12)
	settle(t, in, in.Init())
	v := view(in)
	if n := strings.Count(v, "\n") + 1; n > 12 {
		t.Errorf("screen is %d lines for 12:\n%s", n, v)
	}
	if !strings.Contains(v, "…") || !strings.Contains(v, "Question") {
		t.Errorf("intro not cut or question lost:\n%s", v)
	}
	if keys := in.WithKeys(in.c.KeyMap.Submit).Keys(); len(keys) != 1 || keys[0].Help().Desc != "submit" {
		t.Errorf("WithKeys not kept: %v", keys)
	}
}

func accountField() Field {
	return FromFlow(mustField(flow.StepAccountType, flow.FieldAccountType), flow.DefaultAnswers(), flow.StepEnv{})
}

func mustField(id flow.StepID, key string) flow.Field {
	f, ok := id.Def().Field(key)
	if !ok {
		panic("no field " + key)
	}
	return f
}

func TestChoiceFromFlow(t *testing.T) {
	ch := NewChoice(testCommon(), nil, accountField())
	run(t, ch)
	v := view(ch)
	if !strings.Contains(v, "(Multitenant + personal) (recommended)") || !strings.Contains(v, "Single tenant") {
		t.Errorf("options or recommendation missing:\n%s", v)
	}
	if ch.Value() != flow.MultiTenantPersonal.Short() {
		t.Errorf("cursor on %q, want the default", ch.Value())
	}
	got := onlySubmitted(t, send(t, ch, keyUp, keyEnter))
	if got.Values[flow.FieldAccountType] != flow.MultiTenant.Short() || got.Other {
		t.Errorf("submitted %+v, want multi", got)
	}
	if keys := ch.Keys(); len(keys) != 3 || keys[0].Help().Desc != "choose" {
		t.Errorf("keys = %v", keys)
	}
}

func tenantField(a flow.Answers) Field {
	return FromFlow(mustField(flow.StepTenant, flow.FieldTenant), a, flow.StepEnv{})
}

func TestChoiceOtherTyped(t *testing.T) {
	a := flow.DefaultAnswers()
	a.AccountType = flow.SingleTenant.Short()
	a.DirectoryID = "66666666-7777-4888-9999-aaaaaaaaaaaa"
	ch := NewChoice(testCommon(), nil, tenantField(a)).WithAdvice(func(v string) string { return "advice for " + v })
	run(t, ch)
	if ch.Value() != a.DirectoryID {
		t.Errorf("cursor on %q, want the recommended directory", ch.Value())
	}
	if v := view(ch); !strings.Contains(v, "advice for "+a.DirectoryID) || !strings.Contains(v, "a verified domain") {
		t.Errorf("advice or Other entry missing:\n%s", v)
	}
	noMsgs(t, send(t, ch, keyDown, keyEnter), ch)
	if !ch.OnOther() || !strings.Contains(view(ch), "Verified domain") {
		t.Fatalf("Other's question not shown:\n%s", view(ch))
	}
	if keys := ch.Keys(); len(keys) != 2 {
		t.Errorf("typed answer keys = %v, want enter and esc", keys)
	}
	noMsgs(t, send(t, ch, keyEnter), ch)
	if v := view(ch); !strings.Contains(v, "error: tenant: the verified domain is empty") {
		t.Errorf("empty answer accepted:\n%s", v)
	}
	// Esc goes back to the list, not out of the screen.
	noMsgs(t, send(t, ch, keyEsc), ch)
	if ch.OnOther() || !strings.Contains(view(ch), "common: any work") || strings.Contains(view(ch), "error:") {
		t.Fatalf("esc did not return to the list:\n%s", view(ch))
	}
	send(t, ch, keyEnter)
	got := onlySubmitted(t, send(t, ch, typed("contoso.com"), keyEnter))
	if got.Values[flow.FieldTenant] != "contoso.com" || !got.Other {
		t.Errorf("submitted %+v, want contoso.com from Other", got)
	}
}

func TestChoicePrefilledOther(t *testing.T) {
	a := flow.DefaultAnswers()
	a.Tenant = "contoso.com"
	ch := NewChoice(testCommon(), nil, tenantField(a))
	run(t, ch)
	if ch.Value() != "domain" {
		t.Fatalf("cursor on %q, want Other's entry for a domain", ch.Value())
	}
	send(t, ch, keyEnter)
	if v := view(ch); !strings.Contains(v, "> contoso.com") {
		t.Errorf("typed answer not pre-filled:\n%s", v)
	}
}

func TestChoiceCatalog(t *testing.T) {
	env := flow.StepEnv{Permissions: []flow.Permission{
		{Name: "offline_access", Description: "Maintain access"},
		{Name: "Mail.Read", Description: "Read your mail", Mail: true},
		{Name: "User.Read", Description: "Sign you in", AdminConsent: true},
	}}
	a := flow.DefaultAnswers()
	a.Scopes = "offline_access,Mail.Read"
	f := FromFlow(mustField(flow.StepPermissions, flow.FieldScopes), a, env)
	ch := NewChoice(testCommon(), nil, f)
	run(t, ch)
	if ch.Value() != "custom" {
		t.Fatalf("cursor on %q, want the catalog entry for a list", ch.Value())
	}
	if v := view(ch); !strings.Contains(v, "full: offline_access") || !strings.Contains(v, "(recommended)") {
		t.Errorf("presets not listed:\n%s", v)
	}
	noMsgs(t, send(t, ch, keyEnter), ch)
	v := view(ch)
	if !strings.Contains(v, "Pick the permissions") || !strings.Contains(v, "User.Read — Sign you in (admin consent)") {
		t.Fatalf("catalog not shown:\n%s", v)
	}
	if keys := ch.Keys(); keys[1].Help().Desc != "toggle" {
		t.Errorf("catalog keys = %v", keys)
	}
	// A resize keeps the cursor where it was.
	send(t, ch, keyDown)
	send(t, ch, tea.WindowSizeMsg{Width: 40, Height: 15})
	send(t, ch, tea.WindowSizeMsg{Width: 80, Height: 20})
	if h, _ := ch.ms.Hovered(); h != "Mail.Read" {
		t.Errorf("cursor on %q after a resize, want Mail.Read", h)
	}
	send(t, ch, keyUp)
	// Untick offline_access, tick User.Read.
	got := onlySubmitted(t, send(t, ch, keyX, keyDown, keyDown, keyX, keyEnter))
	if got.Values[flow.FieldScopes] != "Mail.Read,User.Read" || !got.Other {
		t.Errorf("submitted %+v", got)
	}
	ch.SetPicked([]string{"offline_access", "User.Read"})
	ch.Fail("scopes: no mail permission")
	if v := view(ch); !strings.Contains(v, "error: scopes: no mail permission") || !strings.Contains(v, "Pick the permissions") {
		t.Errorf("failure not shown on the catalog:\n%s", v)
	}
	if got := onlySubmitted(t, send(t, ch, keyEnter)); got.Values[flow.FieldScopes] != "offline_access,User.Read" {
		t.Errorf("SetPicked not kept: %v", got.Values)
	}
}

func TestChoiceFilterEsc(t *testing.T) {
	ch := NewChoice(testCommon(), nil, accountField())
	run(t, ch)
	noMsgs(t, send(t, ch, typed("/"), typed("pers"), keyEsc), ch)
	if msgs := send(t, ch, keyEsc); len(msgs) != 1 || msgs[0] != (BackMsg{}) {
		t.Errorf("second esc reported %v, want BackMsg", msgs)
	}
}

func TestChoiceAdviceHiddenByError(t *testing.T) {
	ch := NewChoice(testCommon(), nil, accountField()).WithAdvice(func(v string) string { return "fits " + v })
	run(t, ch)
	if !strings.Contains(view(ch), "fits multi-personal") {
		t.Fatalf("no advice:\n%s", view(ch))
	}
	send(t, ch, keyDown)
	if !strings.Contains(view(ch), "fits personal") {
		t.Errorf("advice does not follow the cursor:\n%s", view(ch))
	}
	ch.Fail("account type: no")
	if v := view(ch); strings.Contains(v, "fits") || !strings.Contains(v, "error: account type: no") {
		t.Errorf("advice and error both shown:\n%s", v)
	}
	send(t, ch, keyUp)
	if v := view(ch); strings.Contains(v, "error:") || !strings.Contains(v, "fits multi-personal") {
		t.Errorf("moving on from the refused option keeps its error:\n%s", v)
	}
}

func TestReview(t *testing.T) {
	rows := func() []Row {
		return []Row{{Label: "Name", Value: "Acme Hiveku"}, {Label: "Account type", Value: strings.Repeat("long value ", 8)}, {Warn: true, Value: "tenant is narrow"}}
	}
	rv := NewReview(testCommon(), rows, flow.Steps[:6])
	run(t, rv)
	v := view(rv)
	for _, want := range []string{"Name           Acme Hiveku", "warning: tenant is narrow", "> Save", "Edit step 6: " + flow.StepTenant.Title()} {
		if !strings.Contains(v, want) {
			t.Errorf("review lacks %q:\n%s", want, v)
		}
	}
	for _, l := range strings.Split(v, "\n") {
		if strings.HasPrefix(l, "long") {
			t.Errorf("value wraps under the label: %q", l)
		}
	}
	if got := onlySubmitted(t, send(t, rv, keyEnter)); got.Values[ReviewKey] != ReviewSave {
		t.Errorf("submitted %v, want save", got.Values)
	}

	rv = NewReview(testCommon(), rows, flow.Steps[:6])
	_ = rv.SetSize(40, 11)
	settle(t, rv, rv.Init())
	v = view(rv)
	if n := strings.Count(v, "\n") + 1; n > 11 || !strings.Contains(v, "> Save") {
		t.Errorf("review at 40×11 is %d lines or lost the list:\n%s", n, v)
	}
	if got := onlySubmitted(t, send(t, rv, keyDown, keyEnter)); got.Values[ReviewKey] != string(flow.StepName) {
		t.Errorf("submitted %v, want the name step", got.Values)
	}
}

// TestChoiceLongErrorFits: on a short screen an error too long to fit
// is cut, not the list or the lines above the screen.
func TestChoiceLongErrorFits(t *testing.T) {
	ch := NewChoice(testCommon(), nil, accountField())
	_ = ch.SetSize(40, 10)
	settle(t, ch, ch.Init())
	ch.Fail(strings.Repeat("a long explanation of what went wrong ", 8))
	v := view(ch)
	if n := strings.Count(v, "\n") + 1; n > 10 {
		t.Errorf("screen is %d lines for 10:\n%s", n, v)
	}
	if !strings.Contains(v, "Supported account types") || !strings.Contains(v, "error: a long") || !strings.HasSuffix(v, "…") {
		t.Errorf("question lost or error not cut:\n%s", v)
	}
}

// TestInputErrorKeepsHeight: huh's error under the fields does not make
// the screen taller than its rows.
func TestInputErrorKeepsHeight(t *testing.T) {
	in := NewInput(testCommon(), nil,
		Field{Key: "client", Title: "Application (client) ID", Hint: "On the app's Overview page.",
			Check: func(v string, _ map[string]string) error {
				if v == "" {
					return errors.New("client ID: is empty; copy Application (client) ID from App registrations > your app > Overview")
				}
				return nil
			}},
		Field{Key: "dir", Title: "Directory (tenant) ID", Hint: "Also on the Overview page, under the client ID."},
	)
	_ = in.SetSize(40, 10)
	settle(t, in, in.Init())
	send(t, in, keyEnter)
	v := view(in)
	if n := strings.Count(v, "\n") + 1; n > 10 {
		t.Errorf("screen is %d lines for 10 with the error:\n%s", n, v)
	}
	if !strings.Contains(v, "client ID: is empty") || !strings.Contains(v, "Application (client) ID") {
		t.Errorf("error or question not in sight:\n%s", v)
	}
}
