package cmd

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/bundle"
)

// infoOnlyStore serves configs through FindConfigInfo and fails the test
// if anything asks for the decrypted secret.
type infoOnlyStore struct {
	doctorFakeStore
	t *testing.T
}

func (s infoOnlyStore) FindConfig(ctx context.Context, name string) (flow.Config, error) {
	s.t.Errorf("FindConfig(%q) decrypted the secret of a command that does not use it", name)
	return s.doctorFakeStore.FindConfig(ctx, name)
}

func (s infoOnlyStore) FindConfigInfo(ctx context.Context, name string) (flow.Config, error) {
	c, err := s.doctorFakeStore.FindConfig(ctx, name)
	c.Secret = ""
	return c, err
}

func (s infoOnlyStore) Runs(context.Context, string, int) ([]flow.Run, error) { return nil, nil }
func (s infoOnlyStore) SecretHistory(context.Context, string) ([]flow.SecretInfo, error) {
	return nil, nil
}

// Issue 11, keys: `doctor --name`, which needs only the hint, decrypted
// the secret. Only commands that use the value decrypt it now.
func TestOnlySecretUsersDecrypt(t *testing.T) {
	for _, args := range [][]string{
		{"doctor", "--name", "acme"},
		{"show", "acme"},
		{"show", "acme", "--json"},
		{"script", "acme", "--format", "az"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			f, _, stderr := doctorFactory(t, doctorSample50011)
			inner := doctorFakeStore{}
			st, _ := f.Store(context.Background())
			inner = st.(doctorFakeStore)
			f.Store = func(context.Context) (flow.Store, error) { return infoOnlyStore{inner, t}, nil }
			if code := runCmd(t, f, args...); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
		})
	}
}

// Issue 11, files: read commands on a database that does not exist say
// so, and that byok setup creates it, without creating anything.
func TestReadCommandsCreateNothing(t *testing.T) {
	for _, args := range [][]string{
		{"list"}, {"list", "--json"}, {"show", "Acme"}, {"doctor", "--name", "Acme"},
		{"script", "Acme", "--format", "az"}, {"rotate", "Acme"}, {"delete", "Acme", "--yes"}, {"export", "Acme"}, {"verify", "Acme", "--offline"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			f.IO.In = strings.NewReader("AADSTS50011: The redirect URI does not match.\n")
			dir := filepath.Join(t.TempDir(), "typo")
			path := filepath.Join(dir, "byok.db")
			runCmd(t, f, append([]string{"--db", path}, args...)...)
			if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%v created %s", args, dir)
			}
			if args[0] == "rotate" || args[0] == "delete" {
				return // may refuse for another reason first (flags), but creates nothing
			}
			if !strings.Contains(stderr.String(), "no byok database at "+path) || !strings.Contains(stderr.String(), "byok setup") {
				t.Errorf("stderr = %q", stderr)
			}
		})
	}
}

// Issue 11, transport: --authority-host http://192.0.2.2:18081 made verify
// and rotate POST client_secret over plain HTTP. Now refused, exit 2.
func TestPlainHTTPHostRefused(t *testing.T) {
	for _, args := range [][]string{
		{"verify", "Acme", "--authority-host", "http://192.0.2.2:18081"},
		{"verify", "Acme", "--graph-host", "http://192.0.2.2:18081"},
		{"rotate", "Acme", "--secret-stdin", "--no-input", "--authority-host", "http://192.0.2.2:18081"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			f.IO.In = strings.NewReader(hygieneSecret2)
			if code := runCmd(t, f, args...); code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, stderr)
			}
			if !strings.Contains(stderr.String(), "only over https") {
				t.Errorf("stderr = %q", stderr)
			}
		})
	}
}

// Issue 11, keys: BYOK_KEY was inherited by the browser verify launches.
// NewFactory takes it out of the environment every child inherits.
func TestKeyHiddenFromChildren(t *testing.T) {
	t.Setenv("BYOK_KEY", testKey)
	f := NewFactory()
	if got := f.Getenv("BYOK_KEY"); got != testKey {
		t.Errorf("byok lost its own key: %q", got)
	}
	out, err := exec.Command("env").Output()
	if err != nil {
		t.Skip("no env program:", err)
	}
	if strings.Contains(string(out), "BYOK_KEY") {
		t.Errorf("a child process sees BYOK_KEY")
	}
}

// Issue 11, bundles: `byok import` on a FIFO with no writer hung and
// ignored SIGINT and SIGTERM. Only regular files (or -) are read.
func TestImportRefusesFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "bundle.fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	f, _, stderr := newTestFactory(t)
	if code := runCmd(t, f, "import", fifo); code != 2 {
		t.Fatalf("exit %d, want 2: %s", code, stderr)
	}
	if !strings.Contains(stderr.String(), "not a regular file") {
		t.Errorf("stderr = %q", stderr)
	}
}

// blockingReader never returns, like a pipe whose writer never writes.
type blockingReader struct{ c chan struct{} }

func (b blockingReader) Read([]byte) (int, error) { <-b.c; return 0, io.EOF }

// Ctrl+C (a cancelled context) ends an import reading a silent stdin.
func TestImportStdinCancels(t *testing.T) {
	f, _, _ := newTestFactory(t)
	br := blockingReader{make(chan struct{})}
	defer close(br.c)
	f.IO.In = br
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() { done <- Run(ctx, f, []string{"import", "-"}) }()
	cancel()
	if code := <-done; code != 130 {
		t.Errorf("exit %d, want 130 (cancelled)", code)
	}
}

// Issue 11, bundles: a hostile bundle (an escape sequence in a run's
// email, a 100 KB duplicated scope) is refused with exit 2, nothing
// stored, and a short message.
func TestImportRefusesHostileBundle(t *testing.T) {
	c := flow.Config{Name: "Acme", AccountType: flow.MultiTenant, RedirectURI: flow.HivekuRedirectURI,
		Scopes: []string{"offline_access", "Mail.ReadWrite"}, ClientID: "11111111-2222-4333-8444-555555555555",
		DirectoryID: "66666666-7777-4888-9999-000000000000", Tenant: "organizations"}
	huge := strings.Repeat("Mail.Send", 11000)
	for name, mutate := range map[string]func(b *bundle.Bundle){
		"osc52 email":   func(b *bundle.Bundle) { b.Verifications = []flow.Run{{Email: "a\x1b]52;c;aGk=\x07@x"}} },
		"rlo version":   func(b *bundle.Bundle) { b.ByokVersion = "1.0\u202e" },
		"unknown scope": func(b *bundle.Bundle) { b.Config.Scopes = append(b.Config.Scopes, "Mail.Snd") },
		"huge scope":    func(b *bundle.Bundle) { b.Config.Scopes = append(b.Config.Scopes, huge) },
		"nil client":    func(b *bundle.Bundle) { b.Config.ClientID = flow.NilGUID },
	} {
		t.Run(name, func(t *testing.T) {
			b := bundle.New(c, nil, nil, bundle.Options{Now: testNow})
			mutate(&b)
			data, err := b.Marshal()
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "b.json")
			os.WriteFile(path, data, 0o600)
			f, _, stderr := newTestFactory(t)
			if code := runCmd(t, f, "import", path); code != 2 {
				t.Fatalf("exit %d, want 2: %s", code, stderr)
			}
			if stderr.Len() > 2500 {
				t.Errorf("error is %d bytes", stderr.Len())
			}
			if _, err := os.Stat(testDBPath(t, f)); err == nil {
				if l, _ := testStore(t, f).ListConfigs(context.Background()); len(l) != 0 {
					t.Errorf("a refused import stored %d configs", len(l))
				}
			}
		})
	}
}
