package bundle_test

import (
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/bundle"
)

// BenchmarkRoundTrip50Runs writes and reads a bundle with 50
// verification runs, the most byok export puts in one.
func BenchmarkRoundTrip50Runs(b *testing.B) {
	rs := make([]flow.Run, 0, 50)
	for range 50 {
		rs = append(rs, runs()...)
	}
	bd := bundle.New(testConfig(), history(), rs, opts(false))
	b.ReportAllocs()
	for b.Loop() {
		data, err := bd.Marshal()
		if err != nil {
			b.Fatal(err)
		}
		got, err := bundle.Parse(data)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := got.ToConfig("", nil); err != nil {
			b.Fatal(err)
		}
	}
}
