package cmd

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// auditTemp writes s to a temporary manifest file.
func auditTemp(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "manifest.json")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestAuditScriptManifestIsClean is the acceptance test end to
// end: byok audit on byok script --format manifest reports no problem.
func TestAuditScriptManifestIsClean(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	c := rotateFixture()
	c.SecretInfo.Expires = testNow.AddDate(1, 0, 0)
	rotateSave(t, f, c)
	if code := runCmd(t, f, "script", "Acme Hiveku", "--format", "manifest"); code != 0 {
		t.Fatalf("script exit %d\n%s", code, stderr)
	}
	p := auditTemp(t, stdout.String())
	stdout.Reset()
	if code := runCmd(t, f, "audit", p, "--name", "Acme Hiveku"); code != 0 {
		t.Fatalf("audit exit %d\n%s%s", code, stdout, stderr)
	}
	out := stdout.String()
	if !strings.Contains(out, "No problems found.") || strings.Contains(out, "✗") || strings.Contains(out, "!") {
		t.Errorf("audit of the generated manifest:\n%s", out)
	}
}

func TestAuditBrokenLegacyManifest(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	rotateSave(t, f, rotateFixture())
	code := runCmd(t, f, "audit", filepath.Join("testdata", "audit", "broken-aad.json"), "--name", "Acme Hiveku")
	if code != 1 {
		t.Fatalf("exit %d, want 1\n%s", code, stderr)
	}
	out := stdout.String()
	for _, want := range []string{
		`Manifest of "Acme Hiveku", older Azure AD Graph format, against config "Acme Hiveku"`,
		"✗ app-id",
		"✗ redirect-uri",
		"Mobile and desktop applications",
		"✗ sign-in-audience",
		"✗ permissions",
		"Mail.ReadWrite, Mail.Send, Calendars.ReadWrite",
		"! secrets",
		"fix: App registrations > your app > Authentication > Web > Add URI: https://app.hiveku.com/api/oauth/microsoft/callback",
		"4 problems, 1 warning.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAuditJSON(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	code := runCmd(t, f, "audit", filepath.Join("testdata", "audit", "good-graph.json"), "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var got struct {
		Format string       `json:"format"`
		AppID  string       `json:"app_id"`
		Config *string      `json:"config"`
		OK     bool         `json:"ok"`
		Checks []flow.Check `json:"checks"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	if got.Format != "microsoft-graph" || got.AppID != "11111111-2222-3333-4444-555555555555" || got.Config != nil || !got.OK || len(got.Checks) != 6 {
		t.Errorf("got %+v", got)
	}
	if got.Checks[0].ID != "app-id" || got.Checks[0].Status != flow.Skip {
		t.Errorf("app-id without --name = %+v, want skip", got.Checks[0])
	}
}

func TestAuditStdin(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	data, err := os.ReadFile(filepath.Join("testdata", "audit", "good-graph.json"))
	if err != nil {
		t.Fatal(err)
	}
	f.IO.In.(interface{ Write([]byte) (int, error) }).Write(data)
	if code := runCmd(t, f, "audit", "-"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
}

func TestAuditRejects(t *testing.T) {
	tests := []struct {
		name string
		args func(t *testing.T) []string
		code int
		want string
	}{
		{"no file", func(t *testing.T) []string { return nil }, 2, "missing MANIFEST.json"},
		{"missing file", func(t *testing.T) []string { return []string{filepath.Join(t.TempDir(), "m.json")} }, 2, "does not exist"},
		{"directory", func(t *testing.T) []string { return []string{t.TempDir()} }, 2, "is a directory"},
		{"not json", func(t *testing.T) []string { return []string{auditTemp(t, "<html>Sign in</html>")} }, 2, "manifest: the file is not valid JSON"},
		{"not a manifest", func(t *testing.T) []string { return []string{auditTemp(t, `{"format":"byok-bundle"}`)} }, 2, "none of the fields"},
		{"unknown config", func(t *testing.T) []string {
			return []string{filepath.Join("testdata", "audit", "good-graph.json"), "--name", "Nope"}
		}, 1, `no config named "Nope"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			if code := runCmd(t, f, append([]string{"audit"}, tt.args(t)...)...); code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
		})
	}
}
