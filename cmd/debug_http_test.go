package cmd

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow/sim"
)

func TestDebugTracesHTTPWithSecretsRedacted(t *testing.T) {
	f, url := verifyAllSetup(t)
	stderr := f.IO.ErrOut.(interface{ String() string })
	before := http.DefaultTransport
	runVerifyAll(t, f, url, "--debug")
	if http.DefaultTransport != before {
		t.Error("--debug left its tracer installed after the command")
	}
	trace := stderr.String()
	for _, want := range []string{
		"debug: > GET " + url + "/common/v2.0/.well-known/openid-configuration",
		"debug: < 200 OK",
		"debug: > POST " + url + "/",
		"client_secret=[redacted]",
		`"access_token":"[redacted]"`,
		"AADSTS7000215",
	} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q", want)
		}
	}
	for _, secret := range []string{sim.DemoSecretValue, sim.DemoOldSecretValue, "eyJ"} {
		if strings.Contains(trace, secret) {
			t.Errorf("trace shows %q", secret)
		}
	}
}

func TestRedaction(t *testing.T) {
	u, _ := url.Parse("https://login.example/cb?code=0.AXYZsecret&state=abc&session_state=s1")
	if got := redactURL(u); strings.Contains(got, "AXYZ") || !strings.Contains(got, "state=abc") || strings.Contains(got, "s1") {
		t.Errorf("redactURL = %q", got)
	}
	form := "grant_type=authorization_code&code=0.AAA&code_verifier=vvv&client_secret=Sim8Q~x&refresh_token=1.AB"
	got := redactForm(form)
	for _, s := range []string{"0.AAA", "vvv", "Sim8Q", "1.AB"} {
		if strings.Contains(got, s) {
			t.Errorf("redactForm kept %q: %s", s, got)
		}
	}
	if !strings.Contains(got, "grant_type=authorization_code") {
		t.Errorf("redactForm dropped the grant type: %s", got)
	}
	j := redactJSON([]byte(`{"value":[{"secretText":"abc~123","hint":"abc"}],"note":"see eyJhbGciOi.eyJzdWIiOi.sig","id_token":null}`))
	if strings.Contains(j, "abc~123") || strings.Contains(j, "eyJ") || !strings.Contains(j, `"hint":"abc"`) || !strings.Contains(j, `"id_token":null`) {
		t.Errorf("redactJSON = %s", j)
	}
	if got := redactText("oops client_secret=abc&x=1 code=zzz"); strings.Contains(got, "abc") || strings.Contains(got, "zzz") {
		t.Errorf("redactText = %q", got)
	}
	var b strings.Builder
	writeTraceHeaders(&b, "", http.Header{"Authorization": {"Bearer eyJx.eyJy.z"}, "Set-Cookie": {"a=b"}, "X-Ms-Request-Id": {"r1"}})
	if s := b.String(); strings.Contains(s, "eyJ") || strings.Contains(s, "a=b") || !strings.Contains(s, "Authorization: Bearer [redacted]") || !strings.Contains(s, "r1") {
		t.Errorf("headers = %q", s)
	}
}
