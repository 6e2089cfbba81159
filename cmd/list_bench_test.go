package cmd

import (
	"context"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// BenchmarkListJSON10k measures `byok list --json` (open the database,
// read every config with its last run, encode) over 10,000 saved configs.
// The target is under 100 ms per run; scripts/bench.sh measures the same
// through the binary.
func BenchmarkListJSON10k(b *testing.B) {
	const n = 10000
	f, _, _ := newTestFactory(b)
	ctx := context.Background()
	st := testStore(b, f)
	cs := make([]flow.Config, n)
	for i := range cs {
		cs[i] = listConfig(fmt.Sprintf("Bench App %05d", i), flow.MultiTenantPersonal, "common", testNow.Add(time.Duration(i)*time.Hour))
	}
	// storage.Store saves many configs in one transaction; any other
	// store is seeded one config at a time.
	if bulk, ok := st.(interface {
		SaveConfigs(context.Context, []flow.Config, bool) error
	}); ok {
		if err := bulk.SaveConfigs(ctx, cs, false); err != nil {
			b.Fatalf("seed: %v", err)
		}
	} else {
		for _, c := range cs {
			if err := st.SaveConfig(ctx, c, false); err != nil {
				b.Fatalf("seed %s: %v", c.Name, err)
			}
		}
	}
	for i, c := range cs {
		if i%2 == 0 {
			run := flow.Run{Name: c.Name, At: testNow, OK: true, Email: "user@contoso.com",
				Checks: []flow.Check{{ID: flow.CheckRedirect, Status: flow.Pass, Detail: "matches"}}}
			if err := st.SaveRun(ctx, run); err != nil {
				b.Fatalf("seed run %d: %v", i, err)
			}
		}
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	f.IO.Out = io.Discard
	b.ResetTimer()
	for b.Loop() {
		if code := runCmd(b, f, "list", "--json"); code != 0 {
			b.Fatalf("exit = %d", code)
		}
	}
}

// BenchmarkNewCmdRoot measures building the whole command tree, which
// every invocation (even --version) pays.
func BenchmarkNewCmdRoot(b *testing.B) {
	for b.Loop() {
		_ = NewCmdRoot(NewFactory())
	}
}
