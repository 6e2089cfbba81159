package sanitize_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hiveku/byok/flow/sanitize"
)

func TestWriter(t *testing.T) {
	on := func() bool { return true }
	tests := []struct {
		name   string
		sgr    func() bool
		chunks []string
		want   string
	}{
		{"plain", nil, []string{"hello\n"}, "hello\n"},
		{"osc52", nil, []string{"a\x1b]52;c;aGk=\x07b"}, `a\x1b]52;c;aGk=\x07b`},
		{"sgr refused without colour", nil, []string{"\x1b[1mX\x1b[0m"}, `\x1b[1mX\x1b[0m`},
		{"sgr kept with colour", on, []string{"\x1b[1;31mX\x1b[0m"}, "\x1b[1;31mX\x1b[0m"},
		{"clear screen refused with colour", on, []string{"\x1b[2J"}, `\x1b[2J`},
		{"split sgr", on, []string{"\x1b[3", "1mX"}, "\x1b[31mX"},
		{"split rune", nil, []string{"caf\xc3", "\xa9"}, "café"},
		{"split bidi", nil, []string{"a\xe2\x80", "\xaeb"}, `a\u202eb`},
		{"c1 as json escape", nil, []string{"a\u0085b"}, `a\u0085b`},
		{"invalid byte", nil, []string{"a\xffb"}, `a\xffb`},
		{"cr", nil, []string{"ok\rBAD"}, `ok\x0dBAD`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b bytes.Buffer
			w := sanitize.NewWriter(&b, tt.sgr)
			for _, c := range tt.chunks {
				if n, err := w.Write([]byte(c)); err != nil || n != len(c) {
					t.Fatalf("Write = %d, %v", n, err)
				}
			}
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			if b.String() != tt.want {
				t.Errorf("got %q, want %q", b.String(), tt.want)
			}
		})
	}
}

// JSON through the Writer stays valid and means the same.
func TestWriterKeepsJSON(t *testing.T) {
	v := map[string]string{"email": "x\u202e\u200b\u0085\u2066y@contoso.com", "s": "\x1b]52;c;x\a"}
	raw, _ := json.Marshal(v)
	var b bytes.Buffer
	w := sanitize.NewWriter(&b, nil)
	w.Write(raw)
	var back map[string]string
	if err := json.Unmarshal(b.Bytes(), &back); err != nil {
		t.Fatalf("invalid JSON %s: %v", b.Bytes(), err)
	}
	if back["email"] != v["email"] || back["s"] != v["s"] {
		t.Errorf("JSON changed meaning: %q", back)
	}
	for _, r := range b.String() {
		if sanitize.Unsafe(r) {
			t.Fatalf("unsafe %U in %q", r, b.String())
		}
	}
}

func FuzzWriter(f *testing.F) {
	f.Add("\x1b[31mX\x1b[2J", 3, true)
	f.Add("a\xe2\x80\xaeb\u0085", 2, false)
	f.Fuzz(func(t *testing.T, s string, split int, sgr bool) {
		var b bytes.Buffer
		w := sanitize.NewWriter(&b, func() bool { return sgr })
		if split < 0 {
			split = -split
		}
		if split > len(s) {
			split = len(s)
		}
		w.Write([]byte(s[:split]))
		w.Write([]byte(s[split:]))
		w.Flush()
		out := b.String()
		if !utf8.ValidString(out) {
			t.Fatalf("%q → %q: invalid UTF-8", s, out)
		}
		rest := out
		if sgr { // remove the SGR sequences allowed through
			for {
				i := strings.Index(rest, "\x1b[")
				if i < 0 {
					break
				}
				j := strings.IndexByte(rest[i:], 'm')
				if j < 0 {
					t.Fatalf("%q → %q: unterminated escape", s, out)
				}
				for _, c := range rest[i+2 : i+j] {
					if !(c >= '0' && c <= '9' || c == ';' || c == ':') {
						t.Fatalf("%q → %q: non-SGR escape passed", s, out)
					}
				}
				rest = rest[:i] + rest[i+j+1:]
			}
		}
		for _, r := range rest {
			if sanitize.Unsafe(r) {
				t.Fatalf("%q → %q: unsafe %U", s, out, r)
			}
		}
	})
}
