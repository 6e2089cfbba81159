package sim

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

const otherClientID = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b"

// worldWithExtras adds a loopback and a SPA and a public-client redirect
// URI to the demo app and registers a second, multitenant app with no
// service principal in Fabrikam.
func worldWithExtras(o *Options) {
	a := &o.Apps[0]
	a.WebRedirectURIs = append(a.WebRedirectURIs, "http://localhost")
	a.SPARedirectURIs = []string{"https://spa.example.com/cb"}
	a.PublicClientRedirectURIs = []string{"https://login.microsoftonline.com/common/oauth2/nativeclient"}
	o.Apps = append(o.Apps, App{
		DisplayName: "Other", ClientID: otherClientID, HomeTenantID: ContosoTenantID,
		SignInAudience: flow.MultiTenant, WebRedirectURIs: []string{flow.HivekuRedirectURI},
		Secrets: []Secret{{KeyID: "k2", Value: "other~secret", Expires: testNow.AddDate(1, 0, 0)}},
	})
}

func ccForm(clientID, secret, scope string) url.Values {
	v := url.Values{"client_id": {clientID}, "grant_type": {"client_credentials"}, "scope": {scope}}
	if secret != "" {
		v.Set("client_secret", secret)
	}
	return v
}

func TestTokenEndpointErrors(t *testing.T) {
	graphDefault := "https://graph.microsoft.com/.default"
	tests := []struct {
		name     string
		mutate   func(*Options)
		tenant   string
		form     func(e *testEnv) url.Values
		hdr      []string
		status   int
		err      string
		code     int
		contains string
	}{
		{name: "unknown tenant", tenant: "nosuch.example", form: func(*testEnv) url.Values { return ccForm(DemoClientID, DemoSecretValue, graphDefault) },
			status: 400, err: "invalid_request", code: 90002, contains: "Tenant 'nosuch.example' not found"},
		{name: "missing grant_type", tenant: ContosoTenantID, form: func(*testEnv) url.Values { return url.Values{"client_id": {DemoClientID}} },
			status: 400, err: "invalid_request", code: 900144, contains: "'grant_type'"},
		{name: "missing client_id", tenant: ContosoTenantID, form: func(*testEnv) url.Values { return url.Values{"grant_type": {"client_credentials"}} },
			status: 400, err: "invalid_request", code: 900144, contains: "'client_id'"},
		{name: "unsupported grant", tenant: ContosoTenantID, form: func(*testEnv) url.Values {
			return url.Values{"client_id": {DemoClientID}, "grant_type": {"password"}}
		}, status: 400, err: "unsupported_grant_type", code: 70003},
		{name: "client credentials on common", tenant: "common", form: func(*testEnv) url.Values { return ccForm(DemoClientID, DemoSecretValue, graphDefault) },
			status: 400, err: "invalid_request", code: 9001023},
		{name: "client credentials on consumers", tenant: "consumers", form: func(*testEnv) url.Values { return ccForm(DemoClientID, DemoSecretValue, graphDefault) },
			status: 400, err: "invalid_request", code: 9001023},
		{name: "client credentials on organizations", tenant: "organizations", form: func(*testEnv) url.Values { return ccForm(DemoClientID, DemoSecretValue, graphDefault) },
			status: 400, err: "invalid_request", code: 50059},
		{name: "unknown client", tenant: ContosoTenantID, form: func(*testEnv) url.Values {
			return ccForm("00000000-1111-4222-8333-444444444444", DemoSecretValue, graphDefault)
		}, status: 400, err: "unauthorized_client", code: 700016, contains: "was not found in the directory 'Contoso'"},
		{name: "named scope with client credentials", tenant: ContosoTenantID, form: func(*testEnv) url.Values { return ccForm(DemoClientID, DemoSecretValue, "Mail.Read") },
			status: 400, err: "invalid_scope", code: 1002012},
		{name: "missing secret", tenant: ContosoTenantID, form: func(*testEnv) url.Values { return ccForm(DemoClientID, "", graphDefault) },
			status: 401, err: "invalid_client", code: 7000218},
		{name: "secret ID instead of value", tenant: ContosoTenantID, form: func(*testEnv) url.Values { return ccForm(DemoClientID, DemoSecretID, graphDefault) },
			status: 401, err: "invalid_client", code: 7000215, contains: "not the client secret ID, for a secret added to app '" + DemoClientID + "'"},
		{name: "expired secret", tenant: ContosoTenantID,
			mutate: func(o *Options) { o.Apps[0].Secrets[0].Expires = testNow.Add(-time.Hour) },
			form:   func(*testEnv) url.Values { return ccForm(DemoClientID, DemoSecretValue, graphDefault) },
			status: 401, err: "invalid_client", code: 7000222, contains: "for app '" + DemoClientID + "' are expired"},
		{name: "single-tenant app in another tenant", tenant: FabrikamTenantID,
			mutate: func(o *Options) { o.Apps[0].SignInAudience = flow.SingleTenant },
			form:   func(*testEnv) url.Values { return ccForm(DemoClientID, DemoSecretValue, graphDefault) },
			status: 400, err: "unauthorized_client", code: 700016, contains: "'Fabrikam'"},
		{name: "multitenant app without service principal", tenant: FabrikamTenantID, mutate: worldWithExtras,
			form:   func(*testEnv) url.Values { return ccForm(otherClientID, "other~secret", graphDefault) },
			status: 401, err: "invalid_client", code: 7000229},
		{name: "code reused", tenant: "common", form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common"))
			if st, _ := e.post("common", f); st != 200 {
				e.t.Fatalf("first redemption = %d", st)
			}
			return f
		}, status: 400, err: "invalid_grant", code: 54005},
		{name: "code expired", tenant: "common", form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common"))
			e.clock.Advance(11 * time.Minute)
			return f
		}, status: 400, err: "invalid_grant", code: 70008},
		{name: "unknown code", tenant: "common", form: func(e *testEnv) url.Values { return codeForm("1.Anot-a-code") },
			status: 400, err: "invalid_grant", code: 70000},
		{name: "redirect_uri differs from authorize", tenant: "common", mutate: worldWithExtras, form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common"))
			f.Set("redirect_uri", "http://localhost:5123/")
			return f
		}, status: 400, err: "invalid_client", code: 500112, contains: "does not match the reply address '" + flow.HivekuRedirectURI + "' provided when requesting Authorization code"},
		{name: "redirect_uri not registered", tenant: "common", form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common"))
			f.Set("redirect_uri", flow.HivekuRedirectURI+"/")
			return f
		}, status: 400, err: "invalid_request", code: 50011},
		{name: "wrong PKCE verifier", tenant: "common", form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common"))
			f.Set("code_verifier", strings.Repeat("x", 50))
			return f
		}, status: 400, err: "invalid_grant", code: 501481},
		{name: "missing PKCE verifier", tenant: "common", form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common"))
			f.Del("code_verifier")
			return f
		}, status: 400, err: "invalid_grant", code: 50148},
		{name: "plain PKCE accepted then mismatched", tenant: "common", form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common", "code_challenge", strings.Repeat("p", 43), "code_challenge_method", ""))
			f.Set("code_verifier", strings.Repeat("q", 43))
			return f
		}, status: 400, err: "invalid_grant", code: 501481},
		{name: "code redeemed on another tenant", tenant: ContosoTenantID, form: func(e *testEnv) url.Values { return codeForm(e.code("common")) },
			status: 400, err: "invalid_grant", code: 700005},
		{name: "code issued to another client", tenant: "common", mutate: worldWithExtras, form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common"))
			f.Set("client_id", otherClientID)
			f.Set("client_secret", "other~secret")
			return f
		}, status: 400, err: "invalid_grant", code: 70000, contains: "different client"},
		{name: "Origin header on a Web redirect", tenant: "common", form: func(e *testEnv) url.Values { return codeForm(e.code("common")) },
			hdr: []string{"Origin", "https://app.hiveku.com"}, status: 400, err: "invalid_request", code: 9002326},
		{name: "SPA redirect redeemed server-side", tenant: "common", mutate: worldWithExtras, form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common", "redirect_uri", "https://spa.example.com/cb"))
			f.Set("redirect_uri", "https://spa.example.com/cb")
			f.Del("client_secret")
			return f
		}, status: 400, err: "invalid_request", code: 9002327},
		{name: "SPA redirect without PKCE", tenant: "common", mutate: worldWithExtras, form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common", "redirect_uri", "https://spa.example.com/cb", "code_challenge", "", "code_challenge_method", ""))
			f.Set("redirect_uri", "https://spa.example.com/cb")
			f.Del("client_secret")
			f.Del("code_verifier")
			return f
		}, hdr: []string{"Origin", "https://spa.example.com"}, status: 400, err: "invalid_request", code: 9002325},
		{name: "secret sent for a public client redirect", tenant: "common", mutate: worldWithExtras, form: func(e *testEnv) url.Values {
			uri := "https://login.microsoftonline.com/common/oauth2/nativeclient"
			f := codeForm(e.code("common", "redirect_uri", uri))
			f.Set("redirect_uri", uri)
			return f
		}, status: 401, err: "invalid_client", code: 700025},
		{name: "code without secret", tenant: "common", form: func(e *testEnv) url.Values {
			f := codeForm(e.code("common"))
			f.Del("client_secret")
			return f
		}, status: 401, err: "invalid_client", code: 7000218},
		{name: "unknown refresh token", tenant: "common", form: func(*testEnv) url.Values {
			return url.Values{"client_id": {DemoClientID}, "client_secret": {DemoSecretValue}, "grant_type": {"refresh_token"}, "refresh_token": {"1.Anope"}}
		}, status: 400, err: "invalid_grant", code: 9002313},
		{name: "refresh token expired after 90 days", tenant: "common", form: func(e *testEnv) url.Values {
			_, tok := e.post("common", codeForm(e.code("common")))
			e.clock.Advance(91 * 24 * time.Hour)
			return url.Values{"client_id": {DemoClientID}, "client_secret": {DemoSecretValue}, "grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}}
		}, status: 400, err: "invalid_grant", code: 700082},
		{name: "refresh for a scope never consented", tenant: "common", form: func(e *testEnv) url.Values {
			_, tok := e.post("common", codeForm(e.code("common")))
			return url.Values{"client_id": {DemoClientID}, "client_secret": {DemoSecretValue}, "grant_type": {"refresh_token"},
				"refresh_token": {tok["refresh_token"].(string)}, "scope": {"https://graph.microsoft.com/Contacts.Read"}}
		}, status: 400, err: "invalid_grant", code: 65001},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.mutate)
			st, body := e.post(tt.tenant, tt.form(e), tt.hdr...)
			assertSTS(t, st, body, tt.status, tt.err, tt.code)
			if d, _ := body["error_description"].(string); tt.contains != "" && !strings.Contains(d, tt.contains) {
				t.Errorf("error_description = %q, want it to contain %q", d, tt.contains)
			}
		})
	}
}

func TestTokenEndpointGetAndBasicAuth(t *testing.T) {
	e := newEnv(t, nil)
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/common/oauth2/v2.0/token", nil)
	st, body := e.do(req)
	assertSTS(t, st, body, 400, "invalid_request", 900561)

	// client_secret_basic: form-encoded, then base64 (RFC 6749 §2.3.1)
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"https://graph.microsoft.com/.default"}}
	req, _ = http.NewRequest(http.MethodPost, e.srv.URL+"/contoso.com/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(DemoClientID)+":"+url.QueryEscape(DemoSecretValue))))
	st, body = e.do(req)
	if st != 200 || body["access_token"] == nil || body["expires_in"] == nil {
		t.Fatalf("basic auth = %d %v", st, body)
	}
	// an app-only token can't call /me
	st, g := e.get("/v1.0/me", body["access_token"].(string))
	if st != 400 || g["error"].(map[string]any)["code"] != "BadRequest" {
		t.Errorf("/me with app-only token = %d %v", st, g)
	}
}

func TestCorrelationIDFromClient(t *testing.T) {
	e := newEnv(t, nil)
	const cid = "0a0b0c0d-1111-4222-8333-444455556666"
	st, body := e.post("common", ccForm(DemoClientID, DemoSecretValue, "https://graph.microsoft.com/.default"), "client-request-id", cid)
	if st != 400 || body["correlation_id"] != cid || !strings.Contains(body["error_description"].(string), "Correlation ID: "+cid) {
		t.Errorf("correlation_id = %v (status %d)", body["correlation_id"], st)
	}
}

func TestOldCodesAndTokensArePurged(t *testing.T) {
	e := newEnv(t, nil)
	old := e.code("common")
	e.clock.Advance(30 * time.Minute)
	e.code("common")
	e.sim.mu.Lock()
	_, kept := e.sim.codes[old]
	n := len(e.sim.codes)
	e.sim.mu.Unlock()
	if kept || n != 1 {
		t.Errorf("old code kept = %v, codes = %d; want it purged", kept, n)
	}
	st, body := e.post("common", codeForm(old))
	assertSTS(t, st, body, 400, "invalid_grant", 70000)
}
