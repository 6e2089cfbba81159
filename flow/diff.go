package flow

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// editOp is one step of an edit script turning want into got.
type editOp uint8

const (
	opEq  editOp = iota // same element in both
	opSub               // got has a different element where want has one
	opIns               // got has an extra element
	opDel               // got lacks an element of want
)

// edit is one aligned column of an edit script.
type edit[T any] struct {
	op   editOp
	g, w T // g valid for eq/sub/ins, w for eq/sub/del
}

// maxEditCells bounds the dynamic-programming table; beyond it the
// script falls back to a positional comparison so that a huge pasted
// value cannot make byok slow.
const maxEditCells = 1 << 22

// editScript aligns got against want with a minimal (Levenshtein) edit
// script, so an inserted or missing element shifts nothing after it.
// eq compares two elements.
func editScript[T any](got, want []T, eq func(a, b T) bool) []edit[T] {
	// A common prefix and suffix are never part of a minimal script's
	// edits; peeling them off first makes the usual near miss (one wrong
	// character in a long address) almost linear.
	pre := 0
	for pre < len(got) && pre < len(want) && eq(got[pre], want[pre]) {
		pre++
	}
	suf := 0
	for suf < len(got)-pre && suf < len(want)-pre && eq(got[len(got)-1-suf], want[len(want)-1-suf]) {
		suf++
	}
	out := make([]edit[T], 0, max(len(got), len(want)))
	for i := 0; i < pre; i++ {
		out = append(out, edit[T]{op: opEq, g: got[i], w: want[i]})
	}
	out = append(out, editCore(got[pre:len(got)-suf], want[pre:len(want)-suf], eq)...)
	for i := suf; i > 0; i-- {
		out = append(out, edit[T]{op: opEq, g: got[len(got)-i], w: want[len(want)-i]})
	}
	return out
}

// editCore is editScript without the prefix and suffix shortcut.
func editCore[T any](got, want []T, eq func(a, b T) bool) []edit[T] {
	n, m := len(got), len(want)
	if (n+1)*(m+1) > maxEditCells {
		return positionalScript(got, want, eq)
	}
	w := m + 1
	d := make([]int32, (n+1)*w)
	for i := 0; i <= n; i++ {
		d[i*w] = int32(i)
	}
	for j := 0; j <= m; j++ {
		d[j] = int32(j)
	}
	for i := 1; i <= n; i++ {
		for j := 1; j <= m; j++ {
			c := d[(i-1)*w+j-1]
			if !eq(got[i-1], want[j-1]) {
				c++
			}
			if v := d[(i-1)*w+j] + 1; v < c {
				c = v
			}
			if v := d[i*w+j-1] + 1; v < c {
				c = v
			}
			d[i*w+j] = c
		}
	}
	out := make([]edit[T], 0, max(n, m))
	i, j := n, m
	for i > 0 || j > 0 {
		cur := d[i*w+j]
		switch {
		case i > 0 && j > 0 && eq(got[i-1], want[j-1]) && cur == d[(i-1)*w+j-1]:
			out = append(out, edit[T]{op: opEq, g: got[i-1], w: want[j-1]})
			i, j = i-1, j-1
		case i > 0 && j > 0 && cur == d[(i-1)*w+j-1]+1:
			out = append(out, edit[T]{op: opSub, g: got[i-1], w: want[j-1]})
			i, j = i-1, j-1
		case i > 0 && cur == d[(i-1)*w+j]+1:
			out = append(out, edit[T]{op: opIns, g: got[i-1]})
			i--
		default:
			out = append(out, edit[T]{op: opDel, w: want[j-1]})
			j--
		}
	}
	for l, r := 0, len(out)-1; l < r; l, r = l+1, r-1 {
		out[l], out[r] = out[r], out[l]
	}
	return out
}

// positionalScript compares element by element, then reports the rest of
// the longer side as inserted or deleted.
func positionalScript[T any](got, want []T, eq func(a, b T) bool) []edit[T] {
	out := make([]edit[T], 0, max(len(got), len(want)))
	for i := 0; i < len(got) || i < len(want); i++ {
		switch {
		case i >= len(got):
			out = append(out, edit[T]{op: opDel, w: want[i]})
		case i >= len(want):
			out = append(out, edit[T]{op: opIns, g: got[i]})
		case eq(got[i], want[i]):
			out = append(out, edit[T]{op: opEq, g: got[i], w: want[i]})
		default:
			out = append(out, edit[T]{op: opSub, g: got[i], w: want[i]})
		}
	}
	return out
}

func runeEq(a, b rune) bool { return a == b }

// toRunes decodes s like []rune(s), except that each byte of invalid
// UTF-8 becomes its own negative value instead of U+FFFD, so two
// different invalid bytes still compare unequal. visible shows them as ?.
func toRunes(s string) []rune {
	out := make([]rune, 0, len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			r = -1 - rune(s[i])
		}
		out = append(out, r)
		i += n
	}
	return out
}

// editDistance returns the Levenshtein distance between a and b in runes.
func editDistance(a, b string) int {
	n := 0
	for _, e := range editScript(toRunes(a), toRunes(b), runeEq) {
		if e.op != opEq {
			n++
		}
	}
	return n
}

// visible maps a rune to a single-column stand-in for MarkDiff: spaces
// become ·, tabs →, line breaks ↵, and anything else that is not plainly
// printable and narrow becomes ?. This keeps the three lines aligned.
func visible(r rune) rune {
	switch {
	case r < 0:
		return '?'
	case r == ' ':
		return '·'
	case r == '\t':
		return '→'
	case r == '\n' || r == '\r':
		return '↵'
	case r < 0x7f && r >= 0x20:
		return r
	case r < 0x1100 && unicode.IsPrint(r) && !unicode.Is(unicode.Mn, r) && !unicode.Is(unicode.Me, r):
		return r
	}
	return '?'
}

// MarkDiff renders a character-level diff of got against want as three
// aligned lines of equal length in runes: got, want, and a marker line
// with ^ under each difference (a changed, extra or missing character).
// A character missing from one side shows as a blank column in that
// line, so one insertion does not shift the marks after it. Whitespace
// and characters that would break the alignment are shown as visible
// stand-ins (· for a space, → tab, ↵ line break, ? otherwise). Used by
// the wizard (step 3) and the doctor.
func MarkDiff(got, want string) (gotLine, wantLine, marks string) {
	script := editScript(toRunes(got), toRunes(want), runeEq)
	var g, w, mk strings.Builder
	g.Grow(len(got) + len(script))
	w.Grow(len(want) + len(script))
	mk.Grow(len(script))
	for _, e := range script {
		switch e.op {
		case opEq:
			g.WriteRune(visible(e.g))
			w.WriteRune(visible(e.w))
			mk.WriteByte(' ')
		case opSub:
			g.WriteRune(visible(e.g))
			w.WriteRune(visible(e.w))
			mk.WriteByte('^')
		case opIns:
			g.WriteRune(visible(e.g))
			w.WriteByte(' ')
			mk.WriteByte('^')
		case opDel:
			g.WriteByte(' ')
			w.WriteRune(visible(e.w))
			mk.WriteByte('^')
		}
	}
	return g.String(), w.String(), mk.String()
}

// describeEdits names the character differences between got and want,
// e.g. `missing “l”`, `“x” instead of “c”`, `extra “s”`, grouping runs of
// the same kind and listing at most three.
func describeEdits(got, want string) string {
	script := editScript(toRunes(got), toRunes(want), runeEq)
	var parts []string
	for i := 0; i < len(script); {
		op := script[i].op
		if op == opEq {
			i++
			continue
		}
		var gs, ws strings.Builder
		j := i
		for ; j < len(script) && script[j].op == op; j++ {
			gs.WriteRune(script[j].g)
			ws.WriteRune(script[j].w)
		}
		switch op {
		case opSub:
			parts = append(parts, fmt.Sprintf("“%s” instead of “%s”", gs.String(), ws.String()))
		case opIns:
			parts = append(parts, fmt.Sprintf("extra “%s”", gs.String()))
		case opDel:
			parts = append(parts, fmt.Sprintf("missing “%s”", ws.String()))
		}
		i = j
	}
	if len(parts) > 3 {
		parts = append(parts[:3], "…")
	}
	return strings.Join(parts, ", ")
}
