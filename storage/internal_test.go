package storage

import (
	"context"
	"errors"
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
