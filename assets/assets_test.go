package assets

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hiveku/byok/flow"
)

func TestPermissionsParse(t *testing.T) {
	ps, err := Permissions()
	if err != nil {
		t.Fatalf("Permissions() error = %v", err)
	}
	if len(ps) < 10 {
		t.Fatalf("Permissions() has %d entries, want at least 10", len(ps))
	}
	for _, p := range ps {
		if !flow.IsGUID(p.ID) {
			t.Errorf("%s: id %q is not a GUID", p.Name, p.ID)
		}
		if strings.TrimSpace(p.Description) == "" {
			t.Errorf("%s: no description", p.Name)
		}
		if strings.HasPrefix(p.Name, "Mail.") != p.Mail {
			t.Errorf("%s: Mail = %v", p.Name, p.Mail)
		}
		if strings.HasPrefix(p.Name, "Calendars.") != p.Calendar {
			t.Errorf("%s: Calendar = %v", p.Name, p.Calendar)
		}
	}
}

// TestPermissionIDs pins the IDs Microsoft Graph uses for the permissions
// Hiveku relies on: a typo here would register the wrong permission.
func TestPermissionIDs(t *testing.T) {
	want := map[string]string{
		"offline_access":      "7427e0e9-2fba-42fe-b0c0-848c9e6a8182",
		"openid":              "37f7f235-527c-4136-accd-4a02d197296e",
		"profile":             "14dad69e-099b-42c9-810b-d002981feec1",
		"email":               "64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0",
		"User.Read":           "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
		"Mail.Read":           "570282fd-fa5c-430d-a7fd-fc8dc98a9dca",
		"Mail.ReadWrite":      "024d486e-b451-40bb-833d-3e66d98c5c73",
		"Mail.Send":           "e383f46e-2787-4529-855e-0e479a3ffac0",
		"Calendars.Read":      "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42",
		"Calendars.ReadWrite": "1ec239c2-d7c9-4623-a91a-a9775856bb36",
	}
	for name, id := range want {
		t.Run(name, func(t *testing.T) {
			p, ok := Permission(name)
			if !ok {
				t.Fatalf("Permission(%q) not found", name)
			}
			if p.ID != id {
				t.Errorf("Permission(%q).ID = %s, want %s", name, p.ID, id)
			}
		})
	}
	if _, ok := Permission("mail.readwrite"); !ok {
		t.Error(`Permission("mail.readwrite") not found; lookup must ignore case`)
	}
	if _, ok := Permission("Mail.Everything"); ok {
		t.Error(`Permission("Mail.Everything") found`)
	}
}

func TestPresetsInCatalog(t *testing.T) {
	for preset, names := range flow.ScopePresets {
		for _, n := range names {
			if _, ok := Permission(n); !ok {
				t.Errorf("preset %s: %s not in catalog", preset, n)
			}
		}
	}
}

func TestPermissionsCopy(t *testing.T) {
	a, _ := Permissions()
	a[0].Name = "changed"
	b, _ := Permissions()
	if b[0].Name == "changed" {
		t.Error("Permissions() returned shared storage")
	}
}

func TestParseScopesWithCatalog(t *testing.T) {
	ps, _ := Permissions()
	got, err := flow.ParseScopes("offline_access mail.readbasic contacts.read", ps)
	if err != nil {
		t.Fatalf("ParseScopes error = %v", err)
	}
	if want := "offline_access Mail.ReadBasic Contacts.Read"; strings.Join(got, " ") != want {
		t.Errorf("ParseScopes = %v, want %s", got, want)
	}
	_, err = flow.ParseScopes("offline_access,Mail.ReadWrit", ps)
	if fe := flow.Problems(err); len(fe) != 1 || !strings.Contains(fe[0].Fix, "Mail.ReadWrite") {
		t.Errorf("ParseScopes typo error = %v, want a did-you-mean for Mail.ReadWrite", err)
	}
}

func TestParsePermissionsErrors(t *testing.T) {
	tests := []struct{ name, json, want string }{
		{"not json", `{`, "parse permissions.json"},
		{"empty", `{"permissions":[]}`, "no permissions"},
		{"no name", `{"permissions":[{"id":"7427e0e9-2fba-42fe-b0c0-848c9e6a8182","description":"x"}]}`, "no name"},
		{"bad id", `{"permissions":[{"name":"a","id":"nope","description":"x"}]}`, "not a lower-case GUID"},
		{"upper id", `{"permissions":[{"name":"a","id":"7427E0E9-2FBA-42FE-B0C0-848C9E6A8182","description":"x"}]}`, "not a lower-case GUID"},
		{"no description", `{"permissions":[{"name":"a","id":"7427e0e9-2fba-42fe-b0c0-848c9e6a8182"}]}`, "no description"},
		{"dup name", `{"permissions":[{"name":"a","id":"7427e0e9-2fba-42fe-b0c0-848c9e6a8182","description":"x"},{"name":"A","id":"37f7f235-527c-4136-accd-4a02d197296e","description":"x"}]}`, "listed twice"},
		{"dup id", `{"permissions":[{"name":"a","id":"7427e0e9-2fba-42fe-b0c0-848c9e6a8182","description":"x"},{"name":"b","id":"7427e0e9-2fba-42fe-b0c0-848c9e6a8182","description":"x"}]}`, "listed twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parsePermissions([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parsePermissions() error = %v, want it to mention %q", err, tt.want)
			}
		})
	}
}

func TestStepHelp(t *testing.T) {
	for _, id := range flow.Steps {
		t.Run(string(id), func(t *testing.T) {
			h := StepHelp(id)
			if h == "" {
				t.Fatalf("StepHelp(%s) is empty", id)
			}
			lines := strings.Split(h, "\n")
			if len(lines) > 8 {
				t.Errorf("StepHelp(%s) has %d lines, want at most 8", id, len(lines))
			}
			for i, l := range lines {
				if n := utf8.RuneCountInString(l); n > 80 {
					t.Errorf("StepHelp(%s) line %d is %d columns, want at most 80", id, i+1, n)
				}
			}
		})
	}
	if h := StepHelp(flow.StepRedirect); !strings.Contains(h, flow.HivekuRedirectURI) {
		t.Errorf("redirect help does not show %s", flow.HivekuRedirectURI)
	}
	for _, id := range []flow.StepID{"", "nope", "../assets", "help/name"} {
		if h := StepHelp(id); h != "" {
			t.Errorf("StepHelp(%q) = %q, want empty", id, h)
		}
	}
}
