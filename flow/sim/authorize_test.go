package sim

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// TestAuthorizeErrorPages covers the errors Microsoft shows on its own
// page because the request can't be trusted to redirect.
func TestAuthorizeErrorPages(t *testing.T) {
	tests := []struct {
		name     string
		mutate   func(*Options)
		tenant   string
		kv       []string
		code     int
		contains string
	}{
		{name: "unknown tenant", tenant: "nosuch.example", code: 90002},
		{name: "missing client_id", tenant: "common", kv: []string{"client_id", ""}, code: 900144},
		{name: "unknown client_id", tenant: "common", kv: []string{"client_id", "00000000-1111-4222-8333-444444444444"}, code: 700016},
		{name: "trailing slash", tenant: "common", kv: []string{"redirect_uri", flow.HivekuRedirectURI + "/"}, code: 50011,
			contains: "The redirect URI '" + flow.HivekuRedirectURI + "/' specified in the request does not match the redirect URIs configured for the application '" + DemoClientID + "'"},
		{name: "case differs", tenant: "common", kv: []string{"redirect_uri", strings.Replace(flow.HivekuRedirectURI, "callback", "Callback", 1)}, code: 50011},
		{name: "http instead of https", tenant: "common", kv: []string{"redirect_uri", strings.Replace(flow.HivekuRedirectURI, "https", "http", 1)}, code: 50011},
		{name: "missing redirect_uri", tenant: "common", kv: []string{"redirect_uri", ""}, code: 900971},
		{name: "no redirect URI registered", tenant: "common", mutate: func(o *Options) { o.Apps[0].WebRedirectURIs = nil }, code: 500113},
		{name: "single tenant on common, unregistered redirect URI", tenant: "common", kv: []string{"redirect_uri", flow.HivekuRedirectURI + "/"},
			mutate: func(o *Options) { o.Apps[0].SignInAudience = flow.SingleTenant }, code: 50194, contains: "is not configured as a multi-tenant application"},
		{name: "single tenant via another tenant", tenant: FabrikamTenantID, mutate: func(o *Options) { o.Apps[0].SignInAudience = flow.SingleTenant }, code: 700016},
		{name: "work-only app on consumers", tenant: "consumers", mutate: func(o *Options) { o.Apps[0].SignInAudience = flow.MultiTenant }, code: 9002332},
		{name: "personal-only app on common", tenant: "common", mutate: func(o *Options) { o.Apps[0].SignInAudience = flow.PersonalOnly }, code: 9002331},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.mutate)
			_, err := e.sim.Consent(context.Background(), e.srv.Client(), e.authURL(tt.tenant, tt.kv...), "alex@contoso.com", true)
			var page *ErrorPage
			if !errors.As(err, &page) {
				t.Fatalf("Consent err = %v, want *ErrorPage", err)
			}
			if page.Code != tt.code || page.Status != 400 {
				t.Errorf("page code/status = %d/%d, want %d/400", page.Code, page.Status, tt.code)
			}
			for _, want := range []string{"Sorry, but we’re having trouble signing you in.", "AADSTS" + itoa(tt.code) + ": ", "Correlation Id: ", tt.contains} {
				if !strings.Contains(page.Text, want) {
					t.Errorf("page text lacks %q:\n%s", want, page.Text)
				}
			}
			if strings.Contains(page.Text, "<") {
				t.Errorf("page text has markup:\n%s", page.Text)
			}
			if !strings.HasPrefix(page.Error(), "microsoft error page: AADSTS"+itoa(tt.code)) {
				t.Errorf("Error() = %q", page.Error())
			}
		})
	}
}

// TestAuthorizeRedirectErrors covers errors Microsoft returns to the
// (trusted) redirect URI.
func TestAuthorizeRedirectErrors(t *testing.T) {
	tests := []struct {
		name   string
		kv     []string
		err    string
		code   int
		sub    string
		accept bool
		upn    string
		tenant string
		mutate func(*Options)
	}{
		{name: "unknown scope", kv: []string{"scope", "offline_access Mail.Raed"}, err: "invalid_client", code: 650053},
		{name: "single tenant on common", err: "invalid_request", code: 50194, mutate: func(o *Options) { o.Apps[0].SignInAudience = flow.SingleTenant }},
		{name: "single tenant on organizations", tenant: "organizations", err: "invalid_request", code: 50194, mutate: func(o *Options) { o.Apps[0].SignInAudience = flow.SingleTenant }},
		{name: ".default with named scopes", kv: []string{"scope", "https://graph.microsoft.com/.default Mail.Read"}, err: "invalid_scope", code: 70011},
		{name: "scope of another resource", kv: []string{"scope", "https://outlook.office.com/IMAP.AccessAsUser.All"}, err: "invalid_scope", code: 70011},
		{name: "missing scope", kv: []string{"scope", ""}, err: "invalid_request", code: 900144},
		{name: "missing response_type", kv: []string{"response_type", ""}, err: "invalid_request", code: 900144},
		{name: "implicit token not enabled", kv: []string{"response_type", "code id_token"}, err: "unsupported_response_type", code: 700054},
		{name: "prompt none without session", kv: []string{"prompt", "none"}, err: "login_required", code: 50058},
		{name: "bad prompt", kv: []string{"prompt", "always"}, err: "invalid_request", code: 9002313},
		{name: "short code_challenge", kv: []string{"code_challenge", "abc"}, err: "invalid_request", code: 501491},
		{name: "bad code_challenge_method", kv: []string{"code_challenge_method", "S512"}, err: "invalid_request", code: 9002313},
		{name: "user declines", err: "access_denied", code: 65004, sub: "cancel", accept: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.mutate)
			upn := tt.upn
			if upn == "" {
				upn = "alex@contoso.com"
			}
			accept := tt.accept || tt.name != "user declines"
			tenant := tt.tenant
			if tenant == "" {
				tenant = "common"
			}
			q, err := e.consent(e.authURL(tenant, tt.kv...), upn, accept)
			if err != nil {
				t.Fatalf("Consent: %v", err)
			}
			assertRedirectError(t, q, tt.err, tt.code)
			if q.Get("error_subcode") != tt.sub {
				t.Errorf("error_subcode = %q, want %q", q.Get("error_subcode"), tt.sub)
			}
		})
	}
}

func assertRedirectError(tb testing.TB, q url.Values, wantErr string, wantCode int) {
	tb.Helper()
	if q.Get("error") != wantErr {
		tb.Errorf("error = %q, want %q (%v)", q.Get("error"), wantErr, q)
	}
	if q.Get("state") != "st-123" {
		tb.Errorf("state = %q, want it echoed", q.Get("state"))
	}
	if q.Get("code") != "" {
		tb.Errorf("an error redirect carries a code")
	}
	d := q.Get("error_description")
	if !strings.HasPrefix(d, "AADSTS"+itoa(wantCode)+": ") || !strings.Contains(d, "\r\nTrace ID: ") || !strings.Contains(d, "\r\nCorrelation ID: ") || !strings.Contains(d, "\r\nTimestamp: ") {
		tb.Errorf("error_description = %q", d)
	}
	if q.Get("error_uri") != "https://login.microsoftonline.com/error?code="+itoa(wantCode) {
		tb.Errorf("error_uri = %q", q.Get("error_uri"))
	}
}

// TestSignInRules covers who may sign in through which authority.
func TestSignInRules(t *testing.T) {
	multi := func(o *Options) { o.Apps[0].SignInAudience = flow.MultiTenant }
	tests := []struct {
		name     string
		mutate   func(*Options)
		tenant   string
		upn      string
		pageCode int // expected *ErrorPage code (-1: login.live.com's page, code 0)
	}{
		{name: "personal account into work-only app on common", mutate: multi, tenant: "common", upn: "sam@outlook.com", pageCode: -1},
		{name: "personal account on organizations", tenant: "organizations", upn: "sam@outlook.com", pageCode: 500200},
		{name: "personal account on a tenant", tenant: ContosoTenantID, upn: "sam@outlook.com", pageCode: 50020},
		{name: "user of another tenant", tenant: "contoso.com", upn: "pat@fabrikam.com", pageCode: 50020},
		{name: "work account on consumers", tenant: "consumers", upn: "alex@contoso.com", pageCode: 50034},
		{name: "unknown account", tenant: "common", upn: "nobody@contoso.com", pageCode: 50034},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, tt.mutate)
			loc, err := e.sim.Consent(context.Background(), nil, e.authURL(tt.tenant), tt.upn, true)
			var page *ErrorPage
			if !errors.As(err, &page) {
				t.Fatalf("Consent = %q, %v; want an error page", loc, err)
			}
			if tt.pageCode == -1 {
				if page.Code != 0 || !strings.Contains(page.Text, "We're unable to complete your request\nunauthorized_client: The client does not exist or is not enabled for consumers.") ||
					page.Error() != "microsoft error page: "+strings.Split(page.Text, "\n")[1] {
					t.Errorf("page = %d %q (Error %q)", page.Code, page.Text, page.Error())
				}
				return
			}
			if page.Code != tt.pageCode {
				t.Errorf("page code = %d, want %d", page.Code, tt.pageCode)
			}
		})
	}
}

func TestPersonalAccountHappy(t *testing.T) {
	e := newEnv(t, nil)
	q, err := e.consent(e.authURL("consumers"), "sam@outlook.com", true)
	if err != nil || q.Get("code") == "" {
		t.Fatalf("Consent = %v, %v", q, err)
	}
	st, tok := e.post("consumers", codeForm(q.Get("code")))
	if st != 200 {
		t.Fatalf("token = %d %v", st, tok)
	}
	claims := verifyJWT(t, e, tok["id_token"].(string))
	if claims["tid"] != ConsumersTenantID || claims["iss"] != e.srv.URL+"/"+ConsumersTenantID+"/v2.0" {
		t.Errorf("claims = %v", claims)
	}
}

func TestConsentMemory(t *testing.T) {
	e := newEnv(t, nil)
	e.code("common")
	// a second sign-in without prompt=consent skips the consent page
	loc, err := e.sim.Consent(context.Background(), e.srv.Client(), e.authURL("common", "prompt", ""), "alex@contoso.com", false)
	if err != nil || !strings.Contains(loc, "code=") {
		t.Fatalf("second sign-in = %q, %v; want a code without the consent page", loc, err)
	}
	// asking for a new scope shows consent again; Cancel declines
	q, err := e.consent(e.authURL("common", "prompt", "", "scope", "offline_access Contacts.Read"), "alex@contoso.com", false)
	if err != nil {
		t.Fatal(err)
	}
	assertRedirectError(t, q, "access_denied", 65004)
}

func TestAdminApproval(t *testing.T) {
	blocked := func(o *Options) { o.Tenants[0].UserConsentBlocked = true }
	t.Run("user sees need admin approval", func(t *testing.T) {
		e := newEnv(t, blocked)
		_, err := e.sim.Consent(context.Background(), e.srv.Client(), e.authURL("common"), "alex@contoso.com", true)
		var page *ErrorPage
		if !errors.As(err, &page) || page.Code != 90094 || page.Status != 200 {
			t.Fatalf("err = %v, want the approval page (90094)", err)
		}
		for _, want := range []string{"Need admin approval", "Acme Hiveku needs permission to access resources in your organization that only an admin can grant", "AADSTS90094: The grant requires admin permission.", "Return to the application without granting consent"} {
			if !strings.Contains(page.Text, want) {
				t.Errorf("page lacks %q:\n%s", want, page.Text)
			}
		}
	})
	t.Run("return to the application", func(t *testing.T) {
		e := newEnv(t, blocked)
		resp := postForm(t, e, e.authURL("common"), "alex@contoso.com")
		if resp.StatusCode != http.StatusFound {
			t.Fatalf("status = %d", resp.StatusCode)
		}
		u, _ := url.Parse(resp.Header.Get("Location"))
		assertRedirectError(t, u.Query(), "access_denied", 90094)
	})
	t.Run("admin consents on behalf of the organization", func(t *testing.T) {
		e := newEnv(t, blocked)
		// the admin signs in through adminconsent
		v := url.Values{"client_id": {DemoClientID}, "scope": {"https://graph.microsoft.com/.default"},
			"redirect_uri": {flow.HivekuRedirectURI}, "state": {"adm"}}
		loc, err := e.sim.Consent(context.Background(), e.srv.Client(), e.srv.URL+"/"+ContosoTenantID+"/v2.0/adminconsent?"+v.Encode(), "megan@contoso.com", true)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(loc)
		q := u.Query()
		if q.Get("admin_consent") != "True" || q.Get("tenant") != ContosoTenantID || q.Get("state") != "adm" ||
			!strings.Contains(q.Get("scope"), "https://graph.microsoft.com/Mail.ReadWrite") {
			t.Fatalf("adminconsent redirect = %v", q)
		}
		// now alex signs in without a consent page…
		if loc, err := e.sim.Consent(context.Background(), e.srv.Client(), e.authURL("common", "prompt", ""), "alex@contoso.com", false); err != nil || !strings.Contains(loc, "code=") {
			t.Errorf("after admin consent = %q, %v", loc, err)
		}
		// …but prompt=consent still asks for a consent the user may not give
		_, err = e.sim.Consent(context.Background(), e.srv.Client(), e.authURL("common"), "alex@contoso.com", true)
		var page *ErrorPage
		if !errors.As(err, &page) || page.Code != 90094 {
			t.Errorf("prompt=consent after admin consent = %v, want 90094", err)
		}
	})
	t.Run("non-admin can't use adminconsent", func(t *testing.T) {
		e := newEnv(t, nil)
		v := url.Values{"client_id": {DemoClientID}, "scope": {"https://graph.microsoft.com/.default"}, "redirect_uri": {flow.HivekuRedirectURI}}
		_, err := e.sim.Consent(context.Background(), nil, e.srv.URL+"/"+ContosoTenantID+"/v2.0/adminconsent?"+v.Encode(), "alex@contoso.com", true)
		var page *ErrorPage
		if !errors.As(err, &page) || page.Code != 90093 {
			t.Errorf("err = %v, want 90093", err)
		}
	})
	t.Run("admin declines", func(t *testing.T) {
		e := newEnv(t, nil)
		v := url.Values{"client_id": {DemoClientID}, "scope": {"https://graph.microsoft.com/.default"}, "redirect_uri": {flow.HivekuRedirectURI}, "state": {"s"}}
		loc, err := e.sim.Consent(context.Background(), nil, e.srv.URL+"/organizations/v2.0/adminconsent?"+v.Encode(), "megan@contoso.com", false)
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(loc)
		q := u.Query()
		// MicrosoftDocs/azure-docs#114009: access_denied, AADSTS65004, no tenant
		if q.Get("admin_consent") != "True" || q.Get("error") != "access_denied" || !strings.HasPrefix(q.Get("error_description"), "AADSTS65004: ") ||
			q.Get("error_uri") == "" || q.Has("tenant") {
			t.Errorf("redirect = %v", q)
		}
	})
}

// postForm walks the sign-in page by hand and posts the approval page's
// only form, as a person pressing "Return to the application" would.
func postForm(t *testing.T, e *testEnv, authURL, upn string) *http.Response {
	t.Helper()
	c := e.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	page := func(resp *http.Response) string {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return string(b)
	}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	action, fields, _ := parseForm(page(resp))
	fields.Set("login", upn)
	resp, err = c.PostForm(e.srv.URL+action, fields)
	if err != nil {
		t.Fatal(err)
	}
	action, fields, ok := parseForm(page(resp))
	if !ok {
		t.Fatal("no form on the approval page")
	}
	resp, err = c.PostForm(e.srv.URL+action, fields)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestConsentPageContent(t *testing.T) {
	e := newEnv(t, nil)
	c := e.srv.Client()
	resp, err := c.Get(e.authURL("common"))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	signin := pageText(string(b))
	for _, want := range []string{"Sign in", "to continue to Acme Hiveku", "Alex Wilber\nalex@contoso.com", "Sam Taylor\nsam@outlook.com", "Next"} {
		if !strings.Contains(signin, want) {
			t.Errorf("sign-in page lacks %q:\n%s", want, signin)
		}
	}
	action, fields, _ := parseForm(string(b))
	fields.Set("login", "alex@contoso.com")
	resp, err = c.PostForm(e.srv.URL+action, fields)
	if err != nil {
		t.Fatal(err)
	}
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	consent := pageText(string(b))
	for _, want := range []string{"Permissions requested", "Acme Hiveku", "unverified", "Maintain access to data you have given it access to",
		"Sign you in and read your profile", "Read and write access to your mail", "Send mail as you", "Have full access to your calendars", "Accept", "Cancel"} {
		if !strings.Contains(consent, want) {
			t.Errorf("consent page lacks %q:\n%s", want, consent)
		}
	}
	if strings.Contains(consent, "Consent on behalf of your organization") {
		t.Errorf("a non-admin is offered to consent for the organization")
	}
}

func TestLoopbackPortIgnoredAndResponseModes(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Apps[0].WebRedirectURIs = append(o.Apps[0].WebRedirectURIs, "http://localhost") })
	for _, mode := range []string{"query", "form_post", "fragment"} {
		t.Run(mode, func(t *testing.T) {
			loc, err := e.sim.Consent(context.Background(), nil, e.authURL("common", "redirect_uri", "http://localhost:53123/", "response_mode", mode), "alex@contoso.com", true)
			if err != nil {
				t.Fatal(err)
			}
			u, _ := url.Parse(loc)
			q := u.Query()
			if mode == "fragment" {
				q, _ = url.ParseQuery(u.Fragment)
			}
			if u.Host != "localhost:53123" || q.Get("code") == "" || q.Get("state") != "st-123" {
				t.Errorf("landed on %q", loc)
			}
		})
	}
	if redirectMatches("http://localhost/cb", "http://localhost:8080/other") || !redirectMatches("https://contoso.com", "https://contoso.com/") ||
		redirectMatches("https://contoso.com:8443/", "https://contoso.com/") {
		t.Errorf("redirectMatches rules broken")
	}
}

func TestPasswordRequired(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Users[0].Password = "hunter2" })
	// Consent types the known password
	if _, err := e.consent(e.authURL("common"), "alex@contoso.com", true); err != nil {
		t.Fatalf("Consent with password: %v", err)
	}
	c := e.srv.Client()
	resp, _ := c.Get(e.authURL("common"))
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	action, fields, _ := parseForm(string(b))
	fields.Set("login", "alex@contoso.com")
	fields.Set("passwd", "wrong")
	resp, _ = c.PostForm(e.srv.URL+action, fields)
	b, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(b), "AADSTS50126") {
		t.Errorf("wrong password page:\n%s", pageText(string(b)))
	}
}
