package sim

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// testNow is the fixed clock of the tests.
var testNow = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

// clock is an adjustable test clock.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time          { return c.t }
func (c *clock) Advance(d time.Duration) { c.t = c.t.Add(d) }

// testEnv is a simulator on a loopback httptest server.
type testEnv struct {
	t     testing.TB
	sim   *Server
	srv   *httptest.Server
	clock *clock
}

const testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-more-bytes"

func newEnv(tb testing.TB, mutate func(*Options)) *testEnv {
	tb.Helper()
	c := &clock{t: testNow}
	o := baseOptions(testNow)
	o.Now = c.Now
	if mutate != nil {
		mutate(&o)
	}
	s := New(o)
	srv := httptest.NewServer(s)
	tb.Cleanup(srv.Close)
	return &testEnv{t: tb, sim: s, srv: srv, clock: c}
}

func challengeOf(v string) string {
	sum := sha256.Sum256([]byte(v))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authURL builds an authorize URL with the usual byok parameters;
// override or delete (empty value) parameters with kv pairs.
func (e *testEnv) authURL(tenant string, kv ...string) string {
	v := url.Values{}
	v.Set("client_id", DemoClientID)
	v.Set("response_type", "code")
	v.Set("redirect_uri", flow.HivekuRedirectURI)
	v.Set("response_mode", "query")
	v.Set("scope", "offline_access User.Read Mail.ReadWrite Mail.Send Calendars.ReadWrite openid profile email")
	v.Set("state", "st-123")
	v.Set("nonce", "nonce-456")
	v.Set("prompt", "consent")
	v.Set("code_challenge", challengeOf(testVerifier))
	v.Set("code_challenge_method", "S256")
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return e.srv.URL + "/" + tenant + "/oauth2/v2.0/authorize?" + v.Encode()
}

// consent runs Consent over HTTP and returns the redirect's query.
func (e *testEnv) consent(authURL, upn string, accept bool) (url.Values, error) {
	e.t.Helper()
	loc, err := e.sim.Consent(context.Background(), e.srv.Client(), authURL, upn, accept)
	if err != nil {
		return nil, err
	}
	u, perr := url.Parse(loc)
	if perr != nil {
		e.t.Fatalf("parse redirect %q: %v", loc, perr)
	}
	return u.Query(), nil
}

// code signs alex in with the default parameters and returns the code.
func (e *testEnv) code(tenant string, kv ...string) string {
	e.t.Helper()
	q, err := e.consent(e.authURL(tenant, kv...), "alex@contoso.com", true)
	if err != nil {
		e.t.Fatalf("Consent: %v", err)
	}
	if q.Get("code") == "" {
		e.t.Fatalf("no code in redirect: %v", q)
	}
	return q.Get("code")
}

// post sends a form to the token endpoint of tenant.
func (e *testEnv) post(tenant string, form url.Values, hdr ...string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/"+tenant+"/oauth2/v2.0/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return e.do(req)
}

func (e *testEnv) do(req *http.Request) (int, map[string]any) {
	e.t.Helper()
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		e.t.Fatalf("%s %s: body is not JSON: %v\n%s", req.Method, req.URL.Path, err, b)
	}
	return resp.StatusCode, m
}

func (e *testEnv) get(path, bearer string) (int, map[string]any) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+path, nil)
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	return e.do(req)
}

func codeForm(code string) url.Values {
	return url.Values{
		"client_id":     {DemoClientID},
		"client_secret": {DemoSecretValue},
		"grant_type":    {"authorization_code"},
		"code":          {code},
		"redirect_uri":  {flow.HivekuRedirectURI},
		"code_verifier": {testVerifier},
	}
}

// assertSTS checks a Microsoft error body: status, error, error_codes,
// the AADSTS prefix and every key.
func assertSTS(tb testing.TB, status int, body map[string]any, wantStatus int, wantErr string, wantCode int) {
	tb.Helper()
	if status != wantStatus {
		tb.Errorf("status = %d, want %d (body %v)", status, wantStatus, body)
	}
	if body["error"] != wantErr {
		tb.Errorf("error = %v, want %s", body["error"], wantErr)
	}
	codes, _ := body["error_codes"].([]any)
	if len(codes) != 1 || int(codes[0].(float64)) != wantCode {
		tb.Errorf("error_codes = %v, want [%d]", body["error_codes"], wantCode)
	}
	desc, _ := body["error_description"].(string)
	if !strings.HasPrefix(desc, "AADSTS"+itoa(wantCode)+": ") || !strings.Contains(desc, "\r\nTrace ID: ") ||
		!strings.Contains(desc, "\r\nCorrelation ID: ") || !strings.Contains(desc, "\r\nTimestamp: 20") {
		tb.Errorf("error_description = %q, want AADSTS%d: … with trace, correlation and timestamp", desc, wantCode)
	}
	for _, k := range []string{"timestamp", "trace_id", "correlation_id", "error_uri"} {
		if _, ok := body[k].(string); !ok {
			tb.Errorf("body lacks %s: %v", k, body)
		}
	}
	if body["error_uri"] != "https://login.microsoftonline.com/error?code="+itoa(wantCode) {
		tb.Errorf("error_uri = %v", body["error_uri"])
	}
	if len(body) != 7 {
		tb.Errorf("body has %d keys, want 7: %v", len(body), body)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
