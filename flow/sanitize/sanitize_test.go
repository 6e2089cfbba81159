package sanitize_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hiveku/byok/flow/sanitize"
)

func TestText(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "alex@contoso.com", "alex@contoso.com"},
		{"newline and tab kept", "a\n\tb", "a\n\tb"},
		{"osc52 clipboard", "\x1b]52;c;ZWNobyBoaQ==\a", `\x1b]52;c;ZWNobyBoaQ==\x07`},
		{"clear screen", "\x1b[2J", `\x1b[2J`},
		{"carriage return", "ok\rBAD", `ok\x0dBAD`},
		{"nul and del", "a\x00b\x7f", `a\x00b\x7f`},
		{"c1 csi", "a\u009b2J", `a\x9b2J`},
		{"rtl override", "exe.\u202etxt", `exe.\u202etxt`},
		{"isolate", "\u2066x\u2069", `\u2066x\u2069`},
		{"zero width space", "Hive\u200bku", `Hive\u200bku`},
		{"bom", "\ufeffname", `\ufeffname`},
		{"invalid utf8", "a\xffb", `a\xffb`},
		{"non-latin kept", "Contoso 株式会社 — Ünïcødé", "Contoso 株式会社 — Ünïcødé"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := sanitize.Text(tt.in); got != tt.want {
				t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestLine(t *testing.T) {
	if got, want := sanitize.Line("a\nb\tc\x1b"), `a\nb\tc\x1b`; got != want {
		t.Errorf("Line() = %q, want %q", got, want)
	}
}

func TestTextCleanDoesNotAllocate(t *testing.T) {
	s := strings.Repeat("plain text ", 20)
	if n := testing.AllocsPerRun(100, func() { _ = sanitize.Text(s) }); n != 0 {
		t.Errorf("Text on clean input allocated %v times, want 0", n)
	}
}

// FuzzText checks that nothing a terminal would act on survives, and that
// the output is valid UTF-8.
func FuzzText(f *testing.F) {
	for _, s := range []string{"", "plain", "\x1b]52;c;x\a", "\u202e", "\xff\xfe", "a\r\nb", "\u0085"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := sanitize.Text(s)
		if !utf8.ValidString(out) {
			t.Fatalf("Text(%q) = %q: not valid UTF-8", s, out)
		}
		for _, r := range out {
			if sanitize.Unsafe(r) {
				t.Fatalf("Text(%q) = %q: contains unsafe %U", s, out, r)
			}
		}
		if line := sanitize.Line(s); strings.ContainsAny(line, "\n\t") {
			t.Fatalf("Line(%q) = %q: contains a newline or tab", s, line)
		}
	})
}
