package flow

import (
	"strings"
	"testing"
)

// Issue 11, names: NFC and NFD spellings of one name, or a doubled inner
// space, made two configs that look identical.
func TestNormalizeName(t *testing.T) {
	for in, want := range map[string]string{
		"Caf\u00e9 Hiveku":      "Caf\u00e9 Hiveku",
		"Cafe\u0301 Hiveku":     "Caf\u00e9 Hiveku", // NFD → NFC
		"Acme  Hiveku":          "Acme Hiveku",
		"  Acme \u00a0 Hiveku ": "Acme Hiveku",
		"Acme\u3000Hiveku":      "Acme Hiveku",
	} {
		if got := NormalizeName(in); got != want {
			t.Errorf("NormalizeName(%q) = %q, want %q", in, got, want)
		}
	}
	a := Config{Name: "Cafe\u0301  Hiveku"}.Normalize()
	if a.Name != "Caf\u00e9 Hiveku" {
		t.Errorf("Normalize kept %q", a.Name)
	}
}

// Issue 11, names and URIs: right-to-left override (U+202E) and
// zero-width space (U+200B) were accepted in names and custom redirect
// URIs; the nil GUID was accepted as a client ID.
func TestHostileInputRefused(t *testing.T) {
	tests := []struct {
		name, field string
		err         error
	}{
		{"RLO in name", "name", ValidateName("Acme\u202eusbh")},
		{"ZWSP in name", "name", ValidateName("Ac\u200bme")},
		{"LRI in name", "name", ValidateName("Acme\u2066x")},
		{"ESC in name", "name", ValidateName("Acme\x1b]52;c;aGk=\x07")},
		{"RLO in description", "secret description", ValidateSecretDescription("Hiveku\u202e dorp")},
		{"ZWSP in description", "secret description", ValidateSecretDescription("Hiveku\u200bprod")},
		{"RLO in redirect URI", "redirect URI", ValidateCustomRedirectURI("https://acme.example/\u202eauth", MultiTenant)},
		{"ZWSP in redirect URI", "redirect URI", ValidateCustomRedirectURI("https://acme\u200b.example/auth", MultiTenant)},
		{"nil client ID", "client ID", ValidateClientID(NilGUID)},
		{"nil client ID braced", "client ID", ValidateClientID("{00000000-0000-0000-0000-000000000000}")},
		{"nil directory ID", "directory ID", ValidateDirectoryID(NilGUID, "11111111-2222-4333-8444-555555555555")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := asError(tt.err)
			if e == nil || e.Code != EINVALID || e.Field != tt.field {
				t.Fatalf("err = %#v, want EINVALID for %q", tt.err, tt.field)
			}
			if ExitCode(tt.err) != 2 {
				t.Errorf("exit %d", ExitCode(tt.err))
			}
			if strings.ContainsAny(e.Error(), "\u202e\u200b\u2066\x1b") {
				t.Errorf("the message repeats the hostile character: %q", e.Error())
			}
		})
	}
}
