package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/hiveku/byok/flow"
)

const (
	doctorAppID  = "5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"
	doctorDirID  = "72f988bf-86f1-41af-91ab-2d7cd011db47"
	doctorSecret = "abC8Q~doctorFixtureSecretValue.0123456789"
)

// doctorSample50011 is a redirect the browser landed on.
const doctorSample50011 = `https://app.hiveku.com/api/oauth/microsoft/callback?error=invalid_request&error_description=AADSTS50011%3a+The+redirect+URI+%27https%3a%2f%2fapp.hiveku.com%2fapi%2foauth%2fmicrosoft%2fcallback%2f%27+specified+in+the+request+does+not+match+the+redirect+URIs+configured+for+the+application+%275a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d%27.%0d%0aTrace+ID%3a+0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b%0d%0aCorrelation+ID%3a+9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a%0d%0aTimestamp%3a+2026-11-27+06%3a00%3a00Z&state=q8Zt2`

// doctorSampleSecret is a token endpoint body.
const doctorSampleSecret = `{"error":"invalid_client","error_description":"AADSTS7000222: The provided client secret keys for app '5a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.\r\nTrace ID: 0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b\r\nCorrelation ID: 9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a\r\nTimestamp: 2026-11-27 06:00:00Z","error_codes":[7000222]}`

// doctorFakeStore is a flow.Store holding configs in a map; any method
// other than FindConfig panics (the embedded nil interface), failing the
// test loudly.
type doctorFakeStore struct {
	flow.Store
	configs map[string]flow.Config
}

func (s doctorFakeStore) FindConfig(_ context.Context, name string) (flow.Config, error) {
	if c, ok := s.configs[strings.ToLower(name)]; ok {
		return c, nil
	}
	return flow.Config{}, flow.Errorf(flow.ENOTFOUND, "no config named %q", name)
}

func doctorFactory(t *testing.T, stdin string) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	f, stdout, stderr := newTestFactory(t)
	f.IO.In.(*bytes.Buffer).WriteString(stdin)
	cfg := flow.Config{
		Name: "Acme", AccountType: flow.MultiTenantPersonal, RedirectURI: flow.HivekuRedirectURI,
		Scopes: []string{"offline_access", "Mail.ReadWrite"}, ClientID: "11111111-2222-4333-8444-555555555555",
		DirectoryID: doctorDirID, Tenant: "common", Secret: flow.Secret(doctorSecret),
		SecretInfo: flow.SecretInfo{Hint: "abC…", Expires: time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)},
	}
	f.Store = func(context.Context) (flow.Store, error) {
		return doctorFakeStore{configs: map[string]flow.Config{"acme": cfg}}, nil
	}
	return f, stdout, stderr
}

func TestDoctorInputs(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "ticket.txt")
	if err := os.WriteFile(file, []byte("Customer log:\n"+doctorSampleSecret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		stdin    string
		args     []string
		wantCode int
		want     []string // substrings of stdout
	}{
		{"stdin", doctorSample50011, nil, 0, []string{"AADSTS50011  redirect-uri  The redirect URI doesn't match", "redirect URI:    https://app.hiveku.com/api/oauth/microsoft/callback/"}},
		{"dash is stdin", doctorSampleSecret, []string{"-"}, 0, []string{"AADSTS7000222  client-secret  The client secret has expired"}},
		{"file", "", []string{file}, 0, []string{"AADSTS7000222", "trace ID:        0b6e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"}},
		{"argument text", "", []string{"AADSTS700016: Application with identifier 'x' was not found in the directory 'Contoso'."}, 0, []string{"AADSTS700016  client-id"}},
		{"several arguments", "", []string{"error=access_denied", "state=1"}, 0, []string{"access_denied  consent  Access was denied"}},
		{"two errors in order", doctorSample50011 + "\n" + doctorSampleSecret, nil, 0, []string{"AADSTS50011", "AADSTS7000222"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := doctorFactory(t, tt.stdin)
			code := runCmd(t, f, append([]string{"doctor"}, tt.args...)...)
			if code != tt.wantCode {
				t.Fatalf("exit = %d, want %d; stderr: %s", code, tt.wantCode, stderr)
			}
			out := stdout.String()
			last := -1
			for _, w := range tt.want {
				i := strings.Index(out, w)
				if i < 0 {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				} else if i < last {
					t.Errorf("%q is out of order:\n%s", w, out)
				}
				last = i
			}
			for _, l := range strings.Split(out, "\n") {
				if n := utf8.RuneCountInString(l); n > 80 {
					t.Errorf("line of %d columns: %q", n, l)
				}
			}
			if stderr.Len() != 0 {
				t.Errorf("stderr = %q, want empty", stderr)
			}
		})
	}
}

func TestDoctorJSON(t *testing.T) {
	f, stdout, _ := doctorFactory(t, doctorSample50011)
	if code := runCmd(t, f, "doctor", "--json"); code != 0 {
		t.Fatalf("exit = %d, want 0", code)
	}
	var got struct {
		Findings []map[string]any `json:"findings"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("stdout is not JSON: %v\n%s", err, stdout)
	}
	if len(got.Findings) != 1 {
		t.Fatalf("findings = %v, want 1", got.Findings)
	}
	fd := got.Findings[0]
	for _, k := range []string{"code", "category", "title", "cause", "fix", "details"} {
		if _, ok := fd[k]; !ok {
			t.Errorf("finding lacks %q: %v", k, fd)
		}
	}
	if fd["code"] != float64(50011) || fd["category"] != "redirect-uri" || fd["error"] != "invalid_request" {
		t.Errorf("finding = %v", fd)
	}
	det, _ := fd["details"].(map[string]any)
	if det["redirect_uri"] != flow.HivekuRedirectURI+"/" || det["app_id"] != doctorAppID {
		t.Errorf("details = %v", det)
	}
}

func TestDoctorNothingFound(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		wantStdout string
	}{
		{"text", []string{"doctor"}, ""},
		{"json", []string{"doctor", "--json"}, "{\n  \"findings\": []\n}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := doctorFactory(t, "dial tcp 10.0.0.1:443: connection refused\n")
			if code := runCmd(t, f, tt.args...); code != 1 {
				t.Fatalf("exit = %d, want 1", code)
			}
			if got := stdout.String(); got != tt.wantStdout {
				t.Errorf("stdout = %q, want %q", got, tt.wantStdout)
			}
			want := "byok: no Microsoft sign-in error found in the input; paste the whole message including the AADSTS code\n"
			if stderr.String() != want {
				t.Errorf("stderr = %q, want %q", stderr, want)
			}
		})
	}
}

func TestDoctorName(t *testing.T) {
	f, stdout, _ := doctorFactory(t, doctorSample50011+"\n"+doctorSampleSecret)
	if code := runCmd(t, f, "doctor", "--name", "acme"); code != 0 {
		t.Fatalf("exit = %d, want 0", code)
	}
	out := stdout.String()
	for _, w := range []string{
		"in error:        https://app.hiveku.com/api/oauth/microsoft/callback/",
		"expected:        https://app.hiveku.com/api/oauth/microsoft/callback\n",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	flat := strings.Join(strings.Fields(out), " ") // independent of wrapping
	for _, w := range []string{
		"this is not the redirect URI saved for Acme",
		"this app ID is not the one saved for Acme (saved: 11111111-2222-4333-8444-555555555555)",
		"the secret saved for Acme starts with abC… and expires 2026-11-20",
	} {
		if !strings.Contains(flat, w) {
			t.Errorf("stdout lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, doctorSecret) {
		t.Errorf("stdout contains the secret value")
	}

	f, stdout, _ = doctorFactory(t, doctorSample50011)
	if code := runCmd(t, f, "doctor", "--name", "Acme", "--json"); code != 0 {
		t.Fatalf("exit = %d, want 0", code)
	}
	if !strings.Contains(stdout.String(), `"app_id_check": "this app ID is not the one saved for Acme`) || strings.Contains(stdout.String(), doctorSecret) {
		t.Errorf("--json --name stdout = %s", stdout)
	}
}

func TestDoctorErrors(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"unknown config", []string{"doctor", "--name", "Globex", "AADSTS50011"}, 1, `no config named "Globex"`},
		{"missing file", []string{"doctor", "logs/ticket-4411.txt"}, 2, "file: logs/ticket-4411.txt does not exist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := doctorFactory(t, "")
			if code := runCmd(t, f, tt.args...); code != tt.wantCode {
				t.Fatalf("exit = %d, want %d; stderr %s", code, tt.wantCode, stderr)
			}
			if !strings.Contains(stderr.String(), tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", stderr, tt.wantErr)
			}
		})
	}
}

func TestDoctorPromptsOnTerminal(t *testing.T) {
	f, stdout, stderr := doctorFactory(t, doctorSampleSecret)
	f.IO.SetStdinTTY(true)
	if code := runCmd(t, f, "doctor"); code != 0 {
		t.Fatalf("exit = %d, want 0", code)
	}
	// Not a terminal byok can switch to raw mode: lines, and the prompt
	// says how to end them.
	if got, want := strings.Join(strings.Fields(stderr.String()), " "), "Paste the error Microsoft showed (the whole page or message), then press Enter (twice if byok keeps waiting):"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if !strings.Contains(stdout.String(), "AADSTS7000222") {
		t.Errorf("stdout = %s", stdout)
	}
}

func TestDoctorWidth(t *testing.T) {
	f, stdout, _ := doctorFactory(t, doctorSampleSecret)
	f.IO.SetWidth(60)
	if code := runCmd(t, f, "doctor"); code != 0 {
		t.Fatalf("exit = %d", code)
	}
	for _, l := range strings.Split(stdout.String(), "\n") {
		if n := utf8.RuneCountInString(l); n > 60 && strings.Contains(strings.TrimSpace(l), " ") && !strings.Contains(l, "://") {
			t.Errorf("line of %d columns at width 60: %q", n, l)
		}
	}
}

func TestDoctorFlags(t *testing.T) {
	f, _, _ := doctorFactory(t, "")
	var got *DoctorOptions
	c := newCmdDoctor(f, func(o *DoctorOptions) error { got = o; return nil })
	c.SetArgs([]string{"a.log", "--name", "Acme", "--json"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	if got == nil || got.Name != "Acme" || !got.JSON || len(got.Args) != 1 || got.Args[0] != "a.log" {
		t.Errorf("options = %+v", got)
	}
}

func TestLooksLikePath(t *testing.T) {
	tests := map[string]bool{
		"ticket.txt":          true,
		"./errors":            true,
		"logs/app.log":        true,
		"AADSTS50011":         false,
		"invalid_client":      false,
		"error=access_denied": false,
		"https://app.hiveku.com/api/oauth/microsoft/callback?error=x": false,
		"AADSTS50011: The redirect URI":                               false,
	}
	for in, want := range tests {
		t.Run(in, func(t *testing.T) {
			if got := looksLikePath(in); got != want {
				t.Errorf("looksLikePath(%q) = %v, want %v", in, got, want)
			}
		})
	}
}

// TestDoctorNameRealStore runs --name against a config saved in the real
// SQLite store, as support would after `byok import`.
func TestDoctorNameRealStore(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	f.IO.In.(*bytes.Buffer).WriteString(doctorSample50011)
	cfg := flow.Config{
		Name: "Acme Hiveku", AccountType: flow.MultiTenantPersonal, RedirectURI: flow.HivekuRedirectURI,
		Scopes: []string{"offline_access", "Mail.ReadWrite", "Mail.Send"}, ClientID: doctorAppID,
		DirectoryID: doctorDirID, Tenant: "common", Secret: flow.Secret(doctorSecret),
		SecretInfo: flow.SecretInfo{Description: "Hiveku prod", Hint: "abC…", Created: testNow, Expires: testNow.AddDate(2, 0, 0)},
	}
	if err := testStore(t, f).SaveConfig(context.Background(), cfg, false); err != nil {
		t.Fatalf("SaveConfig() = %v", err)
	}
	if code := runCmd(t, f, "doctor", "--name", "acme hiveku"); code != 0 {
		t.Fatalf("exit = %d, want 0; stderr %s", code, stderr)
	}
	flat := strings.Join(strings.Fields(stdout.String()), " ")
	for _, w := range []string{"matches the client ID saved for Acme Hiveku", "this is not the redirect URI saved for Acme Hiveku", "trailing slash"} {
		if !strings.Contains(flat, w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
	if strings.Contains(stdout.String(), doctorSecret) {
		t.Errorf("stdout contains the secret value")
	}
}
