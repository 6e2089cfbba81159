package sanitize

import (
	"encoding/binary"
	"io"
	"sync"
	"unicode/utf8"
)

// Writer is the sanitizer at an output stream: everything written
// through it reaches the underlying writer as Text would render it, so a
// renderer that forgot to call Text still cannot put an escape sequence
// on the terminal. Two differences from Text, both so that the same
// stream can carry byok's JSON and its colours:
//
//   - unsafe runes from U+0080 up are written as `\uHHHH` (also for C1
//     controls, which Text writes as `\xHH`): inside a JSON string that
//     is the same character, so JSON output stays valid and means the
//     same, and it is just as visible on a terminal;
//   - when AllowSGR reports true (colour is on for this stream), Select
//     Graphic Rendition sequences (ESC [ digits ; … m: colours, bold)
//     pass; every other escape is shown escaped.
//
// A rune or SGR sequence split across two Writes is held until it is
// complete; Flush writes out whatever is held. Safe for concurrent use.
type Writer struct {
	W        io.Writer
	AllowSGR func() bool

	mu   sync.Mutex
	hold []byte
	buf  []byte
}

// NewWriter returns a Writer on w; allowSGR may be nil (never).
func NewWriter(w io.Writer, allowSGR func() bool) *Writer {
	return &Writer{W: w, AllowSGR: allowSGR}
}

// maxSGR bounds how long an unterminated SGR sequence is held.
const maxSGR = 64

// Write sanitizes p and writes it. It reports len(p) on success.
func (s *Writer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	data := p
	if len(s.hold) > 0 {
		data = append(s.hold, p...)
		s.hold = nil
	}
	sgr := s.AllowSGR != nil && s.AllowSGR()
	out := s.buf[:0]
	clean := 0 // start of the run of bytes copied as they are
	for i := 0; i < len(data); {
		// Printable ASCII, most of any output, eight bytes at a time.
		for i+8 <= len(data) && printable8(binary.LittleEndian.Uint64(data[i:])) {
			i += 8
		}
		if i == len(data) {
			break
		}
		c := data[i]
		if c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			i++
			continue
		}
		if c < 0x80 {
			if c == 0x1b && sgr {
				n, complete := sgrLen(data[i:])
				if n > 0 {
					i += n
					continue
				}
				if !complete {
					out = append(out, data[clean:i]...)
					s.hold = append(s.hold, data[i:]...)
					return s.flushOut(out, len(p))
				}
			}
			out = append(out, data[clean:i]...)
			out = appendEscape(out, rune(c))
			i++
			clean = i
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			if !utf8.FullRune(data[i:]) {
				out = append(out, data[clean:i]...)
				s.hold = append(s.hold, data[i:]...)
				return s.flushOut(out, len(p))
			}
			out = append(out, data[clean:i]...)
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
			i++
			clean = i
			continue
		}
		if Unsafe(r) {
			out = append(out, data[clean:i]...)
			out = appendEscape(out, r)
			i += n
			clean = i
			continue
		}
		i += n
	}
	if clean == 0 && len(out) == 0 {
		// Nothing to change: write the caller's bytes as they are.
		if _, err := s.W.Write(data); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	out = append(out, data[clean:]...)
	return s.flushOut(out, len(p))
}

// printable8 reports whether each of the eight bytes of w is printable
// ASCII (0x20-0x7e). The first byte below 0x20 borrows in w-0x20…, and
// no lower byte borrows into it, so it sets its top bit (as does ^w's);
// a byte of 0x7f or more has its top bit set in w+0x01… or in w. A
// false "no" only sends the bytes through the byte-by-byte loop.
func printable8(w uint64) bool {
	const (
		ones = 0x0101010101010101
		top  = 0x8080808080808080
	)
	below := (w - 0x20*ones) &^ w
	above := (w + ones) | w
	return (below|above)&top == 0
}

func (s *Writer) flushOut(out []byte, n int) (int, error) {
	s.buf = out[:0]
	if len(out) == 0 {
		return n, nil
	}
	if _, err := s.W.Write(out); err != nil {
		return 0, err
	}
	return n, nil
}

// Flush writes out, escaped, what an incomplete rune or escape sequence
// left held.
func (s *Writer) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.hold) == 0 {
		return nil
	}
	var out []byte
	for _, c := range s.hold {
		if c >= 0x20 && c < 0x7f {
			out = append(out, c)
		} else {
			out = append(out, '\\', 'x', hex[c>>4], hex[c&15])
		}
	}
	s.hold = nil
	_, err := s.W.Write(out)
	return err
}

const hex = "0123456789abcdef"

// appendEscape appends the visible form of an unsafe rune: `\xHH` for C0
// and DEL, `\uHHHH` from U+0080 on (valid inside JSON strings).
func appendEscape(b []byte, r rune) []byte {
	if r < 0x80 {
		return append(b, '\\', 'x', hex[r>>4], hex[r&15])
	}
	return append(b, '\\', 'u', hex[r>>12&15], hex[r>>8&15], hex[r>>4&15], hex[r&15])
}

// sgrLen returns the length of the SGR sequence at the start of b (ESC [
// then digits, ';' or ':' then 'm'), or 0. complete is false when b ends
// inside what could still become one (so the caller holds it).
func sgrLen(b []byte) (n int, complete bool) {
	if len(b) < 2 {
		return 0, len(b) >= maxSGR
	}
	if b[1] != '[' {
		return 0, true
	}
	for i := 2; i < len(b) && i < maxSGR; i++ {
		switch c := b[i]; {
		case c >= '0' && c <= '9', c == ';', c == ':':
		case c == 'm':
			return i + 1, true
		default:
			return 0, true
		}
	}
	return 0, len(b) >= maxSGR
}
