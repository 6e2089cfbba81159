package storage

import (
	"reflect"
	"testing"

	"github.com/hiveku/byok/flow"
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
