package common

import (
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"

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
	// A GUID or an AADSTS code is never cut at its hyphens.
	msg := "error: tenant: use your Directory (tenant) ID 66666666-7777-4888-9999-aaaaaaaaaaaa or AADSTS50194 happens"
	for _, width := range []int{40, 60, 80} {
		got := Wrap(msg, width)
		for _, word := range []string{"66666666-7777-4888-9999-aaaaaaaaaaaa", "AADSTS50194"} {
			if !strings.Contains(got, word) {
				t.Errorf("Wrap(%d) split %s:\n%s", width, word, got)
			}
		}
	}
}

// TestHelpFooter checks that the footer help renders the key map's hints
// as the wizard has always shown them: "key desc" joined by " · ", uncut.
func TestHelpFooter(t *testing.T) {
	km := DefaultKeyMap()
	got := NewHelp().ShortHelpView([]key.Binding{km.Next, km.Back, km.Doctor, km.Quit})
	want := "enter next · esc back · ctrl+e paste an error · ctrl+c quit"
	if got != want {
		t.Errorf("footer = %q, want %q", got, want)
	}
}

// TestKeyMapMatches checks that the bindings Update matches are the keys
// their hints name.
func TestKeyMapMatches(t *testing.T) {
	km := DefaultKeyMap()
	for _, tc := range []struct {
		b    key.Binding
		key  string
		want bool
	}{
		{km.Quit, "ctrl+c", true},
		{km.Back, "esc", true},
		{km.Doctor, "ctrl+e", true},
		{km.Explain, "ctrl+d", true},
		{km.Finish, "q", true},
		{km.Back, "enter", false},
	} {
		if got := key.Matches(stringer(tc.key), tc.b); got != tc.want {
			t.Errorf("%q matches %v = %v, want %v", tc.key, tc.b.Keys(), got, tc.want)
		}
	}
}

type stringer string

func (s stringer) String() string { return string(s) }
