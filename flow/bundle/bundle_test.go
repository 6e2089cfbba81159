package bundle_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/bundle"
)

const fixtureSecret = "Fx7~Q.abcdefghijklmnopqrstuvwxyz0123456789"

var now = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

func testConfig() flow.Config {
	return flow.Config{
		Name:        "Acme Hiveku",
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: flow.HivekuRedirectURI,
		Loopback:    true,
		Scopes:      []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
		ClientID:    "11111111-2222-3333-4444-555555555555",
		DirectoryID: "66666666-7777-8888-9999-000000000000",
		Tenant:      "common",
		Secret:      flow.Secret(fixtureSecret),
		SecretInfo: flow.SecretInfo{
			Description: "Hiveku prod", Hint: "Fx7…",
			Created: now.AddDate(0, -1, 0), Expires: now.AddDate(2, -1, 0),
		},
		CreatedAt: now.AddDate(0, -1, 0),
		UpdatedAt: now.AddDate(0, 0, -3),
	}
}

func history() []flow.SecretInfo {
	return []flow.SecretInfo{{Description: "first", Hint: "old…", Created: now.AddDate(-2, 0, 0), Expires: now.AddDate(0, -1, 0), Retired: now.AddDate(0, -1, 0)}}
}

func runs() []flow.Run {
	return []flow.Run{{ID: 7, Name: "Acme Hiveku", At: now.AddDate(0, 0, -1), OK: true, Email: "admin@acme.example",
		Checks: []flow.Check{{ID: flow.CheckRedirect, Status: flow.Pass, Detail: "exact"}, {ID: flow.CheckCreds, Status: flow.Fail, Code: 7000215, Detail: "wrong secret", Fix: "copy the Value"}}}}
}

func opts(with bool) bundle.Options {
	return bundle.Options{ByokVersion: "1.2.3", Now: now, WithSecret: with, Passphrase: testPassphrase, WorkFactor: 10}
}

const testPassphrase = "correct horse battery staple"

func roundTrip(t *testing.T, b bundle.Bundle) bundle.Bundle {
	t.Helper()
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	got, err := bundle.Parse(data)
	if err != nil {
		t.Fatalf("Parse(Marshal()) = %v\n%s", err, data)
	}
	return got
}

// TestRoundTrip is the acceptance test: export then import gives
// the original config minus the secret.
func TestRoundTrip(t *testing.T) {
	orig := testConfig()
	b := roundTrip(t, bundle.New(orig, history(), runs(), opts(false)))
	got, err := b.ToConfig("", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := orig
	want.Secret = ""
	want.SecretInfo.Missing = true
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ToConfig() =\n%#v\nwant\n%#v", got, want)
	}
	if !reflect.DeepEqual(b.SecretHistory, history()) {
		t.Errorf("SecretHistory = %+v", b.SecretHistory)
	}
	rs := b.Runs("Renamed")
	if len(rs) != 1 || rs[0].Name != "Renamed" || rs[0].ID != 0 || !reflect.DeepEqual(rs[0].Checks, runs()[0].Checks) || rs[0].Email != "admin@acme.example" {
		t.Errorf("Runs() = %+v", rs)
	}
	if b.Format != "byok-bundle" || b.Version != 2 || b.ByokVersion != "1.2.3" || !b.ExportedAt.Equal(now) {
		t.Errorf("header = %q %d %q %v", b.Format, b.Version, b.ByokVersion, b.ExportedAt)
	}
}

func TestRoundTripWithSecret(t *testing.T) {
	orig := testConfig()
	b := roundTrip(t, bundle.New(orig, nil, nil, opts(true)))
	if !b.HasSecret() || !b.NeedsPassphrase() {
		t.Fatal("HasSecret() or NeedsPassphrase() = false")
	}
	if err := b.Decrypt("not the passphrase"); flow.ErrorCode(err) != flow.EINVALID {
		t.Fatalf("Decrypt(wrong) = %v, want EINVALID", err)
	}
	if err := b.Decrypt(testPassphrase); err != nil {
		t.Fatal(err)
	}
	got, err := b.ToConfig("Acme Hiveku (support)", nil)
	if err != nil {
		t.Fatal(err)
	}
	want := orig
	want.Name = "Acme Hiveku (support)"
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ToConfig() =\n%#v\nwant\n%#v", got, want)
	}
	if got.Secret.Reveal() != fixtureSecret {
		t.Error("secret value lost")
	}
}

func TestNoSecretWithoutOptIn(t *testing.T) {
	b := bundle.New(testConfig(), history(), runs(), opts(false))
	data, err := b.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(fixtureSecret)) || bytes.Contains(data, []byte(`"value"`)) {
		t.Fatalf("bundle without --with-secret carries a value:\n%s", data)
	}
	if !bytes.Contains(data, []byte(`"hint": "Fx7…"`)) {
		t.Errorf("bundle lacks the hint:\n%s", data)
	}
	// Even a bundle that holds the value never prints it.
	with := bundle.New(testConfig(), nil, nil, opts(true))
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		if s := fmt.Sprintf(verb, with); strings.Contains(s, fixtureSecret) {
			t.Errorf("fmt %s of a bundle shows the secret", verb)
		}
	}
	data, _ = with.Marshal()
	if bytes.Contains(data, []byte(fixtureSecret)) || !bytes.Contains(data, []byte(`"value_encrypted": "-----BEGIN AGE ENCRYPTED FILE-----`)) {
		t.Errorf("bundle with --with-secret must carry the value encrypted, never in clear:\n%s", data)
	}
}

func TestNewFillsHint(t *testing.T) {
	c := testConfig()
	c.SecretInfo.Hint = ""
	if got := bundle.New(c, nil, nil, opts(false)).Secret.Hint; got != "Fx7…" {
		t.Errorf("hint = %q", got)
	}
}

func TestParseRejects(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", "  \n", "empty"},
		{"garbage", "PK\x03\x04 zip", "not valid JSON"},
		{"truncated", `{"format":"byok-bundle","version":1,"config":{`, "ends in the middle"},
		{"array", `[1,2]`, "JSON array"},
		{"manifest", `{"appId":"11111111-2222-3333-4444-555555555555","displayName":"x"}`, "not a byok support bundle (no format key)"},
		{"other format", `{"format":"gh-bundle","version":1}`, `format "gh-bundle"`},
		{"newer", `{"format":"byok-bundle","version":3,"config":{"future":true}}`, "this bundle was written by a newer byok (format 3); upgrade byok to import it"},
		{"format 1", `{"format":"byok-bundle","version":1,"config":{"name":"x"},"secret":{"value":"Fx7~Q.abcdefghijklmnopqrstuvwxyz0123456789"}}`, "no integrity check and may hold a secret value in plain text"},
		{"no integrity", `{"format":"byok-bundle","version":2,"config":{"name":"x"}}`, "no integrity check"},
		{"version zero", `{"format":"byok-bundle","version":0}`, "no valid format version"},
		{"version string", `{"format":"byok-bundle","version":"1"}`, "no valid format version"},
		{"no version", `{"format":"byok-bundle"}`, "no valid format version"},
		{"no config", `{"format":"byok-bundle","version":2}`, "no config"},
		{"wrong type", `{"format":"byok-bundle","version":2,"config":{"name":"x","scopes":"Mail.Send"}}`, "config.scopes"},
		{"bad time", `{"format":"byok-bundle","version":2,"exported_at":"yesterday","config":{"name":"x"}}`, "not valid JSON"},
		{"huge", `{"format":"byok-bundle","version":2,"x":"` + strings.Repeat("a", bundle.MaxSize) + `"}`, "bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := bundle.Parse([]byte(tt.in))
			var fe *flow.Error
			if !errors.As(err, &fe) || fe.Code != flow.EINVALID || fe.Field != "bundle" {
				t.Fatalf("Parse() = %v, want EINVALID on bundle", err)
			}
			if !strings.Contains(fe.Message, tt.want) {
				t.Errorf("message %q lacks %q", fe.Message, tt.want)
			}
			if fe.Fix == "" {
				t.Error("no fix")
			}
		})
	}
}

func TestToConfigValidates(t *testing.T) {
	if (flow.Config{}).Validate() == nil {
		t.Skip("flow.Config.Validate is still a stub")
	}
	b := bundle.New(testConfig(), nil, nil, opts(false))
	b.Config.RedirectURI = "http://app.hiveku.com/api/oauth/microsoft/callback"
	_, err := b.ToConfig("", nil)
	if flow.ErrorCode(err) != flow.EINVALID {
		t.Fatalf("ToConfig() = %v, want EINVALID", err)
	}
}

func TestGolden(t *testing.T) {
	// testdata/v2.json is a bundle as format 2 writes it; it must keep parsing.
	data, err := os.ReadFile(filepath.Join("testdata", "v2.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := bundle.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if b.Config.Name != "Acme Hiveku" || b.HasSecret() || len(b.Verifications) != 1 || len(b.SecretHistory) != 1 {
		t.Errorf("parsed %+v", b)
	}
	out, _ := bundle.New(testConfig(), history(), runs(), opts(false)).Marshal()
	if !bytes.Equal(out, data) {
		t.Errorf("Marshal() differs from testdata/v2.json; if the change is intended, the format version must change too\n%s", out)
	}
}

func FuzzParse(f *testing.F) {
	for _, with := range []bool{false, true} {
		data, _ := bundle.New(testConfig(), history(), runs(), opts(with)).Marshal()
		f.Add(data)
	}
	for _, s := range []string{"", "{}", "null", `{"format":"byok-bundle","version":2}`, `{"format":"byok-bundle","version":1,"config":{"name":"a"},"secret":{"value":null}}`, `{"format":"byok-bundle","version":1e300}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := bundle.Parse(data)
		if err != nil {
			if flow.ErrorCode(err) != flow.EINVALID {
				t.Fatalf("Parse() error %v is not EINVALID", err)
			}
			return
		}
		// Whatever parses must survive a write and a read unchanged.
		out, err := b.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		b2, err := bundle.Parse(out)
		if err != nil {
			t.Fatalf("re-Parse: %v\n%s", err, out)
		}
		out2, _ := b2.Marshal()
		if !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the bundle:\n%s\n%s", out, out2)
		}
		_, _ = b.ToConfig("", nil)
	})
}

// Issue 11: 6 of 20 single-byte flips imported silently, among them a
// changed client ID, a changed directory ID and a dropped expiry. Every
// flip of every byte is now refused, or changes nothing the bundle means.
func TestEveryByteFlipRefused(t *testing.T) {
	data, err := bundle.New(testConfig(), history(), runs(), opts(false)).Marshal()
	if err != nil {
		t.Fatal(err)
	}
	orig, err := bundle.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := orig.ToConfig("", nil)
	accepted := 0
	for i := range data {
		for _, mask := range []byte{0x01, 0x20} {
			flipped := append([]byte(nil), data...)
			flipped[i] ^= mask
			b, err := bundle.Parse(flipped)
			if err != nil {
				if flow.ErrorCode(err) != flow.EINVALID {
					t.Fatalf("flip at %d: %v is not EINVALID", i, err)
				}
				continue
			}
			accepted++
			got, err := b.ToConfig("", nil)
			if err == nil && !reflect.DeepEqual(got, want) {
				t.Fatalf("flip %#x at %d (%q) imported a different config:\n%+v", mask, i, data[max(0, i-20):min(len(data), i+20)], got)
			}
			if !reflect.DeepEqual(b.Verifications, orig.Verifications) || b.ByokVersion != orig.ByokVersion {
				t.Fatalf("flip %#x at %d changed the runs or header", mask, i)
			}
		}
	}
	t.Logf("%d of %d flips parsed (whitespace only), the rest refused", accepted, 2*len(data))
}

// A format-1 bundle (no integrity check, a secret value possibly in clear)
// is refused with a request to export again.
func TestFormat1Refused(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "v1.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, err = bundle.Parse(data)
	if flow.ErrorCode(err) != flow.EINVALID || !strings.Contains(err.Error(), "export it again") {
		t.Errorf("Parse(v1) = %v", err)
	}
}
