package doctor

import (
	"html"
	"strings"
	"unicode/utf8"
)

// MaxInput is the number of bytes of input Diagnose looks at; the rest is
// ignored. Callers reading files or stdin should read at most this much.
const MaxInput = 16 << 20

// normalize peels the layers a pasted error arrives in, each pass linear
// in the input: JSON/Python/Go string escapes (up to three levels of
// nesting), HTML tags and entities, and URL encoding of query strings
// (percent escapes and + for space; & and ? split into lines). Line
// endings become \n.
func normalize(s string) string {
	if len(s) > MaxInput {
		s = s[:MaxInput]
	}
	for i := 0; i < 3 && strings.IndexByte(s, '\\') >= 0; i++ {
		t, changed := unescapeStrings(s)
		s = t
		if !changed {
			break
		}
	}
	if looksHTML(s) {
		s = stripTags(s)
	}
	if hasEntity(s) {
		s = html.UnescapeString(s)
	}
	s = decodeQueries(s)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return mendCodes(s)
}

// unescapeStrings decodes the escapes that JSON, Python reprs and Go's %q
// put into strings: \n \r \t \" \' \/ \\ and \uXXXX. "\r\n" becomes one
// newline. Unknown escapes are kept as they are.
func unescapeStrings(s string) (string, bool) {
	var b strings.Builder
	b.Grow(len(s))
	changed := false
	last := 0
	for i := 0; i < len(s)-1; i++ {
		k := strings.IndexByte(s[i:], '\\')
		if k < 0 {
			break
		}
		i += k
		if i >= len(s)-1 {
			break
		}
		var rep string
		n := 2
		switch s[i+1] {
		case 'n':
			rep = "\n"
		case 'r':
			rep = "\n"
			if i+3 < len(s) && s[i+2] == '\\' && s[i+3] == 'n' {
				n = 4
			}
		case 't':
			rep = " "
		case '"', '\'', '/', '\\':
			rep = s[i+1 : i+2]
		case 'u':
			if i+6 <= len(s) {
				if r, ok := hex4(s[i+2 : i+6]); ok {
					if r < 0x20 {
						rep = " "
						if r == '\n' || r == '\r' {
							rep = "\n"
						}
					} else {
						rep = string(rune(r))
					}
					n = 6
				}
			}
		}
		if rep == "" {
			continue
		}
		b.WriteString(s[last:i])
		b.WriteString(rep)
		i += n - 1
		last = i + 1
		changed = true
	}
	if !changed {
		return s, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

func hex4(h string) (int, bool) {
	v := 0
	for i := 0; i < 4; i++ {
		d := unhex(h[i])
		if d < 0 {
			return 0, false
		}
		v = v<<4 | d
	}
	if v >= 0xD800 && v <= 0xDFFF {
		return utf8.RuneError, true
	}
	return v, true
}

func unhex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'f':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// looksHTML reports whether s carries markup worth stripping.
func looksHTML(s string) bool {
	if strings.Index(s, "</") < 0 && strings.Index(s, "<br") < 0 && strings.Index(s, "<BR") < 0 {
		return false
	}
	for _, t := range []string{"<html", "<HTML", "<body", "<div", "<DIV", "<p>", "<P>", "<span", "<br", "<BR", "<td", "<pre", "<title"} {
		if strings.Contains(s, t) {
			return true
		}
	}
	return false
}

// inlineTags are replaced by a space, every other tag by a newline, so
// that "<b>AADSTS50011</b>: The redirect…" stays one sentence while
// paragraphs and table cells become lines.
var inlineTags = map[string]bool{"b": true, "i": true, "em": true, "strong": true, "span": true, "a": true, "code": true, "small": true, "font": true, "u": true, "label": true}

// stripTags removes tags and the content of script and style elements'
// tags (their text is kept: Microsoft's page embeds the message in a
// script too, and the extractor deduplicates).
func stripTags(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '<' {
			b.WriteByte(c)
			i++
			continue
		}
		end := strings.IndexByte(s[i:], '>')
		if end < 0 || !isTagStart(s, i+1) {
			b.WriteByte(c)
			i++
			continue
		}
		name := tagName(s[i+1 : i+end])
		if inlineTags[name] {
			b.WriteByte(' ')
		} else {
			b.WriteByte('\n')
		}
		i += end + 1
	}
	return b.String()
}

func isTagStart(s string, i int) bool {
	if i >= len(s) {
		return false
	}
	c := s[i]
	return c == '/' || c == '!' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func tagName(t string) string {
	t = strings.TrimPrefix(t, "/")
	n := 0
	for n < len(t) && n < 12 && (isAlnum(t[n])) {
		n++
	}
	return strings.ToLower(t[:n])
}

func hasEntity(s string) bool {
	for _, e := range []string{"&#", "&quot;", "&amp;", "&lt;", "&gt;", "&apos;", "&nbsp;", "&rsquo;", "&lsquo;"} {
		if strings.Contains(s, e) {
			return true
		}
	}
	return false
}

// queryKeys mark a whitespace-delimited token as a query string to decode.
var queryKeys = []string{"error=", "error_description=", "error_uri=", "error_codes=", "redirect_uri=", "client_id=", "error_subcode="}

// decodeQueries URL-decodes tokens that look like (parts of) a query
// string: those carrying a known key, or at least two percent escapes
// (a wrapped continuation line of an encoded description). & and ? in
// such tokens become newlines before decoding, so each parameter sits on
// its own line.
func decodeQueries(s string) string {
	nextEq, nextPct := strings.IndexByte(s, '='), strings.IndexByte(s, '%')
	if nextEq < 0 && nextPct < 0 {
		return s
	}
	var b strings.Builder
	last := 0 // s[:last] is written (or nothing was changed yet)
	changed := false
	for i := 0; i < len(s); {
		// next candidate byte at or after i, keeping the two cursors
		// monotonic so that the whole scan stays linear
		if nextEq >= 0 && nextEq < i {
			nextEq = indexFrom(s, '=', i)
		}
		if nextPct >= 0 && nextPct < i {
			nextPct = indexFrom(s, '%', i)
		}
		c := nextEq
		if c < 0 || (nextPct >= 0 && nextPct < c) {
			c = nextPct
		}
		if c < 0 {
			break
		}
		start := c
		for start > i && !isSpace(s[start-1]) {
			start--
		}
		end := c
		for end < len(s) && !isSpace(s[end]) {
			end++
		}
		tok := s[start:end]
		if isQueryToken(tok) {
			if !changed {
				b.Grow(len(s))
				changed = true
			}
			b.WriteString(s[last:start])
			b.WriteString(decodeQueryToken(tok))
			last = end
		}
		i = end
	}
	if !changed {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

func indexFrom(s string, c byte, from int) int {
	if from >= len(s) {
		return -1
	}
	k := strings.IndexByte(s[from:], c)
	if k < 0 {
		return -1
	}
	return from + k
}

func isQueryToken(tok string) bool {
	if len(tok) < 4 {
		return false
	}
	if strings.IndexByte(tok, '=') >= 0 {
		for _, k := range queryKeys {
			if strings.Contains(tok, k) {
				return true
			}
		}
	}
	n := 0
	for i := 0; i+2 < len(tok); i++ {
		if tok[i] == '%' && unhex(tok[i+1]) >= 0 && unhex(tok[i+2]) >= 0 {
			n++
			if n >= 2 {
				return true
			}
		}
	}
	return false
}

func decodeQueryToken(tok string) string {
	var b strings.Builder
	b.Grow(len(tok))
	start := 0
	for i := 0; i <= len(tok); i++ {
		if i < len(tok) && tok[i] != '&' && tok[i] != '?' {
			continue
		}
		part := percentDecode(tok[start:i], true)
		if hasPercentEscape(part) {
			part = percentDecode(part, false) // double-encoded
		}
		b.WriteString(part)
		if i < len(tok) {
			b.WriteByte('\n')
		}
		start = i + 1
	}
	return b.String()
}

func hasPercentEscape(s string) bool {
	for i := 0; i+2 < len(s); i++ {
		if s[i] == '%' && unhex(s[i+1]) >= 0 && unhex(s[i+2]) >= 0 {
			return true
		}
	}
	return false
}

// percentDecode decodes %XX (and + as a space when plus) leniently: a
// bad escape is kept as is.
func percentDecode(s string, plus bool) string {
	if strings.IndexByte(s, '%') < 0 && (!plus || strings.IndexByte(s, '+') < 0) {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+' && plus:
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && unhex(s[i+1]) >= 0 && unhex(s[i+2]) >= 0:
			b = append(b, byte(unhex(s[i+1])<<4|unhex(s[i+2])))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

func isSpace(c byte) bool { return c == ' ' || c == '\n' || c == '\r' || c == '\t' }

func isAlnum(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }
