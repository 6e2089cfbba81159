package storage_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/storage"
)

// seedConfigs saves n valid configs in one transaction and a verification
// run for every other one.
func seedConfigs(tb testing.TB, s *storage.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	cs := make([]flow.Config, n)
	for i := range cs {
		cs[i] = validConfig(fmt.Sprintf("Config %05d", i))
		cs[i].Secret = secretFor(cs[i].Name, 0)
	}
	if err := s.SaveConfigs(ctx, cs, false); err != nil {
		tb.Fatal(err)
	}
	checks := []flow.Check{{ID: flow.CheckRedirect, Status: flow.Pass}, {ID: flow.CheckCreds, Status: flow.Pass}, {ID: flow.CheckConsent, Status: flow.Skip}}
	var runs []flow.Run
	for i := 0; i < n; i += 2 {
		runs = append(runs, flow.Run{Name: cs[i].Name, At: testNow.Add(time.Duration(i) * time.Second), OK: true, Checks: checks})
	}
	if err := s.SaveRuns(ctx, runs); err != nil {
		tb.Fatal(err)
	}
}

func TestListConfigs10k(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 10,000 configs")
	}
	s := MustOpen(t)
	seedConfigs(t, s, 10000)
	l, err := s.ListConfigs(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(l) != 10000 || l[0].LastRun == nil || l[1].LastRun != nil || l[9999].Config.Name != "Config 09999" {
		t.Fatalf("list: %d rows", len(l))
	}
}

// BenchmarkListConfigs10k is `byok list` on 10,000 configs, half with a
// run: one query, no secret unsealed.
func BenchmarkListConfigs10k(b *testing.B) {
	s := MustOpen(b)
	seedConfigs(b, s, 10000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		l, err := s.ListConfigs(ctx)
		if err != nil || len(l) != 10000 {
			b.Fatal(len(l), err)
		}
	}
}

// BenchmarkOpenListJSON10k is the storage side of `byok list --json` on
// 10,000 configs: open the database, list, marshal, close.
func BenchmarkOpenListJSON10k(b *testing.B) {
	s := MustOpen(b)
	seedConfigs(b, s, 10000)
	path := s.Path()
	s.Close()
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		s, err := storage.Open(ctx, storage.Options{Path: path, Key: testKey})
		if err != nil {
			b.Fatal(err)
		}
		l, err := s.ListConfigs(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(l); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}

// BenchmarkSeed10k saves 10,000 configs in one transaction (SaveConfigs),
// as scripts/seed does.
func BenchmarkSeed10k(b *testing.B) {
	ctx := context.Background()
	cs := make([]flow.Config, 10000)
	for i := range cs {
		cs[i] = validConfig(fmt.Sprintf("Config %05d", i))
	}
	for b.Loop() {
		b.StopTimer()
		s, err := storage.Open(ctx, storage.Options{Path: filepath.Join(b.TempDir(), "byok.db"), Key: testKey})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := s.SaveConfigs(ctx, cs, false); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
}

// BenchmarkSaveConfig is one SaveConfig (one durable transaction).
func BenchmarkSaveConfig(b *testing.B) {
	s := MustOpen(b)
	ctx := context.Background()
	i := 0
	for b.Loop() {
		if err := s.SaveConfig(ctx, validConfig(fmt.Sprintf("Config %07d", i)), false); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkFindConfig is one FindConfig with its secret unsealed, among
// 10,000 configs.
func BenchmarkFindConfig(b *testing.B) {
	s := MustOpen(b)
	seedConfigs(b, s, 10000)
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.FindConfig(ctx, "config 05000"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen is opening an existing, migrated database.
func BenchmarkOpen(b *testing.B) {
	s := MustOpen(b)
	path := s.Path()
	s.Close()
	ctx := context.Background()
	for b.Loop() {
		s, err := storage.Open(ctx, storage.Options{Path: path, Key: testKey})
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
