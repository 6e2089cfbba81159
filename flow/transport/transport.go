// Package transport builds the HTTP client for requests that carry a
// secret (a client secret, an authorization code with its PKCE verifier,
// a refresh token): such a request goes only over https, or plain http to
// a loopback host (byok's simulator, tests), and never follows a
// redirect, so neither a mistyped --authority-host nor a 307 from a token
// endpoint can send the secret somewhere else or in clear text.
package transport

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/hiveku/byok/flow"
)

// IsLoopback reports whether host (a URL's Hostname) is localhost or a
// loopback IP address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// CheckURL returns nil when a secret may be sent to u: https, or http to
// a loopback host. Otherwise an EINVALID *flow.Error naming field.
func CheckURL(field string, u *url.URL) error {
	switch {
	case u.Scheme == "https":
		return nil
	case u.Scheme == "http" && IsLoopback(u.Hostname()):
		return nil
	case u.Scheme == "http":
		return flow.Invalid(field, "%q is plain http to a host that is not this machine; byok sends the client secret only over https", u.Scheme+"://"+u.Host).
			WithFix("use https://%s (or http://127.0.0.1:PORT for the simulator)", u.Host)
	}
	return flow.Invalid(field, "%q is not an http(s) URL", u.Scheme+"://"+u.Host).
		WithFix("use https://HOST, e.g. https://login.microsoftonline.us")
}

// ErrRedirect is returned (wrapped in a *url.Error) when a server answers
// a secret-carrying request with a redirect.
var ErrRedirect = errors.New("the server answered with a redirect, which byok does not follow with a secret")

// SecretClient returns a client for secret-carrying requests built on
// base (nil: a default client): same transport and timeout, but every
// request is refused unless CheckURL allows it, and redirects are not
// followed.
func SecretClient(base *http.Client) *http.Client {
	c := &http.Client{}
	if base != nil {
		*c = *base
	}
	c.Jar = nil
	c.Transport = guard{next: c.Transport}
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		return fmt.Errorf("%w (to %s)", ErrRedirect, req.URL.Scheme+"://"+req.URL.Host)
	}
	return c
}

// guard is a RoundTripper that refuses what CheckURL refuses.
type guard struct{ next http.RoundTripper }

func (g guard) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := CheckURL("URL", req.URL); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	next := g.next
	if next == nil {
		next = http.DefaultTransport
	}
	return next.RoundTrip(req)
}
