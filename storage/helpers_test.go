package storage_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/storage"
)

// fixtureSecret looks like a real client secret value (not a GUID).
const fixtureSecret = "Fx7~Q.abcdefghijklmnopqrstuvwxyz0123456789"

// testKey is a BYOK_KEY (base64 of 32 bytes).
const testKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// otherKey is a different valid BYOK_KEY.
const otherKey = "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo1Njc4OTA="

// testNow is the fixed clock of MustOpen stores.
var testNow = time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)

// MustOpen opens a fresh store in a temporary directory with testKey and
// the fixed clock, closed at the end of the test.
func MustOpen(tb testing.TB) *storage.Store {
	tb.Helper()
	s, _ := mustOpenAt(tb, filepath.Join(tb.TempDir(), "byok.db"), testKey)
	return s
}

// mustOpenAt opens path with key ("" for the key file), closed at cleanup.
func mustOpenAt(tb testing.TB, path, key string) (*storage.Store, string) {
	tb.Helper()
	s, err := storage.Open(context.Background(), storage.Options{Path: path, Key: key, Now: func() time.Time { return testNow }})
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s, path
}

// validConfig is the brief's example config under another name, with a
// secret value derived from name and variant.
func validConfig(name string) flow.Config {
	return flow.Config{
		Name:        name,
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: flow.HivekuRedirectURI,
		Scopes:      append([]string(nil), flow.ScopePresets["full"]...),
		ClientID:    "11111111-2222-3333-4444-555555555555",
		DirectoryID: "66666666-7777-8888-9999-000000000000",
		Tenant:      "common",
		Secret:      flow.Secret(fixtureSecret),
		SecretInfo:  flow.SecretInfo{Description: "Hiveku prod", Expires: testNow.AddDate(0, 24, 0)},
	}
}

// secretFor returns a distinct, valid-looking secret value for name and
// generation n.
func secretFor(name string, n int) flow.Secret {
	return flow.Secret(fmt.Sprintf("Fx7~Q.%s.%04d.abcdefghijklmnopqrstuvwxyz", slug(name), n))
}

func slug(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			b[i] = '-'
		}
	}
	return string(b)
}

// wantCode fails unless err carries the flow error code.
func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := flow.ErrorCode(err); got != code {
		tb.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

// openWithClock opens a fresh store with testKey and the given clock.
func openWithClock(tb testing.TB, now func() time.Time) (*storage.Store, string) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "byok.db")
	s, err := storage.Open(context.Background(), storage.Options{Path: path, Key: testKey, Now: now})
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s, path
}

// asFlow is errors.As for *flow.Error.
func asFlow(err error, fe **flow.Error) bool { return errors.As(err, fe) }
