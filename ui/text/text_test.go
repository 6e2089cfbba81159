package text

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// assertFits fails when a line of s is wider than width, unless it is a
// single word that can't be broken.
func assertFits(t *testing.T, s string, width int) {
	t.Helper()
	for _, l := range strings.Split(s, "\n") {
		if Width(l) > width && len(strings.Fields(l)) != 1 {
			t.Errorf("line wider than %d: %q", width, l)
		}
	}
}

const (
	longURL = "https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id=2f7c3a9e-5d41-4b8a-9c6e-0d1f2a3b4c5d&scope=offline_access"
	guid    = "2f7c3a9e-5d41-4b8a-9c6e-0d1f2a3b4c5d"
)

func TestWrap(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		width int
		want  string
	}{
		{"fits", "short line", 20, "short line"},
		{"words", "the quick brown fox jumps", 10, "the quick\nbrown fox\njumps"},
		{"keeps indent", "  aaa bbb ccc ddd", 9, "  aaa bbb\n  ccc ddd"},
		{"guid whole", "client " + guid + " end", 20, "client\n" + guid + "\nend"},
		{"aadsts whole", "Microsoft said AADSTS50011: no", 16, "Microsoft said\nAADSTS50011: no"},
		{"url alone without indent", "    fix: open " + longURL + " now", 40, "    fix: open\n" + longURL + "\n    now"},
		{"url first word", "  " + longURL, 40, longURL},
		// A URL that moves to the next line stands alone there: the
		// words after it go on (indented) below, not beside it.
		{"short url alone", "    fix: for Hiveku it must be https://app.hiveku.com/api/oauth/microsoft/callback; watch for a missing https://", 60,
			"    fix: for Hiveku it must be\nhttps://app.hiveku.com/api/oauth/microsoft/callback;\n    watch for a missing https://"},
		{"cjk counts two", "设置 设置 设置", 9, "设置 设置\n设置"},
		{"newlines kept", "a b\nc d", 3, "a b\nc d"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Wrap(tt.in, tt.width)
			if got != tt.want {
				t.Errorf("Wrap(%q, %d) =\n%s\nwant\n%s", tt.in, tt.width, got, tt.want)
			}
			assertFits(t, got, tt.width)
		})
	}
	if got := WrapIndent("a bb cc dd", 5, "  "); got != "a bb\n  cc\n  dd" {
		t.Errorf("WrapIndent = %q", got)
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"acme":        "acme",
		"Acme Hiveku": "'Acme Hiveku'",
		"it's":        `'it'\''s'`,
		"":            "''",
		"a$b":         "'a$b'",
	} {
		if got := ShellQuote(in); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestCheck(t *testing.T) {
	c := flow.Check{ID: "consent", Status: flow.Fail, Code: 50011,
		Detail: "Microsoft refused the sign-in: the redirect URI https://app.hiveku.com/api/oauth/microsoft/callbak does not match\x1b[2J",
		Fix:    "Add the exact URI from the message under the Web platform, or correct the saved one."}
	got := Check(c, 60, false)
	if !strings.HasPrefix(got, "✗ consent        Microsoft refused") || !strings.Contains(got, "(AADSTS50011)") || !strings.Contains(got, "\n    fix: Add") {
		t.Errorf("Check =\n%s", got)
	}
	if strings.Contains(got, "\x1b") {
		t.Errorf("an escape from Microsoft's text reached the output: %q", got)
	}
	assertFits(t, got, 60)
	for _, l := range strings.Split(got, "\n")[1:] {
		if !strings.HasPrefix(l, "    ") && !strings.HasPrefix(l, "https://") {
			t.Errorf("continuation %q is not indented", l)
		}
	}
	if got := Check(flow.Check{ID: "token", Status: flow.Skip, Detail: "skipped", Fix: "x"}, 80, false); got != "- token          skipped" {
		t.Errorf("skipped check = %q", got)
	}
	if got := Check(flow.Check{ID: "token", Status: flow.Pass, Detail: "ok"}, 80, true); !strings.HasPrefix(got, "\x1b[32m✓\x1b[0m token") {
		t.Errorf("coloured = %q", got)
	}
}

func TestExpiry(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	at := func(d time.Duration) flow.SecretInfo { return flow.SecretInfo{Expires: now.Add(d)} }
	for _, tt := range []struct {
		s     flow.SecretInfo
		want  string
		level Level
	}{
		{at(731 * 24 * time.Hour), "2028-12-01 (in 731 days)", LevelOK},
		{at(36 * time.Hour), "2026-12-03 (in 1 day)", LevelWarn},
		{at(29 * 24 * time.Hour), "2026-12-30 (in 29 days)", LevelWarn},
		{at(flow.ExpiryWarnDays * 24 * time.Hour), "2026-12-31 (in 30 days)", LevelOK},
		{at(time.Hour), "2026-12-01 (today)", LevelBad},
		{at(-time.Hour), "2026-12-01 (expired)", LevelBad},
		{flow.SecretInfo{Missing: true}, "missing", LevelBad},
		{flow.SecretInfo{}, "-", LevelOK},
	} {
		if got, level := Expiry(tt.s, now); got != tt.want || level != tt.level {
			t.Errorf("Expiry(%v) = %q %d, want %q %d", tt.s.Expires, got, level, tt.want, tt.level)
		}
	}
}

func TestHang(t *testing.T) {
	got := Hang("✓ consent        ", "the quick brown fox jumps over "+longURL+" and more", 40)
	want := "✓ consent        the quick brown fox\n                 jumps over\n" + longURL + "\n                 and more"
	if got != want {
		t.Errorf("Hang =\n%s\nwant\n%s", got, want)
	}
	assertFits(t, got, 40)
}

func TestWriter(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b, 30)
	for _, s := range []string{
		"Verifying Acme\n",
		"  the quick brown fox jumps over the lazy dog\n",
		"Open this address:\n" + longURL + "\n",
		"    fix: use " + guid + " instead\n",
		"prompt: ", "answer\n",
		"✗ consent        AADSTS50011: the redirect URI does not match\n",
		"  see the page https://aka.ms/redirectUri for more\n",
	} {
		if _, err := w.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	want := "Verifying Acme\n" +
		"  the quick brown fox jumps\n  over the lazy dog\n" +
		"Open this address:\n" + longURL + "\n" +
		"    fix: use\n    " + guid + "\n    instead\n" +
		"prompt: answer\n" +
		"✗ consent        AADSTS50011:\nthe redirect URI does not\nmatch\n" +
		"  see the page\nhttps://aka.ms/redirectUri\n  for more\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	assertFits(t, b.String(), 30)
}

func TestTableNarrowTerminal(t *testing.T) {
	tb := &Table{Header: []string{"NAME", "TYPE", "TENANT", "SECRET EXPIRES"}, Shrink: []Shrink{{Col: 2, Floor: 13}}}
	tb.Add("Acme Hiveku", "multi-personal", guid, "2028-11-27 (in 731 days)")
	var b bytes.Buffer
	if err := tb.Write(&b, true, 40); err != nil {
		t.Fatal(err)
	}
	assertFits(t, b.String(), 40)
	if !strings.Contains(b.String(), "…") {
		t.Errorf("nothing cut:\n%s", b.String())
	}
}
