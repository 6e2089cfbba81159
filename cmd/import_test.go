package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/bundle"
)

// importWrite writes a bundle of c to a temporary file.
func importWrite(t *testing.T, b bundle.Bundle) string {
	t.Helper()
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(p, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func importRaw(t *testing.T, s string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "bundle.json")
	if err := os.WriteFile(p, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportRejects(t *testing.T) {
	good := bundle.New(rotateFixture(), nil, nil, bundle.Options{ByokVersion: "1", Now: testNow})
	badRedirect := good
	badRedirect.Config.RedirectURI = "http://app.hiveku.com/api/oauth/microsoft/callback"
	tests := []struct {
		name string
		file func(t *testing.T) string
		args []string
		code int
		want string
	}{
		{"missing file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "nope.json") }, nil, 2, "bundle: " + ""},
		{"garbage", func(t *testing.T) string { return importRaw(t, "\x00\x01 not json") }, nil, 2, "not valid JSON"},
		{"a manifest", func(t *testing.T) string { return importRaw(t, `{"appId":"x","displayName":"y"}`) }, nil, 2, "not a byok support bundle"},
		{"newer format", func(t *testing.T) string {
			return importRaw(t, `{"format":"byok-bundle","version":3,"config":{}}`)
		}, nil, 2, "this bundle was written by a newer byok (format 3); upgrade byok to import it"},
		{"invalid config", func(t *testing.T) string { return importWrite(t, badRedirect) }, nil, 2, "redirect URI"},
		{"invalid new name", func(t *testing.T) string { return importWrite(t, good) }, []string{"--name", "bad\x07name"}, 2, "name"},
		{"name taken", func(t *testing.T) string { return importWrite(t, good) }, []string{"--name", "ACME HIVEKU"}, 2, "--replace"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			rotateSave(t, f, rotateFixture())
			args := append([]string{"import", tt.file(t)}, tt.args...)
			if code := runCmd(t, f, args...); code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
			ls, err := testStore(t, f).ListConfigs(context.Background())
			if err != nil || len(ls) != 1 {
				t.Errorf("configs after a refused import: %d (%v)", len(ls), err)
			}
		})
	}
}

func TestImportReplaceAndStdin(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	rotateSave(t, f, rotateFixture())
	c := rotateFixture()
	c.Tenant = "organizations"
	c.AccountType = flow.MultiTenant
	data, _ := bundle.New(c, nil, nil, bundle.Options{Now: testNow, WithSecret: true, Passphrase: "correct horse battery staple", WorkFactor: 10}).Marshal()
	f.IO.In.(interface{ Write([]byte) (int, error) }).Write(data)
	passFile := filepath.Join(t.TempDir(), "pass")
	os.WriteFile(passFile, []byte("correct horse battery staple\n"), 0o600)
	if code := runCmd(t, f, "import", "-", "--replace", "--passphrase-file", passFile); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	got, err := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku")
	if err != nil || got.AccountType != flow.MultiTenant || got.Tenant != "organizations" || got.SecretInfo.Missing || got.Secret.Reveal() != rotateOldSecret {
		t.Errorf("after --replace: %+v missing=%v, %v", got.AccountType, got.SecretInfo.Missing, err)
	}
}

func TestImportUsage(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	if code := runCmd(t, f, "import"); code != 2 || !strings.Contains(stderr.String(), "missing FILE") {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}
