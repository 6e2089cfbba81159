package flow

import (
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RedirectMismatch describes how an entered redirect URI differs from the
// one expected. ValidateRedirectURI returns it wrapped in an EINVALID
// *Error (the *Error's Err field), so both
//
//	var e *flow.Error; errors.As(err, &e)             // field, message, fix
//	var rm *flow.RedirectMismatch; errors.As(err, &rm) // the diff to draw
//
// work on the same error.
type RedirectMismatch struct {
	Got  string // what was entered
	Want string // HivekuRedirectURI
	// Problems names each mistake in plain words (see CompareRedirect).
	Problems []string
	// GotLine, WantLine and Marks are MarkDiff(Got, Want).
	GotLine, WantLine, Marks string
}

// Error lists the problems.
func (m *RedirectMismatch) Error() string {
	return "redirect URI differs from " + m.Want + ": " + strings.Join(m.Problems, "; ")
}

// NewRedirectMismatch compares got with want and returns the mismatch, or
// nil when they are equal.
func NewRedirectMismatch(got, want string) *RedirectMismatch {
	if got == want {
		return nil
	}
	g, w, mk := MarkDiff(got, want)
	return &RedirectMismatch{Got: got, Want: want, Problems: CompareRedirect(got, want), GotLine: g, WantLine: w, Marks: mk}
}

// PortalRedirectPath is where redirect URIs are edited in the Azure portal.
const PortalRedirectPath = "App registrations > your app > Authentication > Web > Redirect URIs"

// ValidateRedirectURI checks s against HivekuRedirectURI, byte for byte
// (Microsoft compares the whole address, case included). Any difference
// returns an EINVALID *Error for "redirect URI" whose Message names each
// mistake and whose Err is a *RedirectMismatch carrying the diff.
func ValidateRedirectURI(s string) error {
	if s == HivekuRedirectURI {
		return nil
	}
	if strings.TrimSpace(s) == "" {
		return Invalid("redirect URI", "is empty").
			WithFix("enter %s, the address registered under %s", HivekuRedirectURI, PortalRedirectPath)
	}
	m := NewRedirectMismatch(s, HivekuRedirectURI)
	shown := m.Problems
	if len(shown) > 4 {
		shown = append(shown[:4:4], fmt.Sprintf("and %d more", len(m.Problems)-4))
	}
	e := Invalid("redirect URI", "does not match Hiveku's exactly: %s", strings.Join(shown, "; "))
	e.Err = m
	fix := fmt.Sprintf("enter exactly %s and register the same under %s", HivekuRedirectURI, PortalRedirectPath)
	switch {
	case isLoopback(s):
		fix += "; http://localhost is only the optional second address byok verify uses (--add-loopback), not the one Hiveku sends"
	case farFromHiveku(s):
		fix += "; for a staging or self-hosted Hiveku, confirm a custom URI instead (--allow-custom-redirect)"
	}
	return e.WithFix("%s", fix)
}

// isLoopback reports whether s points at this computer (localhost or
// 127.0.0.1), i.e. the loopback redirect URI typed in the wrong place.
func isLoopback(s string) bool {
	v, _ := unquote(strings.TrimSpace(s))
	h := splitURL(strings.ToLower(strings.TrimSpace(v))).host
	return h == "localhost" || h == "127.0.0.1"
}

// farFromHiveku reports whether s does not look like an attempt at
// Hiveku's address at all (another host entirely).
func farFromHiveku(s string) bool {
	v, _ := unquote(strings.TrimSpace(s))
	p := splitURL(strings.ToLower(strings.TrimSpace(v)))
	if p.host == "" || strings.Contains(p.host, "hiveku") {
		return false
	}
	return editDistance(p.host, "app.hiveku.com") > 3
}

// urlParts is a forgiving split of an address typed by a person; unlike
// net/url it never fails, so every mistake can be named.
type urlParts struct {
	scheme      string
	hasScheme   bool
	slashes     int // slashes after "scheme:"
	host, port  string
	path        string
	query       string
	hasQuery    bool
	fragment    string
	hasFragment bool
}

var schemeRE = LazyRE(`^([A-Za-z][A-Za-z0-9+.-]{0,15}):(/*)`)

func splitURL(s string) urlParts {
	var p urlParts
	if i := strings.IndexByte(s, '#'); i >= 0 {
		p.fragment, p.hasFragment, s = s[i+1:], true, s[:i]
	}
	if i := strings.IndexByte(s, '?'); i >= 0 {
		p.query, p.hasQuery, s = s[i+1:], true, s[:i]
	}
	if m := schemeRE().FindStringSubmatch(s); m != nil {
		sc := strings.ToLower(m[1])
		// "localhost:8080/x" is host:port, not a scheme: require slashes
		// unless it is an http(s) spelling.
		if (len(m[2]) > 0 && !strings.Contains(m[1], ".")) || sc == "http" || sc == "https" {
			p.scheme, p.hasScheme, p.slashes = m[1], true, len(m[2])
			s = s[len(m[0]):]
		}
	} else if strings.HasPrefix(s, "//") {
		s = strings.TrimLeft(s, "/")
	}
	auth := s
	if i := strings.IndexByte(s, '/'); i >= 0 {
		auth, p.path = s[:i], s[i:]
	}
	p.host = auth
	if i := strings.LastIndexByte(auth, ':'); i >= 0 && !strings.Contains(auth[i:], "]") {
		p.host, p.port = auth[:i], auth[i+1:]
	}
	return p
}

// CompareRedirect lists, in plain words, every difference between got and
// want that matters to Microsoft: whitespace (leading, trailing, inside),
// a missing or wrong scheme (http instead of https), slashes after the
// scheme, wrong host (hiveku.com without app., app.hiveku.io, typos), a
// port, case differences (saying where), a missing, extra or misspelt
// path segment (e.g. /callback), a trailing slash, and an added query
// string or fragment. It returns nil when they are equal byte for byte.
func CompareRedirect(got, want string) []string {
	if got == want {
		return nil
	}
	trimmed := strings.TrimSpace(got)
	if trimmed == "" {
		return []string{"the address is empty"}
	}
	var out []string
	if lead := got[:len(got)-len(strings.TrimLeftFunc(got, unicode.IsSpace))]; lead != "" {
		out = append(out, whitespaceWord(lead)+" at the start")
	}
	if trail := got[len(strings.TrimRightFunc(got, unicode.IsSpace)):]; trail != "" {
		out = append(out, whitespaceWord(trail)+" at the end")
	}
	if in, ok := unquote(trimmed); ok {
		out = append(out, "quotes around the address: remove them")
		trimmed = strings.TrimSpace(in)
		if trimmed == "" {
			return append(out, "the address is empty")
		}
	}
	if i, r := firstRune(trimmed, func(r rune) bool { return unicode.IsSpace(r) && !invisible(r) }); i > 0 {
		out = append(out, fmt.Sprintf("%s inside the address (character %d)", whitespaceWord(string(r)), i))
	}
	if i, r := firstRune(trimmed, odd); i > 0 && !strings.ContainsFunc(want, odd) {
		if invisible(r) {
			out = append(out, fmt.Sprintf("%s at character %d: retype the address", runeName(r), i))
		} else {
			out = append(out, fmt.Sprintf("%s at character %d: retype it", runeName(r), i))
		}
	}
	s := strings.Join(strings.FieldsFunc(trimmed, func(r rune) bool { return unicode.IsSpace(r) || invisible(r) }), "")
	if s == want {
		return out
	}
	before := len(out)
	g, w := splitURL(s), splitURL(want)
	out = append(out, compareScheme(g, w)...)
	out = append(out, compareHost(g, w)...)
	if far := g.host != "" && !strings.EqualFold(g.host, w.host) && editDistance(strings.ToLower(g.host), strings.ToLower(w.host)) > 3 &&
		!strings.HasSuffix(strings.ToLower(w.host), "."+strings.ToLower(g.host)) && !strings.HasSuffix(strings.ToLower(g.host), "."+strings.ToLower(w.host)); far && g.path != w.path && g.path != "" {
		// Another site entirely: listing every path segment would bury
		// the one thing that matters.
		out = append(out, fmt.Sprintf("path “%s” instead of “%s”", clip(g.path), w.path))
	} else {
		out = append(out, comparePath(g.path, w.path)...)
	}
	if g.hasQuery && !w.hasQuery {
		out = append(out, fmt.Sprintf("query string “?%s” added: Microsoft matches the address without it", clip(g.query)))
	} else if g.query != w.query || g.hasQuery != w.hasQuery {
		out = append(out, fmt.Sprintf("query string “%s” should be “%s”", clip(g.query), w.query))
	}
	if g.hasFragment && !w.hasFragment {
		out = append(out, fmt.Sprintf("fragment “#%s” added: redirect URIs can't have one", clip(g.fragment)))
	} else if g.fragment != w.fragment || g.hasFragment != w.hasFragment {
		out = append(out, fmt.Sprintf("fragment “%s” should be “%s”", clip(g.fragment), w.fragment))
	}
	if len(out) == before {
		out = append(out, "differs: "+describeEdits(s, want))
	}
	return out
}

func whitespaceWord(ws string) string {
	switch {
	case strings.ContainsAny(ws, "\r\n"):
		return "line break"
	case strings.Contains(ws, "\t"):
		return "tab"
	case len([]rune(ws)) > 1:
		return "spaces"
	}
	return "space"
}

func compareScheme(g, w urlParts) []string {
	var out []string
	switch {
	case !g.hasScheme && w.hasScheme:
		out = append(out, fmt.Sprintf("missing %s:// at the start", w.scheme))
		return out
	case g.scheme == w.scheme:
	case strings.EqualFold(g.scheme, "http") && w.scheme == "https":
		out = append(out, "uses http:// instead of https://")
	case strings.EqualFold(g.scheme, w.scheme):
		out = append(out, fmt.Sprintf("case differs in the scheme: “%s” should be “%s”", g.scheme, w.scheme))
	default:
		out = append(out, fmt.Sprintf("scheme “%s” should be “%s” (%s)", clip(g.scheme), w.scheme, describeEdits(g.scheme, w.scheme)))
	}
	if w.hasScheme && g.slashes != w.slashes {
		out = append(out, fmt.Sprintf("%s after “%s:” instead of %d: write %s://", plural(g.slashes, "slash"), g.scheme, w.slashes, w.scheme))
	}
	return out
}

func compareHost(g, w urlParts) []string {
	var out []string
	switch gh, wh := g.host, w.host; {
	case gh == wh:
	case gh == "":
		out = append(out, "missing the host "+wh)
	case strings.EqualFold(gh, wh):
		out = append(out, fmt.Sprintf("case differs in the host: “%s” should be “%s”", gh, wh))
	default:
		lg, lw := strings.ToLower(gh), strings.ToLower(wh)
		gl, wl := strings.Split(lg, "."), strings.Split(lw, ".")
		switch {
		case strings.HasSuffix(lw, "."+lg):
			out = append(out, fmt.Sprintf("wrong host: “%s” is missing “%s”", clip(gh), strings.TrimSuffix(lw, lg)))
		case strings.HasSuffix(lg, "."+lw):
			out = append(out, fmt.Sprintf("wrong host: remove “%s” from “%s”", clip(strings.TrimSuffix(lg, lw)), clip(gh)))
		case len(gl) == len(wl) && differingLabels(gl, wl) == 1:
			for i := range gl {
				if gl[i] == wl[i] {
					continue
				}
				if i == len(gl)-1 {
					out = append(out, fmt.Sprintf("wrong host: ends in “.%s” instead of “.%s”", clip(gl[i]), wl[i]))
				} else {
					out = append(out, fmt.Sprintf("typo in the host: “%s” should be “%s” (%s)", gh, wh, describeEdits(gl[i], wl[i])))
				}
			}
		case editDistance(lg, lw) <= 3:
			out = append(out, fmt.Sprintf("typo in the host: “%s” should be “%s” (%s)", gh, wh, describeEdits(lg, lw)))
		default:
			out = append(out, fmt.Sprintf("wrong host: “%s” instead of “%s”", clip(gh), wh))
		}
	}
	switch {
	case g.port == w.port:
	case w.port == "":
		out = append(out, fmt.Sprintf("port “:%s” added: remove it", clip(g.port)))
	default:
		out = append(out, fmt.Sprintf("port “%s” should be “%s”", clip(g.port), w.port))
	}
	return out
}

func differingLabels(a, b []string) int {
	n := 0
	for i := range a {
		if a[i] != b[i] {
			n++
		}
	}
	return n
}

func comparePath(gp, wp string) []string {
	if gp == wp {
		return nil
	}
	var out []string
	if strings.Contains(gp, "//") && !strings.Contains(wp, "//") {
		out = append(out, "double slash “//” in the path")
	}
	if t := strings.TrimRight(gp, "/"); t != gp && !strings.HasSuffix(wp, "/") && t != "" {
		out = append(out, fmt.Sprintf("trailing slash after “%s”: remove it", lastSegment(t)))
		gp = t
	}
	if gp == wp {
		return out
	}
	if gp == "" || gp == "/" {
		return append(out, "missing the path "+wp)
	}
	gs, ws := pathSegments(gp), pathSegments(wp)
	// A minimal edit script never puts a delete next to an insert (one
	// substitution is cheaper), so a changed segment shows as opSub.
	script := editScript(gs, ws, func(a, b string) bool { return a == b })
	for i, e := range script {
		switch e.op {
		case opDel:
			where := "at the end"
			if next := nextWant(script[i+1:]); next != "" {
				where = "before /" + next
			}
			out = append(out, fmt.Sprintf("missing /%s %s", e.w, where))
		case opIns:
			out = append(out, fmt.Sprintf("extra /%s in the path: remove it", clip(e.g)))
		case opSub:
			out = append(out, segmentChange(e.g, e.w))
		}
	}
	return out
}

// nextWant returns the next segment of want in s, or "".
func nextWant(s []edit[string]) string {
	for _, e := range s {
		if e.op != opIns {
			return e.w
		}
	}
	return ""
}

// similar reports whether a looks like a misspelling of b.
func similar(a, b string) bool {
	return editDistance(strings.ToLower(a), strings.ToLower(b)) <= max(2, len(b)/3)
}

func segmentChange(g, w string) string {
	if strings.EqualFold(g, w) {
		return fmt.Sprintf("case differs in the path: “%s” should be “%s” (paths are case-sensitive)", g, w)
	}
	if similar(g, w) {
		return fmt.Sprintf("typo in the path: “%s” should be “%s” (%s)", g, w, describeEdits(g, w))
	}
	return fmt.Sprintf("path segment “%s” should be “%s”", clip(g), w)
}

func pathSegments(p string) []string {
	var out []string
	for _, s := range strings.Split(p, "/") {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// lastSegment returns the last "/segment" of a path that starts with /.
func lastSegment(p string) string {
	return p[max(strings.LastIndexByte(p, '/'), 0):]
}

// redirectForbidden are characters Microsoft does not support in
// redirect URIs.
const redirectForbidden = "!$'(),;"

// ValidateCustomRedirectURI checks a confirmed non-Hiveku redirect URI
// against Microsoft's rules for the account type: absolute, https except
// http://localhost and http://127.0.0.1, no fragment, no wildcard, at
// most 256 characters, none of ! $ ' ( ) , ; and no query string for
// personal-account audiences (MultiTenantPersonal, PersonalOnly).
// Hiveku's own URI always passes. Errors are EINVALID for "redirect URI".
func ValidateCustomRedirectURI(s string, a AccountType) error {
	if s == HivekuRedirectURI {
		return nil
	}
	const field = "redirect URI"
	switch {
	case strings.TrimSpace(s) == "":
		return Invalid(field, "is empty").WithFix("enter the address Microsoft should send people back to, e.g. %s", HivekuRedirectURI)
	case strings.IndexFunc(s, unicode.IsSpace) >= 0:
		return Invalid(field, "contains whitespace").WithFix("remove the spaces or line breaks")
	case checkHostile(field, s, "") != nil:
		return checkHostile(field, s, "type the address again; it holds a character that does not print or reorders the text")
	case utf8.RuneCountInString(s) > 256:
		return Invalid(field, "is %d characters long; Microsoft allows at most 256", utf8.RuneCountInString(s)).WithFix("use a shorter address")
	case strings.Contains(s, "*"):
		return Invalid(field, "contains a wildcard (*)").WithFix("enter one exact address; wildcards are not allowed for this app")
	case strings.ContainsAny(s, redirectForbidden):
		i := strings.IndexAny(s, redirectForbidden)
		return Invalid(field, "contains “%c”, which Microsoft does not accept in redirect URIs", s[i]).
			WithFix("remove the characters ! $ ' ( ) , ; from the address")
	case strings.Contains(s, "#"):
		return Invalid(field, "contains a fragment (#…)").WithFix("remove everything from # on; redirect URIs can't have a fragment")
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return Invalid(field, "is not an absolute address").WithFix("enter a full address starting with https://, e.g. %s", HivekuRedirectURI)
	}
	host := strings.ToLower(u.Hostname())
	loopback := host == "localhost" || host == "127.0.0.1"
	switch {
	case strings.HasPrefix(u.Host, "["):
		return Invalid(field, "uses an IPv6 address, which Microsoft does not support").WithFix("use http://localhost or http://127.0.0.1 instead")
	case u.Scheme == "https":
	case u.Scheme == "http" && loopback:
	case u.Scheme == "http":
		return Invalid(field, "uses http://; only localhost may use http").WithFix("use https://%s%s", u.Host, u.EscapedPath())
	default:
		return Invalid(field, "uses the scheme “%s:”; a Web redirect URI must use https", u.Scheme).WithFix("use an https:// address")
	}
	if (u.RawQuery != "" || u.ForceQuery) && (a == MultiTenantPersonal || a == PersonalOnly) {
		return Invalid(field, "has a query string, which apps for personal Microsoft accounts can't use").
			WithFix("remove everything from ? on, or choose an account type without personal accounts")
	}
	return nil
}
