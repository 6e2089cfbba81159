package storage_test

import (
	"context"
	"path/filepath"
	"testing"
)

// TestKeyFileCreatedByAnotherStore: two stores (two byok processes) open a
// new database before either has a key file; the first to save creates
// byok.key. The second must then use that key, not take the first's
// secrets for foreign ones and refuse to write (seen once in CI's
// TestConcurrentProcesses).
func TestKeyFileCreatedByAnotherStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byok.db")
	a, _ := mustOpenAt(t, path, "")
	b, _ := mustOpenAt(t, path, "")
	if err := a.SaveConfig(ctx, validConfig("From A"), false); err != nil {
		t.Fatalf("a.SaveConfig: %v", err)
	}
	if err := b.CheckKey(ctx); err != nil {
		t.Errorf("b.CheckKey() = %v, want nil: a's key file seals a's secret", err)
	}
	c := validConfig("From B")
	c.Secret = secretFor("From B", 1)
	if err := b.SaveConfig(ctx, c, false); err != nil {
		t.Fatalf("b.SaveConfig after a created the key file: %v", err)
	}
	got, err := b.FindConfig(ctx, "From A")
	if err != nil {
		t.Fatalf("b.FindConfig: %v", err)
	}
	if got.SecretInfo.Missing || got.Secret.Reveal() != fixtureSecret {
		t.Errorf("b reads a's secret as missing=%v, want the stored value", got.SecretInfo.Missing)
	}
	if bad, err := a.UnreadableSecrets(ctx); err != nil || len(bad) != 0 {
		t.Errorf("a.UnreadableSecrets() = %v, %v; want none: b sealed with the same key", bad, err)
	}
}
