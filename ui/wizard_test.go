package ui

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/hiveku/byok/flow"
)

func TestNameStepRejects(t *testing.T) {
	tests := []struct {
		name  string
		input string
		want  string // in the view
	}{
		{"empty", "", "name: is empty"},
		{"too long", strings.Repeat("n", 121), "name: is 121 characters"},
		{"only spaces", "   ", "name: is empty"},
		{"taken, other case", "ACME hiveku", `a saved app is already called "ACME hiveku"`},
		{"taken, spaces around", "  Acme Hiveku ", "already called"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newFakeStore(t, "Acme Hiveku")
			w := start(t, testOptions(store))
			typeInto(t, w, tt.input)
			send(t, w, keyEnter)

			wantScreen(t, w, scrName)
			if got := view(w); !strings.Contains(got, tt.want) || !strings.Contains(got, "error:") {
				t.Errorf("view does not say %q with a status word:\n%s", tt.want, got)
			}
			if len(store.drafts) != 0 {
				t.Errorf("SaveDraft called %d times with a rejected name %q", len(store.drafts), store.drafts[0].Config.Name)
			}
		})
	}
}

func TestNameStepAcceptsAndSavesDraft(t *testing.T) {
	store := newFakeStore(t, "Other app")
	w := start(t, testOptions(store))
	typeInto(t, w, "  Acme Hiveku ")
	send(t, w, keyEnter)

	wantScreen(t, w, scrAccount)
	d, ok := store.lastDraft()
	if !ok {
		t.Fatal("no draft saved after step 1")
	}
	if d.Step != flow.StepName || d.Config.Name != "Acme Hiveku" {
		t.Errorf("draft = step %q name %q, want step %q name %q", d.Step, d.Config.Name, flow.StepName, "Acme Hiveku")
	}
	if got := view(w); !strings.Contains(got, "Step 2 of 7 · Supported account types") {
		t.Errorf("header missing:\n%s", got)
	}
}

func TestAccountTypeStep(t *testing.T) {
	store := newFakeStore(t)
	w := start(t, withDraft(testOptions(store), draftAt(flow.StepName)))
	wantScreen(t, w, scrAccount)
	got := view(w)
	for _, a := range []flow.AccountType{flow.SingleTenant, flow.MultiTenant, flow.PersonalOnly} {
		if !strings.Contains(got, a.Label()) {
			t.Errorf("option %q missing:\n%s", a.Label(), got)
		}
	}
	if !strings.Contains(got, "(recommended)") {
		t.Errorf("no recommended option:\n%s", got)
	}
	// The default is multitenant + personal; one step up is multitenant.
	send(t, w, keyUp, keyEnter)
	wantScreen(t, w, scrRedirect)
	if d, _ := store.lastDraft(); d.Config.AccountType != flow.MultiTenant {
		t.Errorf("draft account type = %q, want %q", d.Config.AccountType, flow.MultiTenant)
	}
}

func TestAccountTypeRejectsLongNameForPersonal(t *testing.T) {
	store := newFakeStore(t)
	d := draftAt(flow.StepName)
	d.Config.Name = strings.Repeat("a", 100) // fine for step 1, too long with personal accounts
	w := start(t, withDraft(testOptions(store), d))
	send(t, w, keyEnter) // default: multitenant + personal
	wantScreen(t, w, scrAccount)
	if got := view(w); !strings.Contains(got, "error: name: is 100 characters") {
		t.Errorf("no length error for a personal-account audience:\n%s", got)
	}
	if len(store.drafts) != 0 {
		t.Errorf("draft saved despite the error: %v", store.draftSteps())
	}
}

func TestRedirectNearMiss(t *testing.T) {
	tests := []struct {
		name    string
		input   string
		problem string // a word from the problems list
	}{
		{"http", "http://app.hiveku.com/api/oauth/microsoft/callback", "http"},
		{"trailing slash", "https://app.hiveku.com/api/oauth/microsoft/callback/", "slash"},
		{"missing callback", "https://app.hiveku.com/api/oauth/microsoft", "callback"},
		{"missing scheme", "app.hiveku.com/api/oauth/microsoft/callback", "https"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newFakeStore(t)
			w := start(t, withDraft(testOptions(store), draftAt(flow.StepAccountType)))
			wantScreen(t, w, scrRedirect)
			typeInto(t, w, tt.input)
			send(t, w, keyEnter) // to the loopback question
			send(t, w, keyEnter) // submit the group

			wantScreen(t, w, scrRedirectFix)
			got := view(w)
			for _, want := range []string{"typed:", "expected:", "^", tt.problem, "Use " + flow.HivekuRedirectURI} {
				if !strings.Contains(got, want) {
					t.Errorf("fix screen lacks %q:\n%s", want, got)
				}
			}
			if strings.Contains(got, "custom redirect URI") {
				t.Errorf("custom URI offered without AllowCustomRedirect:\n%s", got)
			}
			if len(store.drafts) != 0 {
				t.Fatalf("SaveDraft called with the near miss %q", store.drafts[0].Config.RedirectURI)
			}

			send(t, w, keyEnter) // one key accepts the expected value
			wantScreen(t, w, scrPermissions)
			d, _ := store.lastDraft()
			if d.Step != flow.StepRedirect || d.Config.RedirectURI != flow.HivekuRedirectURI || d.Config.CustomRedirect {
				t.Errorf("draft = step %q uri %q custom %v, want the Hiveku URI", d.Step, d.Config.RedirectURI, d.Config.CustomRedirect)
			}
		})
	}
}

func TestRedirectEditAgain(t *testing.T) {
	store := newFakeStore(t)
	w := start(t, withDraft(testOptions(store), draftAt(flow.StepAccountType)))
	typeInto(t, w, "https://app.hiveku.com/api/oauth/microsoft/callbak")
	send(t, w, keyEnter, keyEnter)
	wantScreen(t, w, scrRedirectFix)
	send(t, w, keyDown, keyEnter) // "Edit what I typed"
	wantScreen(t, w, scrRedirect)
	if w.answers.RedirectURI != "https://app.hiveku.com/api/oauth/microsoft/callbak" || !strings.Contains(view(w), "callbak") {
		t.Errorf("typed value lost: %q", w.answers.RedirectURI)
	}
	if len(store.drafts) != 0 {
		t.Errorf("draft saved: %v", store.draftSteps())
	}
}

func TestRedirectCustom(t *testing.T) {
	tests := []struct {
		name      string
		input     string
		wantOK    bool
		wantError string
	}{
		{"staging https", "https://staging.example.com/api/oauth/microsoft/callback", true, ""},
		{"http not localhost", "http://staging.example.com/callback", false, "https"},
		{"fragment", "https://staging.example.com/callback#x", false, "fragment"},
		{"wildcard", "https://*.example.com/callback", false, "wildcard"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newFakeStore(t)
			o := withDraft(testOptions(store), draftAt(flow.StepAccountType))
			o.AllowCustomRedirect = true
			w := start(t, o)
			typeInto(t, w, tt.input)
			send(t, w, keyEnter, keyEnter)
			wantScreen(t, w, scrRedirectFix)
			if !strings.Contains(view(w), "custom redirect URI") {
				t.Fatalf("custom choice missing:\n%s", view(w))
			}
			send(t, w, keyDown, keyDown, keyEnter)
			if !tt.wantOK {
				wantScreen(t, w, scrRedirect)
				if got := view(w); !strings.Contains(strings.ToLower(got), tt.wantError) || !strings.Contains(got, "error:") {
					t.Errorf("view lacks %q:\n%s", tt.wantError, got)
				}
				if len(store.drafts) != 0 {
					t.Errorf("draft saved with a bad custom URI %q", store.drafts[0].Config.RedirectURI)
				}
				return
			}
			wantScreen(t, w, scrPermissions)
			d, _ := store.lastDraft()
			if d.Config.RedirectURI != tt.input || !d.Config.CustomRedirect {
				t.Errorf("draft uri %q custom %v, want %q custom", d.Config.RedirectURI, d.Config.CustomRedirect, tt.input)
			}
		})
	}
}

func TestRedirectLoopbackDefault(t *testing.T) {
	for _, add := range []bool{false, true} {
		store := newFakeStore(t)
		o := withDraft(testOptions(store), draftAt(flow.StepAccountType))
		o.AddLoopback = add
		w := start(t, o)
		send(t, w, keyEnter, keyEnter)
		d, _ := store.lastDraft()
		if d.Config.Loopback != add {
			t.Errorf("AddLoopback=%v: draft Loopback = %v", add, d.Config.Loopback)
		}
	}
}

func TestPermissionsStep(t *testing.T) {
	t.Run("default full", func(t *testing.T) {
		store := newFakeStore(t)
		w := start(t, withDraft(testOptions(store), draftAt(flow.StepRedirect)))
		send(t, w, keyEnter)
		wantScreen(t, w, scrSecret)
		d, _ := store.lastDraft()
		if strings.Join(d.Config.Scopes, ",") != "offline_access,Mail.ReadWrite,Mail.Send,Calendars.ReadWrite" {
			t.Errorf("scopes = %v", d.Config.Scopes)
		}
	})
	t.Run("custom keeps offline_access", func(t *testing.T) {
		store := newFakeStore(t)
		dr := draftAt(flow.StepRedirect)
		dr.Config.Scopes = []string{"Mail.Read"}
		w := start(t, withDraft(testOptions(store), dr))
		send(t, w, keyEnter) // custom → catalog
		wantScreen(t, w, scrCustomScopes)
		if got := view(w); !strings.Contains(got, "offline_access is always included") {
			t.Errorf("offline_access not explained:\n%s", got)
		}
		send(t, w, keyEnter)
		wantScreen(t, w, scrSecret)
		d, _ := store.lastDraft()
		if !d.Config.HasScope("offline_access") || !d.Config.HasScope("Mail.Read") {
			t.Errorf("scopes = %v, want offline_access and Mail.Read", d.Config.Scopes)
		}
		if got := view(w); !strings.Contains(got, "offline_access was added back") {
			t.Errorf("no note that offline_access was added:\n%s", got)
		}
	})
	t.Run("custom without mail scope", func(t *testing.T) {
		store := newFakeStore(t)
		dr := draftAt(flow.StepRedirect)
		dr.Config.Scopes = []string{"offline_access", "User.Read"}
		w := start(t, withDraft(testOptions(store), dr))
		send(t, w, keyEnter, keyEnter)
		wantScreen(t, w, scrCustomScopes)
		if got := view(w); !strings.Contains(got, "error:") || !strings.Contains(strings.ToLower(got), "mail") {
			t.Errorf("no error about the missing mail scope:\n%s", got)
		}
		if len(store.drafts) != 0 {
			t.Errorf("draft saved with scopes %v", store.drafts[0].Config.Scopes)
		}
	})
}

func TestSecretStepRejects(t *testing.T) {
	tests := []struct {
		name, desc, expiry, value string
		want                      string
	}{
		{"secret id", "Hiveku prod", "24m", "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "this is the Secret ID; copy the Value column"},
		{"inner space", "Hiveku prod", "24m", "abC8Q~tX1yZ2 secretVALUE0123456789abcd", "space"},
		{"empty", "Hiveku prod", "24m", "", "secret value: is empty"},
		{"past date", "Hiveku prod", "2020-01-01", testSecret, "secret expiry"},
		{"garbage expiry", "Hiveku prod", "soon", testSecret, "secret expiry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newFakeStore(t)
			d := draftAt(flow.StepPermissions)
			d.Config.Secret = ""
			w := start(t, withDraft(testOptions(store), d))
			wantScreen(t, w, scrSecret)
			submitValues(t, w, map[string]string{flow.FieldSecretDescription: tt.desc, flow.FieldSecretExpiry: tt.expiry}, tt.value)

			wantScreen(t, w, scrSecret)
			got := view(w)
			if !strings.Contains(got, tt.want) || !strings.Contains(got, "error:") {
				t.Errorf("view lacks %q:\n%s", tt.want, got)
			}
			noSecret(t, "view", got)
			if len(store.drafts) != 0 {
				t.Errorf("draft saved with a rejected secret step")
			}
			if !w.cfg.Secret.IsZero() || !w.answers.SecretValue.IsZero() {
				t.Errorf("a rejected value was kept")
			}
		})
	}
}

func TestSecretStepTyped(t *testing.T) {
	store := newFakeStore(t)
	d := draftAt(flow.StepPermissions)
	d.Config.Secret = ""
	d.Config.SecretInfo = flow.SecretInfo{}
	w := start(t, withDraft(testOptions(store), d))
	send(t, w, keyEnter)         // description default
	typeInto(t, w, "30m")        // over 24 months: a warning, not an error
	send(t, w, keyEnter)         //
	typeInto(t, w, testSecret)   // masked
	noSecret(t, "view", view(w)) // bullets while typing
	if !strings.Contains(view(w), "*****") {
		t.Errorf("secret input not masked:\n%s", view(w))
	}
	send(t, w, keyEnter)
	wantScreen(t, w, scrTenantIDs)
	noSecret(t, "view", view(w))
	if !strings.Contains(view(w), "24 months") {
		t.Errorf("no warning above 24 months:\n%s", view(w))
	}
	dr, _ := store.lastDraft()
	if dr.Config.Secret.Reveal() != testSecret || dr.Config.SecretInfo.Description != "Hiveku prod" {
		t.Errorf("draft secret not kept (description %q)", dr.Config.SecretInfo.Description)
	}
	if want := testNow.AddDate(0, 30, 0).Format("2006-01-02"); dr.Config.SecretInfo.Expires.Format("2006-01-02") != want {
		t.Errorf("expires = %s, want %s", dr.Config.SecretInfo.Expires.Format("2006-01-02"), want)
	}
}

func TestTenantStep(t *testing.T) {
	tests := []struct {
		name     string
		account  flow.AccountType
		client   string
		dir      string
		choice   string // tenant option; "" keeps the default
		wantErr  string // shown; empty: accepted
		wantTen  string
		atScreen screen
	}{
		{name: "client id not a guid", account: flow.MultiTenantPersonal, client: "my-app", dir: testDirectory, wantErr: "client ID", atScreen: scrTenantIDs},
		{name: "graph app id", account: flow.MultiTenantPersonal, client: flow.GraphAppID, dir: testDirectory, wantErr: "client ID", atScreen: scrTenantIDs},
		{name: "same ids", account: flow.MultiTenantPersonal, client: testClientID, dir: testClientID, wantErr: "directory ID", atScreen: scrTenantIDs},
		{name: "single + common", account: flow.SingleTenant, client: testClientID, dir: testDirectory, choice: "common", wantErr: "AADSTS50194", atScreen: scrTenant},
		{name: "personal + organizations", account: flow.PersonalOnly, client: testClientID, dir: testDirectory, choice: "organizations", wantErr: "AADSTS9002331", atScreen: scrTenant},
		{name: "single default", account: flow.SingleTenant, client: testClientID, dir: testDirectory, wantTen: testDirectory},
		{name: "multi default", account: flow.MultiTenant, client: testClientID, dir: testDirectory, wantTen: "organizations"},
		{name: "multi-personal default", account: flow.MultiTenantPersonal, client: testClientID, dir: testDirectory, wantTen: "common"},
		{name: "personal default", account: flow.PersonalOnly, client: testClientID, dir: testDirectory, wantTen: "consumers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := newFakeStore(t)
			d := draftAt(flow.StepSecret)
			d.Config.AccountType = tt.account
			d.Config.Tenant, d.Config.ClientID, d.Config.DirectoryID = "", "", ""
			w := start(t, withDraft(testOptions(store), d))
			wantScreen(t, w, scrTenantIDs)
			submitValues(t, w, map[string]string{flow.FieldClientID: tt.client, flow.FieldDirectoryID: tt.dir}, "")
			if current(w) == scrTenant {
				if tt.choice != "" {
					submitValues(t, w, map[string]string{flow.FieldTenant: tt.choice}, "")
				} else {
					send(t, w, keyEnter)
				}
			}
			if tt.wantErr != "" {
				wantScreen(t, w, tt.atScreen)
				if got := view(w); !strings.Contains(got, tt.wantErr) || !strings.Contains(got, "error:") {
					t.Errorf("view lacks %q:\n%s", tt.wantErr, got)
				}
				if len(store.drafts) != 0 {
					t.Errorf("draft saved: %+v", store.drafts[0].Config.Tenant)
				}
				return
			}
			wantScreen(t, w, scrReview)
			dr, _ := store.lastDraft()
			if dr.Step != flow.StepTenant || dr.Config.Tenant != tt.wantTen {
				t.Errorf("draft step %q tenant %q, want %q %q", dr.Step, dr.Config.Tenant, flow.StepTenant, tt.wantTen)
			}
		})
	}
}

func TestTenantAdviceLive(t *testing.T) {
	store := newFakeStore(t)
	d := draftAt(flow.StepSecret)
	d.Config.AccountType = flow.SingleTenant
	d.Config.Tenant = "common"
	w := start(t, withDraft(testOptions(store), d))
	send(t, w, keyEnter, keyEnter)
	wantScreen(t, w, scrTenant)
	if got := view(w); !strings.Contains(got, "AADSTS50194") {
		t.Errorf("the consequence of common for a single-tenant app is not shown:\n%s", got)
	}
}

func TestReviewEditAndSave(t *testing.T) {
	store := newFakeStore(t)
	w := start(t, withDraft(testOptions(store), draftAt(flow.StepTenant)))
	wantScreen(t, w, scrReview)
	got := view(w)
	for _, want := range []string{"Acme Hiveku", flow.HivekuRedirectURI, "abC…", "expires 2028-11-27", testClientID, "common"} {
		if !strings.Contains(got, want) {
			t.Errorf("review lacks %q:\n%s", want, got)
		}
	}
	noSecret(t, "review", got)

	// Edit step 1, come back to review.
	send(t, w, keyDown, keyEnter)
	wantScreen(t, w, scrName)
	typeInto(t, w, "Acme Mail")
	send(t, w, keyEnter)
	wantScreen(t, w, scrReview)
	if !strings.Contains(view(w), "Acme Mail") {
		t.Errorf("review does not show the edit:\n%s", view(w))
	}
	if len(store.deleted) != 1 || store.deleted[0] != "Acme Hiveku" {
		t.Errorf("old draft not removed after the rename: %v", store.deleted)
	}

	send(t, w, keyEnter) // Save
	wantScreen(t, w, scrDone)
	if len(store.saved) != 1 || store.saved[0].Name != "Acme Mail" {
		t.Fatalf("saved = %v", store.saved)
	}
	c, ok := w.Saved()
	if !ok || c.Secret.Reveal() != testSecret || c.SecretInfo.Hint != "abC…" {
		t.Errorf("saved config incomplete (hint %q)", c.SecretInfo.Hint)
	}
	got = view(w)
	for _, want := range []string{"byok verify 'Acme Mail'", "byok show 'Acme Mail'", "Settings > OAuth Apps"} {
		if !strings.Contains(got, want) {
			t.Errorf("final screen lacks %q:\n%s", want, got)
		}
	}
	if quit := send(t, w, keyEnter); !quit {
		t.Errorf("enter on the final screen does not quit")
	}
}

func TestReviewSaveConflict(t *testing.T) {
	store := newFakeStore(t)
	store.saveErr = flow.Errorf(flow.ECONFLICT, "a config named %q exists", "Acme Hiveku")
	w := start(t, withDraft(testOptions(store), draftAt(flow.StepTenant)))
	send(t, w, keyEnter)
	wantScreen(t, w, scrReview)
	if got := view(w); !strings.Contains(got, "error:") || !strings.Contains(got, "exists") {
		t.Errorf("save error not shown:\n%s", got)
	}
	if _, ok := w.Saved(); ok {
		t.Errorf("wizard thinks it saved")
	}
}

func TestResume(t *testing.T) {
	tests := []struct {
		last flow.StepID
		want screen
	}{
		{flow.StepName, scrAccount},
		{flow.StepAccountType, scrRedirect},
		{flow.StepRedirect, scrPermissions},
		{flow.StepPermissions, scrSecret},
		{flow.StepSecret, scrTenantIDs},
		{flow.StepTenant, scrReview},
		{flow.StepReview, scrReview},
	}
	for _, tt := range tests {
		t.Run(string(tt.last), func(t *testing.T) {
			store := newFakeStore(t)
			w := start(t, withDraft(testOptions(store), draftAt(tt.last)))
			wantScreen(t, w, tt.want)
			if a := w.answers; a.Name != "Acme Hiveku" || a.ClientID != testClientID || a.Tenant != "common" || a.Scopes != "full" {
				t.Errorf("answers not pre-filled: name %q client %q tenant %q scopes %q", a.Name, a.ClientID, a.Tenant, a.Scopes)
			}
			if got := view(w); !strings.Contains(got, w.Step().Title()) {
				t.Errorf("header does not name the step:\n%s", got)
			}
		})
	}
	t.Run("resumed secret kept when left empty", func(t *testing.T) {
		store := newFakeStore(t)
		w := start(t, withDraft(testOptions(store), draftAt(flow.StepPermissions)))
		if got := view(w); !strings.Contains(got, "Leave empty to keep") {
			t.Errorf("no hint that the old secret is kept:\n%s", got)
		}
		send(t, w, keyEnter, keyEnter, keyEnter)
		wantScreen(t, w, scrTenantIDs)
		if d, _ := store.lastDraft(); d.Config.Secret.Reveal() != testSecret {
			t.Errorf("resumed secret lost")
		}
	})
}

func TestEscBack(t *testing.T) {
	store := newFakeStore(t)
	w := start(t, withDraft(testOptions(store), draftAt(flow.StepAccountType)))
	wantScreen(t, w, scrRedirect)
	send(t, w, keyEsc)
	wantScreen(t, w, scrAccount)
	send(t, w, keyEsc)
	wantScreen(t, w, scrName)
	if w.answers.Name != "Acme Hiveku" || !strings.Contains(view(w), "> Acme Hiveku") {
		t.Errorf("answer lost going back: %q", w.answers.Name)
	}
	if quit := send(t, w, keyEsc); quit || w.Aborted() {
		t.Fatalf("first esc on step 1 quit")
	}
	if got := view(w); !strings.Contains(got, "press esc again") {
		t.Errorf("no warning before leaving:\n%s", got)
	}
	if quit := send(t, w, keyEsc); !quit || !w.Aborted() {
		t.Errorf("second esc on step 1: quit=%v aborted=%v", quit, w.Aborted())
	}
	if len(store.deleted) != 0 {
		t.Errorf("draft deleted on leaving: %v", store.deleted)
	}
}

func TestEscFromSubScreens(t *testing.T) {
	store := newFakeStore(t)
	w := start(t, withDraft(testOptions(store), draftAt(flow.StepSecret)))
	send(t, w, keyEnter, keyEnter)
	wantScreen(t, w, scrTenant)
	send(t, w, keyEsc)
	wantScreen(t, w, scrTenantIDs)
	send(t, w, keyEsc)
	wantScreen(t, w, scrSecret)
}

func TestCtrlC(t *testing.T) {
	store := newFakeStore(t)
	w := start(t, testOptions(store))
	typeInto(t, w, "Acme Hiveku")
	send(t, w, keyEnter)
	wantScreen(t, w, scrAccount)
	if quit := send(t, w, keyCtrlC); !quit {
		t.Fatalf("ctrl+c did not quit")
	}
	if !w.Aborted() {
		t.Errorf("not marked aborted")
	}
	if got := store.draftSteps(); len(got) != 1 || got[0] != flow.StepName {
		t.Errorf("drafts = %v, want the step 1 draft kept", got)
	}
	if len(store.deleted) != 0 || len(store.saved) != 0 {
		t.Errorf("ctrl+c deleted %v / saved %v", store.deleted, store.saved)
	}
}

func TestNarrowTerminal(t *testing.T) {
	for _, last := range []flow.StepID{"", flow.StepName, flow.StepAccountType, flow.StepRedirect, flow.StepPermissions, flow.StepSecret, flow.StepTenant} {
		t.Run("after "+string(last), func(t *testing.T) {
			store := newFakeStore(t)
			o := testOptions(store)
			o.Width, o.Height = 40, 15
			if last != "" {
				o.Draft = draftAt(last)
			}
			w := start(t, o)
			checkWidth(t, w, 40)
			if n := strings.Count(view(w), "\n") + 1; n > 15 {
				t.Errorf("screen is %d lines for a 15-line terminal:\n%s", n, view(w))
			}
			if current(w) == scrRedirect {
				typeInto(t, w, "http://app.hiveku.com/api/oauth/microsoft/callback/")
				send(t, w, keyEnter, keyEnter)
				wantScreen(t, w, scrRedirectFix)
				checkWidth(t, w, 40)
				if got := view(w); !strings.Contains(got, "https") || strings.Count(got, "\n") >= 15 {
					t.Errorf("fix screen at 40×15 is %d lines or lost the mistakes:\n%s", strings.Count(got, "\n")+1, got)
				}
			}
			if current(w) == scrReview {
				send(t, w, keyEnter)
				wantScreen(t, w, scrDone)
				checkWidth(t, w, 40)
			}
		})
	}
}

func TestResize(t *testing.T) {
	store := newFakeStore(t)
	w := start(t, withDraft(testOptions(store), draftAt(flow.StepTenant)))
	send(t, w, tea.WindowSizeMsg{Width: 40, Height: 15})
	checkWidth(t, w, 40)
	send(t, w, tea.WindowSizeMsg{Width: 120, Height: 40})
	if got := view(w); !strings.Contains(got, "Step 7 of 7 · Review") {
		t.Errorf("header lost after resize:\n%s", got)
	}
}

func checkWidth(tb testing.TB, w *Wizard, width int) {
	tb.Helper()
	if first := strings.Split(view(w), "\n")[0]; !strings.HasPrefix(first, "Step ") && !strings.HasPrefix(first, "Done") {
		tb.Errorf("first line = %q, want the header", first)
	}
	for i, line := range strings.Split(view(w), "\n") {
		if n := ansi.StringWidth(line); n > width {
			tb.Errorf("line %d is %d columns wide, want ≤ %d:\n%q\n\n%s", i+1, n, width, line, view(w))
		}
	}
}

func withDraft(o WizardOptions, d *flow.Draft) WizardOptions {
	o.Draft = d
	return o
}

func TestWideTerminal(t *testing.T) {
	store := newFakeStore(t)
	o := withDraft(testOptions(store), draftAt(flow.StepTenant))
	o.Width, o.Height = 240, 60
	w := start(t, o)
	checkWidth(t, w, 240)
	lines := strings.Split(view(w), "\n")
	if lines[0] != "Step 7 of 7 · Review" {
		t.Errorf("first line = %q, want the header", lines[0])
	}
	if got := view(w); !strings.Contains(got, "Help for Review") || !strings.Contains(got, "Edit step 6") {
		t.Errorf("a wide terminal hides content:\n%s", got)
	}
}

func TestShortTerminalKeepsHeader(t *testing.T) {
	for _, last := range []flow.StepID{flow.StepAccountType, flow.StepTenant} {
		store := newFakeStore(t)
		o := withDraft(testOptions(store), draftAt(last))
		o.Width, o.Height = 80, 15
		w := start(t, o)
		lines := strings.Split(view(w), "\n")
		if !strings.HasPrefix(lines[0], "Step ") {
			t.Errorf("after %s: first line = %q, want the header", last, lines[0])
		}
		if strings.Contains(view(w), "Help for") && len(lines) > 15 {
			t.Errorf("after %s: help kept although the screen is %d lines for 15", last, len(lines))
		}
	}
}

var sgrRE = regexp.MustCompile(`\x1b\[([0-9;]*)m`)

// colourParams returns the SGR parameters in s that set a colour.
func colourParams(s string) []string {
	var out []string
	for _, m := range sgrRE.FindAllStringSubmatch(s, -1) {
		params := strings.Split(m[1], ";")
		for i := 0; i < len(params); i++ {
			n, _ := strconv.Atoi(params[i])
			switch {
			case n == 38 || n == 48 || n == 58:
				out = append(out, m[1])
				i = len(params)
			case n >= 30 && n <= 37, n >= 40 && n <= 47, n >= 90 && n <= 97, n >= 100 && n <= 107:
				out = append(out, m[1])
			}
		}
	}
	return out
}

func TestNoColor(t *testing.T) {
	for _, noColor := range []bool{false, true} {
		store := newFakeStore(t)
		o := withDraft(testOptions(store), draftAt(flow.StepSecret))
		o.NoColor = noColor
		o.Draft.Config.Tenant = "consumers" // an error below the list
		o.Draft.Config.AccountType = flow.SingleTenant
		w := start(t, o)
		send(t, w, keyEnter, keyEnter)
		wantScreen(t, w, scrTenant)
		raw := w.View().Content
		colours := colourParams(raw)
		if noColor && len(colours) > 0 {
			t.Errorf("NoColor view sets colours %v", colours)
		}
		if !noColor && len(colours) == 0 {
			t.Errorf("colour view has no colour: the check above could not fail")
		}
		if !strings.Contains(ansi.Strip(raw), "won't work") {
			t.Errorf("the status is not in words:\n%s", ansi.Strip(raw))
		}
		// The text cursor stays visible without colour (reverse video).
		send(t, w, keyEsc)
		wantScreen(t, w, scrTenantIDs)
		if raw := w.View().Content; !hasReverse(raw) {
			t.Errorf("NoColor=%v: no reverse-video cursor in the input", noColor)
		}
	}
}

// hasReverse reports whether s switches reverse video on.
func hasReverse(s string) bool {
	for _, m := range sgrRE.FindAllStringSubmatch(s, -1) {
		for _, p := range strings.Split(m[1], ";") {
			if p == "7" {
				return true
			}
		}
	}
	return false
}

func TestTenantDomain(t *testing.T) {
	store := newFakeStore(t)
	d := draftAt(flow.StepSecret)
	d.Config.AccountType = flow.SingleTenant
	d.Config.Tenant = ""
	w := start(t, withDraft(testOptions(store), d))
	send(t, w, keyEnter, keyEnter) // ids kept
	wantScreen(t, w, scrTenant)
	send(t, w, keyDown, keyEnter) // from the directory (recommended) to a verified domain
	wantScreen(t, w, scrTenantDomain)
	send(t, w, keyEnter) // empty
	wantScreen(t, w, scrTenantDomain)
	if got := view(w); !strings.Contains(got, "error: tenant: the verified domain is empty") {
		t.Errorf("empty domain accepted:\n%s", got)
	}
	if len(store.drafts) != 0 {
		t.Fatalf("draft saved with an empty domain")
	}
	typeInto(t, w, "contoso.com")
	send(t, w, keyEnter)
	wantScreen(t, w, scrReview)
	if dr, _ := store.lastDraft(); dr.Config.Tenant != "contoso.com" {
		t.Errorf("tenant = %q, want contoso.com", dr.Config.Tenant)
	}
}

func TestReviewCatchesMismatchAfterEdit(t *testing.T) {
	store := newFakeStore(t)
	w := start(t, withDraft(testOptions(store), draftAt(flow.StepTenant)))
	// Edit step 2 to single tenant: tenant common no longer fits.
	send(t, w, keyDown, keyDown, keyEnter)
	wantScreen(t, w, scrAccount)
	submitValues(t, w, map[string]string{flow.FieldAccountType: flow.SingleTenant.Short()}, "")
	wantScreen(t, w, scrReview)
	send(t, w, keyEnter) // Save
	wantScreen(t, w, scrReview)
	if got := view(w); !strings.Contains(got, "error:") || !strings.Contains(got, "AADSTS50194") {
		t.Errorf("review saved or did not explain the mismatch:\n%s", got)
	}
	if len(store.saved) != 0 {
		t.Errorf("config saved with a tenant that fails every sign-in")
	}
}

func TestEscLeavesFilterFirst(t *testing.T) {
	store := newFakeStore(t)
	w := start(t, withDraft(testOptions(store), draftAt(flow.StepName)))
	wantScreen(t, w, scrAccount)
	send(t, w, typed("/"), typed("pers"))
	send(t, w, keyEsc)
	wantScreen(t, w, scrAccount)
	send(t, w, keyEsc)
	wantScreen(t, w, scrName)
}

func TestDraftSaveFailureIsShown(t *testing.T) {
	store := newFakeStore(t)
	store.draftErr = flow.Errorf(flow.EINTERNAL, "database is locked")
	w := start(t, testOptions(store))
	typeInto(t, w, "Acme Hiveku")
	send(t, w, keyEnter)
	wantScreen(t, w, scrAccount) // the wizard goes on
	if got := view(w); !strings.Contains(got, "warning: draft not saved") || !strings.Contains(got, "database is locked") {
		t.Errorf("draft failure not shown:\n%s", got)
	}
	if w.Step() != flow.StepAccountType {
		t.Errorf("Step() = %q", w.Step())
	}
}

// TestBeforeYouStart: a new wizard opens on what the guide asks for
// first (portal access, permission to register apps, Hiveku admin
// access); Enter starts step 1. A resumed draft skips it.
func TestBeforeYouStart(t *testing.T) {
	w := NewWizard(testOptions(newFakeStore(t)))
	runCmds(t, w, w.Init())
	wantScreen(t, w, scrBefore)
	v := view(w)
	for _, want := range []string{"Before you start", "portal.azure.com", "register applications", "Settings > OAuth Apps", "enter start"} {
		if !strings.Contains(v, want) {
			t.Errorf("before-you-start lacks %q:\n%s", want, v)
		}
	}
	send(t, w, keyEnter)
	wantScreen(t, w, scrName)
	if r := NewWizard(withDraft(testOptions(newFakeStore(t)), draftAt(flow.StepName))); current(r) == scrBefore {
		t.Errorf("a resumed draft starts on before-you-start")
	}
}

// TestPasteReplacesPrefilled: pasting into a pre-filled input replaces
// its value rather than appending to it.
func TestPasteReplacesPrefilled(t *testing.T) {
	w := start(t, withDraft(testOptions(newFakeStore(t)), draftAt("")))
	wantScreen(t, w, scrName)
	send(t, w, tea.PasteMsg{Content: "Contoso Hiveku"})
	send(t, w, keyEnter)
	if w.answers.Name != "Contoso Hiveku" {
		t.Errorf("name after paste = %q, want the pasted value alone", w.answers.Name)
	}
}

// TestTenantErrorShownOnce: a refused tenant is explained once, not as
// both the advice under the list and the error.
func TestTenantErrorShownOnce(t *testing.T) {
	o := withDraft(testOptions(newFakeStore(t)), draftAt(flow.StepSecret))
	o.Draft.Config.Tenant = "consumers"
	o.Draft.Config.AccountType = flow.SingleTenant
	w := start(t, o)
	send(t, w, keyEnter, keyEnter)
	wantScreen(t, w, scrTenant)
	send(t, w, keyEnter)
	wantScreen(t, w, scrTenant)
	v := view(w)
	if n := strings.Count(v, "consumers"); !strings.Contains(v, "error:") || strings.Contains(v, "won't work") {
		t.Errorf("tenant refusal shown %d times / advice still shown:\n%s", n, v)
	}
}

// Answers pre-filled from flags (`byok setup --name X` on a terminal)
// arrive as a draft with no completed step: that name was never saved
// as a draft, so renaming at step 1 must not delete a draft of it
// (another interrupted setup's).
func TestPrefilledNameRenameKeepsOtherDraft(t *testing.T) {
	store := newFakeStore(t)
	o := testOptions(store)
	o.Draft = &flow.Draft{Config: flow.Config{Name: "Acme Hiveku"}}
	w := start(t, o)
	wantScreen(t, w, scrName)
	typeInto(t, w, "Other Name")
	send(t, w, keyEnter)
	wantScreen(t, w, scrAccount)
	if len(store.deleted) != 0 {
		t.Errorf("renaming pre-filled answers deleted drafts %v", store.deleted)
	}
}

// A draft resumed at review whose secret expires soon, or whose tenant
// is narrower than recommended, shows the same warnings as when those
// steps were answered in this run (the plain loop does too).
func TestReviewWarnsForResumedDraft(t *testing.T) {
	d := draftAt(flow.StepTenant)
	d.Config.SecretInfo.Expires = testNow.AddDate(0, 0, 10)
	d.Config.Tenant = "organizations" // multitenant + personal: personal accounts refused
	w := start(t, withDraft(testOptions(newFakeStore(t)), d))
	wantScreen(t, w, scrReview)
	got := view(w)
	_, want, _ := flow.ParseExpiry(d.Config.SecretInfo.Expires.Format("2006-01-02"), testNow)
	tenantWarn, _ := flow.ValidateTenant("organizations", flow.MultiTenantPersonal, testDirectory)
	if want == "" || tenantWarn == "" {
		t.Fatal("the fixture gives no warning: the test would prove nothing")
	}
	for _, m := range []string{want, tenantWarn} {
		if !strings.Contains(strings.Join(strings.Fields(got), " "), strings.Join(strings.Fields(m), " ")) {
			t.Errorf("review lacks the warning %q:\n%s", m, got)
		}
	}
}
