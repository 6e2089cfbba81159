package storage

import (
	"reflect"
	"strings"
	"testing"
)

// appendFields splits as strings.Fields does, into the given slice.
func TestAppendFields(t *testing.T) {
	for _, s := range []string{
		"", " ", "a", "offline_access Mail.ReadWrite Mail.Send", "  a  b\tc\n d\r\v\fe ",
		"x\u00a0y z", "\u2003lead trail\u2003", "\u0085a b", "ünï côdé", "a\xffb c",
	} {
		want := strings.Fields(s)
		got := appendFields([]string{"kept"}, s)
		if !reflect.DeepEqual(got, append([]string{"kept"}, want...)) {
			t.Errorf("appendFields(%q) = %q, want %q after the kept field", s, got[1:], want)
		}
	}
}

func FuzzAppendFields(f *testing.F) {
	f.Add("offline_access Mail.ReadWrite")
	f.Add(" a\u00a0b\t")
	f.Fuzz(func(t *testing.T, s string) {
		want := strings.Fields(s)
		if got := appendFields(nil, s); len(got) != len(want) || (len(want) > 0 && !reflect.DeepEqual(got, want)) {
			t.Fatalf("appendFields(%q) = %q, want %q", s, got, want)
		}
	})
}
