package verify

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

func TestCloudEndpoints(t *testing.T) {
	tests := []struct {
		cloud, auth, graph, resource string
		wantErr                      bool
	}{
		{"global", "https://login.microsoftonline.com", "https://graph.microsoft.com", "https://graph.microsoft.com", false},
		{"", "https://login.microsoftonline.com", "https://graph.microsoft.com", "https://graph.microsoft.com", false},
		{"USGov", "https://login.microsoftonline.us", "https://graph.microsoft.us", "https://graph.microsoft.us", false},
		{"china", "https://login.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn", "https://microsoftgraph.chinacloudapi.cn", false},
		{"germany", "", "", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.cloud, func(t *testing.T) {
			e, err := CloudEndpoints(tt.cloud)
			if tt.wantErr {
				if flow.ErrorCode(err) != flow.EINVALID {
					t.Fatalf("CloudEndpoints(%q) error = %v, want EINVALID", tt.cloud, err)
				}
				return
			}
			if err != nil || e.AuthorityHost != tt.auth || e.GraphHost != tt.graph || e.resource() != tt.resource {
				t.Errorf("CloudEndpoints(%q) = %+v (resource %s), %v", tt.cloud, e, e.resource(), err)
			}
		})
	}
	// A simulator host keeps the real Graph resource name.
	if got := (Endpoints{AuthorityHost: "http://127.0.0.1:9", GraphHost: "http://127.0.0.1:9/"}).resource(); got != GlobalGraph {
		t.Errorf("resource for a custom host = %q, want %q", got, GlobalGraph)
	}
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": ModeAuto, "AUTO": ModeAuto, "loopback": ModeLoopback, " paste ": ModePaste} {
		if got, err := ParseMode(in); err != nil || got != want {
			t.Errorf("ParseMode(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := ParseMode("device"); flow.ErrorCode(err) != flow.EINVALID {
		t.Errorf("ParseMode(device) error = %v, want EINVALID", err)
	}
}

func TestAuthCodeURL(t *testing.T) {
	c := flow.Config{ClientID: fakeClient, Tenant: "common", Scopes: []string{"offline_access", "Mail.Read", "openid"}, Secret: fakeSecret}
	u := AuthCodeURL(Endpoints{AuthorityHost: "https://login.microsoftonline.us/"}, c, flow.HivekuRedirectURI, "ST", "NO", "CH")
	pu, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := pu.Scheme+"://"+pu.Host+pu.Path, "https://login.microsoftonline.us/common/oauth2/v2.0/authorize"; got != want {
		t.Errorf("endpoint = %q, want %q", got, want)
	}
	q := pu.Query()
	want := map[string]string{
		"client_id": fakeClient, "response_type": "code", "response_mode": "query", "prompt": "consent",
		"redirect_uri": flow.HivekuRedirectURI, "state": "ST", "nonce": "NO",
		"code_challenge": "CH", "code_challenge_method": "S256",
		"scope": "offline_access Mail.Read openid profile email User.Read",
	}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, q.Get(k), v)
		}
	}
	if strings.Contains(u, fakeSecret) || q.Has("client_secret") {
		t.Error("authorize URL carries the client secret")
	}
	// A consent-only link has no PKCE.
	q2, _ := url.ParseQuery(strings.SplitN(AuthCodeURL(Endpoints{}, c, flow.HivekuRedirectURI, "ST", "", ""), "?", 2)[1])
	if q2.Has("code_challenge") || q2.Has("code_challenge_method") || q2.Has("nonce") {
		t.Errorf("consent-only URL = %v, want no PKCE or nonce", q2)
	}
}

func TestAdminConsentURL(t *testing.T) {
	tests := []struct {
		name, dir, tenant, wantPath string
	}{
		{"directory", fakeTenant, "common", "/" + fakeTenant + "/v2.0/adminconsent"},
		{"no directory, common", "", "common", "/organizations/v2.0/adminconsent"},
		{"domain", "", fakeDomain, "/" + fakeDomain + "/v2.0/adminconsent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := flow.Config{ClientID: fakeClient, DirectoryID: tt.dir, Tenant: tt.tenant}
			u, err := url.Parse(AdminConsentURL(Endpoints{}, c, flow.HivekuRedirectURI, "ST"))
			if err != nil {
				t.Fatal(err)
			}
			if u.Host != "login.microsoftonline.com" || u.Path != tt.wantPath {
				t.Errorf("admin consent = %s%s, want %s", u.Host, u.Path, tt.wantPath)
			}
			q := u.Query()
			if q.Get("client_id") != fakeClient || q.Get("scope") != "https://graph.microsoft.com/.default" ||
				q.Get("redirect_uri") != flow.HivekuRedirectURI || q.Get("state") != "ST" {
				t.Errorf("query = %v", q)
			}
		})
	}
}

func TestRequestScopesDedup(t *testing.T) {
	got := RequestScopes(flow.Config{Scopes: []string{"Mail.Read", "OpenID", " email ", "mail.read", "user.read"}})
	if strings.Join(got, " ") != "Mail.Read OpenID email user.read profile" {
		t.Errorf("RequestScopes = %q", got)
	}
}

func TestAADSTSCode(t *testing.T) {
	for in, want := range map[string]int{
		"AADSTS50011: x": 50011, "foo AADSTS7000215 bar": 7000215, "none": 0, "AADSTS12": 0,
	} {
		if got := AADSTSCode(in); got != want {
			t.Errorf("AADSTSCode(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestParsePrompt(t *testing.T) {
	for in, want := range map[string]string{"": "consent", "consent": "consent", " Select_Account ": "select_account", "login": "login"} {
		if got, err := ParsePrompt(in); err != nil || got != want {
			t.Errorf("ParsePrompt(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	_, err := ParsePrompt("none")
	if flow.ExitCode(err) != 2 || !strings.Contains(err.Error(), "prompt") {
		t.Errorf("ParsePrompt(none) = %v, want an EINVALID error naming prompt", err)
	}
}

// TestCloudCheck: against a national cloud, an app that accepts personal
// accounts fails offline (Microsoft doesn't support it there); work-only
// apps pass; the global cloud and simulators get no cloud check at all.
func TestCloudCheck(t *testing.T) {
	for _, tt := range []struct {
		host string
		at   flow.AccountType
		want flow.Status // "" = no check
	}{
		{USGovAuthority, flow.MultiTenantPersonal, flow.Fail},
		{ChinaAuthority, flow.PersonalOnly, flow.Fail},
		{"https://login.partner.microsoftonline.cn/", flow.SingleTenant, flow.Pass},
		{USGovAuthority, flow.MultiTenant, flow.Pass},
		{GlobalAuthority, flow.MultiTenantPersonal, ""},
		{"http://127.0.0.1:8400", flow.PersonalOnly, ""},
	} {
		v := &Verifier{Endpoints: Endpoints{AuthorityHost: tt.host}, Now: func() time.Time { return time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC) }}
		run, err := v.Verify(context.Background(), flow.Config{Name: "x", AccountType: tt.at}, nil, true)
		if err != nil {
			t.Fatal(err)
		}
		var got flow.Status
		for _, c := range run.Checks {
			if c.ID == flow.CheckCloud {
				got = c.Status
			}
		}
		if got != tt.want {
			t.Errorf("%s %s: cloud check = %q, want %q", tt.host, tt.at.Short(), got, tt.want)
		}
	}
}
