package sim

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// tokenFor signs alex (or upn) in with scope and returns the access token.
func (e *testEnv) tokenFor(upn, scope string) string {
	e.t.Helper()
	q, err := e.consent(e.authURL("common", "scope", scope), upn, true)
	if err != nil || q.Get("code") == "" {
		e.t.Fatalf("Consent = %v, %v", q, err)
	}
	st, tok := e.post("common", codeForm(q.Get("code")))
	if st != 200 {
		e.t.Fatalf("token = %d %v", st, tok)
	}
	return tok["access_token"].(string)
}

func assertGraphError(tb testing.TB, st int, body map[string]any, wantStatus int, wantCode string) {
	tb.Helper()
	if st != wantStatus {
		tb.Errorf("status = %d, want %d", st, wantStatus)
	}
	e, _ := body["error"].(map[string]any)
	if e == nil || e["code"] != wantCode {
		tb.Fatalf("error = %v, want code %s", body, wantCode)
	}
	if m, _ := e["message"].(string); m == "" {
		tb.Errorf("no message: %v", e)
	}
	inner, _ := e["innerError"].(map[string]any)
	for _, k := range []string{"date", "request-id", "client-request-id"} {
		if s, _ := inner[k].(string); s == "" {
			tb.Errorf("innerError lacks %s: %v", k, inner)
		}
	}
	if d, _ := inner["date"].(string); len(d) != len("2006-01-02T15:04:05") {
		tb.Errorf("innerError.date = %q", d)
	}
}

func TestGraphErrors(t *testing.T) {
	tests := []struct {
		name   string
		path   string
		token  func(e *testEnv) string
		mutate func(*Options)
		status int
		code   string
		msg    string
	}{
		{name: "no token", path: "/v1.0/me", token: func(*testEnv) string { return "" }, status: 401, code: "InvalidAuthenticationToken", msg: "Access token is empty."},
		{name: "garbage token", path: "/v1.0/me", token: func(*testEnv) string { return "garbage" }, status: 401, code: "InvalidAuthenticationToken"},
		{name: "expired token", path: "/v1.0/me", token: func(e *testEnv) string {
			at := e.tokenFor("alex@contoso.com", "openid User.Read")
			e.clock.Advance(2 * time.Hour)
			return at
		}, status: 401, code: "InvalidAuthenticationToken", msg: "Lifetime validation failed, the token is expired."},
		{name: "me without User.Read", path: "/v1.0/me", token: func(e *testEnv) string { return e.tokenFor("alex@contoso.com", "openid Mail.Send") },
			status: 403, code: "Authorization_RequestDenied"},
		{name: "mail folders without a mail read scope", path: "/v1.0/me/mailFolders?$top=1", token: func(e *testEnv) string {
			return e.tokenFor("alex@contoso.com", "offline_access User.Read Mail.Send")
		}, status: 403, code: "ErrorAccessDenied", msg: "Access is denied. Check credentials and try again."},
		{name: "calendars without a calendar scope", path: "/v1.0/me/calendars?$top=1", token: func(e *testEnv) string {
			return e.tokenFor("alex@contoso.com", "offline_access User.Read Mail.Read")
		}, status: 403, code: "ErrorAccessDenied"},
		{name: "user without a mailbox", path: "/v1.0/me/mailFolders", mutate: func(o *Options) { o.Users[0].Mail = "" }, token: func(e *testEnv) string {
			return e.tokenFor("alex@contoso.com", "User.Read Mail.Read")
		}, status: 404, code: "MailboxNotEnabledForRESTAPI"},
		{name: "bad $top", path: "/v1.0/me/mailFolders?$top=x", token: func(e *testEnv) string { return e.tokenFor("alex@contoso.com", "Mail.Read") },
			status: 400, code: "BadRequest"},
		{name: "unknown resource", path: "/v1.0/me/messages", token: func(e *testEnv) string { return e.tokenFor("alex@contoso.com", "Mail.Read") },
			status: 400, code: "BadRequest"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.mutate)
			st, body := e.get(tt.path, tt.token(e))
			assertGraphError(t, st, body, tt.status, tt.code)
			if tt.msg != "" && body["error"].(map[string]any)["message"] != tt.msg {
				t.Errorf("message = %v, want %q", body["error"].(map[string]any)["message"], tt.msg)
			}
		})
	}
}

func TestGraphMe(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Users[0].Mail = "" })
	st, me := e.get("/v1.0/me", e.tokenFor("alex@contoso.com", "User.Read"))
	if st != 200 {
		t.Fatalf("/me = %d %v", st, me)
	}
	if v, ok := me["mail"]; !ok || v != nil {
		t.Errorf("mail = %v, want null", v)
	}
	for k, want := range map[string]any{"userPrincipalName": "alex@contoso.com", "displayName": "Alex Wilber", "givenName": "Alex", "surname": "Wilber", "id": "0d6f1c2b-3a4e-4f5a-8b6c-7d8e9f0a1b2c"} {
		if me[k] != want {
			t.Errorf("%s = %v, want %v", k, me[k], want)
		}
	}
	if !strings.HasSuffix(me["@odata.context"].(string), "/v1.0/$metadata#users/$entity") {
		t.Errorf("@odata.context = %v", me["@odata.context"])
	}
}

func TestGraphClientRequestIDEchoed(t *testing.T) {
	e := newEnv(t, nil)
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/v1.0/me", nil)
	req.Header.Set("client-request-id", "abc-123")
	st, body := e.do(req)
	assertGraphError(t, st, body, 401, "InvalidAuthenticationToken")
	if got := body["error"].(map[string]any)["innerError"].(map[string]any)["client-request-id"]; got != "abc-123" {
		t.Errorf("client-request-id = %v", got)
	}
}

func TestDiscoveryAndKeys(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct{ seg, issuer, token string }{
		{"common", "/{tenantid}/v2.0", "/common/oauth2/v2.0/token"},
		{"organizations", "/{tenantid}/v2.0", "/organizations/oauth2/v2.0/token"},
		{"consumers", "/" + ConsumersTenantID + "/v2.0", "/consumers/oauth2/v2.0/token"},
		{ContosoTenantID, "/" + ContosoTenantID + "/v2.0", "/" + ContosoTenantID + "/oauth2/v2.0/token"},
		{"contoso.com", "/" + ContosoTenantID + "/v2.0", "/" + ContosoTenantID + "/oauth2/v2.0/token"},
	}
	for _, tt := range tests {
		t.Run(tt.seg, func(t *testing.T) {
			resp, err := e.srv.Client().Get(e.srv.URL + "/" + tt.seg + "/v2.0/.well-known/openid-configuration")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if cc := resp.Header.Get("Cache-Control"); cc != "max-age=86400, private" {
				t.Errorf("Cache-Control = %q", cc)
			}
			st, doc := e.get("/"+url.PathEscape(tt.seg)+"/v2.0/.well-known/openid-configuration", "")
			if st != 200 || doc["issuer"] != e.srv.URL+tt.issuer || doc["token_endpoint"] != e.srv.URL+tt.token {
				t.Errorf("doc = %d issuer %v token %v", st, doc["issuer"], doc["token_endpoint"])
			}
			for _, k := range []string{"authorization_endpoint", "jwks_uri", "userinfo_endpoint", "end_session_endpoint", "cloud_instance_name", "msgraph_host", "tenant_region_scope"} {
				if _, ok := doc[k]; !ok {
					t.Errorf("doc lacks %s", k)
				}
			}
		})
	}
	st, body := e.get("/nosuch.example/v2.0/.well-known/openid-configuration", "")
	assertSTS(t, st, body, 400, "invalid_tenant", 90002)
}

func TestDeterminism(t *testing.T) {
	run := func() (string, string) {
		e := newEnv(t, nil)
		code := e.code("common")
		_, tok := e.post("common", codeForm(code))
		return code, tok["access_token"].(string) // id_token names the (random) port
	}
	c1, id1 := run()
	c2, id2 := run()
	if c1 != c2 || id1 != id2 {
		t.Errorf("two runs with the same clock and default random stream differ")
	}
}

func TestGraphWellKnownFolderAndDefaultCalendar(t *testing.T) {
	e := newEnv(t, nil)
	at := e.tokenFor("alex@contoso.com", "offline_access User.Read Mail.Read Calendars.Read")
	st, inbox := e.get("/v1.0/me/mailFolders/Inbox?$select=id", at)
	if st != 200 || inbox["displayName"] != "Inbox" || inbox["id"] == nil || !strings.HasSuffix(inbox["@odata.context"].(string), "/mailFolders/$entity") {
		t.Errorf("inbox = %d %v", st, inbox)
	}
	st, body := e.get("/v1.0/me/mailFolders/nosuchfolder", at)
	assertGraphError(t, st, body, 404, "ErrorItemNotFound")
	st, cal := e.get("/v1.0/me/calendar", at)
	if st != 200 || cal["isDefaultCalendar"] != true || cal["owner"].(map[string]any)["address"] != "alex@contoso.com" {
		t.Errorf("calendar = %d %v", st, cal)
	}
	st, all := e.get("/v1.0/me/mailFolders", at)
	if v, _ := all["value"].([]any); st != 200 || len(v) != 7 || all["@odata.nextLink"] != nil {
		t.Errorf("mailFolders = %d %v", st, all)
	}
}
