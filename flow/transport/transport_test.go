package transport_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/transport"
)

func TestCheckURL(t *testing.T) {
	for raw, ok := range map[string]bool{
		"https://login.microsoftonline.com": true,
		"https://192.0.2.2:18081":           true,
		"http://127.0.0.1:41200":            true,
		"http://[::1]:41200":                true,
		"http://localhost:8080":             true,
		"http://sim.localhost:8080":         true,
		"http://192.0.2.2:18081":            false, // issue 11: the secret went out in clear text
		"http://login.microsoftonline.com":  false,
		"http://127.0.0.1.nip.io":           false,
		"ftp://example.com":                 false,
	} {
		u, _ := url.Parse(raw)
		err := transport.CheckURL("--authority-host", u)
		if (err == nil) != ok {
			t.Errorf("CheckURL(%s) = %v, want ok=%v", raw, err, ok)
		}
		if err != nil && flow.ExitCode(err) != 2 {
			t.Errorf("CheckURL(%s): exit %d, want 2", raw, flow.ExitCode(err))
		}
	}
}

// Issue 11: the HTTP client followed a 307 from the token endpoint to
// another host and posted the secret again.
func TestSecretClientFollowsNoRedirect(t *testing.T) {
	var stolen atomic.Int32
	thief := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		if strings.Contains(string(b), "client_secret") {
			stolen.Add(1)
		}
		w.WriteHeader(200)
	}))
	defer thief.Close()
	token := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, thief.URL+"/token", http.StatusTemporaryRedirect)
	}))
	defer token.Close()

	c := transport.SecretClient(token.Client())
	resp, err := c.PostForm(token.URL+"/token", url.Values{"client_secret": {"s3cret"}})
	if err == nil {
		resp.Body.Close()
		t.Fatal("a redirect was followed")
	}
	if !errors.Is(err, transport.ErrRedirect) {
		t.Errorf("err = %v, want ErrRedirect", err)
	}
	if stolen.Load() != 0 {
		t.Error("the secret reached the redirect target")
	}
}

// A plain-http, non-loopback URL is refused before any connection.
func TestSecretClientRefusesPlainHTTP(t *testing.T) {
	dialed := false
	base := &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
		dialed = true
		return nil, errors.New("dialed")
	})}
	_, err := transport.SecretClient(base).PostForm("http://192.0.2.2:18081/t/oauth2/v2.0/token", url.Values{"client_secret": {"x"}})
	if err == nil || dialed || !strings.Contains(err.Error(), "only over https") {
		t.Errorf("err = %v, dialed = %v", err, dialed)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
