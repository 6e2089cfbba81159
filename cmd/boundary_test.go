package cmd

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
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
