package flow

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestValidateRedirectURI(t *testing.T) {
	const H = HivekuRedirectURI
	tests := []struct {
		name     string
		in       string
		problems []string // each must appear in some problem
		far      bool     // fix suggests a custom URI
	}{
		{"exact", H, nil, false},
		{"trailing slash", H + "/", []string{"trailing slash after “/callback”"}, false},
		{"two trailing slashes", H + "//", []string{"trailing slash"}, false},
		{"http", "http://app.hiveku.com/api/oauth/microsoft/callback", []string{"http:// instead of https://"}, false},
		{"no scheme", "app.hiveku.com/api/oauth/microsoft/callback", []string{"missing https:// at the start"}, false},
		{"protocol-relative", "//app.hiveku.com/api/oauth/microsoft/callback", []string{"missing https://"}, false},
		{"one slash", "https:/app.hiveku.com/api/oauth/microsoft/callback", []string{"1 slash after “https:”"}, false},
		{"scheme typo", "htps://app.hiveku.com/api/oauth/microsoft/callback", []string{"scheme “htps” should be “https”", "missing “t”"}, false},
		{"scheme case", "HTTPS://app.hiveku.com/api/oauth/microsoft/callback", []string{"case differs in the scheme"}, false},
		{"missing callback", "https://app.hiveku.com/api/oauth/microsoft", []string{"missing /callback at the end"}, false},
		{"missing microsoft", "https://app.hiveku.com/api/oauth/callback", []string{"missing /microsoft before /callback"}, false},
		{"no path", "https://app.hiveku.com", []string{"missing the path /api/oauth/microsoft/callback"}, false},
		{"root path", "https://app.hiveku.com/", []string{"missing the path"}, false},
		{"extra segment", "https://app.hiveku.com/api/v2/oauth/microsoft/callback", []string{"extra /v2 in the path"}, false},
		{"double slash", "https://app.hiveku.com/api//oauth/microsoft/callback", []string{"double slash"}, false},
		{"host without app", "https://hiveku.com/api/oauth/microsoft/callback", []string{"is missing “app.”"}, false},
		{"www host", "https://www.app.hiveku.com/api/oauth/microsoft/callback", []string{"remove “www.”"}, false},
		{"wrong tld", "https://app.hiveku.io/api/oauth/microsoft/callback", []string{"ends in “.io” instead of “.com”"}, false},
		{"host typo", "https://app.hivku.com/api/oauth/microsoft/callback", []string{"typo in the host", "missing “e”"}, false},
		{"host label typo", "https://app.hiveku.cmo/api/oauth/microsoft/callback", []string{"ends in “.cmo”"}, false},
		{"host close", "https://ap.hiveku.co/api/oauth/microsoft/callback", []string{"typo in the host"}, false},
		{"host case", "https://App.Hiveku.com/api/oauth/microsoft/callback", []string{"case differs in the host"}, false},
		{"path case", "https://app.hiveku.com/api/oauth/Microsoft/Callback", []string{"“Microsoft” should be “microsoft”", "“Callback” should be “callback”", "case-sensitive"}, false},
		{"path typo", "https://app.hiveku.com/api/oauth/microsoft/calback", []string{"typo in the path: “calback” should be “callback” (missing “l”)"}, false},
		{"path typo swap", "https://app.hiveku.com/api/oauth/microsfot/callback", []string{"typo in the path: “microsfot”"}, false},
		{"path different", "https://app.hiveku.com/api/oauth/google/callback", []string{"path segment “google” should be “microsoft”"}, false},
		{"query", H + "?tenant=common", []string{"query string “?tenant=common” added"}, false},
		{"fragment", H + "#top", []string{"fragment “#top” added"}, false},
		{"port", "https://app.hiveku.com:443/api/oauth/microsoft/callback", []string{"port “:443” added"}, false},
		{"leading space", " " + H, []string{"space at the start"}, false},
		{"trailing newline", H + "\n", []string{"line break at the end"}, false},
		{"trailing tab", H + "\t", []string{"tab at the end"}, false},
		{"inner space", "https://app.hiveku.com/api/oauth/ microsoft/callback", []string{"space inside the address (character 34)"}, false},
		{"spaces both ends and slash", "  " + H + "/  ", []string{"spaces at the start", "spaces at the end", "trailing slash"}, false},
		{"quoted", "\"" + H + "\"", []string{"quotes around the address"}, false},
		{"smart quoted", "“" + H + "”", []string{"quotes around the address"}, false},
		{"angle brackets", "<" + H + ">", []string{"quotes around the address"}, false},
		{"zero-width space", H + "\u200b", []string{"an invisible character (U+200B) at character 52"}, false},
		{"nbsp inside", "https://app.hiveku.com/api/oauth/\u00a0microsoft/callback", []string{"invisible character (U+00A0) at character 34"}, false},
		{"cyrillic a", "https://\u0430pp.hiveku.com/api/oauth/microsoft/callback", []string{"“а” (U+0430, not a plain ASCII character) at character 9", "typo in the host"}, false},
		{"other site", "https://staging.example.com/cb", []string{"wrong host: “staging.example.com”", "path “/cb”"}, true},
		{"localhost", "http://localhost:8400/callback", []string{"http:// instead of https://", "wrong host"}, false},
		{"userinfo", "https://user@app.hiveku.com/api/oauth/microsoft/callback", []string{"host"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateRedirectURI(tt.in)
			if tt.problems == nil {
				valCheck(t, err, nil)
				return
			}
			fix := []string{"enter exactly " + H, PortalRedirectPath}
			if tt.far {
				fix = append(fix, "--allow-custom-redirect")
			}
			valCheck(t, err, &valWant{field: "redirect URI", msg: []string{"does not match"}, fix: fix})
			var fe *Error
			errors.As(err, &fe)
			if !tt.far && strings.Contains(fe.Fix, "--allow-custom-redirect") {
				t.Errorf("Fix = %q suggests a custom URI for a near miss", fe.Fix)
			}
			var rm *RedirectMismatch
			if !errors.As(err, &rm) {
				t.Fatalf("errors.As(*RedirectMismatch) = false for %v", err)
			}
			if rm.Got != tt.in || rm.Want != H {
				t.Errorf("mismatch Got/Want = %q/%q", rm.Got, rm.Want)
			}
			all := strings.Join(rm.Problems, " | ")
			for _, p := range tt.problems {
				if !strings.Contains(all, p) {
					t.Errorf("Problems = %q, want one containing %q", all, p)
				}
			}
			if !strings.Contains(rm.Marks, "^") {
				t.Errorf("Marks = %q has no ^", rm.Marks)
			}
			if !strings.Contains(rm.Error(), rm.Problems[0]) {
				t.Errorf("RedirectMismatch.Error() = %q", rm.Error())
			}
		})
	}
}

func TestValidateRedirectURILoopback(t *testing.T) {
	for _, in := range []string{LoopbackRedirectURI, "http://127.0.0.1:8400/", " 'http://localhost/' "} {
		valCheck(t, ValidateRedirectURI(in), &valWant{field: "redirect URI", fix: []string{"optional second address", "--add-loopback"}})
	}
}

func TestValidateRedirectURIEmpty(t *testing.T) {
	for _, in := range []string{"", "   ", "\n"} {
		valCheck(t, ValidateRedirectURI(in), &valWant{field: "redirect URI", msg: []string{"is empty"}, fix: []string{HivekuRedirectURI}})
	}
}

func TestCompareRedirect(t *testing.T) {
	tests := []struct {
		name      string
		got, want string
		contains  []string
		n         int // expected number of problems, -1 to skip
	}{
		{"equal", "https://a.example/x", "https://a.example/x", nil, 0},
		{"only whitespace differs", " https://a.example/x ", "https://a.example/x", []string{"space at the start", "space at the end"}, 2},
		{"all whitespace", "   ", "https://a.example/x", []string{"the address is empty"}, 1},
		{"other port", "https://a.example:8443/x", "https://a.example:443/x", []string{"port “8443” should be “443”"}, 1},
		{"want has slash", "https://a.example/x", "https://a.example/x/", []string{"missing"}, -1},
		{"query differs", "https://a.example/x?b=2", "https://a.example/x?a=1", []string{"query string “b=2” should be “a=1”"}, 1},
		{"query missing", "https://a.example/x", "https://a.example/x?a=1", []string{"query string"}, 1},
		{"fragment differs", "https://a.example/x#b", "https://a.example/x#a", []string{"fragment “b” should be “a”"}, 1},
		{"no host", "https://:443/x", "https://a.example:443/x", []string{"missing the host a.example"}, 1},
		{"three slashes", "https:///x", "https://a.example/x", []string{"3 slashes after “https:”"}, -1},
		{"want no scheme", "https://a.example/x", "a.example/x", []string{"scheme “https” should be “”"}, -1},
		{"fallback", "//a.example/x", "a.example/x", []string{"differs: extra “//”"}, 1},
		{"empty quotes", "\"\"", "https://a.example/x", []string{"quotes around the address", "the address is empty"}, 2},
		{"non-ascii want", "https://ä.example/y", "https://ä.example/x", []string{"typo in the path: “y” should be “x”"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := CompareRedirect(tt.got, tt.want)
			if tt.n >= 0 && len(got) != tt.n {
				t.Errorf("CompareRedirect() = %q (%d problems), want %d", got, len(got), tt.n)
			}
			all := strings.Join(got, " | ")
			for _, c := range tt.contains {
				if !strings.Contains(all, c) {
					t.Errorf("CompareRedirect() = %q, want one containing %q", all, c)
				}
			}
			if tt.got != tt.want && len(got) == 0 {
				t.Error("CompareRedirect() = nil for different strings")
			}
		})
	}
}

func TestMarkDiff(t *testing.T) {
	tests := []struct {
		name                  string
		got, want             string
		gotLine, wantL, marks string
	}{
		{"equal", "abc", "abc", "abc", "abc", "   "},
		{"insert keeps later marks", "abXc", "abc", "abXc", "ab c", "  ^ "},
		{"missing", "ac", "abc", "a c", "abc", " ^ "},
		{"substitute", "aXc", "abc", "aXc", "abc", " ^ "},
		{"leading space visible", " ab", "ab", "·ab", " ab", "^  "},
		{"tab and newline visible", "a\tb\n", "ab", "a→b↵", "a b ", " ^ ^"},
		{"empty got", "", "ab", "  ", "ab", "^^"},
		{"both empty", "", "", "", "", ""},
		{"control char", "a\x00", "a", "a?", "a ", " ^"},
		{"wide rune", "a世", "a", "a?", "a ", " ^"},
		{"combining mark", "e\u0301", "e", "e?", "e ", " ^"},
		{"latin lookalike kept", "аb", "ab", "аb", "ab", "^ "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, w, m := MarkDiff(tt.got, tt.want)
			if g != tt.gotLine || w != tt.wantL || m != tt.marks {
				t.Errorf("MarkDiff(%q, %q) =\n%q\n%q\n%q\nwant\n%q\n%q\n%q", tt.got, tt.want, g, w, m, tt.gotLine, tt.wantL, tt.marks)
			}
		})
	}
}

// TestMarkDiffHiveku checks the diff the wizard shows for the classic
// mistakes: one ^ per wrong character, nothing else marked.
func TestMarkDiffHiveku(t *testing.T) {
	tests := []struct {
		name  string
		got   string
		marks int
	}{
		{"http", "http://app.hiveku.com/api/oauth/microsoft/callback", 1},
		{"slash", HivekuRedirectURI + "/", 1},
		{"no scheme", "app.hiveku.com/api/oauth/microsoft/callback", len("https://")},
		{"missing callback", "https://app.hiveku.com/api/oauth/microsoft", len("/callback")},
		{"typo", "https://app.hiveku.com/api/oauth/microsoft/calback", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, w, m := MarkDiff(tt.got, HivekuRedirectURI)
			if n := strings.Count(m, "^"); n != tt.marks {
				t.Errorf("marks = %q (%d ^), want %d\n%s\n%s", m, n, tt.marks, g, w)
			}
			if utf8.RuneCountInString(g) != utf8.RuneCountInString(w) || utf8.RuneCountInString(w) != utf8.RuneCountInString(m) {
				t.Errorf("lines not aligned:\n%s\n%s\n%s", g, w, m)
			}
		})
	}
}

func TestMarkDiffHuge(t *testing.T) {
	// Past maxEditCells the diff is positional; it must stay aligned.
	got := strings.Repeat("a", 3000) + "X"
	want := strings.Repeat("a", 3000)
	g, w, m := MarkDiff(got, want)
	if utf8.RuneCountInString(g) != 3001 || utf8.RuneCountInString(w) != 3001 || len(m) != 3001 {
		t.Fatalf("lengths %d %d %d, want 3001", utf8.RuneCountInString(g), utf8.RuneCountInString(w), len(m))
	}
	if strings.Count(m, "^") != 1 || !strings.HasSuffix(m, "^") {
		t.Errorf("marks should flag only the last column")
	}
	g, w, m = MarkDiff(strings.Repeat("a", 2000), strings.Repeat("a", 2100))
	if utf8.RuneCountInString(g) != 2100 || strings.Count(m, "^") != 100 {
		t.Fatalf("shorter got: %d columns, %d marks", utf8.RuneCountInString(g), strings.Count(m, "^"))
	}
	g, w, m = MarkDiff("x"+strings.Repeat("a", 2100), "y"+strings.Repeat("a", 2101)+"z")
	if utf8.RuneCountInString(w) != 2103 || utf8.RuneCountInString(g) != 2103 || m[0] != '^' || strings.Count(m, "^") != 3 {
		t.Fatalf("positional: %d/%d columns, %d marks", utf8.RuneCountInString(g), utf8.RuneCountInString(w), strings.Count(m, "^"))
	}
	g, w, m = MarkDiff(strings.Repeat("b", 3000), strings.Repeat("a", 2000)+"b")
	if utf8.RuneCountInString(g) != 3000 || utf8.RuneCountInString(w) != 3000 || len(m) != 3000 {
		t.Fatalf("lengths %d %d %d, want 3000", utf8.RuneCountInString(g), utf8.RuneCountInString(w), len(m))
	}
}

func TestNewRedirectMismatchEqual(t *testing.T) {
	if m := NewRedirectMismatch("x", "x"); m != nil {
		t.Errorf("NewRedirectMismatch(equal) = %+v, want nil", m)
	}
}

func TestDescribeEdits(t *testing.T) {
	tests := []struct{ got, want, out string }{
		{"calback", "callback", "missing “l”"},
		{"callbacks", "callback", "extra “s”"},
		{"cellback", "callback", "“e” instead of “a”"},
		{"a1b2c3d4e", "aXbYcZdWe", "…"},
	}
	for _, tt := range tests {
		if got := describeEdits(tt.got, tt.want); !strings.Contains(got, tt.out) {
			t.Errorf("describeEdits(%q, %q) = %q, want it to contain %q", tt.got, tt.want, got, tt.out)
		}
	}
}

func TestValidateCustomRedirectURI(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("a", 240)
	tests := []struct {
		name string
		in   string
		a    AccountType
		want *valWant
	}{
		{"hiveku", HivekuRedirectURI, PersonalOnly, nil},
		{"https", "https://staging.hiveku.com/api/oauth/microsoft/callback", MultiTenantPersonal, nil},
		{"localhost http", "http://localhost:8400/callback", SingleTenant, nil},
		{"localhost no path", "http://localhost", MultiTenantPersonal, nil},
		{"loopback ip", "http://127.0.0.1:8400/", SingleTenant, nil},
		{"query ok for work", "https://example.com/cb?x=1", MultiTenant, nil},
		{"exactly 256", "https://example.com/" + strings.Repeat("a", 236), SingleTenant, nil},
		{"empty", "", SingleTenant, &valWant{"redirect URI", []string{"is empty"}, []string{"e.g."}}},
		{"whitespace", "https://example.com/ cb", SingleTenant, &valWant{"redirect URI", []string{"whitespace"}, []string{"remove"}}},
		{"too long", long, SingleTenant, &valWant{"redirect URI", []string{"260 characters", "at most 256"}, []string{"shorter"}}},
		{"wildcard", "https://*.example.com/cb", SingleTenant, &valWant{"redirect URI", []string{"wildcard"}, []string{"one exact address"}}},
		{"forbidden char", "https://example.com/cb;x", SingleTenant, &valWant{"redirect URI", []string{"contains “;”"}, []string{"! $ ' ( ) , ;"}}},
		{"paren", "https://example.com/(cb)", SingleTenant, &valWant{"redirect URI", []string{"contains “(”"}, nil}},
		{"fragment", "https://example.com/cb#x", SingleTenant, &valWant{"redirect URI", []string{"fragment"}, []string{"remove everything from #"}}},
		{"relative", "/api/callback", SingleTenant, &valWant{"redirect URI", []string{"absolute"}, []string{"https://"}}},
		{"no host", "https:///cb", SingleTenant, &valWant{"redirect URI", []string{"absolute"}, nil}},
		{"bad url", "https://exa mple.com", SingleTenant, &valWant{"redirect URI", []string{"whitespace"}, nil}},
		{"unparsable", "https://example.com:port/", SingleTenant, &valWant{"redirect URI", []string{"absolute"}, nil}},
		{"http remote", "http://example.com/cb", SingleTenant, &valWant{"redirect URI", []string{"only localhost may use http"}, []string{"https://example.com/cb"}}},
		{"custom scheme", "myapp://cb", SingleTenant, &valWant{"redirect URI", []string{"“myapp:”"}, []string{"https://"}}},
		{"ipv6", "http://[::1]:8400/cb", SingleTenant, &valWant{"redirect URI", []string{"IPv6"}, []string{"localhost"}}},
		{"query personal", "https://example.com/cb?x=1", MultiTenantPersonal, &valWant{"redirect URI", []string{"query string", "personal"}, []string{"remove everything from ?"}}},
		{"empty query personal", "https://example.com/cb?", PersonalOnly, &valWant{"redirect URI", []string{"query string"}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			valCheck(t, ValidateCustomRedirectURI(tt.in, tt.a), tt.want)
		})
	}
}

func TestValidateRedirectURIManyProblems(t *testing.T) {
	in := " http://APP.hiveku.io:8080/api//oauth/Microsoft/calback/?q=1#f"
	err := ValidateRedirectURI(in)
	var rm *RedirectMismatch
	if !errors.As(err, &rm) || len(rm.Problems) <= 4 {
		t.Fatalf("want more than 4 problems, got %v", err)
	}
	var fe *Error
	errors.As(err, &fe)
	if want := fmt.Sprintf("and %d more", len(rm.Problems)-4); !strings.HasSuffix(fe.Message, want) {
		t.Errorf("Message = %q, want it to end with %q", fe.Message, want)
	}
}

func TestValidateRedirectURIPastedPage(t *testing.T) {
	page := strings.Repeat("Sorry,but-we're-having-trouble-signing-you-in.", 500) + "/x?" + strings.Repeat("q", 5000) + "#" + strings.Repeat("f", 5000)
	err := ValidateRedirectURI(page)
	if err == nil {
		t.Fatal("accepted a page")
	}
	if n := utf8.RuneCountInString(err.Error()); n > 1000 {
		t.Errorf("message is %d characters; quoted input must be clipped", n)
	}
	for _, s := range []string{clip(strings.Repeat("é", 100)), clip(strings.Repeat("a", clipLen))} {
		if n := utf8.RuneCountInString(s); n > clipLen+1 {
			t.Errorf("clip returned %d runes", n)
		}
	}
	if got := clip("short"); got != "short" {
		t.Errorf("clip(short) = %q", got)
	}
}
