package doctor

import (
	"fmt"
	"github.com/hiveku/byok/flow"
	"strings"
	"unicode/utf8"
)

const guidPattern = `[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`

// quote matches the quotes Microsoft's pages and messages use, including
// the typographic ones of the sign-in page.
const quote = `['‘’"]`

// Patterns for the details named in Microsoft's messages. They run on one
// message (a few hundred bytes) each, so their cost is bounded.
var (
	reGUID      = flow.LazyRE(guidPattern)
	reRedirect  = flow.LazyRE(`(?i)(?:redirect uri|reply address|reply url)\s*` + quote + `([^'‘’"\s]{3,})` + quote)
	reAppID     = flow.LazyRE(`(?i)\b(?:app(?:lication)?|client(?:\s+app)?)(?:\s+(?:with\s+)?(?:identifier|id))?\s*:?\s*` + quote + `?\{?(` + guidPattern + `)`)
	reAppName   = flow.LazyRE(guidPattern + `\}?` + quote + `?\s*\(([^()\n]{1,120})\)`)
	reNamed     = flow.LazyRE(`(?i)\bnamed\s+` + quote + `([^'‘’"\n]{1,120})` + quote)
	reTenant    = flow.LazyRE(`(?i)\b(?:tenant|directory)\s+` + quote + `([^'‘’"\n]{1,255})` + quote)
	reTenantID  = flow.LazyRE(`(?i)\b(?:tenant|directory)\s+\{?(` + guidPattern + `)`)
	reUser      = flow.LazyRE(`(?i)user account\s+` + quote + `([^'‘’"\s]{1,255})` + quote)
	reEmail     = flow.LazyRE(`[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}`)
	reIdP       = flow.LazyRE(`(?i)identity provider\s+` + quote + `([^'‘’"\s]{1,255})` + quote)
	reScope     = flow.LazyRE(`(?i)\bscope\s+` + quote + `?([^'‘’"\s]{2,200}?)` + quote + `?\s+(?:is not|isn't|is) (?:not )?valid`)
	reTimestamp = flow.LazyRE(`\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?`)
	reAuthority = flow.LazyRE(`(?i)login\.(?:microsoftonline\.(?:com|us)|partner\.microsoftonline\.cn|chinacloudapi\.cn|windows\.net)/([A-Za-z0-9.\-]{2,255})/(?:oauth2|v2\.0|adminconsent)`)
)

// finding builds the Finding of groups[gi].
func (d *Doctor) finding(s string, evs []event, groups []group, gi int) Finding {
	g := groups[gi]
	a := evs[g.anchor]
	fwdEnd, backStart := a.pos+4000, a.pos-2000
	for j := g.anchor + 1; j < len(evs); j++ {
		if evs[j].group >= 0 && evs[j].group != gi {
			if evs[j].pos < fwdEnd {
				fwdEnd = evs[j].pos
			}
			break
		}
	}
	for j := g.anchor - 1; j >= 0; j-- {
		if evs[j].group >= 0 && evs[j].group != gi {
			if evs[j].end > backStart {
				backStart = evs[j].end
			}
			break
		}
	}
	fwd := window(s, a.pos, fwdEnd)
	back := window(s, backStart, a.pos)

	var msg string
	switch a.kind {
	case evCode:
		msg = readMessage(s, a.end)
	case evName:
		msg = bareMessage(s, a, fwd)
	case evPhrase:
		msg = readMessage(s, sentenceStart(s, a.pos))
	}
	if g.code != 0 && msg == "" {
		// error_codes or "Error Code:" only: the description may sit just
		// before, as in a JSON body whose keys came in another order.
		if k := strings.LastIndex(back, "error_description"); k >= 0 {
			msg = descriptionAfter(back[k:])
		}
	}

	f := Finding{Code: g.code, Error: g.name, Message: msg}
	entry, known := g.entry, g.known
	if g.code != 0 {
		if v, ok := d.variant(g.code, msg+"\n"+window(fwd, 0, 1000)); ok {
			entry, known = v, true
		}
	}
	if known {
		f.Category, f.Title, f.Cause, f.Fix, f.Portal = entry.Category, entry.Title, entry.Cause, entry.Fix, entry.Portal
	} else {
		cat := InferCategory(msg)
		f.Category = cat
		f.Title = fmt.Sprintf("Sign-in error AADSTS%d (not in byok's catalog)", g.code)
		f.Cause = "Microsoft returned an error byok has no entry for; " + categoryCause[cat] + " Microsoft's own message is shown below."
		f.Fix = categoryFix[cat] + fmt.Sprintf(" Microsoft's page for the code: %s; if it stays unclear, send the trace and correlation IDs to Hiveku support.", LookupURL(g.code))
	}
	if f.Error == "" && g.code == 0 {
		f.Error = g.name
	}
	f.Details = details(msg, fwd, back)
	if !g.known && g.code != 0 {
		if f.Details == nil {
			f.Details = map[string]string{}
		}
		f.Details["lookup"] = LookupURL(g.code)
	}
	return f
}

// bareMessage finds the description that goes with an OAuth error value:
// an error_description field nearby, else the text after "name:".
func bareMessage(s string, a event, fwd string) string {
	if k := strings.Index(window(fwd, 0, 600), "error_description"); k >= 0 {
		return descriptionAfter(fwd[k:])
	}
	i := a.end
	for n := 0; i < len(s) && n < 4 && strings.IndexByte(`"' :,-`, s[i]) >= 0; n++ {
		i++
	}
	if i == a.end || i >= len(s) {
		return ""
	}
	m := readMessage(s, i)
	if strings.HasPrefix(m, "AADSTS") || strings.HasPrefix(m, "error") {
		return ""
	}
	return m
}

// descriptionAfter reads the value of an error_description label at the
// start of t (JSON, Python, query string or log style).
func descriptionAfter(t string) string {
	i := len("error_description")
	for n := 0; i < len(t) && n < 6 && strings.IndexByte(`"' :=`, t[i]) >= 0; n++ {
		i++
	}
	return readMessage(t, i)
}

// readMessage reads Microsoft's message starting at s[i:]: up to the end
// of the string it sits in, the Trace ID / Correlation ID / Timestamp
// lines, or a line that does not continue the sentence (a ticket wraps
// mid-sentence; log lines start with a date or a capital).
func readMessage(s string, i int) string {
	for i < len(s) && (s[i] == ':' || s[i] == ' ' || s[i] == '\t') {
		i++
	}
	var b strings.Builder
	for i < len(s) && b.Len() < maxMessage {
		c := s[i]
		switch {
		case c == '"' || c == '\\' || c == '<' || c == '{' || c == '}':
			return cleanMessage(b.String())
		case c == '\'' && endsPyString(s, i):
			return cleanMessage(b.String())
		case c == '\n':
			cur := strings.TrimRight(b.String(), " \t")
			j := i + 1
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			if j >= len(s) || s[j] == '\n' || cur == "" {
				return cleanMessage(b.String())
			}
			last := cur[len(cur)-1]
			switch {
			case last == '/' || last == '-':
				b.Reset()
				b.WriteString(cur)
			case isLower(s[j]) || s[j] == '\'' || s[j] == '(':
				b.WriteByte(' ')
			default:
				return cleanMessage(b.String())
			}
			if isMarker(s, j) || isParam(s, j) {
				return cleanMessage(b.String())
			}
			i = j
			continue
		case (c == 'T' || c == 'C' || c == 'R' || c == 't' || c == 'c' || c == 'r') && (i == 0 || s[i-1] == ' ' || s[i-1] == '\n' || s[i-1] == '.') && isMarker(s, i):
			return cleanMessage(b.String())
		}
		b.WriteByte(c)
		i++
	}
	return cleanMessage(b.String())
}

// endsPyString reports whether the quote at s[i] closes a Python repr
// string inside a dict or list ("…', 'next'" or "…'}"), rather than
// being an apostrophe or a quote inside Microsoft's message.
func endsPyString(s string, i int) bool {
	r := s[i+1:]
	return strings.HasPrefix(r, "}") || strings.HasPrefix(r, "]") ||
		strings.HasPrefix(r, ", '") || strings.HasPrefix(r, `, "`)
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }

// isParam reports whether s[i:] starts a query parameter ("state=…"):
// decodeQueries put each on its own line, and none continues a message.
func isParam(s string, i int) bool {
	j := i
	for j < len(s) && j-i < 40 && (isLower(s[j]) || s[j] == '_') {
		j++
	}
	return j > i && j < len(s) && s[j] == '='
}

// sentenceStart returns where the sentence holding s[pos] begins: after
// the last full stop, quote or line break before it (at most 300 bytes
// back).
func sentenceStart(s string, pos int) int {
	from := pos - 300
	if from < 0 {
		from = 0
	}
	start := from
	for i := pos - 1; i >= from; i-- {
		c := s[i]
		if c == '\n' || c == '"' || (c == ' ' && i > 0 && (s[i-1] == '.' || s[i-1] == ':')) {
			start = i + 1
			break
		}
	}
	return start
}

// markers end a message: Microsoft appends them after the text.
var markers = []string{"trace id:", "correlation id:", "timestamp:", "request id:", "trace id :", "correlation id :"}

func isMarker(s string, i int) bool {
	for _, m := range markers {
		if i+len(m) <= len(s) && strings.EqualFold(s[i:i+len(m)], m) {
			return true
		}
	}
	return false
}

// cleanMessage collapses whitespace, trims separators and bounds the
// length on a rune boundary.
func cleanMessage(m string) string {
	m = cutCredentials(m)
	m = strings.Join(strings.Fields(m), " ")
	m = strings.TrimRight(m, " -:,;'")
	m = strings.TrimLeft(m, " -:,;'")
	if len(m) > maxMessage {
		cut := maxMessage
		for cut > 0 && !utf8.RuneStart(m[cut]) {
			cut--
		}
		m = m[:cut] + "…"
	}
	if !utf8.ValidString(m) {
		m = strings.ToValidUTF8(m, "�")
	}
	return m
}

// details extracts what the message names, the support IDs that follow it
// and the parameters of a request URL pasted with it.
func details(msg, fwd, back string) map[string]string {
	d := map[string]string{}
	set := func(k, v string) {
		v = strings.TrimSpace(v)
		if v != "" && d[k] == "" && utf8.ValidString(v) {
			d[k] = v
		}
	}
	if m := reRedirect().FindStringSubmatch(msg); m != nil {
		set("redirect_uri", m[1])
	}
	if m := reAppID().FindStringSubmatch(msg); m != nil {
		set("app_id", strings.ToLower(m[1]))
	}
	if m := reAppName().FindStringSubmatch(msg); m != nil {
		set("app_name", m[1])
	} else if m := reNamed().FindStringSubmatch(msg); m != nil {
		set("app_name", m[1])
	}
	if m := reTenant().FindStringSubmatch(msg); m != nil {
		set("tenant", m[1])
	} else if m := reTenantID().FindStringSubmatch(msg); m != nil {
		set("tenant", strings.ToLower(m[1]))
	}
	if m := reUser().FindStringSubmatch(msg); m != nil {
		set("user", m[1])
	} else if m := reEmail().FindString(msg); m != "" {
		set("user", m)
	}
	if m := reIdP().FindStringSubmatch(msg); m != nil {
		set("identity_provider", m[1])
	}
	if m := reScope().FindStringSubmatch(msg); m != nil {
		set("scope", m[1])
	}
	lf := strings.ToLower(window(fwd, 0, 4000))
	set("trace_id", guidAfter(fwd, lf, "trace id", "trace_id", "traceid", "request id", "request_id"))
	set("correlation_id", guidAfter(fwd, lf, "correlation id", "correlation_id", "correlationid", "client-request-id"))
	set("timestamp", timestampAfter(fwd, lf))
	// Office and Outlook pages list the app under labels.
	set("app_id", guidAfter(fwd, lf, "app id:", "application id:", "client id:", "client app id:"))
	set("app_name", lineAfter(fwd, lf, "app name:"))
	for _, region := range []string{fwd, back} {
		set("redirect_uri", param(region, "redirect_uri="))
		if id := param(region, "client_id="); reGUID().MatchString(id) && len(id) == 36 {
			set("app_id", strings.ToLower(id))
		}
		set("scope", param(region, "scope="))
		set("user", param(region, "login_hint="))
		if !strings.Contains(region, "login.") {
			continue
		}
		if m := reAuthority().FindStringSubmatch(region); m != nil {
			set("tenant", m[1])
		}
	}
	if len(d) == 0 {
		return nil
	}
	return d
}

// guidAfter returns the GUID that follows one of labels closely in s (lf
// is s lowered, same length as far as the labels go).
func guidAfter(s, lf string, labels ...string) string {
	for _, l := range labels {
		k := strings.Index(lf, l)
		if k < 0 {
			continue
		}
		rest := window(s, k+len(l), k+len(l)+60)
		if loc := reGUID().FindStringIndex(rest); loc != nil && loc[0] <= 8 {
			return strings.ToLower(rest[loc[0]:loc[1]])
		}
	}
	return ""
}

func timestampAfter(s, lf string) string {
	k := strings.Index(lf, "timestamp")
	if k < 0 {
		return ""
	}
	rest := window(s, k+len("timestamp"), k+len("timestamp")+50)
	if loc := reTimestamp().FindStringIndex(rest); loc != nil && loc[0] <= 8 {
		return rest[loc[0]:loc[1]]
	}
	return ""
}

// param returns the value of a query parameter label ("redirect_uri=") in
// s, up to the end of its line or a space or quote.
func param(s, label string) string {
	k := strings.Index(s, label)
	if k < 0 {
		return ""
	}
	v := s[k+len(label):]
	if e := strings.IndexAny(v, " \n\t\"'&<>"); e >= 0 {
		v = v[:e]
	}
	if len(v) > 512 {
		return ""
	}
	return v
}

// lineAfter returns the rest of the line after label in s (lf is s
// lowered), trimmed and bounded.
func lineAfter(s, lf, label string) string {
	k := strings.Index(lf, label)
	if k < 0 {
		return ""
	}
	v := s[k+len(label):]
	if e := strings.IndexByte(v, '\n'); e >= 0 {
		v = v[:e]
	}
	v = strings.TrimSpace(v)
	if len(v) > 120 {
		return ""
	}
	return v
}

// credentialKeys name request parameters whose values are secrets; a
// message that runs into one (a pasted request body or curl -v output)
// is cut before it, so doctor never repeats a secret or a code.
var credentialKeys = []string{"client_secret", "code_verifier", "refresh_token", "access_token", "client_assertion", "id_token", "&code=", "?code="}

func cutCredentials(m string) string {
	for _, k := range credentialKeys {
		if i := strings.Index(m, k); i >= 0 {
			rest := m[i+len(k):]
			if strings.HasPrefix(rest, "=") || strings.HasPrefix(rest, `":`) || strings.HasPrefix(rest, `" :`) || strings.HasPrefix(rest, "':") || strings.HasPrefix(k, "&") || strings.HasPrefix(k, "?") {
				m = m[:i]
			}
		}
	}
	return m
}
