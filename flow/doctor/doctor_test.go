package doctor_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hiveku/byok/assets"
	"github.com/hiveku/byok/flow/doctor"
)

func newDoctor(tb testing.TB) *doctor.Doctor {
	tb.Helper()
	cat, err := assets.AADSTSCatalog()
	if err != nil {
		tb.Fatalf("AADSTSCatalog() error = %v", err)
	}
	return doctor.New(cat)
}

type want struct {
	code     int
	error    string
	category string
	details  map[string]string
	message  string // substring of Message
}

func TestDiagnoseShapes(t *testing.T) {
	d := newDoctor(t)
	ids := map[string]string{"trace_id": traceID, "correlation_id": corrID}
	with := func(m map[string]string, extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range m {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	tests := []struct {
		name  string
		input string
		want  []want
	}{
		{"url query with plus", sampleURLPlus, []want{{code: 50011, error: "invalid_request", category: "redirect-uri",
			details: with(ids, map[string]string{"redirect_uri": hiveku + "/", "app_id": appID, "timestamp": tsSample}),
			message: "does not match the redirect URIs"}}},
		{"url query with %20", sampleURL20, []want{{code: 65001, error: "consent_required", category: "consent",
			details: with(ids, map[string]string{"app_id": appID, "app_name": "Acme Hiveku"}), message: "has not consented"}}},
		{"token endpoint json", sampleTokenJSON, []want{{code: 7000215, error: "invalid_client", category: "client-secret",
			details: with(ids, map[string]string{"app_id": appID, "timestamp": tsSample}), message: "not the client secret ID"}}},
		{"json nested in a log field", sampleNestedJSON, []want{{code: 7000222, error: "invalid_client", category: "client-secret",
			details: with(ids, map[string]string{"app_id": appID}), message: "are expired"}}},
		{"sign-in page text", samplePageText, []want{{code: 700016, category: "client-id",
			details: with(ids, map[string]string{"app_id": appID, "tenant": "Contoso"}), message: "was not found in the directory"}}},
		{"sign-in page html", samplePageHTML, []want{{code: 50194, category: "account-type",
			details: with(ids, map[string]string{"app_id": appID, "app_name": "Acme Hiveku"}), message: "isn't configured as a multitenant application"}}},
		{"msal.net exception", sampleMSALNet, []want{{code: 7000222, error: "invalid_client", category: "client-secret",
			details: with(ids, map[string]string{"app_id": appID}), message: "client secret keys"}}},
		{"msal python dict", sampleMSALPython, []want{{code: 65001, error: "invalid_grant", category: "consent",
			details: with(ids, map[string]string{"app_id": appID, "app_name": "Acme Hiveku"})}}},
		{"msal-node server error", sampleMSALNode, []want{{code: 54005, error: "invalid_grant", category: "auth-code",
			details: ids, message: "already redeemed"}}},
		{"msal4j exception", sampleJava, []want{{code: 50020, category: "account-type",
			details: with(ids, map[string]string{"user": "bob@outlook.com", "identity_provider": "live.com", "tenant": "Contoso", "app_id": appID, "app_name": "Acme Hiveku"})}}},
		{"go oauth2 retrieve error", sampleGoOAuth2, []want{{code: 7000215, error: "invalid_client", category: "client-secret",
			details: with(ids, map[string]string{"app_id": appID})}}},
		{"go oauth2 cannot fetch token", sampleGoOAuth2Old, []want{{code: 700082, error: "invalid_grant", category: "refresh-token",
			details: ids, message: "expired due to inactivity"}}},
		{"outlook error page", sampleOutlook, []want{{code: 53003, category: "sign-in-policy",
			details: with(ids, map[string]string{"app_id": appID, "app_name": "Acme Hiveku"})}}},
		{"thunderbird console", sampleThunderbird, []want{{code: 70008, error: "invalid_grant", category: "refresh-token", details: ids}}},
		{"ticket wrapped across lines", sampleWrapped, []want{{code: 50011, category: "redirect-uri",
			details: map[string]string{"redirect_uri": "http://app.hiveku.com/api/oauth/microsoft/callback", "app_id": appID}}}},
		{"several errors once each in order", sampleSeveral, []want{
			{code: 50011, category: "redirect-uri", details: map[string]string{"redirect_uri": "https://app.hiveku.com/callback"}},
			{code: 65001, category: "consent"},
			{code: 65004, error: "access_denied", category: "consent", message: "declined"},
		}},
		{"personal account not enabled", sampleConsumers, []want{{error: "unauthorized_client", category: "account-type", message: "not enabled for consumers"}}},
		{"personal account phrase only", sampleConsumersText, []want{{error: "unauthorized_client", category: "account-type",
			message: "The client does not exist or is not enabled for consumers."}}},
		{"bare access_denied", sampleAccessDenied, []want{{error: "access_denied", category: "consent"}}},
		{"bare invalid_client in a log", "2026-11-27T06:00:00Z token request failed: invalid_client", []want{{error: "invalid_client", category: "client-secret"}}},
		{"bare invalid_grant", `{"error":"invalid_grant"}`, []want{{error: "invalid_grant", category: "refresh-token"}}},
		{"bare consent_required", "error=consent_required&state=1", []want{{error: "consent_required", category: "consent"}}},
		{"bare interaction_required", "MSAL: interaction_required", []want{{error: "interaction_required", category: "sign-in-policy"}}},
		{"unknown code", sampleUnknown, []want{{code: 99999123, error: "invalid_request", category: "other",
			details: map[string]string{"lookup": "https://login.microsoftonline.com/error?code=99999123", "trace_id": traceID}, message: "brand new failure"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := d.Diagnose(tt.input)
			if len(got) != len(tt.want) {
				t.Fatalf("Diagnose() = %d findings %v, want %d", len(got), headings(got), len(tt.want))
			}
			for i, w := range tt.want {
				f := got[i]
				if f.Code != w.code || f.Category != w.category {
					t.Errorf("finding %d = %s %s, want %d %s", i, f.Heading(), f.Category, w.code, w.category)
				}
				if w.error != "" && f.Error != w.error {
					t.Errorf("finding %d Error = %q, want %q", i, f.Error, w.error)
				}
				if !strings.Contains(f.Message, w.message) {
					t.Errorf("finding %d Message = %q, want it to contain %q", i, f.Message, w.message)
				}
				if strings.Contains(f.Message, "Trace ID") || strings.Contains(f.Message, "\n") || strings.Contains(f.Message, "state=") {
					t.Errorf("finding %d Message = %q, want no trace lines", i, f.Message)
				}
				for k, v := range w.details {
					if f.Details[k] != v {
						t.Errorf("finding %d Details[%q] = %q, want %q", i, k, f.Details[k], v)
					}
				}
				if f.Title == "" || f.Cause == "" || f.Fix == "" {
					t.Errorf("finding %d has empty title, cause or fix: %+v", i, f)
				}
			}
		})
	}
}

func TestDiagnoseNothing(t *testing.T) {
	d := newDoctor(t)
	for _, in := range []string{"", "connection refused", "AADSTS", "AADSTS12", "error code: 401", "invalid_clients are everywhere", "my_access_denied_flag=1", "\x00\xff\xfe"} {
		t.Run(fmt.Sprintf("%q", in), func(t *testing.T) {
			if got := d.Diagnose(in); len(got) != 0 {
				t.Errorf("Diagnose(%q) = %v, want nothing", in, headings(got))
			}
		})
	}
}

func headings(fs []doctor.Finding) []string {
	var s []string
	for _, f := range fs {
		s = append(s, f.Heading())
	}
	return s
}

// TestCatalogRoundTrip checks every catalog entry: Lookup finds it, and a
// synthetic error body carrying it is diagnosed as that entry.
func TestCatalogRoundTrip(t *testing.T) {
	cat, err := assets.AADSTSCatalog()
	if err != nil {
		t.Fatal(err)
	}
	d := doctor.New(cat)
	codes := 0
	for _, e := range cat {
		if e.Code == 0 {
			continue
		}
		codes++
		t.Run(fmt.Sprintf("AADSTS%d", e.Code), func(t *testing.T) {
			got, ok := d.Lookup(e.Code)
			if e.Match == "" && (!ok || got.Title != e.Title) {
				t.Fatalf("Lookup(%d) = %v, %v", e.Code, got, ok)
			}
			body, _ := json.Marshal(map[string]any{
				"error":             e.Error,
				"error_description": fmt.Sprintf("AADSTS%d: Synthetic description for %s%s.\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", e.Code, e.Title, e.Match, traceID, corrID, tsSample),
				"error_codes":       []int{e.Code},
			})
			fs := d.Diagnose(string(body))
			if len(fs) != 1 {
				t.Fatalf("Diagnose() = %v, want one finding", headings(fs))
			}
			f := fs[0]
			if f.Code != e.Code || f.Title != e.Title || f.Category != e.Category || f.Fix != e.Fix {
				t.Errorf("Diagnose() = %+v, want entry %+v", f, e)
			}
			if e.Error != "" && f.Error != e.Error {
				t.Errorf("Error = %q, want %q", f.Error, e.Error)
			}
			if f.Details["trace_id"] != traceID || f.Details["correlation_id"] != corrID || f.Details["timestamp"] != tsSample {
				t.Errorf("Details = %v, want the trace, correlation and timestamp", f.Details)
			}
		})
	}
	if codes < 60 {
		t.Errorf("catalog has %d AADSTS codes, want at least 60", codes)
	}
	for _, e := range cat {
		if e.Code != 0 {
			continue
		}
		t.Run(e.Error+"/"+e.Match, func(t *testing.T) {
			in := "error=" + e.Error + "&error_description=Something+went+wrong"
			if e.Match != "" {
				in += "+" + strings.ReplaceAll(e.Match, " ", "+")
			}
			fs := d.Diagnose(in)
			if len(fs) != 1 || fs[0].Title != e.Title || fs[0].Code != 0 || fs[0].Error != e.Error {
				t.Errorf("Diagnose(%q) = %+v, want entry %q", in, fs, e.Title)
			}
		})
	}
}

func TestCatalogCoversGuide(t *testing.T) {
	d := newDoctor(t)
	for _, c := range []int{50011, 700016, 65001, 7000222, 7000215, 50194, 9002331, 9002332, 50020, 500208, 90002, 53003, 50076, 50105, 50057, 90055, 50196, 54005, 70008, 9002327, 700025, 7000112} {
		if _, ok := d.Lookup(c); !ok {
			t.Errorf("Lookup(%d) not found", c)
		}
	}
	if _, ok := d.Lookup(1); ok {
		t.Errorf("Lookup(1) found, want not found")
	}
}

func TestFix(t *testing.T) {
	d := newDoctor(t)
	tests := []struct {
		name string
		in   string
		code int
	}{
		{"code", sampleTokenJSON, 7000215},
		{"code after a bare error", "invalid_grant\n" + sampleGoOAuth2Old, 700082},
		{"bare only", sampleAccessDenied, 0},
		{"nothing", "hello", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, fix := d.Fix(tt.in)
			if code != tt.code {
				t.Errorf("Fix() code = %d, want %d", code, tt.code)
			}
			if (fix == "") != (tt.name == "nothing") {
				t.Errorf("Fix() fix = %q", fix)
			}
		})
	}
}

func TestZeroDoctor(t *testing.T) {
	var d doctor.Doctor
	fs := d.Diagnose(sampleTokenJSON)
	// no catalog: the category comes from Microsoft's words ("client secret")
	if len(fs) != 1 || fs[0].Category != "client-secret" || fs[0].Code != 7000215 || !strings.Contains(fs[0].Title, "not in byok's catalog") {
		t.Errorf("zero Doctor Diagnose() = %+v, want one uncatalogued client-secret finding", fs)
	}
}

func TestEntryValidate(t *testing.T) {
	ok := doctor.Entry{Code: 1, Category: "tenant", Title: "t", Cause: "c", Fix: "f"}
	tests := []struct {
		name    string
		e       doctor.Entry
		wantErr bool
	}{
		{"ok", ok, false},
		{"bad category", doctor.Entry{Code: 1, Category: "nope", Title: "t", Cause: "c", Fix: "f"}, true},
		{"no key", doctor.Entry{Category: "tenant", Title: "t", Cause: "c", Fix: "f"}, true},
		{"no fix", doctor.Entry{Code: 1, Category: "tenant", Title: "t", Cause: "c"}, true},
		{"negative", doctor.Entry{Code: -1, Category: "tenant", Title: "t", Cause: "c", Fix: "f"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.e.Validate(); (err != nil) != tt.wantErr {
				t.Errorf("Validate() = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

// TestTextFits80 renders a finding for every catalog entry (with long
// details) and checks that no line passes 80 columns unless it is a
// single unbreakable word such as a URL.
func TestTextFits80(t *testing.T) {
	cat, err := assets.AADSTSCatalog()
	if err != nil {
		t.Fatal(err)
	}
	var fs []doctor.Finding
	for _, e := range cat {
		fs = append(fs, doctor.Finding{Code: e.Code, Error: e.Error, Category: e.Category, Title: e.Title, Cause: e.Cause, Fix: e.Fix, Portal: e.Portal,
			Message: strings.Repeat("Microsoft says something rather long here. ", 8),
			Details: map[string]string{"redirect_uri": hiveku, "app_id": appID, "trace_id": traceID, "config_note": strings.Repeat("a note about the config ", 6)}})
	}
	fs = append(fs, doctor.Finding{Code: 1, Category: "other", Title: strings.Repeat("very long title ", 10), Cause: "c", Fix: "f"})
	for _, l := range strings.Split(doctor.Text(fs, 80), "\n") {
		if utf8.RuneCountInString(l) > 80 && strings.Contains(strings.TrimSpace(l), " ") && !strings.Contains(l, "://") {
			t.Errorf("line of %d columns: %q", utf8.RuneCountInString(l), l)
		}
	}
}

// TestRealisticMessages covers the most frequent codes with messages as
// Microsoft words them, in the shapes they usually arrive in.
func TestRealisticMessages(t *testing.T) {
	d := newDoctor(t)
	tests := []struct {
		name    string
		in      string
		code    int
		details map[string]string
	}{
		{"9002332 page", "Sorry, but we’re having trouble signing you in.\nAADSTS9002332: Application '" + appID + "'(Acme Hiveku) is configured for use by Microsoft Entra users only. Please do not use the /consumers endpoint to serve this request.", 9002332, map[string]string{"app_id": appID, "app_name": "Acme Hiveku"}},
		{"9002331 page", "AADSTS9002331: Application '" + appID + "'(Acme Hiveku) is configured for use by Microsoft Account users only. Please use the /consumers endpoint to serve this request.", 9002331, map[string]string{"app_id": appID}},
		{"500208 ticket", "the user (bob@hotmail.com) gets: AADSTS500208: The domain is not a valid login domain for the account type.", 500208, nil},
		{"90002 discovery", `{"error":"invalid_tenant","error_description":"AADSTS90002: Tenant 'contoso.onmicrosft.com' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.\r\nTrace ID: ` + traceID + `","error_codes":[90002]}`, 90002, map[string]string{"tenant": "contoso.onmicrosft.com", "trace_id": traceID}},
		{"7000218 body", `{"error":"invalid_client","error_description":"AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.\r\nTrace ID: ` + traceID + `"}`, 7000218, nil},
		{"7000229 body", `{"error":"invalid_client","error_description":"AADSTS7000229: The client application ` + appID + ` is missing service principal in the tenant ` + dirID + `. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119"}`, 7000229, map[string]string{"app_id": appID, "tenant": dirID}},
		{"50105 page", "AADSTS50105: Your administrator has configured the application Acme Hiveku ('" + appID + "') to block users unless they are specifically granted ('assigned') access to the application. The signed in user 'alex@contoso.com' is blocked because they are not a direct member of a group with access, nor had access directly assigned by an administrator.", 50105, map[string]string{"user": "alex@contoso.com"}},
		{"50076 msal", "MsalUiRequiredException: AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'. Trace ID: " + traceID, 50076, map[string]string{"trace_id": traceID}},
		{"90094 redirect", "https://app.hiveku.com/api/oauth/microsoft/callback?error=consent_required&error_description=AADSTS90094%3a+The+grant+requires+admin+permission.&state=s", 90094, nil},
		{"9002327 body", `{"error":"invalid_request","error_description":"AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.\r\nTrace ID: ` + traceID + `"}`, 9002327, nil},
		{"50057 page", "AADSTS50057: The user account is disabled.\nRequest Id: " + traceID, 50057, map[string]string{"trace_id": traceID}},
		{"70011 redirect", "error=invalid_scope&error_description=AADSTS70011%3a+The+provided+request+must+include+a+%27scope%27+input+parameter.+The+provided+value+for+the+input+parameter+%27scope%27+is+not+valid.+The+scope+Mail.Sendd+is+not+valid.", 70011, map[string]string{"scope": "Mail.Sendd"}},
		{"7000112 body", `{"error":"unauthorized_client","error_description":"AADSTS7000112: Application '` + appID + `'(Acme Hiveku) is disabled."}`, 7000112, map[string]string{"app_id": appID}},
		{"90055 log", "WARN token: AADSTS90055: The request is throttled temporarily. Please try after 5 minutes.", 90055, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := d.Diagnose(tt.in)
			if len(fs) != 1 || fs[0].Code != tt.code {
				t.Fatalf("Diagnose() = %v, want AADSTS%d", headings(fs), tt.code)
			}
			if fs[0].Category == "other" {
				t.Errorf("AADSTS%d is not in the catalog", tt.code)
			}
			for k, v := range tt.details {
				if fs[0].Details[k] != v {
					t.Errorf("Details[%q] = %q, want %q", k, fs[0].Details[k], v)
				}
			}
		})
	}
}

func TestAttachErrorValue(t *testing.T) {
	d := newDoctor(t)
	long := strings.Repeat("Microsoft explains at length. ", 12)
	tests := []struct {
		name string
		in   string
		want []string // heading/error pairs
	}{
		{"error after description", `{"error_description":"AADSTS7000215: Invalid client secret provided. ` + long + `\r\nTrace ID: ` + traceID + `\r\nCorrelation ID: ` + corrID + `","error":"invalid_client"}`,
			[]string{"AADSTS7000215/invalid_client"}},
		{"bare error on the log line before", "2026-11-27T06:00:00Z WARN refresh: invalid_grant\n2026-11-27T06:00:01Z ERROR AADSTS7000215: Invalid client secret provided.",
			[]string{"invalid_grant/invalid_grant", "AADSTS7000215/"}},
		{"bare error on the log line after", "2026-11-27T06:00:01Z ERROR AADSTS50011: The redirect URI 'x' does not match.\n2026-11-27T06:00:02Z WARN callback: access_denied",
			[]string{"AADSTS50011/", "access_denied/access_denied"}},
		{"pretty-printed body", "{\n  \"error\": \"invalid_grant\",\n  \"error_description\": \"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.\"\n}",
			[]string{"AADSTS70008/invalid_grant"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range d.Diagnose(tt.in) {
				got = append(got, f.Heading()+"/"+f.Error)
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("Diagnose() = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestNoCredentialsEchoed pastes a request body with a secret, a code and
// a verifier next to the error: none of them may come back.
func TestNoCredentialsEchoed(t *testing.T) {
	d := newDoctor(t)
	const secret, code, verifier = "xYz8Q~pastedSecretValue.987654321abcdEFG", "0.AXkAfake-authorization-code", "verifierVALUE1234567890abcdefghijklmnopqrstu"
	in := "AADSTS7000215: Invalid client secret provided. Sent: client_secret=" + secret + " code=" + code + "\n" +
		"POST /common/oauth2/v2.0/token\nAADSTS7000215: Invalid client secret provided. client_id=" + appID + "&client_secret=" + secret +
		"&code=" + code + "&code_verifier=" + verifier + "&grant_type=authorization_code\n" +
		"error=invalid_grant&error_description=AADSTS54005%3a+OAuth2+Authorization+code+was+already+redeemed+code_verifier%3d" + verifier
	fs := d.Diagnose(in)
	if len(fs) != 2 {
		t.Fatalf("Diagnose() = %v, want 2 findings", headings(fs))
	}
	b, _ := json.Marshal(fs)
	out := string(b) + doctor.Text(fs, 80)
	for _, s := range []string{secret, code, verifier} {
		if strings.Contains(out, s) {
			t.Errorf("output repeats %q:\n%s", s, out)
		}
	}
}
