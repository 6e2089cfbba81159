package doctor_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sim"
)

// TestDiagnoseSimulatorResponses diagnoses what the built-in simulator
// (a faithful fixture of Microsoft's endpoints) answers: its error page
// and its token-endpoint bodies, raw as a user would paste them.
func TestDiagnoseSimulatorResponses(t *testing.T) {
	sc, ok := sim.FindScenario("happy", sim.DefaultNow)
	if !ok {
		t.Skip("simulator has no happy scenario")
	}
	srv := httptest.NewServer(sim.New(sc.Options))
	defer srv.Close()
	d := newDoctor(t)

	authorize := func(tenant, redirect, client string) *http.Request {
		v := url.Values{"client_id": {client}, "response_type": {"code"}, "redirect_uri": {redirect},
			"scope": {"offline_access Mail.Read"}, "state": {"s1"}}
		r, _ := http.NewRequest(http.MethodGet, srv.URL+"/"+tenant+"/oauth2/v2.0/authorize?"+v.Encode(), nil)
		return r
	}
	token := func(tenant string, form url.Values) *http.Request {
		r, _ := http.NewRequest(http.MethodPost, srv.URL+"/"+tenant+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	creds := func(secret string) url.Values {
		v := url.Values{"client_id": {sim.DemoClientID}, "grant_type": {"client_credentials"}, "scope": {"https://graph.microsoft.com/.default"}}
		if secret != "" {
			v.Set("client_secret", secret)
		}
		return v
	}
	tests := []struct {
		name    string
		req     *http.Request
		code    int
		details map[string]string
	}{
		{"redirect page", authorize("common", flow.HivekuRedirectURI+"/", sim.DemoClientID), 50011,
			map[string]string{"redirect_uri": flow.HivekuRedirectURI + "/", "app_id": sim.DemoClientID}},
		{"unknown client page", authorize("common", flow.HivekuRedirectURI, "00000000-1111-4222-8333-444444444444"), 700016, nil},
		{"unknown tenant page", authorize("nosuch.example", flow.HivekuRedirectURI, sim.DemoClientID), 90002, map[string]string{"tenant": "nosuch.example"}},
		{"wrong secret body", token(sim.ContosoTenantID, creds(sim.DemoOldSecretValue)), 7000215, map[string]string{"app_id": sim.DemoClientID}},
		{"missing secret body", token(sim.ContosoTenantID, creds("")), 7000218, nil},
		{"common for client credentials", token("common", creds(sim.DemoSecretValue)), 9001023, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := srv.Client().Do(tt.req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			fs := d.Diagnose(string(body))
			if len(fs) != 1 || fs[0].Code != tt.code {
				t.Fatalf("Diagnose(simulator answer) = %v, want AADSTS%d\n%s", headings(fs), tt.code, body)
			}
			if id := strings.ToLower(res.Header.Get("x-ms-request-id")); id != "" && fs[0].Details["trace_id"] != id {
				t.Errorf("trace_id = %q, want the request ID %q", fs[0].Details["trace_id"], id)
			}
			for k, v := range tt.details {
				if fs[0].Details[k] != v {
					t.Errorf("Details[%q] = %q, want %q", k, fs[0].Details[k], v)
				}
			}
		})
	}
}
