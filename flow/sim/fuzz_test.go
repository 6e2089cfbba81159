package sim

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzEndpoints throws arbitrary paths, queries and form bodies at the
// simulator: it must never panic, token-endpoint answers must be JSON of
// Microsoft's shape, and no answer may carry the fixture secret.
func FuzzEndpoints(f *testing.F) {
	seeds := []struct{ method, target, body string }{
		{"GET", "/common/oauth2/v2.0/authorize?client_id=" + DemoClientID + "&response_type=code&redirect_uri=https%3A%2F%2Fapp.hiveku.com%2Fapi%2Foauth%2Fmicrosoft%2Fcallback&scope=openid", ""},
		{"GET", "/common/oauth2/v2.0/authorize?client_id=%zz&scope=", ""},
		{"POST", "/common/oauth2/v2.0/token", "grant_type=authorization_code&client_id=" + DemoClientID + "&code=1.A&redirect_uri=x"},
		{"POST", "/contoso.com/oauth2/v2.0/token", "grant_type=client_credentials&client_id=" + DemoClientID + "&client_secret=" + DemoSecretID + "&scope=https://graph.microsoft.com/.default"},
		{"POST", "/common/login", "ctx=nope&login=alex@contoso.com"},
		{"POST", "/common/Consent/Set", "ctx=&accept=true"},
		{"GET", "/v1.0/me/mailFolders?$top=-1", ""},
		{"GET", "/%2e%2e/v2.0/.well-known/openid-configuration", ""},
		{"GET", "/common/v2.0/adminconsent?client_id=" + DemoClientID + "&scope=%20", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.target, s.body)
	}
	s := New(baseOptions(testNow))
	f.Fuzz(func(t *testing.T, method, target, body string) {
		if method != "GET" && method != "POST" {
			method = "GET"
		}
		if !strings.HasPrefix(target, "/") {
			target = "/" + target
		}
		req, err := http.NewRequest(method, "http://sim.test"+target, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "Bearer "+body)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		out := rec.Body.String()
		if strings.Contains(out, DemoSecretValue) {
			t.Fatalf("response carries the secret: %s", out)
		}
		if strings.HasSuffix(req.URL.Path, "/oauth2/v2.0/token") && rec.Code != 200 {
			var m map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || m["error"] == nil || m["error_codes"] == nil {
				t.Fatalf("token error body %d is not Microsoft's shape: %s", rec.Code, out)
			}
		}
	})
}
