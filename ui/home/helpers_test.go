package home

import (
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/hiveku/byok/flow"
)

// testNow is the fixed clock of every home test.
var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// fixtureListings returns three configs, out of name order: one verified
// with a long-lived secret, one failed with a secret expiring in 12 days,
// one never verified with an expired secret.
func fixtureListings() []flow.Listing {
	day := 24 * time.Hour
	full := []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"}
	return []flow.Listing{
		{Config: flow.Config{
			Name: "Fabrikam mail", AccountType: flow.MultiTenant, RedirectURI: flow.HivekuRedirectURI,
			Scopes: []string{"offline_access", "Mail.Read"}, ClientID: "33333333-3333-4333-8333-333333333333",
			DirectoryID: "44444444-4444-4444-8444-444444444444", Tenant: "organizations",
			SecretInfo: flow.SecretInfo{Description: "Hiveku prod", Hint: "Fab…", Expires: testNow.Add(-3*day - time.Hour)},
		}},
		{Config: flow.Config{
			Name: "Acme Hiveku", AccountType: flow.MultiTenantPersonal, RedirectURI: flow.HivekuRedirectURI, Loopback: true,
			Scopes: full, ClientID: "11111111-1111-4111-8111-111111111111",
			DirectoryID: "22222222-2222-4222-8222-222222222222", Tenant: "common",
			SecretInfo: flow.SecretInfo{Description: "Hiveku prod", Hint: "abC…", Expires: testNow.Add(412*day + time.Hour)},
		}, LastRun: &flow.Run{Name: "Acme Hiveku", At: testNow.Add(-2 * day), OK: true, Email: "alex@contoso.com",
			Checks: []flow.Check{{ID: flow.CheckConsent, Status: flow.Pass}}}},
		{Config: flow.Config{
			Name: "Contoso test", AccountType: flow.SingleTenant, RedirectURI: flow.HivekuRedirectURI,
			Scopes: full, ClientID: "55555555-5555-4555-8555-555555555555",
			DirectoryID: "66666666-6666-4666-8666-666666666666", Tenant: "contoso.com",
			SecretInfo: flow.SecretInfo{Description: "Hiveku test", Hint: "Xy7…", Expires: testNow.Add(12*day + time.Hour)},
		}, LastRun: &flow.Run{Name: "Contoso test", At: testNow.Add(-time.Hour), OK: false,
			Checks: []flow.Check{{ID: flow.CheckCreds, Status: flow.Fail, Code: 7000215}}}},
	}
}

// fixtureDrafts returns one draft stopped after step 4.
func fixtureDrafts() []flow.Draft {
	return []flow.Draft{{Config: flow.Config{Name: "Northwind draft"}, Step: flow.StepPermissions, UpdatedAt: testNow.Add(-2 * time.Hour)}}
}

// fakeConsentURLs returns fixed consent URLs (no random state).
func fakeConsentURLs(c flow.Config) (string, string, error) {
	return "https://login.microsoftonline.com/" + c.Tenant + "/oauth2/v2.0/authorize?client_id=" + c.ClientID +
			"&response_type=code&redirect_uri=https%3A%2F%2Fapp.hiveku.com%2Fapi%2Foauth%2Fmicrosoft%2Fcallback&scope=offline_access&state=STATE",
		"https://login.microsoftonline.com/" + c.DirectoryID + "/v2.0/adminconsent?client_id=" + c.ClientID + "&state=STATE", nil
}

// newFixture returns a home model on the fixtures at 80×24, no colour.
func newFixture(tb testing.TB) *Model {
	tb.Helper()
	return New(Options{Listings: fixtureListings(), Drafts: fixtureDrafts(), Now: fixedNow, NoColor: true,
		Width: 80, Height: 24, ConsentURLs: fakeConsentURLs})
}

// key returns the tea.KeyPressMsg for a key name ("enter", "down", "v").
func key(k string) tea.KeyPressMsg {
	switch k {
	case "enter":
		return tea.KeyPressMsg{Code: tea.KeyEnter}
	case "down":
		return tea.KeyPressMsg{Code: tea.KeyDown}
	case "up":
		return tea.KeyPressMsg{Code: tea.KeyUp}
	case "esc":
		return tea.KeyPressMsg{Code: tea.KeyEscape}
	case "ctrl+c":
		return tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}
	case "pgdown":
		return tea.KeyPressMsg{Code: tea.KeyPgDown}
	case "end":
		return tea.KeyPressMsg{Code: tea.KeyEnd}
	case "space":
		return tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}
	}
	r := []rune(k)
	return tea.KeyPressMsg{Code: r[0], Text: k}
}

// press sends keys to m in order and returns the last command.
func press(m *Model, keys ...string) tea.Cmd {
	var cmd tea.Cmd
	for _, k := range keys {
		_, cmd = m.Update(key(k))
	}
	return cmd
}

// plain is m's view without ANSI sequences.
func plain(m *Model) string { return ansi.Strip(m.View().Content) }
