package cmd

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// testNow is the fixed clock of every test factory.
var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// testKey is the fixed BYOK_KEY (base64 of 32 bytes) of every test factory.
const testKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// newTestFactory returns a Factory for command tests: in-memory stdio (no
// TTY, no colour), a fixed clock (testNow), an environment holding only
// BYOK_KEY and BYOK_DB (a file under t.TempDir()), and a store opened
// lazily on that database (a real storage.Store, closed after each
// runCmd and at cleanup). It returns the stdout and stderr buffers.
// Write test input to f.IO.In (a *bytes.Buffer) or replace it.
func init() { bundleWorkFactor = 10 } // fast scrypt in tests

func newTestFactory(t testing.TB) (*Factory, *bytes.Buffer, *bytes.Buffer) {
	t.Helper()
	ios, _, stdout, stderr := Test()
	dir := t.TempDir()
	env := map[string]string{
		"BYOK_KEY": testKey,
		"BYOK_DB":  dir + "/byok.db",
	}
	f := &Factory{
		IO:     ios,
		Getenv: func(k string) string { return env[k] },
		Now:    func() time.Time { return testNow },
	}
	f.Store = f.lazyStore(openStore)
	t.Cleanup(func() { _ = f.Close() })
	return f, stdout, stderr
}

// runCmd runs byok with args on f, as main would, and returns the exit
// status. Output lands in the buffers newTestFactory returned.
func runCmd(t testing.TB, f *Factory, args ...string) int {
	t.Helper()
	if args == nil {
		args = []string{}
	}
	return Run(context.Background(), f, args)
}

// testDBPath returns the database file of a test factory.
func testDBPath(t testing.TB, f *Factory) string {
	t.Helper()
	p, err := f.DatabasePath()
	if err != nil {
		t.Fatalf("database path: %v", err)
	}
	return p
}

// testStore returns the factory's store, failing the test if it cannot
// be opened.
func testStore(t testing.TB, f *Factory) flow.Store {
	t.Helper()
	st, err := f.Store(context.Background())
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	return st
}
