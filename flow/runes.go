package flow

import (
	"fmt"
	"strings"
	"unicode"
)

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
