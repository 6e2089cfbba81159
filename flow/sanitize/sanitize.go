// Package sanitize is byok's one output sanitizer: every piece of text
// that reaches the terminal passes through Text (or a Writer), whatever
// its source — Microsoft and Graph responses, pastes, bundles, manifests,
// or the user's own stored config.
//
// Characters that could move the cursor, rewrite the screen, set the
// clipboard (OSC 52), open hidden links (OSC 8), reorder what is shown
// (bidi controls) or hide text (zero-width characters) are shown visibly
// escaped instead: `\x1b`, `\x7f`, `\u202e`. Newlines and tabs are kept,
// since byok's own multi-line text needs them; a carriage return is
// escaped, because it lets a later part of a line overwrite an earlier
// one. The model is cli/cli's go-gh asciisanitizer, which does the same
// for API text.
package sanitize

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Unsafe reports whether r must not reach a terminal as it is: C0
// controls other than newline and tab, DEL, C1 controls, bidi embedding,
// override and isolate controls, zero-width and other invisible format
// characters, and the line and paragraph separators.
func Unsafe(r rune) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	case r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return true // bidi embeddings, overrides, isolates
	case r == 0x200e || r == 0x200f || r == 0x061c:
		return true // LRM, RLM, Arabic letter mark
	case r >= 0x200b && r <= 0x200d, r == 0x2060, r == 0xfeff, r == 0x180e:
		return true // zero-width space, (non-)joiner, word joiner, BOM
	case r == 0x2028 || r == 0x2029:
		return true // line and paragraph separators
	case r >= 0xfff9 && r <= 0xfffb:
		return true // interlinear annotation controls
	}
	return false
}

// Escape returns the visible form of one unsafe rune: `\xHH` below
// U+0100, `\uHHHH` above.
func Escape(r rune) string {
	if r < 0x100 {
		return fmt.Sprintf(`\x%02x`, r)
	}
	return fmt.Sprintf(`\u%04x`, r)
}

// Text returns s with every unsafe rune escaped visibly and every byte
// that is not valid UTF-8 shown as `\xHH`. Safe text is returned
// unchanged, without allocating.
func Text(s string) string {
	clean := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || Unsafe(r) {
			clean = false
			break
		}
		i += n
	}
	if clean {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case Unsafe(r):
			b.WriteString(Escape(r))
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// Line is Text for a value that must stay on one line (a name, an ID, a
// URL in a table cell): newlines and tabs are escaped too.
func Line(s string) string {
	if !strings.ContainsAny(s, "\n\t") {
		return Text(s)
	}
	s = Text(s)
	s = strings.ReplaceAll(s, "\n", `\n`)
	return strings.ReplaceAll(s, "\t", `\t`)
}
