package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/bundle"
)

// exportSeed saves the fixture with one retired secret and one
// verification run, and returns the config as stored.
func exportSeed(t *testing.T, f *Factory) flow.Config {
	t.Helper()
	ctx := context.Background()
	rotateSave(t, f, rotateFixture())
	st := testStore(t, f)
	info := flow.SecretInfo{Description: "Hiveku prod 2", Hint: "Ab3…", Created: testNow, Expires: testNow.AddDate(2, 0, 0)}
	if err := st.RotateSecret(ctx, "Acme Hiveku", flow.Secret(rotateNewSecret), info); err != nil {
		t.Fatal(err)
	}
	run := flow.Run{Name: "Acme Hiveku", At: testNow.Add(-time.Hour), OK: true, Email: "admin@acme.example",
		Checks: []flow.Check{{ID: flow.CheckRedirect, Status: flow.Pass, Detail: "exact"}}}
	if err := st.SaveRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	c, err := st.FindConfig(ctx, "Acme Hiveku")
	if err != nil {
		t.Fatal(err)
	}
	_ = f.Close()
	return c
}

// exportNoSecret fails if b holds either fixture secret.
func exportNoSecret(t *testing.T, b []byte) {
	t.Helper()
	for _, s := range []string{rotateOldSecret, rotateNewSecret} {
		if bytes.Contains(b, []byte(s)) {
			t.Fatalf("bundle holds a secret value:\n%s", b)
		}
	}
}

// TestExportImportRoundTrip: export then import equals the original
// minus the secret, with its history and runs.
func TestExportImportRoundTrip(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	orig := exportSeed(t, f)
	out := filepath.Join(t.TempDir(), "bundle.json")

	if code := runCmd(t, f, "export", "Acme Hiveku", "--out", out); code != 0 {
		t.Fatalf("export exit %d\n%s", code, stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	exportNoSecret(t, data)
	if fi, _ := os.Stat(out); fi.Mode().Perm() != 0o600 {
		t.Errorf("bundle mode = %v, want 0600", fi.Mode().Perm())
	}
	if !strings.Contains(stderr.String(), "no secret value") {
		t.Errorf("stderr: %s", stderr)
	}
	b, err := bundle.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if len(b.SecretHistory) != 1 || b.SecretHistory[0].Hint != "Fx7…" || len(b.Verifications) != 1 || b.ByokVersion != currentBuild().String() {
		t.Errorf("bundle history %+v, runs %d, version %q", b.SecretHistory, len(b.Verifications), b.ByokVersion)
	}

	stdout.Reset()
	if code := runCmd(t, f, "import", out, "--name", "Acme Hiveku (support)"); code != 0 {
		t.Fatalf("import exit %d\n%s", code, stderr)
	}
	for _, want := range []string{`Imported "Acme Hiveku (support)"`, "1 verification run", "no client secret value", "byok rotate 'Acme Hiveku (support)'"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("import output lacks %q:\n%s", want, stdout)
		}
	}
	st := testStore(t, f)
	got, err := st.FindConfig(context.Background(), "Acme Hiveku (support)")
	if err != nil {
		t.Fatal(err)
	}
	want := orig
	want.Name = "Acme Hiveku (support)"
	want.Secret = ""
	want.SecretInfo.Missing = true
	got.CreatedAt, got.UpdatedAt = want.CreatedAt, want.UpdatedAt // set by storage
	if !reflect.DeepEqual(got, want) {
		t.Errorf("imported =\n%#v\nwant\n%#v", got, want)
	}
	runs, err := st.Runs(context.Background(), "Acme Hiveku (support)", 10)
	if err != nil || len(runs) != 1 || runs[0].Email != "admin@acme.example" {
		t.Errorf("imported runs = %+v, %v", runs, err)
	}
	// The original is untouched.
	if c, _ := st.FindConfig(context.Background(), "Acme Hiveku"); c.Secret.Reveal() != rotateNewSecret {
		t.Error("original lost its secret")
	}
}

func TestExportStdout(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	exportSeed(t, f)
	if code := runCmd(t, f, "export", "acme hiveku"); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	exportNoSecret(t, stdout.Bytes())
	if _, err := bundle.Parse(stdout.Bytes()); err != nil {
		t.Fatalf("stdout is not a bundle: %v", err)
	}
}

func TestExportWithSecret(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		stdout   bool // stdout is a terminal
		code     int
		want     string
		inBundle bool
	}{
		{"refused without a terminal", []string{"--with-secret"}, false, 2, "--with-secret: refused", false},
		{"--yes without a terminal needs a passphrase", []string{"--with-secret", "--yes"}, false, 2, "--passphrase-file", false},
		{"--yes with a passphrase file", []string{"--with-secret", "--yes", "--passphrase-file", "@pass"}, false, 0, "WITH the secret value, encrypted", true},
		{"never on a terminal", []string{"--with-secret", "--yes", "--out", "-"}, true, 2, "does not print a secret value", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, stdout, stderr := newTestFactory(t)
			exportSeed(t, f)
			f.IO.SetStdoutTTY(tt.stdout)
			out := filepath.Join(t.TempDir(), "b.json")
			args := append([]string{"export", "Acme Hiveku"}, tt.args...)
			passFile := filepath.Join(t.TempDir(), "pass")
			os.WriteFile(passFile, []byte("correct horse battery staple\n"), 0o600)
			for i, a := range args {
				if a == "@pass" {
					args[i] = passFile
				}
			}
			if !strings.Contains(strings.Join(tt.args, " "), "--out") {
				args = append(args, "--out", out)
			}
			if code := runCmd(t, f, args...); code != tt.code {
				t.Fatalf("exit %d, want %d\n%s", code, tt.code, stderr)
			}
			if !strings.Contains(stderr.String(), tt.want) {
				t.Errorf("stderr lacks %q:\n%s", tt.want, stderr)
			}
			if strings.Contains(stdout.String()+stderr.String(), rotateNewSecret) {
				t.Error("the secret reached the terminal")
			}
			data, err := os.ReadFile(out)
			if tt.inBundle {
				// Issue 11: export --with-secret wrote the value as plain JSON.
				if err != nil || bytes.Contains(data, []byte(rotateNewSecret)) || !bytes.Contains(data, []byte("BEGIN AGE ENCRYPTED FILE")) {
					t.Fatalf("the bundle must hold the secret encrypted, never in clear: %v\n%s", err, data)
				}
				b, _ := bundle.Parse(data)
				if err := b.Decrypt("correct horse battery staple"); err != nil {
					t.Fatal(err)
				}
				c, err := b.ToConfig("Copy", nil)
				if err != nil || c.Secret.Reveal() != rotateNewSecret || c.SecretInfo.Missing {
					t.Errorf("ToConfig() = %v, missing %v", err, c.SecretInfo.Missing)
				}
			} else if err == nil {
				t.Errorf("a bundle was written:\n%s", data)
			}
		})
	}
}

// TestExportConfirm covers the terminal path: the answer decides.
func TestExportConfirm(t *testing.T) {
	for _, answer := range []bool{false, true} {
		t.Run(map[bool]string{false: "no", true: "yes"}[answer], func(t *testing.T) {
			f, _, _ := newTestFactory(t)
			exportSeed(t, f)
			f.IO.SetStdinTTY(true)
			f.IO.SetStderrTTY(true)
			var opts *ExportOptions
			cmd := newCmdExport(f, func(o *ExportOptions) error { opts = o; return nil })
			out := filepath.Join(t.TempDir(), "b.json")
			cmd.SetArgs([]string{"Acme Hiveku", "--with-secret", "--out", out})
			if err := cmd.Execute(); err != nil {
				t.Fatal(err)
			}
			passFile := filepath.Join(t.TempDir(), "pass")
			os.WriteFile(passFile, []byte("correct horse battery staple\n"), 0o600)
			opts.PassphraseFile = passFile
			asked := ""
			opts.Confirm = func(_ context.Context, title string, def bool) (bool, error) {
				asked = title
				if def {
					t.Error("the default answer is yes")
				}
				return answer, nil
			}
			err := exportRun(context.Background(), opts)
			_ = f.Close()
			if !strings.Contains(asked, "client secret VALUE") {
				t.Errorf("asked %q", asked)
			}
			data, rerr := os.ReadFile(out)
			if answer {
				if err != nil || bytes.Contains(data, []byte(rotateNewSecret)) || !bytes.Contains(data, []byte("BEGIN AGE ENCRYPTED FILE")) {
					t.Errorf("exportRun() = %v; the bundle must hold the secret encrypted", err)
				}
			} else if err != ErrAborted || rerr == nil {
				t.Errorf("exportRun() = %v, file written: %v; want ErrAborted and no file", err, rerr == nil)
			}
		})
	}
}

func TestExportUnknown(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	if code := runCmd(t, f, "export", "Nope"); code != 1 || !strings.Contains(stderr.String(), `no config named "Nope"`) {
		t.Errorf("exit %d, stderr %s", code, stderr)
	}
}

// TestExportOverwriteTightensMode: an existing, world-readable --out file
// is replaced whole by a 0600 one.
func TestExportOverwriteTightensMode(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	exportSeed(t, f)
	out := filepath.Join(t.TempDir(), "b.json")
	if err := os.WriteFile(out, []byte("old contents that are longer than nothing"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := runCmd(t, f, "export", "Acme Hiveku", "--out", out); code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	fi, err := os.Stat(out)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode = %v (%v), want 0600", fi.Mode().Perm(), err)
	}
	data, _ := os.ReadFile(out)
	if _, err := bundle.Parse(data); err != nil {
		t.Errorf("overwritten file is not a bundle: %v", err)
	}
	if entries, _ := os.ReadDir(filepath.Dir(out)); len(entries) != 1 {
		t.Errorf("temporary files left behind: %v", entries)
	}
}
