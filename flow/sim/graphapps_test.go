package sim

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseOptionsCreateKnobs(t *testing.T) {
	o, err := ParseOptions(strings.NewReader(`{"replicationDelay": 3,
		"tenants": [{"id": "4b0c1d2e-7f3a-4c5b-9d6e-1a2b3c4d5e6f", "usersCannotRegisterApps": true}],
		"apps": [{"displayName": "A", "appId": "2f7c3a9e-5d41-4b8a-9c6e-0d1f2a3b4c5d", "homeTenantId": "4b0c1d2e-7f3a-4c5b-9d6e-1a2b3c4d5e6f", "signInAudience": "AzureADMyOrg"}]}`))
	if err != nil {
		t.Fatalf("ParseOptions() = %v", err)
	}
	if o.ReplicationDelay != 3 || !o.Tenants[0].UsersCannotRegisterApps {
		t.Errorf("options = %+v", o)
	}
}

func TestDirectoryCallsNeedADelegatedToken(t *testing.T) {
	s := New(CreateOptions(testNow))
	for _, c := range []struct {
		method, path string
		status       int
		code         string
	}{
		{http.MethodGet, "/v1.0/applications", http.StatusUnauthorized, "InvalidAuthenticationToken"},
		{http.MethodPost, "/v1.0/oauth2PermissionGrants", http.StatusUnauthorized, "InvalidAuthenticationToken"},
		{http.MethodGet, "/v1.0/applications(appId='" + DemoClientID + "')", http.StatusUnauthorized, "InvalidAuthenticationToken"},
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(c.method, c.path, nil))
		if rec.Code != c.status || !strings.Contains(rec.Body.String(), `"code":"`+c.code+`"`) {
			t.Errorf("%s %s = %d %s, want %d %s", c.method, c.path, rec.Code, rec.Body, c.status, c.code)
		}
	}
	// The command-line tools app is always known, as a public client.
	if _, ok := s.App(CommandLineToolsID); !ok {
		t.Error("Microsoft Graph Command Line Tools is not registered")
	}
}
