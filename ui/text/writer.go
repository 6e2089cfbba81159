package text

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Writer wraps text written to it at word boundaries to a width, as Wrap
// does, while it streams: each line's leading spaces are its indent for
// the continuation lines, no word is split, and a URL too wide for the
// indent starts at column 0. Lines are written through as soon as they
// are complete; a word at the end of a Write is written with it (so
// prompts without a newline appear at once). A URL that moves to the
// next line starts it, without indent, so that it copies whole.
type Writer struct {
	w      io.Writer
	width  int
	col    int    // cells written on the current line
	lead   string // the current line's indent
	start  bool   // only indent so far on this line
	spaces int    // spaces seen after the last word, not yet written
	alone  bool   // the last word is a URL moved to column 0: nothing follows it on its line
	buf    []byte
}

// NewWriter returns a Writer that wraps at width cells (DefaultWidth
// when width <= 0) and writes to w.
func NewWriter(w io.Writer, width int) *Writer {
	if width <= 0 {
		width = DefaultWidth
	}
	return &Writer{w: w, width: width, start: true}
}

// Write wraps p and writes it; it returns len(p) unless writing fails.
func (t *Writer) Write(p []byte) (int, error) {
	t.buf = t.buf[:0]
	word := -1 // start of the word being read, in p
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '\n':
			if word >= 0 {
				t.word(p[word:i])
				word = -1
			}
			t.buf = append(t.buf, '\n')
			t.col, t.lead, t.start, t.spaces = 0, "", true, 0
		case c == ' ':
			if word >= 0 {
				t.word(p[word:i])
				word = -1
			}
			if t.start {
				t.buf = append(t.buf, ' ')
				t.lead += " "
				t.col++
			} else {
				t.spaces++
			}
		default:
			if word < 0 {
				word = i
			}
		}
	}
	if word >= 0 {
		t.word(p[word:])
	}
	if t.spaces > 0 && !t.start {
		// A prompt ends in a space before the answer: write it now.
		t.buf = append(t.buf, strings.Repeat(" ", t.spaces)...)
		t.col += t.spaces
		t.spaces = 0
	}
	if _, err := t.w.Write(t.buf); err != nil {
		return 0, err
	}
	return len(p), nil
}

// word places one word: on this line when it fits, else on the next.
func (t *Writer) word(b []byte) {
	if !utf8.Valid(b) {
		t.buf = append(t.buf, b...)
		return
	}
	w := Width(string(b))
	switch {
	case t.start:
		t.alone = false
	case !t.alone && t.col+t.spaces+w <= t.width:
		t.buf = append(t.buf, strings.Repeat(" ", t.spaces)...)
		t.col += t.spaces
	default:
		// A URL moved to the next line starts it and stands alone on
		// it, so that copying the line copies the URL.
		t.buf = append(t.buf, '\n')
		t.col = 0
		lead := t.lead
		if Width(lead) > t.width/2 {
			lead = ""
		}
		t.alone = IsURL(string(b))
		if !t.alone {
			t.buf = append(t.buf, lead...)
			t.col = Width(lead)
		}
	}
	t.buf = append(t.buf, b...)
	t.col += w
	t.start, t.spaces = false, 0
}
