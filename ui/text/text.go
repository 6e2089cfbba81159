// Package text holds byok's pure text utilities for terminal output,
// shared by cmd and ui: widths in terminal cells, a word wrapper that
// never splits a URL, GUID or AADSTS code (Wrap, Writer), truncation,
// shell quoting, the check-line renderer and a table printer that is
// tab-separated when output is not a terminal (table.go). It draws
// nothing and imports no UI framework.
package text

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// DefaultWidth is the width assumed when the terminal's is unknown.
const DefaultWidth = 80

// Unlimited is a width that never wraps: output that is not going to a
// terminal keeps its lines whole.
const Unlimited = 1 << 30

// Width returns the width of s in terminal cells: wide (CJK) characters
// count two, ANSI escape sequences none.
func Width(s string) int { return ansi.StringWidth(s) }

// IsURL reports whether word is a web address, which must reach the
// terminal whole so that it can be copied.
func IsURL(word string) bool {
	return strings.Contains(word, "://")
}

// Wrap breaks each line of s at spaces so that it fits width cells. A
// word is never split: a URL, GUID or AADSTS code wider than the line
// stands alone on its own line, wider than width. Continuation lines
// keep the indentation of the line they continue, except one that starts
// with a URL, which starts at column 0 so that it copies clean. width <= 0 means
// DefaultWidth.
func Wrap(s string, width int) string {
	return WrapIndent(s, width, "")
}

// WrapIndent is Wrap with hang, when not empty, as the indent of the
// continuation lines instead of each line's own.
func WrapIndent(s string, width int, hang string) string {
	if width <= 0 {
		width = DefaultWidth
	}
	if !needsWrap(s, width) {
		return s
	}
	lines := strings.Split(s, "\n")
	var b strings.Builder
	b.Grow(len(s) + len(s)/width*4)
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		wrapLine(&b, l, width, hang)
	}
	return b.String()
}

// needsWrap reports whether any line of s is wider than width.
func needsWrap(s string, width int) bool {
	for len(s) > 0 {
		l, rest, _ := strings.Cut(s, "\n")
		if len(l) > width && Width(l) > width {
			return true
		}
		s = rest
	}
	return false
}

// wrapLine writes line l wrapped to width.
func wrapLine(b *strings.Builder, l string, width int, hang string) {
	if Width(l) <= width {
		b.WriteString(l)
		return
	}
	lead := l[:len(l)-len(strings.TrimLeft(l, " "))]
	indent := hang
	if indent == "" {
		indent = lead
	}
	if Width(indent) > width/2 {
		indent = "" // too deep to leave room for text
	}
	col := 0
	alone := false // the last word is a URL moved to column 0
	for i, word := range strings.Fields(l[len(lead):]) {
		w := Width(word)
		switch {
		case i == 0:
			// A URL that doesn't fit after the indent starts the line.
			if !(IsURL(word) && Width(lead)+w > width) {
				b.WriteString(lead)
				col = Width(lead)
			}
			alone = col == 0 && lead != ""
		case !alone && col+1+w <= width:
			b.WriteByte(' ')
			col++
			alone = false
		default:
			// A URL moved to the next line starts it and stands alone
			// on it, so that copying the line copies the URL.
			b.WriteByte('\n')
			col = 0
			alone = IsURL(word)
			if !alone {
				b.WriteString(indent)
				col = Width(indent)
			}
		}
		b.WriteString(word)
		col += w
	}
}

// Hang renders prefix followed by body wrapped to width cells, the
// body's continuation lines indented to line up under its start — except
// a URL too wide for that, which starts at column 0 so that it copies
// clean. Spacing inside prefix is kept (a padded column).
func Hang(prefix, body string, width int) string {
	if width <= 0 {
		width = DefaultWidth
	}
	pw := Width(prefix)
	if pw > width/2 {
		return Wrap(prefix+body, width)
	}
	lines := strings.Split(Wrap(body, width-pw), "\n")
	pad := strings.Repeat(" ", pw)
	for i, l := range lines {
		switch {
		case i == 0:
			lines[i] = prefix + l
		case IsURL(strings.Fields(l + " x")[0]):
		default:
			lines[i] = pad + l
		}
	}
	return strings.Join(lines, "\n")
}

// PadRight pads s with spaces to width cells.
func PadRight(s string, width int) string {
	if n := width - Width(s); n > 0 {
		return s + strings.Repeat(" ", n)
	}
	return s
}

// Indent puts prefix before every line of s.
func Indent(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}

// Plural returns one when n is 1 or -1, else many.
func Plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return one
	}
	return many
}

// ShellQuote quotes s for a POSIX shell when it needs it, so that a
// printed command can be pasted as it is: left bare when it holds only
// letters, digits and -_./@:+=,; otherwise in single quotes.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./@:+=,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
