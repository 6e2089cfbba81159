package verify

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hiveku/byok/flow"
)

func TestParsePasted(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		code    string
		state   string
		err     string
		aadsts  int
		admin   bool
		wantErr bool
	}{
		{name: "full address", in: "https://app.hiveku.com/api/oauth/microsoft/callback?code=0.AXo-abc_DEF&state=xyz&session_state=s1",
			code: "0.AXo-abc_DEF", state: "xyz"},
		{name: "address with spaces and newline", in: "  https://app.hiveku.com/api/oauth/microsoft/callback?code=C1&state=S1 \n", code: "C1", state: "S1"},
		{name: "in quotes", in: `"https://x.example/cb?code=C1&state=S1"`, code: "C1", state: "S1"},
		{name: "in angle brackets", in: `<https://x.example/cb?code=C1&state=S1>`, code: "C1", state: "S1"},
		{name: "query only", in: "code=C2&state=S2", code: "C2", state: "S2"},
		{name: "query with question mark", in: "?code=C3&state=S3", code: "C3", state: "S3"},
		{name: "fragment", in: "https://x.example/cb#code=C4&state=S4", code: "C4", state: "S4"},
		{name: "log line", in: "GET /api/oauth/microsoft/callback?state=S5&code=C5 200 OK", code: "C5", state: "S5"},
		{name: "error redirect",
			in:    "https://app.hiveku.com/api/oauth/microsoft/callback?error=access_denied&error_description=AADSTS65004%3a+User+declined+to+consent+to+access+the+app.&state=S6",
			state: "S6", err: "access_denied", aadsts: 65004},
		{name: "error redirect with code too", in: "?code=C&error=invalid_request&error_description=AADSTS90014+missing&state=S", state: "S", err: "invalid_request", aadsts: 90014},
		{name: "error page text", in: "Sorry, but we're having trouble signing you in.\n\nAADSTS50011: The redirect URI 'https://app.hiveku.com/cb' specified in the request does not match the redirect URIs configured for the application 'a'.\nTrace ID: 1\n",
			aadsts: 50011},
		{name: "error page with request id lines", in: "Request Id: 1\nCorrelation Id: 2\nTimestamp: 2026\nMessage: AADSTS700016: Application with identifier 'x' was not found", aadsts: 700016},
		{name: "page source entities", in: "AADSTS50011: The redirect URI &#39;https://x/cb&#39; does not match", aadsts: 50011},
		{name: "no AADSTS but OAuth error", in: "unauthorized_client: The client does not exist or is not enabled for consumers.", err: "unauthorized_client"},
		{name: "admin consent answer", in: "https://app.hiveku.com/cb?admin_consent=True&tenant=t&state=S7", state: "S7", admin: true},
		{name: "plus is a space", in: "?error=consent_required&error_description=AADSTS90094%3A+An+administrator&state=S", state: "S", err: "consent_required", aadsts: 90094},
		{name: "empty", in: "   \n", wantErr: true},
		{name: "random text", in: "I clicked accept", wantErr: true},
		{name: "address without code", in: "https://app.hiveku.com/api/oauth/microsoft/callback?state=S", wantErr: true},
		{name: "just the callback", in: "https://app.hiveku.com/api/oauth/microsoft/callback", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := ParsePasted(tt.in)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("ParsePasted(%q) = %+v, want an error", tt.in, p)
				}
				if flow.ErrorCode(err) != flow.EINVALID {
					t.Errorf("error code = %s, want invalid", flow.ErrorCode(err))
				}
				var fe *flow.Error
				if e, ok := err.(*flow.Error); ok {
					fe = e
				}
				if fe == nil || fe.Field != "pasted address" || fe.Fix == "" {
					t.Errorf("error %v should name the pasted address and say how to fix it", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParsePasted(%q) error = %v", tt.in, err)
			}
			if p.Code.Reveal() != tt.code || p.State != tt.state || p.Error != tt.err || p.AADSTS != tt.aadsts || p.AdminConsent != tt.admin {
				t.Errorf("ParsePasted(%q) = code %q state %q error %q aadsts %d admin %v; want %q %q %q %d %v",
					tt.in, p.Code.Reveal(), p.State, p.Error, p.AADSTS, p.AdminConsent, tt.code, tt.state, tt.err, tt.aadsts, tt.admin)
			}
			if tt.aadsts != 0 && !strings.Contains(p.Description, fmt.Sprint(tt.aadsts)) {
				t.Errorf("description %q lacks the code", p.Description)
			}
		})
	}
}

func TestPastedRedactsCode(t *testing.T) {
	p, err := ParsePasted("?code=VERY-SECRET-CODE&state=s")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"%v", "%+v", "%#v", "%s"} {
		if s := fmt.Sprintf(f, p); strings.Contains(s, "VERY-SECRET-CODE") {
			t.Errorf("Sprintf(%s) = %s, shows the code", f, s)
		}
	}
}

func FuzzParsePasted(f *testing.F) {
	for _, s := range []string{
		"https://app.hiveku.com/api/oauth/microsoft/callback?code=0.AXo&state=xyz&session_state=s",
		"code=C&state=S",
		"?code=C&state=S",
		"#code=C&state=S",
		"https://x/cb?error=access_denied&error_description=AADSTS65004%3a+declined&state=S",
		"AADSTS50011: The redirect URI 'x' does not match",
		"unauthorized_client: not enabled for consumers",
		"https://app.hiveku.com/cb?admin_consent=True&tenant=t&state=S",
		"http://[::1",
		"%zz=%zz&code=%",
		"a://?code=\x00",
		"AADSTS99999999999999999999",
		"",
		"\ufeffcode=x&state=y",
		"?error_description=%ff%00AADSTS1234",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePasted(s)
		if err != nil {
			if flow.ErrorCode(err) != flow.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		if p.Code.IsZero() && p.Error == "" && p.Description == "" && p.AADSTS == 0 && !p.AdminConsent {
			t.Fatalf("ParsePasted(%q) = empty result without error", s)
		}
		if !p.Code.IsZero() && (p.Error != "" || p.Description != "") {
			t.Fatalf("ParsePasted(%q) returned both a code and an error", s)
		}
		if p.AADSTS < 0 {
			t.Fatalf("negative AADSTS %d", p.AADSTS)
		}
		if utf8.ValidString(s) && !utf8.ValidString(p.Description) {
			t.Fatalf("description is not valid UTF-8 for valid input")
		}
		if strings.ContainsAny(p.line(), "\r\n") {
			t.Fatalf("line() %q is not one line", p.line())
		}
	})
}

func BenchmarkParsePasted(b *testing.B) {
	inputs := []string{
		"https://app.hiveku.com/api/oauth/microsoft/callback?code=0.AXoAbCdEfGhIjKlMnOpQrStUvWxYz0123456789&state=XrQQVgE08gOOlXe5WDqW6bc6aq9BsubM&session_state=abc",
		"Sorry, but we're having trouble signing you in.\nAADSTS50011: The redirect URI 'https://app.hiveku.com/cb' specified in the request does not match.\nTrace ID: 1\nCorrelation ID: 2",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, in := range inputs {
			if _, err := ParsePasted(in); err != nil {
				b.Fatal(err)
			}
		}
	}
}
