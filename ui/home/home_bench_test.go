package home

import (
	"fmt"
	"testing"

	"github.com/hiveku/byok/flow"
)

// benchListings returns n configs cycling through the fixtures.
func benchListings(n int) []flow.Listing {
	base := fixtureListings()
	ls := make([]flow.Listing, n)
	for i := range ls {
		ls[i] = base[i%len(base)]
		ls[i].Config.Name = fmt.Sprintf("config %05d", n-i)
	}
	return ls
}

// BenchmarkNew10k measures building the home screen over 10,000 configs
// (sorting them) and its first frame.
func BenchmarkNew10k(b *testing.B) {
	ls := benchListings(10000)
	b.ReportAllocs()
	for b.Loop() {
		m := New(Options{Listings: ls, Now: fixedNow, NoColor: true, Width: 80, Height: 24, ConsentURLs: fakeConsentURLs})
		_ = m.View().Content
	}
}

// BenchmarkKey10k measures one key press (down) and the redraw with
// 10,000 configs: what a person waits for while scrolling.
func BenchmarkKey10k(b *testing.B) {
	m := New(Options{Listings: benchListings(10000), Now: fixedNow, NoColor: true, Width: 80, Height: 24, ConsentURLs: fakeConsentURLs})
	down, up := key("down"), key("up")
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2000 < 1000 {
			m.Update(down)
		} else {
			m.Update(up)
		}
		i++
		_ = m.View().Content
	}
}
