package sim

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// miniVerify walks a scenario the way byok's verification does (discovery,
// client-credentials secret check, consent with PKCE, token, /me,
// refresh, mail and calendar reads), straight against the simulator, and
// returns each live check's status and the first failing check's code.
// It keeps the scenarios honest independently of flow/verify.
func miniVerify(t *testing.T, sc Scenario) (map[string]flow.Status, int) {
	got, code, _ := miniVerifyWhere(t, sc)
	return got, code
}

// miniVerifyWhere is miniVerify that also says where the first failure
// showed: "token endpoint", "error page", "redirect" or "" (none).
func miniVerifyWhere(t *testing.T, sc Scenario) (map[string]flow.Status, int, string) {
	t.Helper()
	s := New(sc.Options)
	srv := httptest.NewServer(s)
	defer srv.Close()
	e := &testEnv{t: t, sim: s, srv: srv}
	c := sc.Config
	got := map[string]flow.Status{}
	code := 0
	where := ""
	fail := func(id string, n int, skip ...string) (map[string]flow.Status, int, string) {
		got[id] = flow.Fail
		if code == 0 {
			code = n
		}
		for _, k := range skip {
			got[k] = flow.Skip
		}
		return got, code, where
	}
	codeOf := func(body map[string]any) int {
		if cs, _ := body["error_codes"].([]any); len(cs) > 0 {
			return int(cs[0].(float64))
		}
		return 0
	}

	st, _ := e.get("/"+url.PathEscape(c.Tenant)+"/v2.0/.well-known/openid-configuration", "")
	got[flow.CheckDiscovery] = flow.Pass
	if st != 200 {
		got[flow.CheckDiscovery] = flow.Fail
	}
	st, body := e.post(c.DirectoryID, ccForm(c.ClientID, c.Secret.Reveal(), "https://graph.microsoft.com/.default"))
	if st != 200 && codeOf(body) != 7000229 {
		where = "token endpoint"
		return fail(flow.CheckCreds, codeOf(body), afterSecret...)
	}
	got[flow.CheckCreds] = flow.Pass

	scopes := append(append([]string{}, c.Scopes...), "openid", "profile", "email")
	v := url.Values{
		"client_id": {c.ClientID}, "response_type": {"code"}, "redirect_uri": {c.RedirectURI},
		"response_mode": {"query"}, "scope": {strings.Join(scopes, " ")}, "state": {"st"}, "nonce": {"n"},
		"prompt": {"consent"}, "code_challenge": {challengeOf(testVerifier)}, "code_challenge_method": {"S256"},
	}
	loc, err := s.Consent(context.Background(), srv.Client(), srv.URL+"/"+c.Tenant+"/oauth2/v2.0/authorize?"+v.Encode(), sc.User, sc.Accept)
	var page *ErrorPage
	if errors.As(err, &page) {
		where = "error page"
		return fail(flow.CheckConsent, page.Code, afterConsent...)
	}
	if err != nil {
		t.Fatalf("Consent: %v", err)
	}
	u, _ := url.Parse(loc)
	q := u.Query()
	if q.Get("code") == "" {
		where = "redirect"
		n := 0
		if m := regexp.MustCompile(`^AADSTS(\d+):`).FindStringSubmatch(q.Get("error_description")); m != nil {
			n, _ = strconv.Atoi(m[1])
		}
		return fail(flow.CheckConsent, n, afterConsent...)
	}
	got[flow.CheckConsent] = flow.Pass

	form := codeForm(q.Get("code"))
	form.Set("client_id", c.ClientID)
	form.Set("client_secret", c.Secret.Reveal())
	form.Set("redirect_uri", c.RedirectURI)
	st, tok := e.post(c.Tenant, form)
	if st != 200 || tok["refresh_token"] == nil || tok["id_token"] == nil {
		where = "token endpoint"
		return fail(flow.CheckToken, codeOf(tok), flow.CheckMailbox, flow.CheckRefresh, flow.CheckAccess)
	}
	got[flow.CheckToken] = flow.Pass
	at := tok["access_token"].(string)
	switch st, me := e.get("/v1.0/me", at); {
	case st != 200:
		got[flow.CheckMailbox] = flow.Fail
	case me["mail"] == nil && tok["id_token"] != nil && !strings.Contains(fmt.Sprint(me["userPrincipalName"]), "@outlook."):
		// a work account with no mail: no Exchange Online mailbox
		got[flow.CheckMailbox] = flow.Warn
	default:
		got[flow.CheckMailbox] = flow.Pass
	}
	st, _ = e.post(c.Tenant, url.Values{"client_id": {c.ClientID}, "client_secret": {c.Secret.Reveal()},
		"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)}})
	got[flow.CheckRefresh] = flow.Pass
	if st != 200 {
		got[flow.CheckRefresh] = flow.Fail
	}
	got[flow.CheckAccess] = flow.Pass
	granted := strings.Fields(fmt.Sprint(tok["scope"]))
	for _, want := range c.Scopes {
		if want != "offline_access" && !hasFold(granted, want) {
			got[flow.CheckAccess] = flow.Fail
		}
	}
	for _, p := range []string{"/v1.0/me/mailFolders?$top=1", "/v1.0/me/calendars?$top=1"} {
		if st, _ := e.get(p, at); st != 200 {
			got[flow.CheckAccess] = flow.Fail
		}
	}
	return got, code, where
}

func hasFold(list []string, s string) bool {
	for _, l := range list {
		if strings.EqualFold(l, s) {
			return true
		}
	}
	return false
}

// failureShownOn is where Microsoft shows each scenario's failure.
var failureShownOn = map[string]string{
	"happy":                    "",
	"redirect-mismatch":        "error page",     // AADSTS50011 is never redirected
	"secret-id-pasted":         "token endpoint", // client credentials, 401
	"secret-expired":           "token endpoint",
	"single-tenant-common":     "redirect",   // AADSTS50194 as invalid_request
	"personal-account-blocked": "error page", // login.live.com
	"admin-approval-required":  "error page", // Need admin approval
	"consent-declined":         "redirect",   // error=access_denied
	"personal-account":         "",
	"permission-not-granted":   "", // no error anywhere: only the token's scope
	"mailbox-not-licensed":     "", // Graph's 404, after sign-in
}

func TestScenarios(t *testing.T) {
	names := map[string]bool{}
	for _, sc := range Scenarios(testNow) {
		names[sc.Name] = true
		t.Run(sc.Name, func(t *testing.T) {
			if sc.Title == "" || sc.Description == "" || sc.User == "" || len(sc.Expect) == 0 {
				t.Fatalf("scenario incomplete: %+v", sc)
			}
			if err := sc.Options.Validate(); err != nil {
				t.Fatalf("Options.Validate: %v", err)
			}
			live, code, where := miniVerifyWhere(t, sc)
			if want := failureShownOn[sc.Name]; where != want {
				t.Errorf("failure shown on %q, want %q", where, want)
			}
			for id, want := range sc.Expect {
				gotStatus, isLive := live[id]
				if !isLive {
					continue
				}
				if gotStatus != want {
					t.Errorf("live %s = %s, want %s", id, gotStatus, want)
				}
			}
			if code != sc.ExpectCode {
				t.Errorf("first failing code = %d, want %d", code, sc.ExpectCode)
			}
			for _, ck := range flow.OfflineChecks(sc.Config, testNow) {
				if want, ok := sc.Expect[ck.ID]; ok && ck.Status != want {
					t.Errorf("offline %s = %s (%s), want %s", ck.ID, ck.Status, ck.Detail, want)
				}
			}
			// wizard-valid configs must pass byok's own validators (single-tenant-common breaks a wizard rule on purpose)
			if sc.Name != "single-tenant-common" {
				if err := sc.Config.Validate(); err != nil {
					t.Errorf("Config.Validate: %v", err)
				}
			}
			if strings.Contains(fmt.Sprintf("%v %+v %#v", sc.Config, sc.Config, sc.Config), sc.Config.Secret.Reveal()) {
				t.Errorf("the config prints its secret")
			}
			if strings.Contains(fmt.Sprintf("%v %+v %#v", sc.Options.Apps, sc.Options.Apps, sc.Options.Apps[0]), DemoSecretValue) {
				t.Errorf("the app registration prints its secret")
			}
		})
	}
	for _, n := range []string{"happy", "redirect-mismatch", "secret-id-pasted", "secret-expired", "single-tenant-common",
		"personal-account-blocked", "admin-approval-required", "consent-declined"} {
		if !names[n] {
			t.Errorf("scenario %s missing", n)
		}
		if _, ok := FindScenario(n, testNow); !ok {
			t.Errorf("FindScenario(%s) = false", n)
		}
	}
	if _, ok := FindScenario("nope", testNow); ok {
		t.Errorf("FindScenario(nope) = true")
	}
}
