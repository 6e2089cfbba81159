package manifest_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hiveku/byok/flow/manifest"
)

// BenchmarkParseAudit measures `byok audit`'s own work on a portal-sized
// manifest: parse, then audit against a config.
func BenchmarkParseAudit(b *testing.B) {
	data, err := os.ReadFile(filepath.Join("testdata", "graph-good.json"))
	if err != nil {
		b.Fatal(err)
	}
	cfg := testConfig()
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := manifest.Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		if r := manifest.Audit(m, manifest.Options{Config: &cfg, Catalog: catalog, Now: now}); r.Failed() {
			b.Fatal("audit failed")
		}
	}
}
