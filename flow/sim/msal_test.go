package sim

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Tests of what Microsoft's client libraries (MSAL) rely on: https, the
// scheme and host behind a proxy, client_info, x-ms-request-id and the
// echoed client-request-id. tests/msal drives the same with msal-node.

// jwtClaims decodes a JWT's payload without checking it.
func jwtClaims(t *testing.T, jwt string) map[string]any {
	t.Helper()
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		t.Fatalf("not a JWT: %q", jwt)
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatalf("decode JWT payload: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("JWT payload: %v", err)
	}
	return m
}

func getJSON(t *testing.T, c *http.Client, u string, hdr ...string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	var m map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("GET %s: not JSON: %v\n%s", u, err, b)
	}
	return resp, m
}

// checkURLs asserts every URL the discovery document hands out starts with base.
func checkURLs(t *testing.T, doc map[string]any, base string) {
	t.Helper()
	for _, k := range []string{"issuer", "token_endpoint", "jwks_uri", "authorization_endpoint", "end_session_endpoint", "userinfo_endpoint", "device_authorization_endpoint"} {
		if v, _ := doc[k].(string); !strings.HasPrefix(v, base+"/") {
			t.Errorf("%s = %q, want it on %s", k, v, base)
		}
	}
}

func TestServesTLSWithGeneratedIdentity(t *testing.T) {
	id, err := NewTLSIdentity(testNow, rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s := New(baseOptions(testNow))
	srv := httptest.NewUnstartedServer(s)
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{id.Certificate}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused client's handshake error
	srv.StartTLS()
	defer srv.Close()

	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(id.CAPEM) {
		t.Fatal("CAPEM holds no certificate")
	}
	// trust only the generated CA, and reach the server by each name the
	// certificate must carry
	c := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, Time: func() time.Time { return testNow }}}}
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	for _, host := range []string{"127.0.0.1", "localhost"} {
		base := "https://" + net.JoinHostPort(host, strconv.Itoa(port))
		_, doc := getJSON(t, c, base+"/common/v2.0/.well-known/openid-configuration")
		checkURLs(t, doc, base)
		if doc["issuer"] != base+"/{tenantid}/v2.0" {
			t.Errorf("issuer = %v", doc["issuer"])
		}
	}
	// a client that doesn't trust the CA is refused
	if _, err := (&http.Client{}).Get(srv.URL + "/common/v2.0/.well-known/openid-configuration"); err == nil {
		t.Error("a client without the CA connected; want a certificate error")
	}
}

func TestTLSIdentityNames(t *testing.T) {
	id, err := NewTLSIdentity(testNow, rand.Reader, "sim.example.test", "10.1.2.3", "0.0.0.0", "[::1]")
	if err != nil {
		t.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(id.Certificate.Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	var ips []string
	for _, ip := range leaf.IPAddresses {
		ips = append(ips, ip.String())
	}
	if got := strings.Join(ips, " "); got != "127.0.0.1 ::1 10.1.2.3" {
		t.Errorf("IP SANs = %q", got)
	}
	if got := strings.Join(leaf.DNSNames, " "); got != "localhost sim.example.test" {
		t.Errorf("DNS SANs = %q", got)
	}
	if leaf.IsCA || !leaf.NotAfter.After(testNow) || leaf.NotBefore.After(testNow) {
		t.Errorf("leaf: IsCA %v, valid %v – %v", leaf.IsCA, leaf.NotBefore, leaf.NotAfter)
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: poolOf(t, id.CAPEM), CurrentTime: testNow, DNSName: "sim.example.test"}); err != nil {
		t.Errorf("leaf does not verify against CAPEM: %v", err)
	}
}

func poolOf(t *testing.T, pemBytes []byte) *x509.CertPool {
	t.Helper()
	p := x509.NewCertPool()
	if !p.AppendCertsFromPEM(pemBytes) {
		t.Fatal("no certificate in PEM")
	}
	return p
}

// TestBehindTLSTerminatingProxy puts the plain-http simulator behind an
// https reverse proxy that sets X-Forwarded-Proto and X-Forwarded-Host:
// discovery, keys and the id_token's iss must all name the proxy.
func TestBehindTLSTerminatingProxy(t *testing.T) {
	e := newEnv(t, nil)
	backend, _ := url.Parse(e.srv.URL)
	rp := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(backend)
			pr.SetXForwarded() // X-Forwarded-For, -Host and -Proto: https
		},
		// Its own transport, not http.DefaultTransport, whose idle
		// connections any httptest.Server.Close in the process closes:
		// once in a full run the proxy lost the backend connection in
		// the middle of a page ("use of closed network connection").
		Transport: e.srv.Client().Transport,
	}
	// Full duplex, as tests/msal/tlsproxy: Go's HTTP/1 server otherwise
	// cuts the forwarded body short once the answer starts
	// (golang/go#40747), which closed the backend connection mid-page.
	proxy := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = http.NewResponseController(w).EnableFullDuplex()
		rp.ServeHTTP(w, r)
	}))
	defer proxy.Close()
	c := proxy.Client()

	_, doc := getJSON(t, c, proxy.URL+"/"+ContosoTenantID+"/v2.0/.well-known/openid-configuration")
	checkURLs(t, doc, proxy.URL)
	if doc["issuer"] != proxy.URL+"/"+ContosoTenantID+"/v2.0" {
		t.Errorf("issuer = %v, want %s/%s/v2.0", doc["issuer"], proxy.URL, ContosoTenantID)
	}
	if _, keys := getJSON(t, c, doc["jwks_uri"].(string)); len(keys["keys"].([]any)) != 1 {
		t.Errorf("keys through the proxy = %v", keys)
	}

	// sign in and redeem through the proxy: iss names the proxy too
	authURL := strings.Replace(e.authURL(ContosoTenantID), e.srv.URL, proxy.URL, 1)
	loc, err := e.sim.Consent(context.Background(), c, authURL, "alex@contoso.com", true)
	if err != nil {
		t.Fatalf("Consent through proxy: %v", err)
	}
	u, _ := url.Parse(loc)
	form := codeForm(u.Query().Get("code"))
	resp, err := c.PostForm(doc["token_endpoint"].(string), form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	if resp.StatusCode != 200 {
		t.Fatalf("token through proxy = %d %v", resp.StatusCode, tok)
	}
	if iss := jwtClaims(t, tok["id_token"].(string))["iss"]; iss != doc["issuer"] {
		t.Errorf("id_token iss = %v, discovery issuer = %v: a validator rejects the pair", iss, doc["issuer"])
	}
}

func TestForwardedHeaders(t *testing.T) {
	e := newEnv(t, nil)
	disc := e.srv.URL + "/common/v2.0/.well-known/openid-configuration"
	for _, tc := range []struct {
		name  string
		hdr   []string
		issue string
	}{
		{"none", nil, e.srv.URL},
		{"proto only", []string{"X-Forwarded-Proto", "https"}, "https://" + strings.TrimPrefix(e.srv.URL, "http://")},
		{"proto and host", []string{"X-Forwarded-Proto", "HTTPS", "X-Forwarded-Host", "login.example.test:8443"}, "https://login.example.test:8443"},
		{"first of a list", []string{"X-Forwarded-Proto", "https, http", "X-Forwarded-Host", "outer.test, inner.test"}, "https://outer.test"},
		{"bad proto ignored", []string{"X-Forwarded-Proto", "javascript"}, e.srv.URL},
		{"bad host ignored", []string{"X-Forwarded-Host", "evil.test/path@x"}, e.srv.URL},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, doc := getJSON(t, e.srv.Client(), disc, tc.hdr...)
			checkURLs(t, doc, tc.issue)
		})
	}
}

func decodeClientInfo(t *testing.T, raw string) map[string]any {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		t.Fatalf("client_info %q is not base64url: %v", raw, err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("client_info is not JSON: %v", err)
	}
	return m
}

func TestClientInfo(t *testing.T) {
	const alexOID = "0d6f1c2b-3a4e-4f5a-8b6c-7d8e9f0a1b2c"
	e := newEnv(t, nil)
	q, err := e.consent(e.authURL("organizations", "client_info", "1"), "alex@contoso.com", true)
	if err != nil {
		t.Fatal(err)
	}
	ci := decodeClientInfo(t, q.Get("client_info"))
	if ci["uid"] != alexOID || ci["utid"] != ContosoTenantID || len(ci) != 2 {
		t.Errorf("redirect client_info = %v, want uid %s utid %s", ci, alexOID, ContosoTenantID)
	}
	form := codeForm(q.Get("code"))
	form.Set("client_info", "1")
	st, body := e.post("organizations", form)
	if st != 200 {
		t.Fatalf("token = %d %v", st, body)
	}
	ci = decodeClientInfo(t, body["client_info"].(string))
	if ci["uid"] != alexOID || ci["utid"] != ContosoTenantID {
		t.Errorf("token client_info = %v", ci)
	}
	// refresh answers it too
	st, body = e.post("organizations", url.Values{"client_id": {DemoClientID}, "client_secret": {DemoSecretValue},
		"grant_type": {"refresh_token"}, "refresh_token": {body["refresh_token"].(string)}, "client_info": {"1"}})
	if st != 200 || body["client_info"] == nil {
		t.Errorf("refresh = %d, client_info %v", st, body["client_info"])
	}

	// not asked, not given
	q, err = e.consent(e.authURL("organizations"), "alex@contoso.com", true)
	if err != nil {
		t.Fatal(err)
	}
	if q.Has("client_info") {
		t.Errorf("redirect carries client_info without client_info=1: %v", q)
	}
	st, body = e.post("organizations", codeForm(q.Get("code")))
	if _, has := body["client_info"]; st != 200 || has {
		t.Errorf("token = %d, carries client_info without client_info=1: %v", st, body)
	}
}

func TestRequestIDOnEveryAnswer(t *testing.T) {
	e := newEnv(t, nil)
	const cid = "7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	ok := func(t *testing.T, h http.Header) string {
		t.Helper()
		rid := h.Get("x-ms-request-id")
		if !isGUID(rid) {
			t.Errorf("x-ms-request-id = %q, want a GUID", rid)
		}
		return rid
	}
	t.Run("discovery", func(t *testing.T) {
		resp, _ := getJSON(t, e.srv.Client(), e.srv.URL+"/common/v2.0/.well-known/openid-configuration")
		ok(t, resp.Header)
		if resp.Header.Get("client-request-id") != "" {
			t.Errorf("client-request-id echoed though none was sent: %q", resp.Header.Get("client-request-id"))
		}
	})
	t.Run("successful token, header correlation", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/"+ContosoTenantID+"/oauth2/v2.0/token",
			strings.NewReader(ccForm(DemoClientID, DemoSecretValue, GraphResource+"/.default").Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("client-request-id", strings.ToUpper(cid))
		resp, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("status %d", resp.StatusCode)
		}
		ok(t, resp.Header)
		if got := resp.Header.Get("client-request-id"); got != cid {
			t.Errorf("client-request-id = %q, want %q", got, cid)
		}
	})
	t.Run("error body, query correlation as msal-node sends it", func(t *testing.T) {
		resp, err := e.srv.Client().PostForm(e.srv.URL+"/"+ContosoTenantID+"/oauth2/v2.0/token?client-request-id="+cid,
			ccForm(DemoClientID, "wrong", GraphResource+"/.default"))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&body)
		assertSTS(t, resp.StatusCode, body, 401, "invalid_client", 7000215)
		rid := ok(t, resp.Header)
		if body["trace_id"] != rid || body["correlation_id"] != cid || resp.Header.Get("client-request-id") != cid {
			t.Errorf("trace_id %v / x-ms-request-id %s, correlation_id %v / header %q; want the request's IDs",
				body["trace_id"], rid, body["correlation_id"], resp.Header.Get("client-request-id"))
		}
	})
	t.Run("error page", func(t *testing.T) {
		resp, err := e.srv.Client().Get(e.authURL("common", "redirect_uri", "https://evil.example.test/cb", "client-request-id", cid))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		rid := ok(t, resp.Header)
		page := string(b)
		if resp.StatusCode != 400 || !strings.Contains(page, "AADSTS50011") ||
			!strings.Contains(page, "Correlation Id: "+cid) || !strings.Contains(page, "Request Id: "+rid) {
			t.Errorf("error page (%d) lacks AADSTS50011, Correlation Id %s or Request Id %s:\n%s", resp.StatusCode, cid, rid, page)
		}
	})
	t.Run("not a GUID is not echoed", func(t *testing.T) {
		resp, body := getJSON(t, e.srv.Client(), e.srv.URL+"/nosuchtenant.example/v2.0/.well-known/openid-configuration", "client-request-id", "<script>")
		ok(t, resp.Header)
		if c, _ := body["correlation_id"].(string); !isGUID(c) {
			t.Errorf("correlation_id = %q, want a fresh GUID", c)
		}
	})
}

// TestCorrelationIDKeptThroughSignIn: the sign-in and consent posts carry
// no client-request-id; the error redirected to the app still names the
// one sent to /authorize.
func TestCorrelationIDKeptThroughSignIn(t *testing.T) {
	e := newEnv(t, nil)
	const cid = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"
	q, err := e.consent(e.authURL("common", "client-request-id", cid), "alex@contoso.com", false)
	if err != nil {
		t.Fatal(err)
	}
	if d := q.Get("error_description"); !strings.HasPrefix(d, "AADSTS65004:") || !strings.Contains(d, "Correlation ID: "+cid) {
		t.Errorf("error_description = %q, want AADSTS65004 with Correlation ID %s", d, cid)
	}
	// without one, each request has its own fresh ID: nothing to keep
	q, err = e.consent(e.authURL("common"), "alex@contoso.com", false)
	if err != nil {
		t.Fatal(err)
	}
	if d := q.Get("error_description"); strings.Contains(d, cid) {
		t.Errorf("an earlier sign-in's correlation ID leaked: %q", d)
	}
}

// TestGraphErrorsNameTheRequest: Graph's request-id is the answer's
// x-ms-request-id, and its 401 points at the login host the client used.
func TestGraphErrorsNameTheRequest(t *testing.T) {
	e := newEnv(t, nil)
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+"/v1.0/me", nil)
	req.Header.Set("X-Forwarded-Proto", "https")
	req.Header.Set("X-Forwarded-Host", "sim.example.test")
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 401 {
		t.Fatalf("status = %d, want 401", resp.StatusCode)
	}
	if rid := resp.Header.Get("request-id"); rid == "" || rid != resp.Header.Get("x-ms-request-id") {
		t.Errorf("request-id %q, x-ms-request-id %q: want one ID", rid, resp.Header.Get("x-ms-request-id"))
	}
	if wa := resp.Header.Get("WWW-Authenticate"); !strings.Contains(wa, `authorization_uri="https://sim.example.test/common/oauth2/authorize"`) {
		t.Errorf("WWW-Authenticate = %q, want authorization_uri on the forwarded host", wa)
	}
}
