package cmd

import (
	"bytes"
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hiveku/byok/flow/sim"
)

// The two secrets of the hygiene test: the one set up first, and the one
// rotated in. Both are realistic portal values; neither may ever show.
const (
	hygieneSecret  = "Hyg8Q~secretValue.mustNeverPrint-0123456789"
	hygieneSecret2 = "Hyg9Q~rotatedValue.mustNeverPrint-987654321"
)

// consentWatcher stands in for the person at the terminal during a paste
// verification: when byok prints the consent URL, it "opens" it (drives
// the simulator's sign-in and consent) and pastes where the browser
// landed into byok's standard input.
type consentWatcher struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	world *sim.Server
	paste *io.PipeWriter
	done  bool
	t     testing.TB
}

var authorizeURL = regexp.MustCompile(`http://127\.0\.0\.1:\d+/[^\s]*/oauth2/v2\.0/authorize\?[^\s]+`)

func (w *consentWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	if !w.done {
		if u := authorizeURL.FindString(w.buf.String()); u != "" {
			w.done = true
			go func() {
				landed, err := w.world.Consent(context.Background(), nil, u, "alex@contoso.com", true)
				if err != nil {
					w.t.Errorf("consent: %v", err)
				}
				_, _ = io.WriteString(w.paste, landed+"\n")
				_ = w.paste.Close()
			}()
		}
	}
	return len(p), nil
}

func (w *consentWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// TestSecretNeverLeaks runs every command, text and --json, success and
// failure paths, with a known secret, and fails if the value appears in
// any output or error, in an export without --with-secret, in a golden
// file, or in the database bytes (issue 7 item 5).
func TestSecretNeverLeaks(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	dir := t.TempDir()
	var seen strings.Builder
	run := func(stdin string, args ...string) int {
		t.Helper()
		f.IO.In = strings.NewReader(stdin)
		stdout.Reset()
		stderr.Reset()
		code := runCmd(t, f, args...)
		seen.WriteString(stdout.String())
		seen.WriteString(stderr.String())
		return code
	}
	for _, debug := range []string{"", "--debug"} {
		dbg := func(args ...string) []string {
			if debug != "" {
				args = append(args, debug)
			}
			return args
		}
		// Failure paths that carry the secret: bad values elsewhere, or a
		// secret that is itself malformed.
		for _, bad := range [][]string{
			{"--tenant", "nonsense tenant"},
			{"--client-id", "not-a-guid"},
			{"--redirect-uri", "http://app.hiveku.com/api/oauth/microsoft/callback/"},
			{"--scopes", "Mail.Raed"},
		} {
			args := append([]string{"setup", "--no-input", "--secret-stdin", "--name", "Leaky", "--client-id", sim.DemoClientID, "--directory-id", sim.ContosoTenantID}, bad...)
			if code := run(hygieneSecret, dbg(args...)...); code != 2 {
				t.Errorf("%v: exit %d, want 2", bad, code)
			}
		}
		run(hygieneSecret+" tail", dbg("setup", "--no-input", "--secret-stdin", "--name", "Leaky", "--client-id", sim.DemoClientID, "--directory-id", sim.ContosoTenantID)...)
	}

	// The happy path, then every command on it.
	if code := run(hygieneSecret+"\n", "setup", "--no-input", "--secret-stdin", "--name", "Acme Hiveku",
		"--client-id", sim.DemoClientID, "--directory-id", sim.ContosoTenantID, "--tenant", "common"); code != 0 {
		t.Fatalf("setup: exit %d\n%s", code, seen.String())
	}
	manifest := filepath.Join(dir, "manifest.json")
	bundle := filepath.Join(dir, "bundle.json")
	withSecret := filepath.Join(dir, "with-secret.json")
	for _, args := range [][]string{
		{"list"}, {"list", "--json"}, {"list", "--expiring", "30d"},
		{"show", "Acme Hiveku"}, {"show", "Acme Hiveku", "--json"}, {"show", "acme hiveku", "--debug"},
		{"verify", "Acme Hiveku", "--offline"}, {"verify", "Acme Hiveku", "--offline", "--json"},
		{"consent-url", "Acme Hiveku"}, {"consent-url", "Acme Hiveku", "--admin"},
		{"script", "Acme Hiveku", "--format", "az"}, {"script", "Acme Hiveku", "--format", "pwsh"},
		{"export", "Acme Hiveku"}, {"export", "Acme Hiveku", "--out", bundle},
		{"export", "Acme Hiveku", "--with-secret"},
		{"show", "Nope"}, {"verify", "Nope", "--json"}, {"delete", "Nope", "--yes"},
		{"import", bundle}, {"import", bundle, "--name", "Support copy"},
		{"doctor", "--name", "Acme Hiveku", "AADSTS7000215: Invalid client secret provided."},
		{"doctor", "--name", "Acme Hiveku", "--json", "AADSTS50011: The redirect URI 'https://app.hiveku.com/callback' specified in the request does not match"},
	} {
		run("", args...)
	}
	run("", "script", "Acme Hiveku", "--format", "manifest")
	if err := os.WriteFile(manifest, stdout.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	run("", "audit", manifest, "--name", "Acme Hiveku")
	run("", "audit", manifest, "--name", "Acme Hiveku", "--json")

	// A live verification in paste mode against the simulator, where the
	// secret really goes over the wire.
	world := sim.New(func() sim.Options {
		sc, _ := sim.FindScenario("happy", testNow)
		sc.Options.Apps[0].Secrets[0].Value = hygieneSecret
		return sc.Options
	}())
	ts := httptest.NewServer(world)
	defer ts.Close()
	pr, pw := io.Pipe()
	watch := &consentWatcher{world: world, paste: pw, t: t}
	f.IO.In, f.IO.ErrOut = pr, watch
	stdout.Reset()
	code := runCmd(t, f, "verify", "Acme Hiveku", "--redirect", "paste", "--no-browser",
		"--authority-host", ts.URL, "--graph-host", ts.URL, "--json")
	seen.WriteString(stdout.String() + watch.String())
	if code != 0 {
		t.Errorf("live verify: exit %d\n%s%s", code, stdout, watch)
	}
	if !strings.Contains(stdout.String(), `"email": "alex@contoso.com"`) && !strings.Contains(stdout.String(), `"email":"alex@contoso.com"`) {
		t.Errorf("live verify did not reach the mailbox:\n%s", stdout)
	}
	f.IO.ErrOut = stderr

	// Rotation, then the same commands once more, then delete.
	if code := run(hygieneSecret2, "rotate", "Acme Hiveku", "--secret-stdin", "--no-input", "--skip-preflight"); code != 0 {
		t.Errorf("rotate: exit %d\n%s", code, stderr)
	}
	run(hygieneSecret2, "rotate", "Acme Hiveku", "--secret-stdin", "--no-input", "--authority-host", "http://127.0.0.1:1")
	run("", "show", "Acme Hiveku", "--json")
	passFile := filepath.Join(dir, "pass")
	os.WriteFile(passFile, []byte("correct horse battery staple\n"), 0o600)
	run("", "export", "Acme Hiveku", "--with-secret", "--yes", "--passphrase-file", passFile, "--out", withSecret)
	run("", "delete", "Support copy", "--yes")

	// The output was really captured: the secret's hint is there.
	if !strings.Contains(seen.String(), "Hyg…") {
		t.Fatalf("no command output shows the secret hint; the test is not looking at output")
	}
	for _, secret := range []string{hygieneSecret, hygieneSecret2} {
		if strings.Contains(seen.String(), secret) {
			t.Errorf("a command printed the secret value")
		}
		if b, _ := os.ReadFile(bundle); bytes.Contains(b, []byte(secret)) {
			t.Errorf("an export without --with-secret contains the secret")
		}
		db := testDBPath(t, f)
		_ = f.Close()
		for _, p := range []string{db, db + "-wal", db + "-shm"} {
			if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, []byte(secret)) {
				t.Errorf("%s holds the secret in plain text", filepath.Base(p))
			}
		}
	}
	// --with-secret --yes carries the value, but only encrypted (issue 11:
	// it was plain JSON).
	if b, _ := os.ReadFile(withSecret); bytes.Contains(b, []byte(hygieneSecret2)) || !bytes.Contains(b, []byte("BEGIN AGE ENCRYPTED FILE")) {
		t.Errorf("export --with-secret --yes must carry the current secret encrypted, never in clear")
	}
	if fi, err := os.Stat(withSecret); err == nil && fi.Mode().Perm() != 0o600 {
		t.Errorf("export with the secret is %v, want 0600", fi.Mode().Perm())
	}
}

// TestGoldensHoldNoSecret walks every golden and testdata file in the
// repository for the fixture secrets that tests type.
func TestGoldensHoldNoSecret(t *testing.T) {
	secrets := []string{hygieneSecret, hygieneSecret2, sim.DemoSecretValue, sim.DemoOldSecretValue, "Fx7~Q.abcdefghijklmnopqrstuvwxyz0123456789"}
	root := ".."
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || !(strings.HasSuffix(path, ".golden") || strings.Contains(filepath.ToSlash(path), "/testdata/")) {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, s := range secrets {
			if bytes.Contains(b, []byte(s)) {
				t.Errorf("%s contains a fixture secret value", path)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
