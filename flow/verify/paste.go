package verify

import (
	"github.com/hiveku/byok/flow/loopback"
	"html"
	"net/url"
	"strings"

	"github.com/hiveku/byok/flow"
)

// Pasted is what came back from the browser: an authorization code with
// its state, or Microsoft's error (from the redirect's query or from the
// text of an error page). Code is a flow.Secret so that printing a Pasted
// never shows it.
type Pasted struct {
	// Code is the authorization code ("" when the sign-in failed).
	Code flow.Secret
	// State is the state parameter the redirect carried ("" for page text).
	State string
	// Error is the OAuth error (e.g. access_denied), if any.
	Error string
	// Description is Microsoft's error_description, or the error line of
	// a pasted page.
	Description string
	// AADSTS is the AADSTS number found in the description, or 0.
	AADSTS int
	// AdminConsent is true for an admin consent redirect
	// (admin_consent=True).
	AdminConsent bool
}

// Failed reports whether p carries an error rather than a code.
func (p Pasted) Failed() bool { return p.Code.IsZero() && !p.AdminConsent }

// line renders p's error in one line.
func (p Pasted) line() string {
	return msError{Error: p.Error, Description: p.Description}.line()
}

// text renders p's error for the doctor.
func (p Pasted) text() string {
	m := msError{Error: p.Error, Description: p.Description}
	if p.AADSTS != 0 {
		m.Codes = []int{p.AADSTS}
	}
	return m.text()
}

// oauthErrors are the OAuth 2.0 / OIDC error values Microsoft uses, for
// recognising pasted text that carries no AADSTS number.
var oauthErrors = []string{
	"unauthorized_client", "access_denied", "invalid_request", "invalid_client",
	"invalid_grant", "invalid_scope", "consent_required", "interaction_required",
	"login_required", "unsupported_response_type", "server_error",
	"temporarily_unavailable", "invalid_resource",
}

// ParsePasted reads what a person pasted after the consent screen: the
// full address the browser landed on (query or fragment), just its query
// ("code=…&state=…", with or without "?"), or the text of a Microsoft
// error page ("AADSTS50011: The redirect URI …"). It returns an EINVALID
// *flow.Error naming the pasted address when nothing usable is found.
func ParsePasted(s string) (Pasted, error) {
	s = strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
	if strings.Contains(s, "&#") || strings.Contains(s, "&amp;") || strings.Contains(s, "&quot;") {
		s = html.UnescapeString(s) // copied from page source
	}
	if s == "" {
		return Pasted{}, flow.Invalid("pasted address", "nothing was pasted").
			WithFix("copy the whole address from the browser's address bar after the consent screen, or the error text Microsoft showed")
	}
	// A URL or query anywhere in the text (a log line, quotes, brackets).
	for _, f := range strings.Fields(s) {
		if p, ok := parseQueryish(f); ok {
			return p, nil
		}
	}
	if n := AADSTSCode(s); n != 0 {
		return Pasted{AADSTS: n, Description: errorLine(s, "AADSTS"), Error: findOAuthError(s)}, nil
	}
	if e := findOAuthError(s); e != "" {
		return Pasted{Error: e, Description: errorLine(s, e)}, nil
	}
	return Pasted{}, flow.Invalid("pasted address", "no authorization code or Microsoft error found in what was pasted").
		WithFix("after accepting the consent screen, copy the address bar (it contains code= and state=); if Microsoft showed an error, copy the line with AADSTS")
}

// parseQueryish parses f as a URL, a query or a fragment, and reports
// whether it carries a code, an error or an admin consent answer.
func parseQueryish(f string) (Pasted, bool) {
	f = strings.Trim(f, "\"'<>()[]{},;")
	raw := f
	if i := strings.Index(f, "://"); i >= 0 {
		u, err := url.Parse(f[schemeStart(f, i):])
		if err != nil {
			return Pasted{}, false
		}
		raw = u.RawQuery
		if raw == "" || !hasAnswer(raw) {
			raw = u.Fragment
		}
	} else if i := strings.IndexAny(f, "?#"); i >= 0 {
		raw = f[i+1:]
	}
	if !strings.Contains(raw, "=") || !hasAnswer(raw) {
		return Pasted{}, false
	}
	q, _ := url.ParseQuery(raw) // keeps every pair that parses
	p := Pasted{
		Code:         flow.Secret(strings.TrimSpace(q.Get("code"))),
		State:        q.Get("state"),
		Error:        loopback.CleanText(q.Get("error")),
		Description:  loopback.CleanText(q.Get("error_description")),
		AdminConsent: strings.EqualFold(q.Get("admin_consent"), "true"),
	}
	p.AADSTS = AADSTSCode(p.Description)
	if p.AADSTS == 0 {
		p.AADSTS = AADSTSCode(q.Get("error_codes"))
	}
	if p.Error != "" || p.Description != "" {
		p.Code = ""
	}
	if p.Code.IsZero() && p.Error == "" && p.Description == "" && !p.AdminConsent {
		return Pasted{}, false
	}
	return p, true
}

// hasAnswer reports whether a raw query has a code, error or admin
// consent parameter.
func hasAnswer(raw string) bool {
	for _, part := range strings.FieldsFunc(raw, func(r rune) bool { return r == '&' || r == ';' }) {
		k, _, _ := strings.Cut(part, "=")
		switch strings.ToLower(k) {
		case "code", "error", "error_description", "admin_consent":
			return true
		}
	}
	return false
}

// errorLine returns the first line of s containing marker, trimmed.
func errorLine(s, marker string) string {
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if i := strings.Index(l, marker); i >= 0 {
			return clip(strings.TrimSpace(l[i:]), 240)
		}
	}
	return firstLine(s)
}

// findOAuthError returns the first OAuth error value mentioned in s.
func findOAuthError(s string) string {
	low := strings.ToLower(s)
	for _, e := range oauthErrors {
		if strings.Contains(low, e) {
			return e
		}
	}
	return ""
}

// schemeStart returns where the URL scheme ending at i ("://") begins:
// the letters, digits, '+', '-' and '.' just before it.
func schemeStart(f string, i int) int {
	j := i
	for j > 0 {
		c := f[j-1]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.' {
			j--
			continue
		}
		break
	}
	return j
}
