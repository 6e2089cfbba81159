package cmd

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

func TestShowText(t *testing.T) {
	tests := []struct {
		name, arg, want string
	}{
		{
			name: "verified",
			arg:  "acme hiveku",
			want: `Acme Hiveku
  account type   multi-personal (AzureADandPersonalMicrosoftAccount)
  redirect URI   https://app.hiveku.com/api/oauth/microsoft/callback
  permissions    offline_access, Mail.ReadWrite, Mail.Send, Calendars.ReadWrite
  client ID      11111111-2222-3333-4444-555555555555
  directory ID   66666666-7777-8888-9999-000000000000
  tenant         common
  secret         abC… "Hiveku prod", expires 2028-11-27 (in 731 days)
  created        2026-11-27 09:00 UTC
  last verified  2026-11-25 09:00 UTC, ok as alice@contoso.com
    ✓ redirect-uri   matches Hiveku's
    ✓ mailbox        alice@contoso.com
`,
		},
		{
			name: "failed offline",
			arg:  "Contoso Mail",
			want: `Contoso Mail
  account type   single (AzureADMyOrg)
  redirect URI   https://app.hiveku.com/api/oauth/microsoft/callback
  permissions    offline_access, Mail.ReadWrite, Mail.Send, Calendars.ReadWrite
  client ID      11111111-2222-3333-4444-555555555555
  directory ID   66666666-7777-8888-9999-000000000000
  tenant         66666666-7777-8888-9999-000000000000
  secret         abC… "Hiveku prod", expires 2026-12-09 (in 12 days)
  created        2026-11-27 09:00 UTC
  last verified  2026-11-26 09:00 UTC, failed (offline checks only)
    ✗ account-type   single tenant with common
        fix: use the directory ID as tenant
`,
		},
		{
			name: "never verified",
			arg:  "Old App",
			want: `Old App
  account type   multi (AzureADMultipleOrgs)
  redirect URI   https://app.hiveku.com/api/oauth/microsoft/callback
  permissions    offline_access, Mail.ReadWrite, Mail.Send, Calendars.ReadWrite
  client ID      11111111-2222-3333-4444-555555555555
  directory ID   66666666-7777-8888-9999-000000000000
  tenant         organizations
  secret         abC… "Hiveku prod", expires 2026-11-24 (expired)
  created        2026-11-27 09:00 UTC
  last verified  never; run byok verify 'Old App'
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			listSeed(t, f)
			if code := runCmd(t, f, "show", tt.arg); code != 0 {
				t.Fatalf("exit = %d; stderr %q", code, stderr)
			}
			if got := stdout.String(); got != tt.want {
				t.Errorf("stdout =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

func TestShowJSON(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	listSeed(t, f)
	if code := runCmd(t, f, "show", "Acme Hiveku", "--json"); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	var got map[string]any
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not a JSON object: %v\n%s", err, stdout)
	}
	if got["name"] != "Acme Hiveku" || got["secret_days_left"] != 731.0 {
		t.Errorf("name, days = %v, %v", got["name"], got["secret_days_left"])
	}
	run, _ := got["last_verification"].(map[string]any)
	checks, _ := run["checks"].([]any)
	if len(checks) != 2 {
		t.Errorf("last_verification.checks = %v, want 2 checks", run["checks"])
	}
	if strings.Contains(stdout.String(), setupFixtureSecret) {
		t.Error("show --json contains the secret value")
	}
}

func TestShowConsentURLHook(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	listSeed(t, f)
	f.ConsentURLs = func(c flow.Config) (string, string, error) {
		return "https://login.example/user?client_id=" + c.ClientID, "https://login.example/admin", nil
	}
	if code := runCmd(t, f, "show", "Old App"); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	for _, want := range []string{
		"  consent URL    https://login.example/user?client_id=" + setupClientID + "\n",
		"  admin consent  https://login.example/admin\n",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
}

// TestShowConsentURLOnATerminal: too wide to follow its label, the URL
// starts the next line, unindented and whole, so that it copies clean.
func TestShowConsentURLOnATerminal(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	f.IO.SetStdoutTTY(true)
	listSeed(t, f)
	f.ConsentURLs = func(c flow.Config) (string, string, error) {
		return "https://login.example/user?client_id=" + c.ClientID, "https://login.example/admin", nil
	}
	if code := runCmd(t, f, "show", "Old App"); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	want := "  consent URL\nhttps://login.example/user?client_id=" + setupClientID + "\n"
	if !strings.Contains(stdout.String(), want) {
		t.Errorf("stdout lacks %q:\n%s", want, stdout)
	}
}

func TestShowErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		want     string
	}{
		{"not found", []string{"show", "Nope"}, 1, "byok: no config named \"Nope\"; run byok list to see the saved ones\n"},
		{"missing NAME", []string{"show"}, 2, "byok: missing NAME: the config to use (see byok list)\nRun 'byok show --help' for usage.\n"},
		{"two names", []string{"show", "Acme", "Hiveku"}, 2, "byok: too many arguments: show takes one NAME (quote names with spaces)\nRun 'byok show --help' for usage.\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			testStore(t, f) // the database exists
			if code := runCmd(t, f, tt.args...); code != tt.wantCode {
				t.Fatalf("exit = %d, want %d; stderr %q", code, tt.wantCode, stderr)
			}
			if stderr.String() != tt.want {
				t.Errorf("stderr = %q, want %q", stderr, tt.want)
			}
			if stdout.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

func TestAppendConfigJSONMatchesEncodingJSON(t *testing.T) {
	days := -3
	tests := map[string]configJSON{
		"zero": {},
		"full": {
			Name: "Acme \"Hiveku\" <prod> & co", AccountType: "AzureADMyOrg", RedirectURI: "https://x.example/cb?a=1&b=2",
			CustomRedirect: true, Loopback: true, Scopes: []string{"offline_access", "Mail.Read"},
			ClientID: "c", DirectoryID: "d", Tenant: "contoso.com",
			Secret:    secretJSON{Description: "tab\there, line\nbreak, \u2028sep\u2029, bell\x07, del\x7f", Hint: "abC…", Created: "2026-01-01T00:00:00Z", Missing: true},
			CreatedAt: "2026-01-01T00:00:00Z", UpdatedAt: "2026-01-02T00:00:00Z", SecretDaysLeft: &days,
			LastVerification: &runJSON{At: "2026-01-03T00:00:00Z", Offline: true, OK: false, Email: "é@例え.jp",
				Checks: []flow.Check{{ID: "a", Status: flow.Fail, Detail: "back\\slash", Code: 50011, Fix: "do it"}, {ID: "b", Status: flow.Pass}}},
			SecretHistory:   []secretJSON{{Description: "old", Hint: "xyz…", Retired: "2025-01-01T00:00:00Z"}},
			ConsentURL:      "https://login.example/?q=<x>",
			AdminConsentURL: "https://login.example/admin",
		},
		"invalid utf-8 and nil checks": {Name: "bad \xff byte", Scopes: []string{}, LastVerification: &runJSON{}},
	}
	for name, j := range tests {
		t.Run(name, func(t *testing.T) {
			var want bytes.Buffer
			enc := json.NewEncoder(&want)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(j); err != nil {
				t.Fatal(err)
			}
			got := string(appendConfigJSON(nil, &j)) + "\n"
			if got != want.String() {
				t.Errorf("appendConfigJSON =\n%s\nencoding/json =\n%s", got, want.String())
			}
		})
	}
}

func TestJSONExact(t *testing.T) {
	const oldApp = `{"name":"Old App","account_type":"AzureADMultipleOrgs","redirect_uri":"https://app.hiveku.com/api/oauth/microsoft/callback","scopes":["offline_access","Mail.ReadWrite","Mail.Send","Calendars.ReadWrite"],"client_id":"11111111-2222-3333-4444-555555555555","directory_id":"66666666-7777-8888-9999-000000000000","tenant":"organizations","secret":{"description":"Hiveku prod","hint":"abC…","created":"2026-10-28T09:00:00Z","expires":"2026-11-24T09:00:00Z"},"created_at":"2026-11-27T09:00:00Z","updated_at":"2026-11-27T09:00:00Z","secret_days_left":-3,"last_verification":null}`
	const contoso = `{"name":"Contoso Mail","account_type":"AzureADMyOrg","redirect_uri":"https://app.hiveku.com/api/oauth/microsoft/callback","scopes":["offline_access","Mail.ReadWrite","Mail.Send","Calendars.ReadWrite"],"client_id":"11111111-2222-3333-4444-555555555555","directory_id":"66666666-7777-8888-9999-000000000000","tenant":"66666666-7777-8888-9999-000000000000","secret":{"description":"Hiveku prod","hint":"abC…","created":"2026-10-28T09:00:00Z","expires":"2026-12-09T09:00:00Z"},"created_at":"2026-11-27T09:00:00Z","updated_at":"2026-11-27T09:00:00Z","secret_days_left":12,"last_verification":{"at":"2026-11-26T09:00:00Z","offline":true,"ok":false,"checks":[{"id":"account-type","status":"fail","detail":"single tenant with common","code":0,"fix":"use the directory ID as tenant"}]}}`
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"show --json", []string{"show", "old app", "--json"}, oldApp + "\n"},
		{"list --json --expiring", []string{"list", "--json", "--expiring", "30"}, "[" + contoso + "," + oldApp + "]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			listSeed(t, f)
			if code := runCmd(t, f, tt.args...); code != 0 {
				t.Fatalf("exit = %d; stderr %q", code, stderr)
			}
			if stdout.String() != tt.want {
				t.Errorf("stdout =\n%s\nwant\n%s", stdout, tt.want)
			}
		})
	}
}

// plainJSON8 agrees with a byte-by-byte check on every byte value in
// every position of a word, next to plain and special neighbours.
func TestPlainJSON8(t *testing.T) {
	plain := func(c byte) bool { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\' }
	for _, fill := range []byte{' ', 'a', '~', '"', '\\', 0x00, 0x1f, 0x7f, 0x80, 0xff} {
		for pos := range 8 {
			for v := range 256 {
				b := bytes.Repeat([]byte{fill}, 8)
				b[pos] = byte(v)
				want := true
				for _, c := range b {
					want = want && plain(c)
				}
				if got := plainJSON8(binary.LittleEndian.Uint64(b)); got != want {
					t.Fatalf("plainJSON8(% x) = %v, want %v", b, got, want)
				}
			}
		}
	}
}

// appendJSONString encodes any string as encoding/json does, wherever in
// it the characters that need escaping are.
func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "plain ascii text, long enough", "0123456\"89", "01234567\\9abcdef", "abcdefgh\x1b[2J", "abcdefg\u2028", "abcdefghijklmn\xff", "https://app.hiveku.com/api/oauth/microsoft/callback"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got := string(appendJSONString(nil, s)) + "\n"; got != want.String() {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want.String())
		}
	})
}

// jsonTimes formats each time as jsonTime does: zero times, nanoseconds,
// other zones, years past 9999.
func TestJSONTimes(t *testing.T) {
	zone := time.FixedZone("x", -(9*3600 + 30*60))
	ts := [6]time.Time{
		{},
		time.Date(2026, 12, 1, 18, 0, 0, 0, time.UTC),
		time.Date(2026, 12, 1, 18, 0, 0, 123456789, zone),
		time.Date(12026, 1, 2, 3, 4, 5, 600, time.UTC),
		{},
		time.Unix(0, 1).In(zone),
	}
	got := jsonTimes(ts)
	for i, tm := range ts {
		if want := jsonTime(tm); got[i] != want {
			t.Errorf("jsonTimes[%d] = %q, want %q", i, got[i], want)
		}
	}
}

// BenchmarkAppendJSONString: the strings of one typical config.
func BenchmarkAppendJSONString(b *testing.B) {
	ss := []string{"Acme Hiveku 00042", "AzureADandPersonalMicrosoftAccount", flow.HivekuRedirectURI,
		"offline_access", "Mail.ReadWrite", "11111111-2222-3333-4444-000000000042",
		"66666666-7777-8888-9999-000000000042", "common", "Hiveku prod", "abC…",
		"2026-12-01T18:15:54.996487129Z", "2028-12-01T18:15:54.995415459Z", "matches the Hiveku redirect URI"}
	buf := make([]byte, 0, 4096)
	for b.Loop() {
		buf = buf[:0]
		for _, s := range ss {
			buf = appendJSONString(buf, s)
		}
	}
}
