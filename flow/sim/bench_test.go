package sim

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// fullFlow runs authorize → Consent → token → /me → refresh →
// mailFolders once against base through c.
func fullFlow(b *testing.B, s *Server, c *http.Client, base string) {
	v := url.Values{
		"client_id": {DemoClientID}, "response_type": {"code"}, "redirect_uri": {flow.HivekuRedirectURI},
		"scope": {"offline_access User.Read Mail.ReadWrite Mail.Send Calendars.ReadWrite openid profile email"},
		"state": {"s"}, "nonce": {"n"}, "prompt": {"consent"},
		"code_challenge": {challengeOf(testVerifier)}, "code_challenge_method": {"S256"},
	}
	loc, err := s.Consent(context.Background(), c, base+"/common/oauth2/v2.0/authorize?"+v.Encode(), "alex@contoso.com", true)
	if err != nil {
		b.Fatal(err)
	}
	u, _ := url.Parse(loc)
	tok := benchPost(b, c, base+"/common/oauth2/v2.0/token", codeForm(u.Query().Get("code")))
	benchGet(b, c, base+"/v1.0/me", tok["access_token"].(string))
	ref := benchPost(b, c, base+"/common/oauth2/v2.0/token", url.Values{
		"client_id": {DemoClientID}, "client_secret": {DemoSecretValue},
		"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
	})
	benchGet(b, c, base+"/v1.0/me/mailFolders?$top=1", ref["access_token"].(string))
}

func benchPost(b *testing.B, c *http.Client, u string, form url.Values) map[string]any {
	resp, err := c.Post(u, "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var m map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&m); err != nil || resp.StatusCode != 200 {
		b.Fatalf("POST %s = %d %v %v", u, resp.StatusCode, m, err)
	}
	return m
}

func benchGet(b *testing.B, c *http.Client, u, bearer string) {
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Authorization", "Bearer "+bearer)
	resp, err := c.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		b.Fatalf("GET %s = %d", u, resp.StatusCode)
	}
}

// BenchmarkFullFlowInProcess serves every request with ServeHTTP directly.
func BenchmarkFullFlowInProcess(b *testing.B) {
	s := New(baseOptions(testNow))
	c := &http.Client{Transport: inProcess{s}}
	b.ReportAllocs()
	for b.Loop() {
		fullFlow(b, s, c, "https://login.microsoftonline.com")
	}
}

// BenchmarkFullFlowLoopback goes through a real loopback HTTP server.
func BenchmarkFullFlowLoopback(b *testing.B) {
	s := New(baseOptions(testNow))
	srv := httptest.NewServer(s)
	defer srv.Close()
	c := srv.Client()
	b.ReportAllocs()
	for b.Loop() {
		fullFlow(b, s, c, srv.URL)
	}
}

// BenchmarkNew measures building a simulator (key parsing included).
func BenchmarkNew(b *testing.B) {
	o := baseOptions(testNow)
	b.ReportAllocs()
	for b.Loop() {
		New(o)
	}
}
