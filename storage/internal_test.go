package storage

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/mattn/go-sqlite3"
)

func TestChecksEncodingRoundTrip(t *testing.T) {
	tests := map[string][]flow.Check{
		"none": {},
		"plain": {{ID: flow.CheckRedirect, Status: flow.Pass, Detail: "exact match"},
			{ID: flow.CheckCreds, Status: flow.Fail, Code: 7000215, Detail: "invalid client secret", Fix: "copy the Value column"}},
		"awkward text": {{ID: "x", Status: flow.Warn, Code: -1,
			Detail: "tab\there, newline\nthere, backslash \\ and \\t literal", Fix: "\t\n\\"}},
		"empty fields": {{}, {ID: "y"}},
	}
	for name, checks := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := decodeChecks(encodeChecks(checks))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, checks) {
				t.Errorf("round trip:\n got %#v\nwant %#v", got, checks)
			}
		})
	}
}

func TestDecodeChecksRejectsGarbage(t *testing.T) {
	for _, s := range []string{"only\tthree\tfields", "a\tb\tnotanumber\td\te"} {
		if _, err := decodeChecks(s); err == nil {
			t.Errorf("decodeChecks(%q) accepted garbage", s)
		}
	}
}

func TestMigrationsAreNumberedInOrder(t *testing.T) {
	ms, err := migrations()
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) == 0 || SchemaVersion() != len(ms) {
		t.Fatalf("%d migrations, SchemaVersion %d", len(ms), SchemaVersion())
	}
	for i, m := range ms {
		if m.version != i+1 || m.name == "" || m.sql == "" {
			t.Errorf("migration %d = %+v", i, m)
		}
	}
}

func TestWithRetry(t *testing.T) {
	busy := sqlite3.Error{Code: sqlite3.ErrBusy}
	other := errors.New("disk on fire")
	tests := map[string]struct {
		errs      []error // returned by successive calls; nil after the end
		wantCalls int
		wantErr   error
	}{
		"ok at once":          {nil, 1, nil},
		"busy then ok":        {[]error{busy, busy}, 3, nil},
		"other error at once": {[]error{other}, 1, other},
		"busy for ever":       {repeat(busy, 100), maxAttempts, busy},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			calls := 0
			err := withRetry(context.Background(), func() error {
				calls++
				if calls <= len(tt.errs) {
					return tt.errs[calls-1]
				}
				return nil
			})
			if calls != tt.wantCalls || !errors.Is(err, tt.wantErr) {
				t.Errorf("calls = %d, err = %v; want %d, %v", calls, err, tt.wantCalls, tt.wantErr)
			}
		})
	}
	t.Run("cancelled context stops retrying", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		calls := 0
		err := withRetry(ctx, func() error { calls++; return busy })
		if calls != 1 || err == nil {
			t.Errorf("calls = %d, err = %v", calls, err)
		}
	})
}

func repeat(err error, n int) []error {
	out := make([]error, n)
	for i := range out {
		out[i] = err
	}
	return out
}

// racingQuerier runs before, once, ahead of the first query: another
// process acting between the key-file look-up and the check's query.
type racingQuerier struct {
	querier
	before func()
}

func (r *racingQuerier) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if r.before != nil {
		f := r.before
		r.before = nil
		f()
	}
	return r.querier.QueryRowContext(ctx, query, args...)
}

// TestKeyCheckSeesKeyFileCreatedMeanwhile: two byok processes on a new
// store. The first finds no key file; before its key check reads the
// secrets, the second creates byok.key and seals a secret with it. That
// secret is not foreign: the check reads the key file again rather than
// refusing the write (TestConcurrentProcesses hit this once in nine).
func TestKeyCheckSeesKeyFileCreatedMeanwhile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "byok.db")
	open := func() *Store {
		s, err := Open(ctx, Options{Path: path})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		return s
	}
	first, second := open(), open()
	c := flow.Config{
		Name: "Acme Hiveku", AccountType: flow.MultiTenantPersonal, RedirectURI: flow.HivekuRedirectURI,
		Scopes: []string{"offline_access", "Mail.Read"}, ClientID: "11111111-2222-3333-4444-555555555555",
		DirectoryID: "66666666-7777-8888-9999-000000000000", Tenant: "common",
		Secret:     flow.Secret("abc8Q~0123456789abcdefghijklmnopqrstuvwx"),
		SecretInfo: flow.SecretInfo{Description: "Hiveku prod"},
	}
	q := &racingQuerier{querier: first.rdb, before: func() {
		if err := second.SaveConfig(ctx, c, false); err != nil {
			t.Fatalf("second process: %v", err)
		}
	}}
	if err := first.guardKey(ctx, q, ""); err != nil {
		t.Errorf("key check refused a secret sealed with the key file's key: %v", err)
	}
}
