package sanitize

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"
)

// printable8 agrees with a byte-by-byte check on every byte value in
// every position, next to printable and unprintable neighbours.
func TestPrintable8(t *testing.T) {
	slow := func(b []byte) bool {
		for _, c := range b {
			if c < 0x20 || c >= 0x7f {
				return false
			}
		}
		return true
	}
	for _, fill := range []byte{' ', 'a', '~', 0x00, 0x1f, 0x7f, 0x80, 0xff} {
		for pos := range 8 {
			for v := range 256 {
				var b [8]byte
				for i := range b {
					b[i] = fill
				}
				b[pos] = byte(v)
				if got, want := printable8(binary.LittleEndian.Uint64(b[:])), slow(b[:]); got != want {
					t.Fatalf("printable8(% x) = %v, want %v", b, got, want)
				}
			}
		}
	}
}

// ...and on random words drawn from the bytes around the edges.
func TestPrintable8Random(t *testing.T) {
	edges := []byte{0x00, 0x01, 0x09, 0x0a, 0x1b, 0x1f, 0x20, 0x21, 0x5c, 0x7e, 0x7f, 0x80, 0x81, 0x9b, 0xc2, 0xe2, 0xfe, 0xff}
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		var b [8]byte
		for i := range b {
			if r.IntN(4) == 0 {
				b[i] = edges[r.IntN(len(edges))]
			} else {
				b[i] = byte(0x20 + r.IntN(0x5f))
			}
		}
		want := true
		for _, c := range b {
			want = want && c >= 0x20 && c < 0x7f
		}
		if got := printable8(binary.LittleEndian.Uint64(b[:])); got != want {
			t.Fatalf("printable8(% x) = %v, want %v", b, got, want)
		}
	}
}
