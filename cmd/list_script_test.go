package cmd

import (
	"context"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

func TestListPipedIsTabSeparatedUntruncated(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	listSeed(t, f)
	if code := runCmd(t, f, "list"); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	want := "Acme Hiveku\tmulti-personal\tcommon\t2028-11-27 (in 731 days)\tok 2d ago alice@contoso.com\n" +
		"Contoso Mail\tsingle\t66666666-7777-8888-9999-000000000000\t2026-12-09 (in 12 days)\tfailed 1d ago (offline)\n" +
		"Old App\tmulti\torganizations\t2026-11-24 (expired)\tnever\n"
	if got := stdout.String(); got != want {
		t.Errorf("piped list =\n%q\nwant\n%q", got, want)
	}
}

func TestListWideNamesAlignInCells(t *testing.T) {
	f, stdout, _ := newTestFactory(t)
	f.IO.SetStdoutTTY(true)
	for _, name := range []string{"日本語の設定", "Acme"} {
		c := listConfig(name, flow.MultiTenant, "organizations", testNow.AddDate(1, 0, 0))
		if err := testStore(t, f).SaveConfig(context.Background(), c, false); err != nil {
			t.Fatal(err)
		}
	}
	if code := runCmd(t, f, "list"); code != 0 {
		t.Fatalf("exit = %d", code)
	}
	// "日本語の設定" is 6 runes but 12 cells: TYPE must start in the same
	// cell on every line.
	for _, l := range strings.Split(strings.TrimSuffix(stdout.String(), "\n"), "\n") {
		i := strings.Index(l, "  ")
		head := strings.TrimRight(l[:i+2], " ")
		pad := len(l[len(head):]) - len(strings.TrimLeft(l[len(head):], " "))
		cells := 0
		for _, r := range head {
			if r >= 0x3000 {
				cells += 2
			} else {
				cells++
			}
		}
		if cells+pad != 14 {
			t.Errorf("line %q: second column at cell %d, want 14", l, cells+pad)
		}
	}
}

func TestListExitStatus(t *testing.T) {
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"list", "--expiring", "30d", "--exit-status"}, 1}, // two match
		{[]string{"list", "--expiring", "0", "--exit-status"}, 1},   // one expired
		{[]string{"list", "--expiring", "30d"}, 0},                  // no --exit-status
		{[]string{"list", "--expiring", "30d", "--exit-status", "--json"}, 1},
		{[]string{"list", "--exit-status"}, 2}, // needs --expiring
	}
	for _, tt := range tests {
		f, stdout, stderr := newTestFactory(t)
		listSeed(t, f)
		if code := runCmd(t, f, tt.args...); code != tt.code {
			t.Errorf("%v: exit = %d, want %d; stderr %q", tt.args, code, tt.code, stderr)
		}
		if tt.code == 1 && (stdout.Len() == 0 || stderr.Len() != 0) {
			t.Errorf("%v: a match must still be printed, with nothing on stderr: stdout %q stderr %q", tt.args, stdout, stderr)
		}
	}
	// Nothing expiring: exit 0.
	f, out, _ := newTestFactory(t)
	c := listConfig("Fresh", flow.MultiTenant, "organizations", testNow.AddDate(1, 0, 0))
	if err := testStore(t, f).SaveConfig(context.Background(), c, false); err != nil {
		t.Fatal(err)
	}
	if code := runCmd(t, f, "list", "--expiring", "30d", "--exit-status"); code != 0 {
		t.Errorf("nothing expiring: exit = %d, want 0", code)
	}
	out.Reset()
	runCmd(t, f, "list", "--expiring", "1d")
	if got, want := out.String(), "No secret expires within 1 day.\n"; got != want {
		t.Errorf("nothing expiring within a day: stdout %q, want %q", got, want)
	}
}
