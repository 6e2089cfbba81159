package flow

import (
	"fmt"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// NilGUID is the all-zero GUID: never a real client or directory ID.
const NilGUID = "00000000-0000-0000-0000-000000000000"

// hostile reports whether r must not be part of a stored name,
// description or URI: controls (C0, DEL, C1), format characters (bidi
// embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069,
// zero-width spaces and joiners, the byte-order mark) and the line and
// paragraph separators. They either do not print or change how the
// text around them prints; flow/sanitize escapes them on output.
func hostile(r rune) bool {
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == 0x2028 || r == 0x2029 ||
		r == 0x180e || (r >= 0xfff9 && r <= 0xfffb)
}

// checkHostile returns an EINVALID *Error for field naming the first
// hostile rune in s and where it is, or nil.
func checkHostile(field, s, fix string) error {
	i, r := firstRune(s, hostile)
	if i == 0 {
		return nil
	}
	what := "a control character"
	switch {
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069, r == 0x200e, r == 0x200f, r == 0x061c:
		what = "a text-direction control"
	case unicode.Is(unicode.Cf, r), r == 0x180e:
		what = "an invisible character"
	}
	return Invalid(field, "contains %s (U+%04X) at character %d", what, r, i).WithFix("%s", fix)
}

// ValidateText checks free text that arrives from outside and will be
// stored and shown (a bundle's byok version, a run's email and check
// details): no control, bidi or invisible character, except tab and line
// break when multiline; at most max runes (0: no limit). EINVALID for
// field.
func ValidateText(field, s string, multiline bool, max int) error {
	v := s
	if multiline {
		v = strings.NewReplacer("\n", " ", "\t", " ").Replace(s)
	}
	if err := checkHostile(field, v, "the bundle was not written by byok export as it is; ask for it again"); err != nil {
		return err
	}
	if n := len([]rune(s)); max > 0 && n > max {
		return Invalid(field, "is %d characters, more than byok ever writes (%d)", n, max).
			WithFix("the bundle was not written by byok export as it is; ask for it again")
	}
	return nil
}

// NormalizeName returns the form under which a name is stored and
// compared: Unicode NFC (so a name typed on a Mac, which may arrive
// decomposed, and the same name typed elsewhere are one name), trimmed,
// and with every run of spaces (including non-breaking and other
// Unicode spaces, but not tabs or line breaks, which ValidateName
// refuses) collapsed into one plain space.
func NormalizeName(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsSpace(r) && !unicode.IsControl(r) {
			space = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// quotePairs are the quote marks people paste around values (from chat,
// documents and shell habits).
var quotePairs = [][2]string{{`"`, `"`}, {`'`, `'`}, {"“", "”"}, {"‘", "’"}, {"`", "`"}, {"<", ">"}, {"«", "»"}}

// unquote returns s without one pair of surrounding quotes and true, or
// s and false when it is not quoted.
func unquote(s string) (string, bool) {
	for _, q := range quotePairs {
		if len(s) >= len(q[0])+len(q[1]) && strings.HasPrefix(s, q[0]) && strings.HasSuffix(s, q[1]) {
			return s[len(q[0]) : len(s)-len(q[1])], true
		}
	}
	return s, false
}

// invisible reports whether r prints as nothing: format characters such
// as the zero-width space (U+200B) or a byte-order mark, and non-breaking
// or other unusual spaces that copy from web pages.
func invisible(r rune) bool {
	return unicode.Is(unicode.Cf, r) || (unicode.Is(unicode.Zs, r) && r != ' ')
}

// runeName names r for a message so that the person can find it: a plain
// character in quotes, or a description with its code point for one that
// is invisible or looks like a Latin letter but isn't.
func runeName(r rune) string {
	switch {
	case r == ' ':
		return "a space"
	case invisible(r):
		return fmt.Sprintf("an invisible character (U+%04X)", r)
	case r < 0x20 || r == 0x7f || r == unicode.ReplacementChar:
		return fmt.Sprintf("a control character (U+%04X)", r)
	case r < 0x80:
		return "“" + string(r) + "”"
	}
	return fmt.Sprintf("“%c” (U+%04X, not a plain ASCII character)", r, r)
}

// firstRune returns the 1-based rune position and the first rune of s
// for which pred is true, or 0 when there is none.
func firstRune(s string, pred func(rune) bool) (int, rune) {
	i := 0
	for _, r := range s {
		i++
		if pred(r) {
			return i, r
		}
	}
	return 0, 0
}

// odd reports whether r is invisible or outside ASCII: in an address or
// an ID it is almost always a paste accident or a look-alike letter.
func odd(r rune) bool { return r >= 0x80 || invisible(r) }

// clipLen is how many runes of a person's input a message quotes.
const clipLen = 60

// clip shortens s to clipLen runes with an ellipsis, so that a pasted page
// does not turn into a page-long message.
func clip(s string) string {
	n := 0
	for i := range s {
		if n == clipLen {
			return s[:i] + "…"
		}
		n++
	}
	return s
}
