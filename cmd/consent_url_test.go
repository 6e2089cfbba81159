package cmd

import (
	"net/url"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/verify"
)

func TestConsentURL(t *testing.T) {
	tests := []struct {
		name      string
		args      []string
		wantLines int
		host      string
	}{
		{"user", []string{"consent-url", "Acme Hiveku"}, 1, "login.microsoftonline.com"},
		{"admin", []string{"consent-url", "Acme Hiveku", "--admin"}, 2, "login.microsoftonline.com"},
		{"usgov", []string{"consent-url", "Acme Hiveku", "--cloud", "usgov"}, 1, "login.microsoftonline.us"},
		{"authority host", []string{"consent-url", "Acme Hiveku", "--authority-host", "http://127.0.0.1:9999"}, 1, "127.0.0.1:9999"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			c := verifyTestConfig()
			verifySave(t, f, c)
			if code := runCmd(t, f, tt.args...); code != 0 {
				t.Fatalf("exit %d; stderr %s", code, stderr)
			}
			lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
			if len(lines) != tt.wantLines {
				t.Fatalf("printed %d lines, want %d:\n%s", len(lines), tt.wantLines, stdout)
			}
			u, err := url.Parse(lines[0])
			if err != nil {
				t.Fatal(err)
			}
			q := u.Query()
			if u.Host != tt.host || u.Path != "/common/oauth2/v2.0/authorize" {
				t.Errorf("user URL = %s%s", u.Host, u.Path)
			}
			if q.Get("client_id") != c.ClientID || q.Get("redirect_uri") != flow.HivekuRedirectURI || q.Get("prompt") != "consent" ||
				q.Get("response_type") != "code" || q.Get("state") == "" || !strings.Contains(q.Get("scope"), "Mail.Send") {
				t.Errorf("user URL query = %v", q)
			}
			if tt.wantLines == 2 {
				a, err := url.Parse(lines[1])
				if err != nil {
					t.Fatal(err)
				}
				if a.Path != "/"+c.DirectoryID+"/v2.0/adminconsent" || a.Query().Get("client_id") != c.ClientID ||
					a.Query().Get("scope") != "https://graph.microsoft.com/.default" {
					t.Errorf("admin URL = %s", lines[1])
				}
			}
			if strings.Contains(stdout.String()+stderr.String(), verifyTestSecret) {
				t.Error("output shows the secret")
			}
		})
	}
}

func TestConsentURLErrors(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"unknown config", []string{"consent-url", "Nope"}, 1},
		{"no name", []string{"consent-url"}, 2},
		{"bad cloud", []string{"consent-url", "Acme Hiveku", "--cloud", "mars"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			verifySave(t, f, verifyTestConfig())
			if code := runCmd(t, f, tt.args...); code != tt.want {
				t.Errorf("exit %d, want %d; stderr %s", code, tt.want, stderr)
			}
		})
	}
}

func TestConsentURLsFreshState(t *testing.T) {
	build := ConsentURLs(verifyEndpointsGlobal(t), nil)
	a, _, err := build(verifyTestConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := build(verifyTestConfig())
	ua, _ := url.Parse(a)
	ub, _ := url.Parse(b)
	if ua.Query().Get("state") == ub.Query().Get("state") {
		t.Error("two consent URLs share a state")
	}
}

func verifyEndpointsGlobal(t *testing.T) verify.Endpoints {
	t.Helper()
	e, err := verify.CloudEndpoints("global")
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestConsentURLAdminLabelled: on a terminal the two addresses of
// --admin are labelled, each alone on its line and unindented.
func TestConsentURLAdminLabelled(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	f.IO.SetStdoutTTY(true)
	verifySave(t, f, verifyTestConfig())
	if code := runCmd(t, f, "consent-url", "Acme Hiveku", "--admin"); code != 0 {
		t.Fatalf("exit %d; stderr %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	if len(lines) != 5 || !strings.HasPrefix(lines[0], "User consent") || !strings.HasPrefix(lines[1], "https://") ||
		!strings.HasPrefix(lines[3], "Admin consent") || !strings.HasPrefix(lines[4], "https://") {
		t.Errorf("stdout:\n%s", stdout)
	}
}
