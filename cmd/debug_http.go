package cmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hiveku/byok/flow/sanitize"
)

// --debug traces every HTTP request byok sends to Microsoft (or the
// simulator) and every response, on standard error, with secrets, codes
// and tokens redacted: client_secret, code, code_verifier, tokens,
// assertions, Graph's secretText, bearer tokens and anything shaped like
// a JWT, whether in the URL, a form, a JSON body or a header. Bodies are
// cut at traceBodyMax bytes; everything passes the output sanitizer,
// since responses are outside text.

// traceBodyMax is how much of a body the trace shows.
const traceBodyMax = 2048

// redacted replaces a secret in the trace.
const traceRedacted = "[redacted]"

// traceSecretKeys are the form, query and JSON keys whose values never
// appear in a trace (compared case-insensitively).
var traceSecretKeys = map[string]bool{
	"client_secret": true, "code": true, "code_verifier": true, "refresh_token": true,
	"access_token": true, "id_token": true, "assertion": true, "client_assertion": true,
	"password": true, "device_code": true, "secrettext": true, "secret": true,
	"token": true, "session_state": true,
}

// jwtLike matches a JSON Web Token (three base64url parts, the first a
// JSON header), and opaque refresh tokens Microsoft starts with "0." or
// "1.A" are caught by key instead.
var jwtLike = regexp.MustCompile(`eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*`)

// traceKV matches key=value pairs of secret keys in text that is neither
// a form nor JSON (an error page, a Location header).
var traceKV = regexp.MustCompile(`(?i)\b(client_secret|code|code_verifier|refresh_token|access_token|id_token|client_assertion|assertion|password|device_code)=([^&\s"']+)`)

// traceTransport wraps an http.RoundTripper and writes the trace to w.
type traceTransport struct {
	base http.RoundTripper
	w    io.Writer
	now  func() time.Time
	mu   sync.Mutex
}

func (t *traceTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		b, err := io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
		reqBody = b
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	}
	var out strings.Builder
	fmt.Fprintf(&out, "debug: > %s %s\n", req.Method, redactURL(req.URL))
	writeTraceHeaders(&out, "debug: > ", req.Header)
	writeTraceBody(&out, "debug: > ", req.Header.Get("Content-Type"), reqBody)
	start := t.now()
	resp, err := t.base.RoundTrip(req)
	took := t.now().Sub(start).Round(time.Millisecond)
	if err != nil {
		fmt.Fprintf(&out, "debug: < error after %s: %s\n", took, redactText(err.Error()))
		t.flush(out.String())
		return nil, err
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	fmt.Fprintf(&out, "debug: < %s (%s)\n", resp.Status, took)
	writeTraceHeaders(&out, "debug: < ", resp.Header)
	writeTraceBody(&out, "debug: < ", resp.Header.Get("Content-Type"), body)
	t.flush(out.String())
	if rerr != nil {
		return nil, rerr
	}
	return resp, nil
}

func (t *traceTransport) flush(s string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, _ = io.WriteString(t.w, sanitize.Text(s))
}

// redactURL returns u with secret query values replaced.
func redactURL(u *url.URL) string {
	cp := *u
	cp.User = nil
	if cp.RawQuery != "" {
		cp.RawQuery = redactForm(cp.RawQuery)
	}
	return cp.String()
}

// redactForm redacts a URL-encoded form or query.
func redactForm(raw string) string {
	v, err := url.ParseQuery(raw)
	if err != nil {
		return redactText(raw)
	}
	for k := range v {
		if traceSecretKeys[strings.ToLower(k)] {
			for i := range v[k] {
				v[k][i] = traceRedacted
			}
		} else {
			for i := range v[k] {
				v[k][i] = redactText(v[k][i])
			}
		}
	}
	return strings.ReplaceAll(v.Encode(), url.QueryEscape(traceRedacted), traceRedacted)
}

// writeTraceHeaders writes the headers that help (sorted), redacting
// credentials and cookies.
func writeTraceHeaders(out *strings.Builder, prefix string, h http.Header) {
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			switch strings.ToLower(k) {
			case "authorization":
				if scheme, _, ok := strings.Cut(v, " "); ok {
					v = scheme + " " + traceRedacted
				} else {
					v = traceRedacted
				}
			case "cookie", "set-cookie":
				v = traceRedacted
			case "location":
				if u, err := url.Parse(v); err == nil {
					v = redactURL(u)
				} else {
					v = redactText(v)
				}
			default:
				v = redactText(v)
			}
			fmt.Fprintf(out, "%s%s: %s\n", prefix, k, v)
		}
	}
}

// writeTraceBody writes a body: forms and JSON redacted by key, anything
// else by pattern; cut at traceBodyMax.
func writeTraceBody(out *strings.Builder, prefix, contentType string, b []byte) {
	if len(b) == 0 {
		return
	}
	var s string
	switch {
	case strings.HasPrefix(contentType, "application/x-www-form-urlencoded"):
		s = redactForm(string(b))
	case strings.Contains(contentType, "json") || json.Valid(b):
		s = redactJSON(b)
	default:
		s = redactText(string(b))
	}
	cut := ""
	if len(s) > traceBodyMax {
		s, cut = s[:traceBodyMax], fmt.Sprintf(" … (%d bytes in all)", len(b))
	}
	for _, line := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		fmt.Fprintf(out, "%s%s\n", prefix, line)
	}
	if cut != "" {
		fmt.Fprintf(out, "%s%s\n", prefix, cut)
	}
}

// redactJSON re-encodes a JSON body with secret keys' values and
// token-shaped strings replaced.
func redactJSON(b []byte) string {
	var v any
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return redactText(string(b))
	}
	v = redactValue(v)
	out, err := json.Marshal(v)
	if err != nil {
		return traceRedacted
	}
	return string(out)
}

func redactValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if traceSecretKeys[strings.ToLower(k)] {
				if e != nil {
					x[k] = traceRedacted
				}
				continue
			}
			x[k] = redactValue(e)
		}
	case []any:
		for i, e := range x {
			x[i] = redactValue(e)
		}
	case string:
		return redactText(x)
	}
	return v
}

// redactText replaces token-shaped strings and key=value secrets in text.
func redactText(s string) string {
	s = jwtLike.ReplaceAllString(s, traceRedacted)
	return traceKV.ReplaceAllString(s, "${1}="+traceRedacted)
}

// installHTTPTrace makes every HTTP client byok builds (they all end in
// http.DefaultTransport, the oauth2 and Graph clients included) trace to
// f's standard error until f.Close. --debug calls it once per command.
func installHTTPTrace(f *Factory) {
	old := http.DefaultTransport
	if _, ok := old.(*traceTransport); ok {
		return
	}
	http.DefaultTransport = &traceTransport{base: old, w: f.IO.ErrOut, now: time.Now}
	f.addCloser(func() error {
		http.DefaultTransport = old
		return nil
	})
}
