package storage_test

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
	"github.com/hiveku/byok/storage"
)

// seedForKeyTest saves two configs, a draft with a secret, a run and a
// rotation, then closes the store.
func seedForKeyTest(t *testing.T, path, key string) {
	t.Helper()
	ctx := context.Background()
	s, err := storage.Open(ctx, storage.Options{Path: path, Key: key, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, n := range []string{"Acme", "Beta"} {
		if err := s.SaveConfig(ctx, validConfig(n), false); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.RotateSecret(ctx, "Beta", secretFor("Beta", 1), flow.SecretInfo{Expires: testNow.AddDate(1, 0, 0)}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRun(ctx, flow.Run{Name: "Acme", OK: true, Email: "a@example.com"}); err != nil {
		t.Fatal(err)
	}
	d := flow.Draft{Config: flow.Config{Name: "Gamma", Secret: fixtureSecret}, Step: flow.StepSecret}
	if err := s.SaveDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
}

// checkLostKey asserts the state after the key changed: secrets Missing,
// a clear message naming both configs, everything else intact, and
// rotate re-entering a secret.
func checkLostKey(t *testing.T, s *storage.Store) {
	t.Helper()
	ctx := context.Background()
	for _, n := range []string{"Acme", "Beta"} {
		c, err := s.FindConfig(ctx, n)
		if err != nil {
			t.Fatalf("FindConfig(%s) after key change: %v", n, err)
		}
		if !c.SecretInfo.Missing || !c.Secret.IsZero() {
			t.Errorf("%s: Missing = %v, secret set = %v", n, c.SecretInfo.Missing, !c.Secret.IsZero())
		}
		if c.ClientID != validConfig(n).ClientID || c.SecretInfo.Hint == "" || c.SecretInfo.Expires.IsZero() {
			t.Errorf("%s lost data: %+v", n, c)
		}
	}
	l, err := s.ListConfigs(ctx)
	if err != nil || len(l) != 2 || !l[0].Config.SecretInfo.Missing || l[0].LastRun == nil {
		t.Fatalf("list after key change: %+v, %v", l, err)
	}
	if h, _ := s.SecretHistory(ctx, "Beta"); len(h) != 1 {
		t.Errorf("history lost: %d entries", len(h))
	}
	d, err := s.FindDraft(ctx, "Gamma")
	if err != nil || !d.Config.SecretInfo.Missing || d.Step != flow.StepSecret {
		t.Errorf("draft after key change: %+v, %v", d, err)
	}
	names, err := s.UnreadableSecrets(ctx)
	if err != nil || !reflect.DeepEqual(names, []string{"Acme", "Beta"}) {
		t.Errorf("UnreadableSecrets = %v, %v", names, err)
	}
	err = s.CheckKey(ctx)
	wantCode(t, err, flow.EFAILED)
	for _, part := range []string{`"Acme"`, `"Beta"`, "byok rotate NAME", "cannot be read", "everything else is kept"} {
		if err == nil || !strings.Contains(err.Error(), part) {
			t.Errorf("CheckKey message %v lacks %q", err, part)
		}
	}
	// Re-entering one secret fixes that config only.
	if err := s.RotateSecret(ctx, "acme", secretFor("Acme", 9), flow.SecretInfo{}); err != nil {
		t.Fatal(err)
	}
	c, _ := s.FindConfig(ctx, "Acme")
	if c.SecretInfo.Missing || c.Secret.Reveal() != string(secretFor("Acme", 9)) {
		t.Errorf("after rotate: %+v", c.SecretInfo)
	}
	if names, _ := s.UnreadableSecrets(ctx); !reflect.DeepEqual(names, []string{"Beta"}) {
		t.Errorf("UnreadableSecrets after rotate = %v", names)
	}
}

func TestChangedBYOKKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "byok.db")
	seedForKeyTest(t, path, testKey)
	s, _ := mustOpenAt(t, path, otherKey)
	if err := s.CheckKey(context.Background()); err == nil || !strings.Contains(err.Error(), "different key than the current BYOK_KEY") {
		t.Errorf("CheckKey should say BYOK_KEY changed: %v", err)
	}
	checkLostKey(t, s)
}

func TestLostKeyFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "byok.db")
	keyPath := filepath.Join(dir, storage.KeyFileName)
	seedForKeyTest(t, path, "")
	old, err := os.ReadFile(keyPath)
	if err != nil {
		t.Fatalf("key file not created: %v", err)
	}
	if err := os.Remove(keyPath); err != nil {
		t.Fatal(err)
	}
	s, _ := mustOpenAt(t, path, "")
	if err := s.CheckKey(context.Background()); err == nil || !strings.Contains(err.Error(), "key file "+keyPath+" is missing") {
		t.Errorf("CheckKey should say the key file is missing: %v", err)
	}
	checkLostKey(t, s) // rotates, which creates a new key file
	now, err := os.ReadFile(keyPath)
	if err != nil || bytes.Equal(now, old) {
		t.Fatalf("expected a new key file: %v", err)
	}
}

func TestKeyFileNeverOverwritten(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	keyPath := filepath.Join(dir, storage.KeyFileName)
	if err := os.WriteFile(keyPath, []byte(otherKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := mustOpenAt(t, filepath.Join(dir, "byok.db"), "")
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(keyPath); string(b) != otherKey+"\n" {
		t.Error("existing key file was replaced")
	}
	// The existing file's key is the one used: BYOK_KEY=otherKey reads it.
	s2, _ := mustOpenAt(t, filepath.Join(dir, "byok.db"), otherKey)
	if c, err := s2.FindConfig(ctx, "Acme"); err != nil || c.Secret.Reveal() != fixtureSecret {
		t.Errorf("secret not sealed with the key file's key: %v", err)
	}
}

func TestBadKeys(t *testing.T) {
	ctx := context.Background()
	t.Run("BYOK_KEY", func(t *testing.T) {
		for name, k := range map[string]string{"not base64": "not a key!!", "short": "c2hvcnQ=", "secret-like": fixtureSecret} {
			t.Run(name, func(t *testing.T) {
				_, err := storage.Open(ctx, storage.Options{Path: filepath.Join(t.TempDir(), "byok.db"), Key: k})
				wantCode(t, err, flow.EINVALID)
				var fe *flow.Error
				if !asFlow(err, &fe) || fe.Field != "BYOK_KEY" || fe.Fix == "" {
					t.Errorf("error = %#v", err)
				}
				if strings.Contains(err.Error(), k) {
					t.Error("the error repeats the key value")
				}
			})
		}
	})
	t.Run("damaged key file", func(t *testing.T) {
		dir := t.TempDir()
		keyPath := filepath.Join(dir, storage.KeyFileName)
		os.WriteFile(keyPath, []byte("garbage"), 0o600)
		_, err := storage.Open(ctx, storage.Options{Path: filepath.Join(dir, "byok.db")})
		wantCode(t, err, flow.EFAILED)
		if err == nil || !strings.Contains(err.Error(), keyPath) {
			t.Errorf("error should name the key file: %v", err)
		}
		if b, _ := os.ReadFile(keyPath); string(b) != "garbage" {
			t.Error("damaged key file was replaced")
		}
	})
}
