package common

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
	}{
		{"words", "the quick brown fox jumps over the lazy dog", 10},
		{"long url", "https://app.hiveku.com/api/oauth/microsoft/callback", 20},
		{"styled", "\x1b[1mbold words that are long enough to wrap\x1b[0m", 12},
		{"narrow", "abc def", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Wrap(tt.in, tt.width)
			for _, l := range strings.Split(got, "\n") {
				if w := ansi.StringWidth(l); w > tt.width {
					t.Errorf("line %q is %d wide, want ≤ %d", l, w, tt.width)
				}
			}
			if strings.ReplaceAll(ansi.Strip(got), "\n", "") == "" {
				t.Errorf("Wrap lost the text")
			}
		})
	}
	if got := Wrap("abc", 0); got != "abc" {
		t.Errorf("Wrap(width 0) = %q", got)
	}
}
