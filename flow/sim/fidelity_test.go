package sim

import (
	"strings"
	"testing"
)

// redeem signs upn in with scope and returns the token response.
func (e *testEnv) redeemFor(t *testing.T, upn, scope string) map[string]any {
	t.Helper()
	q, err := e.consent(e.authURL("common", "scope", scope), upn, true)
	if err != nil || q.Get("code") == "" {
		t.Fatalf("Consent(%s) = %v, %v", upn, q, err)
	}
	st, tok := e.post("common", codeForm(q.Get("code")))
	if st != 200 {
		t.Fatalf("redeem: %d %v", st, tok)
	}
	return tok
}

func TestCalendarsReadBasicIsAccepted(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.redeemFor(t, "alex@contoso.com", "offline_access openid Calendars.ReadBasic")
	if !strings.Contains(tok["scope"].(string), "Calendars.ReadBasic") {
		t.Fatalf("scope = %v, want Calendars.ReadBasic", tok["scope"])
	}
	if st, body := e.get("/v1.0/me/calendars?$top=1", tok["access_token"].(string)); st != 200 {
		t.Errorf("calendars with Calendars.ReadBasic = %d %v", st, body)
	}
}

func TestPersonalAccountHasNoMail(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.redeemFor(t, "sam@outlook.com", "offline_access openid User.Read Mail.Read")
	at := tok["access_token"].(string)
	st, me := e.get("/v1.0/me", at)
	if st != 200 {
		t.Fatalf("/me = %d %v", st, me)
	}
	if v, ok := me["mail"]; !ok || v != nil {
		t.Errorf("/me mail = %v (present %v), want null", v, ok)
	}
	if me["userPrincipalName"] != "sam@outlook.com" {
		t.Errorf("/me userPrincipalName = %v", me["userPrincipalName"])
	}
	if st, body := e.get("/v1.0/me/mailFolders?$top=1", at); st != 200 {
		t.Errorf("a personal account's mailbox answered %d %v", st, body)
	}
}

func TestPersonalAccountLosesWorkOnlyScopes(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.redeemFor(t, "sam@outlook.com", "offline_access openid User.Read User.ReadBasic.All")
	if sc := tok["scope"].(string); strings.Contains(sc, "User.ReadBasic.All") || !strings.Contains(sc, "User.Read") {
		t.Errorf("personal scope = %q, want User.Read without User.ReadBasic.All", sc)
	}
	tok = e.redeemFor(t, "alex@contoso.com", "offline_access openid User.Read User.ReadBasic.All")
	if sc := tok["scope"].(string); !strings.Contains(sc, "User.ReadBasic.All") {
		t.Errorf("work scope = %q, want User.ReadBasic.All", sc)
	}
}

func TestWorkAccountWithoutExchange(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Users = append(o.Users, User{ID: "4b0d5a6f-7e8c-4d9e-8f0a-1b2c3d4e5f6a", UPN: "lee@contoso.com", DisplayName: "Lee Chen", TenantID: ContosoTenantID})
	})
	tok := e.redeemFor(t, "lee@contoso.com", "offline_access openid User.Read Mail.Read")
	st, body := e.get("/v1.0/me/mailFolders?$top=1", tok["access_token"].(string))
	if st != 404 || !strings.Contains(strings.ToLower(stringOf(body)), "mailboxnotenabledforrestapi") {
		t.Errorf("mailFolders = %d %v, want 404 MailboxNotEnabledForRESTAPI", st, body)
	}
}

func stringOf(m map[string]any) string {
	if e, ok := m["error"].(map[string]any); ok {
		s, _ := e["code"].(string)
		return s
	}
	return ""
}
