package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/zalando/go-keyring"
)

// keychainFactory is a test factory on dir/byok.db with env (no BYOK_KEY
// unless given) and go-keyring's in-memory mock as the OS keychain.
func keychainFactory(t *testing.T, dir string, env map[string]string) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, _, stdout, stderr := Test()
	if env == nil {
		env = map[string]string{}
	}
	env["BYOK_DB"] = filepath.Join(dir, "byok.db")
	f := &Factory{IO: ios, Getenv: func(k string) string { return env[k] }, Now: func() time.Time { return testNow },
		Keychain: osKeychain{}}
	f.Store = f.lazyStore(openStore)
	t.Cleanup(func() { _ = f.Close() })
	return f, stdout, stderr
}

// saveOne saves a config with a secret through setup --no-input.
func saveOne(t *testing.T, f *Factory) {
	t.Helper()
	f.IO.In = strings.NewReader(setupFixtureSecret)
	if code := runCmd(t, f, "setup", "--no-input", "--name", "Acme", "--client-id", setupClientID, "--directory-id", setupDirectoryID, "--secret-stdin"); code != 0 {
		t.Fatalf("setup exit = %d", code)
	}
}

// secretOf reads the config back on a fresh factory and returns its secret.
func secretOf(t *testing.T, dir string, env map[string]string) flow.Secret {
	t.Helper()
	f, _, stderr := keychainFactory(t, dir, env)
	c, err := testStore(t, f).FindConfig(context.Background(), "Acme")
	if err != nil {
		t.Fatalf("find: %v (stderr %s)", err, stderr)
	}
	return c.Secret
}

func TestKeychainHoldsANewKey(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	f, _, _ := keychainFactory(t, dir, nil)
	saveOne(t, f)
	_ = f.Close()
	if _, err := os.Stat(filepath.Join(dir, "byok.key")); err == nil {
		t.Error("a key file was written although a keychain is available")
	}
	k, err := keyring.Get(keychainService, filepath.Join(dir, "byok.db"))
	if err != nil || !validKey(k) {
		t.Fatalf("keychain entry %v", err)
	}
	if got := secretOf(t, dir, nil); got != setupFixtureSecret {
		t.Error("the secret cannot be read back with the keychain's key")
	}
	// BYOK_KEY still wins: with another key the secret is unreadable.
	other, _ := newSealingKey()
	f2, _, _ := keychainFactory(t, dir, map[string]string{"BYOK_KEY": other})
	if c, err := testStore(t, f2).FindConfig(context.Background(), "Acme"); err == nil && c.Secret == setupFixtureSecret {
		t.Error("BYOK_KEY did not override the keychain")
	}
}

func TestKeychainOffUsesTheFile(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	env := map[string]string{"BYOK_KEYRING": "0"}
	f, _, _ := keychainFactory(t, dir, env)
	saveOne(t, f)
	if _, err := os.Stat(filepath.Join(dir, "byok.key")); err != nil {
		t.Errorf("no key file with BYOK_KEYRING=0: %v", err)
	}
	if _, err := keyring.Get(keychainService, filepath.Join(dir, "byok.db")); err == nil {
		t.Error("BYOK_KEYRING=0 wrote to the keychain")
	}
}

func TestKeyMoveToKeychain(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	// A database from before the keychain: its key is in byok.key.
	f, _, _ := keychainFactory(t, dir, map[string]string{"BYOK_KEYRING": "0"})
	saveOne(t, f)
	_ = f.Close()
	keyFile := filepath.Join(dir, "byok.key")
	want, _ := os.ReadFile(keyFile)

	// Without moving, the file stays the source and nothing is created.
	if got := secretOf(t, dir, nil); got != setupFixtureSecret {
		t.Fatal("secret unreadable through the key file")
	}
	if _, err := keyring.Get(keychainService, filepath.Join(dir, "byok.db")); err == nil {
		t.Fatal("the keychain got a key while a key file exists")
	}

	f, stdout, stderr := keychainFactory(t, dir, nil)
	if code := runCmd(t, f, "key", "move-to-keychain"); code != 0 {
		t.Fatalf("exit = %d, stderr %s", code, stderr)
	}
	if !strings.Contains(stdout.String(), "Moved the sealing key of "+filepath.Join(dir, "byok.db")+" from "+keyFile+" into the OS keychain") ||
		!strings.Contains(stdout.String(), "deleted the file") {
		t.Errorf("stdout = %q", stdout)
	}
	if strings.Contains(stdout.String()+stderr.String(), strings.TrimSpace(string(want))) {
		t.Error("the key reached the output")
	}
	if _, err := os.Stat(keyFile); err == nil {
		t.Error("the key file is still there")
	}
	if k, _ := keyring.Get(keychainService, filepath.Join(dir, "byok.db")); k != strings.TrimSpace(string(want)) {
		t.Error("the keychain holds another key")
	}
	if got := secretOf(t, dir, nil); got != setupFixtureSecret {
		t.Error("secret unreadable after the move")
	}
	// A second run says there is nothing to move.
	f, stdout, _ = keychainFactory(t, dir, nil)
	if code := runCmd(t, f, "key", "move-to-keychain"); code != 0 || !strings.Contains(stdout.String(), "already in the keychain") {
		t.Errorf("second move: exit %d, %q", code, stdout)
	}
}

func TestKeyMoveRefusals(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	f, _, stderr := keychainFactory(t, dir, map[string]string{"BYOK_KEYRING": "0"})
	if code := runCmd(t, f, "key", "move-to-keychain"); code != 1 || !strings.Contains(stderr.String(), "no OS keychain") {
		t.Errorf("keychain off: exit %d, %q", code, stderr)
	}
	f, _, stderr = keychainFactory(t, dir, nil)
	if code := runCmd(t, f, "key", "move-to-keychain"); code != 1 || !strings.Contains(stderr.String(), "no key file") {
		t.Errorf("no key file: exit %d, %q", code, stderr)
	}
	// A different key already in the keychain: nothing changes.
	if err := os.WriteFile(filepath.Join(dir, "byok.key"), []byte("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	other, _ := newSealingKey()
	_ = keyring.Set(keychainService, filepath.Join(dir, "byok.db"), other)
	f, _, stderr = keychainFactory(t, dir, nil)
	if code := runCmd(t, f, "key", "move-to-keychain"); code != 1 || !strings.Contains(stderr.String(), "different key") {
		t.Errorf("conflict: exit %d, %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "byok.key")); err != nil {
		t.Error("the key file was removed although nothing moved")
	}
}

func TestReadOnlyCommandsCreateNoKey(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	f, _, _ := keychainFactory(t, dir, nil)
	runCmd(t, f, "show", "Nope")
	if _, err := keyring.Get(keychainService, filepath.Join(dir, "byok.db")); err == nil {
		t.Error("byok show created a keychain entry")
	}
}
