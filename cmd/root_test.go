package cmd

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/hiveku/byok/flow"
)

func TestRootNoArgs(t *testing.T) {
	t.Run("no terminal prints help", func(t *testing.T) {
		f, stdout, stderr := newTestFactory(t)
		if code := runCmd(t, f); code != 0 {
			t.Fatalf("exit = %d, want 0; stderr %q", code, stderr)
		}
		for _, want := range []string{"Usage:", "byok [command]", "setup", "list", "show", "delete"} {
			if !strings.Contains(stdout.String(), want) {
				t.Errorf("help lacks %q", want)
			}
		}
	})
	t.Run("terminal runs Home", func(t *testing.T) {
		f, _, _ := newTestFactory(t)
		f.IO.SetStdinTTY(true)
		f.IO.SetStderrTTY(true)
		called := false
		f.Home = func(ctx context.Context) error { called = true; return nil }
		if code := runCmd(t, f); code != 0 || !called {
			t.Errorf("exit = %d, Home called = %v; want 0, true", code, called)
		}
	})
	t.Run("extra argument", func(t *testing.T) {
		f, _, stderr := newTestFactory(t)
		if code := runCmd(t, f, "nope"); code != 2 {
			t.Errorf("exit = %d, want 2", code)
		}
		if want := "byok: unknown command \"nope\" for \"byok\"\nRun 'byok --help' for usage.\n"; stderr.String() != want {
			t.Errorf("stderr = %q, want %q", stderr, want)
		}
	})
}

func TestRootVersion(t *testing.T) {
	f, stdout, _ := newTestFactory(t)
	if code := runCmd(t, f, "--version"); code != 0 {
		t.Fatalf("exit = %d", code)
	}
	if want := "byok " + currentBuild().String() + "\n"; stdout.String() != want {
		t.Errorf("stdout = %q, want %q", stdout, want)
	}
	if _, err := os.Stat(testDBPath(t, f)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("--version touched the database (stat: %v); it must not open storage", err)
	}
}

func TestReportErrorExitCodes(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
		wantErr  string
	}{
		{"nil", nil, 0, ""},
		{"invalid", flow.Invalid("client ID", "is not a GUID").WithFix("copy it from Overview"), 2, "byok: client ID: is not a GUID; copy it from Overview\n"},
		{"wrapped invalid", fmt.Errorf("save config: %w", flow.Invalid("name", "is empty")), 2, "byok: name: is empty\n"},
		{"failed", flow.Errorf(flow.EFAILED, "2 checks failed"), 1, "byok: 2 checks failed\n"},
		{"not found", flow.Errorf(flow.ENOTFOUND, "no config named \"x\""), 1, "byok: no config named \"x\"\n"},
		{"internal", errors.New("open database: disk full"), 1, "byok: open database: disk full\n"},
		{"silent", ErrSilent, 1, ""},
		{"aborted", ErrAborted, 130, "byok: cancelled\n"},
		{"ctrl-c", context.Canceled, 130, "byok: cancelled\n"},
		{"huh abort", fmt.Errorf("run form: %w", huh.ErrUserAborted), 130, "byok: cancelled\n"},
		{"tea interrupt", tea.ErrInterrupted, 130, "byok: cancelled\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, stderr := newTestFactory(t)
			if code := reportError(f, tt.err); code != tt.wantCode {
				t.Errorf("exit = %d, want %d", code, tt.wantCode)
			}
			if stderr.String() != tt.wantErr {
				t.Errorf("stderr = %q, want %q", stderr, tt.wantErr)
			}
		})
	}
}

func TestDebugShowsCause(t *testing.T) {
	f, _, stderr := newTestFactory(t)
	f.Debug = true
	err := &flow.Error{Code: flow.EFAILED, Message: "cannot save", Err: errors.New("database is locked")}
	reportError(f, err)
	if want := "byok: cannot save\n  cause: database is locked\n"; stderr.String() != want {
		t.Errorf("stderr = %q, want %q", stderr, want)
	}
}

func TestNoColor(t *testing.T) {
	for _, tt := range []struct {
		name string
		args []string
		env  string
	}{
		{"flag", []string{"--no-color", "list"}, ""},
		{"env", []string{"list"}, "1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := newTestFactory(t)
			f.IO.SetColorDisabled(false)
			f.IO.SetStdoutTTY(true)
			f.Getenv = func(k string) string {
				if k == "NO_COLOR" {
					return tt.env
				}
				return map[string]string{"BYOK_KEY": testKey, "BYOK_DB": filepath.Join(t.TempDir(), "b.db")}[k]
			}
			runCmd(t, f, tt.args...)
			if f.IO.OutColorEnabled() {
				t.Error("colour still enabled")
			}
		})
	}
}

func TestDBFlagAndEnv(t *testing.T) {
	dir := t.TempDir()
	f, _, stderr := newTestFactory(t)
	flagDB := filepath.Join(dir, "flag.db")
	if code := runCmd(t, f, "--db", flagDB, "setup", "--help"); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	// A read command names the --db file and does not create it (issue
	// 11: a mistyped --db on list used to create it and its folders).
	if code := runCmd(t, f, "--db", flagDB, "list"); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	if !strings.Contains(stderr.String(), flagDB) || !strings.Contains(stderr.String(), "no byok database") {
		t.Errorf("list did not say the --db file is missing: %q", stderr)
	}
	if _, err := os.Stat(flagDB); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("list created the --db file: %v", err)
	}
	if st, err := f.Store(context.Background()); err != nil || st == nil {
		t.Fatalf("open: %v", err)
	}
	f.Close()
	f.DBPath = ""
	if code := runCmd(t, f, "--db", flagDB, "list"); code != 0 {
		t.Fatalf("exit = %d; stderr %q", code, stderr)
	}
	if _, err := os.Stat(flagDB); err != nil {
		t.Errorf("--db file not created by a write: %v", err)
	}
	if _, err := os.Stat(f.getenv("BYOK_DB")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("BYOK_DB file used although --db was given (stat: %v)", err)
	}

	g, _, _ := newTestFactory(t)
	g.Getenv = func(k string) string {
		return map[string]string{"HOME": dir, "XDG_DATA_HOME": filepath.Join(dir, "xdg"), "BYOK_KEY": testKey}[k]
	}
	p, err := g.DatabasePath()
	if want := filepath.Join(dir, "xdg", "byok", "byok.db"); err != nil || p != want {
		t.Errorf("DatabasePath() = %q, %v; want %q", p, err, want)
	}
}

// TestSecretNeverShown runs every command of this file set against a
// config with the fixture secret and checks that no output and no byte
// of the database files holds the secret.
func TestSecretNeverShown(t *testing.T) {
	f, stdout, stderr := newTestFactory(t)
	var all bytes.Buffer
	run := func(stdin string, args ...string) {
		t.Helper()
		stdout.Reset()
		stderr.Reset()
		setupStdin(f, stdin)
		runCmd(t, f, args...)
		all.Write(stdout.Bytes())
		all.Write(stderr.Bytes())
	}
	run(setupFixtureSecret+"\n", setupArgs()...)
	if _, err := testStore(t, f).FindConfig(context.Background(), "Acme Hiveku"); err != nil {
		t.Fatalf("setup did not save: %v\n%s", err, all.String())
	}
	run(setupFixtureSecret, setupArgs()...)                          // name taken
	run(setupFixtureSecret, setupArgs("--client-id", "bad")...)      // invalid value
	run(setupFixtureSecret+" tail", setupArgs("--name", "Other")...) // invalid secret
	run("", "list")
	run("", "list", "--json")
	run("", "show", "Acme Hiveku")
	run("", "show", "Acme Hiveku", "--json")
	run("", "--debug", "show", "nope")
	if all.Len() == 0 {
		t.Fatal("no output captured")
	}
	if bytes.Contains(all.Bytes(), []byte(setupFixtureSecret)) {
		t.Errorf("command output contains the secret:\n%s", all.String())
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(testDBPath(t, f))
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range files {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		n += len(b)
		if bytes.Contains(b, []byte(setupFixtureSecret)) || bytes.Contains(b, []byte(setupFixtureSecret[3:])) {
			t.Errorf("%s contains the secret in plain text", e.Name())
		}
	}
	if n == 0 {
		t.Error("database files are empty: nothing was checked")
	}
}

func TestUsageErrorsFromOtherCommands(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		wantCode int
	}{
		{"cobra ExactArgs", errors.New("accepts 1 arg(s), received 0"), 2},
		{"cobra MinimumNArgs", errors.New("requires at least 1 arg(s), only received 0"), 2},
		{"required flag", errors.New(`required flag(s) "format" not set`), 2},
		{"I/O error mentioning an argument", errors.New("open database: invalid argument"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, _, _ := newTestFactory(t)
			if code := reportError(f, tt.err); code != tt.wantCode {
				t.Errorf("exit = %d, want %d", code, tt.wantCode)
			}
		})
	}
}
