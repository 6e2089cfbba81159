package storage_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/storage"
)

// Issue 11, keys: a command run with another key than the one that sealed
// the stored secrets used to write anyway, leaving a store no single key
// can read. Now every write is refused with exit status 2 and a message
// naming where the key came from; re-entering an unreadable secret and
// deleting stay allowed because they are the way out.
func TestForeignKeyBlocksWrites(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byok.db")
	seedForKeyTest(t, path, testKey)
	s, _ := mustOpenAt(t, path, otherKey)

	before, err := s.ListConfigs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	writes := map[string]func() error{
		"new config": func() error { return s.SaveConfig(ctx, validConfig("Delta"), false) },
		"bulk":       func() error { return s.SaveConfigs(ctx, []flow.Config{validConfig("Delta")}, false) },
		"draft": func() error {
			return s.SaveDraft(ctx, flow.Draft{Config: flow.Config{Name: "Eps"}, Step: flow.StepSecret})
		},
		"run":          func() error { return s.SaveRun(ctx, flow.Run{Name: "Acme", OK: true}) },
		"rotate other": func() error { return s.SaveConfig(ctx, validConfig("Zeta"), true) },
	}
	for name, w := range writes {
		t.Run(name, func(t *testing.T) {
			err := w()
			wantCode(t, err, flow.EINVALID)
			var fe *flow.Error
			if !errors.As(err, &fe) || fe.Field != "BYOK_KEY" || !strings.Contains(fe.Message, "BYOK_KEY") ||
				!strings.Contains(fe.Message, "nothing was written") || !strings.Contains(fe.Fix, "byok rotate NAME") {
				t.Errorf("refusal = %#v", fe)
			}
			if flow.ExitCode(err) != 2 {
				t.Errorf("exit code %d, want 2", flow.ExitCode(err))
			}
		})
	}
	after, _ := s.ListConfigs(ctx)
	if len(after) != len(before) {
		t.Fatalf("a refused write stored something: %d configs, want %d", len(after), len(before))
	}
	if runs, _ := s.Runs(ctx, "Acme", 10); len(runs) != 1 {
		t.Errorf("runs = %d, want 1", len(runs))
	}
	// The way out: re-enter Acme's secret, delete Beta; then all writes work.
	if err := s.RotateSecret(ctx, "Acme", secretFor("Acme", 7), flow.SecretInfo{}); err != nil {
		t.Fatalf("re-entering an unreadable secret: %v", err)
	}
	if err := s.DeleteConfig(ctx, "Beta"); err != nil {
		t.Fatalf("delete: %v", err)
	}
	if err := s.SaveConfig(ctx, validConfig("Delta"), false); err != nil {
		t.Fatalf("after recovery: %v", err)
	}
}

// The key file variant names the file.
func TestForeignKeyFileNamedInRefusal(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "byok.db")
	seedForKeyTest(t, path, "")
	keyPath := filepath.Join(dir, storage.KeyFileName)
	if err := os.WriteFile(keyPath, []byte(otherKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	s, _ := mustOpenAt(t, path, "")
	err := s.SaveConfig(ctx, validConfig("Delta"), false)
	wantCode(t, err, flow.EINVALID)
	if !strings.Contains(err.Error(), keyPath) || !strings.HasPrefix(err.Error(), "key file:") {
		t.Errorf("refusal should name %s: %v", keyPath, err)
	}
}

// A lost key file: the refusal must not create a new key file.
func TestLostKeyFileRefusalCreatesNoKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "byok.db")
	seedForKeyTest(t, path, "")
	keyPath := filepath.Join(dir, storage.KeyFileName)
	if err := os.Remove(keyPath); err != nil {
		t.Fatal(err)
	}
	s, _ := mustOpenAt(t, path, "")
	err := s.SaveConfig(ctx, validConfig("Delta"), false)
	wantCode(t, err, flow.EINVALID)
	if !strings.Contains(err.Error(), "(missing)") {
		t.Errorf("refusal should say the key file is missing: %v", err)
	}
	if _, err := os.Stat(keyPath); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused write created %s", keyPath)
	}
}

// Issue 11: without the key the warning listed every config (1.4 MB on
// stderr at 100,000 configs). It now names at most three and a count.
func TestKeyWarningIsCapped(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byok.db")
	s, err := storage.Open(ctx, storage.Options{Path: path, Key: testKey, Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	var cs []flow.Config
	for i := range 50 {
		c := validConfig(fmt.Sprintf("Config %03d", i))
		c.Secret = secretFor(c.Name, 1)
		cs = append(cs, c)
	}
	if err := s.SaveConfigs(ctx, cs, false); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s2, _ := mustOpenAt(t, path, otherKey)
	err = s2.CheckKey(ctx)
	wantCode(t, err, flow.EFAILED)
	msg := err.Error()
	if !strings.Contains(msg, "50 configs") {
		t.Errorf("warning lacks the count: %s", msg)
	}
	if n := strings.Count(msg, `"Config `); n > 3 {
		t.Errorf("warning names %d configs, want at most 3: %s", n, msg)
	}
	if len(msg) > 600 {
		t.Errorf("warning is %d bytes: %s", len(msg), msg)
	}
}

// Issue 11: a byok.key at 0644 was left so with no warning.
func TestWideKeyFileTightenedWithWarning(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "byok.db")
	keyPath := filepath.Join(dir, storage.KeyFileName)
	if err := os.WriteFile(keyPath, []byte(testKey+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(keyPath, 0o644); err != nil {
		t.Fatal(err)
	}
	s, _ := mustOpenAt(t, path, "")
	if got := mode(t, keyPath); got != 0o600 {
		t.Errorf("key file mode = %v, want 0600", got)
	}
	w := strings.Join(s.Warnings(), "\n")
	if !strings.Contains(w, keyPath) || !strings.Contains(w, "0644") {
		t.Errorf("warnings = %q", w)
	}
	s2, _ := mustOpenAt(t, path, "")
	if len(s2.Warnings()) != 0 {
		t.Errorf("second open still warns: %q", s2.Warnings())
	}
}

// Issue 11, files: a read command on a database that does not exist used
// to create it (and its directories). ReadOnly says so and creates nothing.
func TestReadOnlyMissingDatabase(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "typo", "byok")
	path := filepath.Join(dir, "byok.db")
	_, err := storage.Open(context.Background(), storage.Options{Path: path, Key: testKey, ReadOnly: true})
	wantCode(t, err, flow.ENOTFOUND)
	if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "byok setup") {
		t.Errorf("message = %v", err)
	}
	if _, err := os.Stat(filepath.Dir(dir)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a read created %s", filepath.Dir(dir))
	}
}

// A read-only store reads everything and refuses writes clearly.
func TestReadOnlyStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byok.db")
	seedForKeyTest(t, path, testKey)
	s, err := storage.Open(ctx, storage.Options{Path: path, Key: testKey, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	l, err := s.ListConfigs(ctx)
	if err != nil || len(l) != 2 {
		t.Fatalf("list = %d, %v", len(l), err)
	}
	c, err := s.FindConfig(ctx, "Acme")
	if err != nil || c.Secret.Reveal() != fixtureSecret {
		t.Fatalf("find = %v", err)
	}
	if err := s.CheckKey(ctx); err != nil {
		t.Fatal(err)
	}
	err = s.SaveRun(ctx, flow.Run{Name: "Acme", OK: true})
	wantCode(t, err, flow.EFAILED)
	if !strings.Contains(err.Error(), "read-only") {
		t.Errorf("write on a read-only store: %v", err)
	}
}

// A read-only open falls back to SQLite's immutable mode when it cannot
// set up the WAL index (read-only directory, another owner): simulated
// here by a -shm path that is a directory, which no open can use.
func TestReadOnlyOpenWithoutShm(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byok.db")
	seedForKeyTest(t, path, testKey)
	os.Remove(path + "-shm")
	os.Remove(path + "-wal")
	if err := os.Mkdir(path+"-shm", 0o700); err != nil {
		t.Fatal(err)
	}
	s, err := storage.Open(ctx, storage.Options{Path: path, Key: testKey, ReadOnly: true})
	if err != nil {
		t.Fatalf("read-only open: %v", err)
	}
	defer s.Close()
	if l, err := s.ListConfigs(ctx); err != nil || len(l) != 2 {
		t.Fatalf("list = %d, %v", len(l), err)
	}
}

// Issue 11, names: the NFC and NFD spellings of one name, or a doubled
// inner space, created two configs that look identical.
func TestLookAlikeNamesAreOneName(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.SaveConfig(ctx, validConfig("Caf\u00e9 Hiveku"), false); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Cafe\u0301 Hiveku", "Caf\u00e9  Hiveku", "caf\u00e9\u00a0hiveku"} {
		err := s.SaveConfig(ctx, validConfig(name), false)
		wantCode(t, err, flow.ECONFLICT)
		if _, err := s.FindConfig(ctx, name); err != nil {
			t.Errorf("FindConfig(%q): %v", name, err)
		}
	}
	if l, _ := s.ListConfigs(ctx); len(l) != 1 {
		t.Errorf("%d configs, want 1", len(l))
	}
}
