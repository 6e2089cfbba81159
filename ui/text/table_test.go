package text

import (
	"bytes"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

func TestTablePipedIsTabSeparatedAndWhole(t *testing.T) {
	tb := Table{Header: []string{"NAME", "TENANT"}, Shrink: []Shrink{{1, 8}}}
	tb.Add("Acme Hiveku", "66666666-7777-8888-9999-000000000000")
	tb.Add("日本語の設定", "common")
	tb.Add("tab\there", "evil\x1b[2J")
	var b bytes.Buffer
	if err := tb.Write(&b, false, 20); err != nil {
		t.Fatal(err)
	}
	want := "Acme Hiveku\t66666666-7777-8888-9999-000000000000\n" +
		"日本語の設定\tcommon\n" +
		`tab\there` + "\t" + `evil\x1b[2J` + "\n"
	if b.String() != want {
		t.Errorf("piped table =\n%q\nwant\n%q", b.String(), want)
	}
}

func TestTableAlignsInTerminalCells(t *testing.T) {
	tb := Table{Header: []string{"NAME", "TYPE"}}
	tb.Add("日本語の設定", "single")
	tb.Add("Acme", "multi")
	var b bytes.Buffer
	if err := tb.Write(&b, true, 80); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	// Every second column starts at the same terminal cell.
	var col []int
	for _, l := range lines {
		i := strings.LastIndex(l, "  ")
		col = append(col, ansi.StringWidth(l[:i+2]))
	}
	if col[0] != 14 || col[1] != 14 || col[2] != 14 {
		t.Errorf("second column starts at cells %v, want 14 each:\n%s", col, b.String())
	}
}

func TestTableShrinksToWidth(t *testing.T) {
	tb := Table{Header: []string{"NAME", "TENANT"}, Shrink: []Shrink{{1, 13}, {0, 8}}}
	tb.Add("A very long configuration name", "66666666-7777-8888-9999-000000000000")
	var b bytes.Buffer
	if err := tb.Write(&b, true, 30); err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		if w := ansi.StringWidth(l); w > 30 {
			t.Errorf("line %q is %d cells wide, want ≤ 30", l, w)
		}
	}
	if !strings.Contains(b.String(), "66666666-777…") {
		t.Errorf("tenant not cut to its floor with an ellipsis:\n%s", b.String())
	}
}

func TestTruncateWide(t *testing.T) {
	if got := Truncate("日本語の設定", 5); ansi.StringWidth(got) > 5 || !strings.HasSuffix(got, "…") {
		t.Errorf("Truncate = %q (%d cells)", got, ansi.StringWidth(got))
	}
	if got := Truncate("abc", 3); got != "abc" {
		t.Errorf("Truncate(abc, 3) = %q", got)
	}
}

func TestTableStyleOnlyOnTerminal(t *testing.T) {
	tb := Table{Header: []string{"A", "B"}, Style: func(_, col int, c string) string {
		if col == 1 {
			return "\x1b[31m" + c + "\x1b[0m"
		}
		return c
	}}
	tb.Add("x", "y")
	var piped, tty bytes.Buffer
	_ = tb.Write(&piped, false, 80)
	_ = tb.Write(&tty, true, 80)
	if strings.Contains(piped.String(), "\x1b") || !strings.Contains(tty.String(), "\x1b[31my\x1b[0m") {
		t.Errorf("piped %q, tty %q", piped.String(), tty.String())
	}
}
