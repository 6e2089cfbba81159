package doctor

import (
	"fmt"
	"sort"
	"strings"
)

// MaxFindings bounds the findings of one Diagnose call.
const MaxFindings = 100

// maxEvents bounds the raw matches kept from one input, so that a paste
// of millions of codes costs bounded memory.
const maxEvents = 1 << 14

// maxMessage bounds Microsoft's message kept per finding, in bytes.
const maxMessage = 700

// OAuthErrors lists the OAuth 2.0 error values recognised without an
// AADSTS code.
var OAuthErrors = []string{
	"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client",
	"unsupported_grant_type", "unsupported_response_type", "invalid_scope",
	"invalid_resource", "access_denied", "consent_required",
	"interaction_required", "login_required", "server_error",
	"temporarily_unavailable",
}

// oauthErrorSet indexes OAuthErrors.
var oauthErrorSet = func() map[string]string {
	m := make(map[string]string, len(OAuthErrors))
	for _, e := range OAuthErrors {
		m[e] = e
	}
	return m
}()

// codeLabels follow "e"/"E" + "rror" where a bare AADSTS number comes next.
var codeLabels = []string{"_codes", "?code=", " Code:", " code:", "Code:", " Code "}

func isLowerByte(c byte) bool { return 'a' <= c && c <= 'z' }

// phrases are messages that identify a bare OAuth error even when the
// error value itself was not pasted.
var phrases = []struct{ text, name string }{
	{"not enabled for consumers", "unauthorized_client"},
}

type eventKind int

const (
	evCode   eventKind = iota // AADSTS12345: carries a message
	evWeak                    // error_codes, error?code=, Error Code: — a code, no message
	evName                    // an OAuth error value
	evPhrase                  // a phrase that implies an OAuth error
)

type event struct {
	pos, end int
	kind     eventKind
	code     int
	name     string
	group    int // index into groups, -1 when merged into nothing
}

// scan finds every code, OAuth error and phrase in s, sorted by position.
func scan(s string) []event {
	var evs []event
	add := func(e event) bool {
		if len(evs) >= maxEvents {
			return false
		}
		e.group = -1
		evs = append(evs, e)
		return true
	}
	for _, prefix := range []string{"AADSTS", "aadsts"} {
		for i := 0; ; {
			k := strings.Index(s[i:], prefix)
			if k < 0 {
				break
			}
			p := i + k
			q := p + len(prefix)
			code, e := digits(s, q)
			if code > 0 && !add(event{pos: p, end: e, kind: evCode, code: code}) {
				break
			}
			i = q
		}
	}
	// Codes without the AADSTS prefix follow "error_codes", "error?code=",
	// "Error Code:" or "ErrorCode:"; one pass finds them all via "rror".
	for i := 0; ; {
		k := strings.Index(s[i:], "rror")
		if k < 0 {
			break
		}
		p := i + k - 1
		q := p + 5
		i = q
		if p < 0 || (s[p] != 'e' && s[p] != 'E') {
			continue
		}
		matched := false
		for _, l := range codeLabels {
			if strings.HasPrefix(s[q:], l) {
				q += len(l)
				matched = true
				break
			}
		}
		if !matched {
			continue
		}
		// skip "\": [" or "=" or ": " before the numbers
		for n := 0; q < len(s) && n < 6 && strings.IndexByte(`"': =[`, s[q]) >= 0; n++ {
			q++
		}
		for n := 0; n < 5; n++ {
			code, e := digits(s, q)
			if code == 0 || !add(event{pos: p, end: e, kind: evWeak, code: code}) {
				break
			}
			q = e
			for q < len(s) && (s[q] == ',' || s[q] == ' ') {
				q++
			}
		}
	}
	// OAuth error values all contain "_": one pass over underscores, then
	// a look at the word around each.
	for i := 0; ; {
		k := strings.IndexByte(s[i:], '_')
		if k < 0 {
			break
		}
		u := i + k
		p := u
		for p > 0 && u-p < 12 && isLowerByte(s[p-1]) {
			p--
		}
		e := u + 1
		for e < len(s) && e-u < 16 && (isLowerByte(s[e]) || s[e] == '_') {
			e++
		}
		i = e
		if (p > 0 && isWordByte(s[p-1])) || (e < len(s) && isWordByte(s[e])) {
			continue
		}
		if name, ok := oauthErrorSet[s[p:e]]; ok {
			if !add(event{pos: p, end: e, kind: evName, name: name}) {
				break
			}
		}
	}
	for _, ph := range phrases {
		for i := 0; ; {
			k := strings.Index(s[i:], ph.text)
			if k < 0 {
				break
			}
			p := i + k
			if !add(event{pos: p, end: p + len(ph.text), kind: evPhrase, name: ph.name}) {
				break
			}
			i = p + len(ph.text)
		}
	}
	sort.SliceStable(evs, func(a, b int) bool { return evs[a].pos < evs[b].pos })
	return evs
}

// digits parses 5 to 9 decimal digits at s[i:] (an AADSTS code), returning
// the number and the index after them, or 0.
func digits(s string, i int) (int, int) {
	j := i
	v := 0
	for j < len(s) && j-i < 10 && s[j] >= '0' && s[j] <= '9' {
		v = v*10 + int(s[j]-'0')
		j++
	}
	if n := j - i; n < 5 || n > 9 || (j < len(s) && s[j] >= '0' && s[j] <= '9') {
		return 0, i
	}
	return v, j
}

type group struct {
	key    string
	code   int
	name   string // OAuth error value found with it
	entry  Entry
	known  bool
	anchor int // index of the event that carries the message (or the first)
	first  int // position of the first event
	strong bool
	phrase bool
}

// Diagnose finds every Microsoft sign-in error in text and explains each
// once, in the order they first appear. It returns nil when nothing is
// recognised.
func (d *Doctor) Diagnose(text string) []Finding {
	d.index()
	s := normalize(text)
	evs := scan(s)
	if len(evs) == 0 {
		return nil
	}
	groups := d.group(s, evs)
	order := make([]int, 0, len(groups))
	for gi := range groups {
		if groups[gi].key != "" {
			order = append(order, gi)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return groups[order[a]].first < groups[order[b]].first })
	var out []Finding
	for _, gi := range order {
		out = append(out, d.finding(s, evs, groups, gi))
		if len(out) >= MaxFindings {
			break
		}
	}
	return out
}

// group assigns events to findings: codes by number, OAuth error values
// to the code of the same error body (the next code within a few hundred
// bytes, else the previous one), the rest as bare errors.
func (d *Doctor) group(s string, evs []event) []group {
	var groups []group
	byKey := map[string]int{}
	join := func(i int, key string, mk func() group) {
		gi, ok := byKey[key]
		if !ok {
			if len(groups) >= 4*MaxFindings {
				return
			}
			g := mk()
			g.key, g.anchor, g.first = key, i, evs[i].pos
			groups = append(groups, g)
			gi = len(groups) - 1
			byKey[key] = gi
		}
		evs[i].group = gi
	}
	// Codes first, so that names can find their group.
	for i := range evs {
		e := evs[i]
		if e.kind != evCode && e.kind != evWeak {
			continue
		}
		key := fmt.Sprintf("c:%d", e.code)
		join(i, key, func() group {
			en, ok := d.Lookup(e.code)
			return group{code: e.code, entry: en, known: ok}
		})
		if gi := evs[i].group; gi >= 0 && e.kind == evCode && !groups[gi].strong {
			groups[gi].strong, groups[gi].anchor = true, i
		}
	}
	for i := range evs {
		e := evs[i]
		if e.kind != evName {
			continue
		}
		if gi := d.attach(s, evs, i); gi >= 0 {
			evs[i].group = gi
			if groups[gi].name == "" {
				groups[gi].name = e.name
			}
			continue
		}
		ctx := window(s, e.pos, e.pos+1500)
		en, ok := d.lookupBare(e.name, ctx)
		if !ok {
			continue
		}
		join(i, "e:"+e.name+"|"+en.Match, func() group {
			return group{name: e.name, entry: en, known: true, phrase: en.Match != ""}
		})
	}
	for i := range evs {
		e := evs[i]
		if e.kind != evPhrase {
			continue
		}
		// Covered when the error value itself sits just before.
		covered := false
		for k := i - 1; k >= 0 && e.pos-evs[k].pos <= 300; k-- {
			if evs[k].kind == evName && evs[k].name == e.name {
				covered = true
				if evs[i].group < 0 {
					evs[i].group = evs[k].group
				}
				break
			}
		}
		if covered {
			continue
		}
		ctx := window(s, e.pos, e.end)
		en, ok := d.lookupBare(e.name, ctx)
		if !ok {
			continue
		}
		join(i, "e:"+e.name+"|"+en.Match, func() group {
			return group{name: e.name, entry: en, known: true, phrase: true}
		})
	}
	// A generic bare error whose value also came with a code is the
	// same error told twice.
	carried := map[string]bool{}
	for _, g := range groups {
		if g.code != 0 && g.name != "" {
			carried[g.name] = true
		}
	}
	for gi := range groups {
		g := &groups[gi]
		if g.code == 0 && !g.phrase && carried[g.name] {
			g.key = ""
		}
	}
	return groups
}

// attach returns the code group an OAuth error value at evs[i] belongs to,
// or -1: the next code before any other error value, within 600 bytes;
// else the previous code within 800 bytes (JSON keys in another order,
// MSAL.NET's trailing "ErrorCode:"). Neither crosses the start of a new
// log line, so a bare error logged just before or after another error
// stays its own finding.
func (d *Doctor) attach(s string, evs []event, i int) int {
	e := evs[i]
	for j := i + 1; j < len(evs); j++ {
		f := evs[j]
		if f.kind == evPhrase {
			continue
		}
		if f.kind == evName || f.pos-e.end > 600 || newLogLine(window(s, e.end, f.pos)) {
			break
		}
		if f.group >= 0 {
			return f.group
		}
	}
	for j := i - 1; j >= 0; j-- {
		f := evs[j]
		if f.kind == evPhrase {
			continue
		}
		if f.kind == evName || e.pos-f.end > 800 || newLogLine(window(s, f.end, e.pos)) {
			break
		}
		if f.group >= 0 {
			return f.group
		}
	}
	return -1
}

// newLogLine reports whether gap contains the start of a timestamped log
// line (a line break followed by a digit).
func newLogLine(gap string) bool {
	for i := 0; ; {
		k := strings.IndexByte(gap[i:], '\n')
		if k < 0 {
			return false
		}
		i += k + 1
		if i < len(gap) && gap[i] >= '0' && gap[i] <= '9' {
			return true
		}
	}
}

func window(s string, from, to int) string {
	if from < 0 {
		from = 0
	}
	if to > len(s) {
		to = len(s)
	}
	if from >= to {
		return ""
	}
	return s[from:to]
}
