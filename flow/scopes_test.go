package flow

import (
	"reflect"
	"strings"
	"testing"
)

// valCatalog is a small catalog with IDs, standing in for
// assets.Permissions (flow can't import assets).
func valCatalog() []Permission {
	return []Permission{
		{Name: "offline_access", ID: "7427e0e9-2fba-42fe-b0c0-848c9e6a8182"},
		{Name: "openid", ID: "37f7f235-527c-4136-accd-4a02d197296e"},
		{Name: "User.Read", ID: "e1fe6dd8-ba31-4d61-89e7-88639da4683d"},
		{Name: "Mail.Read", ID: "570282fd-fa5c-430d-a7fd-fc8dc98a9dca", Mail: true},
		{Name: "Mail.ReadWrite", ID: "024d486e-b451-40bb-833d-3e66d98c5c73", Mail: true},
		{Name: "Mail.Send", ID: "e383f46e-2787-4529-855e-0e479a3ffac0", Mail: true},
		{Name: "Calendars.ReadWrite", ID: "1ec239c2-d7c9-4623-a91a-a9775856bb36", Calendar: true},
		{Name: "Contacts.Read", ID: "ff74d97f-43af-4b68-9f2a-b77ee6968c5d"},
	}
}

func TestParseScopes(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		catalog []Permission
		want    []string
		err     *valWant
	}{
		{"preset full", "full", valCatalog(), []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"}, nil},
		{"preset read upper", " READ ", valCatalog(), []string{"offline_access", "Mail.Read"}, nil},
		{"preset send-only", "send-only", nil, []string{"offline_access", "Mail.Send"}, nil},
		{"preset plus extra", "read,Contacts.Read", valCatalog(), []string{"offline_access", "Mail.Read", "Contacts.Read"}, nil},
		{"preset missing from catalog", "full", []Permission{{Name: "Contacts.Read"}}, []string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"}, nil},
		{"comma list", "offline_access,Mail.Read", valCatalog(), []string{"offline_access", "Mail.Read"}, nil},
		{"space list", "offline_access Mail.Read  User.Read", valCatalog(), []string{"offline_access", "Mail.Read", "User.Read"}, nil},
		{"mixed separators", "offline_access, Mail.Read;\nUser.Read", valCatalog(), []string{"offline_access", "Mail.Read", "User.Read"}, nil},
		{"case normalised", "OFFLINE_ACCESS,mail.readwrite", valCatalog(), []string{"offline_access", "Mail.ReadWrite"}, nil},
		{"duplicates removed", "offline_access,Mail.Read,mail.read,MAIL.READ", valCatalog(), []string{"offline_access", "Mail.Read"}, nil},
		{"graph prefix", "https://graph.microsoft.com/Mail.Read offline_access", valCatalog(), []string{"Mail.Read", "offline_access"}, nil},
		{"graph prefix us", "HTTPS://GRAPH.MICROSOFT.US/mail.send offline_access", valCatalog(), []string{"Mail.Send", "offline_access"}, nil},
		{"permission id", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182 {570282FD-FA5C-430D-A7FD-FC8DC98A9DCA}", valCatalog(), []string{"offline_access", "Mail.Read"}, nil},
		{"quoted names", `"offline_access" 'Mail.Read' “full”`, valCatalog(), []string{"offline_access", "Mail.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"}, nil},
		{"nil catalog", "offline_access mail.send", nil, []string{"offline_access", "Mail.Send"}, nil},
		{"empty", "", valCatalog(), nil, &valWant{"scopes", []string{"no permissions"}, []string{"full, read, send-only"}}},
		{"separators only", " , ; ", valCatalog(), nil, &valWant{"scopes", []string{"no permissions"}, nil}},
		{"no offline_access", "Mail.ReadWrite,Mail.Send", valCatalog(), nil, &valWant{"scopes", []string{"offline_access is missing"}, []string{"no refresh token", "about an hour"}}},
		{"no mail", "offline_access,User.Read,Calendars.ReadWrite", valCatalog(), nil, &valWant{"scopes", []string{"no mail permission"}, []string{"Mail.ReadWrite", "Mail.Read", "Mail.Send"}}},
		{"typo", "offline_access,Mail.ReadWrit", valCatalog(), nil, &valWant{"scopes", []string{"“Mail.ReadWrit” is not"}, []string{"did you mean Mail.ReadWrite?"}}},
		{"separator typo", "offline_access mail_readwrite", valCatalog(), nil, &valWant{"scopes", nil, []string{"did you mean Mail.ReadWrite?"}}},
		{"offline typo", "offline-access Mail.Read", valCatalog(), nil, &valWant{"scopes", nil, []string{"did you mean offline_access?"}}},
		{"case typo", "offline_access calendars.readwite Mail.Read", valCatalog(), nil, &valWant{"scopes", nil, []string{"did you mean Calendars.ReadWrite?"}}},
		{"unknown far", "offline_access Sites.FullControl.All", valCatalog(), nil, &valWant{"scopes", []string{"not a Microsoft Graph delegated permission"}, []string{"use a preset"}}},
		{".default", "https://graph.microsoft.com/.default", valCatalog(), nil, &valWant{"scopes", []string{"all at once"}, []string{"by name"}}},
		{"bare .default", "offline_access .default", valCatalog(), nil, &valWant{"scopes", []string{".default"}, nil}},
		{"other api", "offline_access https://outlook.office.com/Mail.Read", valCatalog(), nil, &valWant{"scopes", []string{"another API"}, []string{"without a prefix"}}},
		{"api uri", "api://1234/access", valCatalog(), nil, &valWant{"scopes", []string{"another API"}, nil}},
		{"unknown id", "offline_access 99999999-8888-7777-6666-555555555555", valCatalog(), nil, &valWant{"scopes", []string{"not the ID of a Graph delegated permission"}, []string{"permission names"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseScopes(tt.in, tt.catalog)
			valCheck(t, err, tt.err)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseScopes(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestSuggestScope(t *testing.T) {
	if got := suggestScope("Zzzzzzzz", valCatalog()); got != "" {
		t.Errorf("suggestScope(far) = %q, want none", got)
	}
	if got := suggestScope("mailsend", valCatalog()); got != "Mail.Send" {
		t.Errorf("suggestScope(mailsend) = %q, want Mail.Send", got)
	}
}

func TestCheckScopeList(t *testing.T) {
	tests := []struct {
		name string
		in   []string
		want *valWant
	}{
		{"ok", []string{"offline_access", "Mail.Read"}, nil},
		{"empty", nil, &valWant{"scopes", []string{"no permissions"}, nil}},
		{"blank entry", []string{"offline_access", ""}, &valWant{"scopes", []string{"not a permission name"}, nil}},
		{"space", []string{"offline_access Mail.Read"}, &valWant{"scopes", []string{"not a permission name"}, nil}},
		{"duplicate", []string{"offline_access", "Mail.Read", "mail.read"}, &valWant{"scopes", []string{"listed twice"}, []string{"duplicate"}}},
		{"default", []string{"offline_access", "https://graph.microsoft.com/.default"}, &valWant{"scopes", []string{"can't be mixed"}, nil}},
		{"no offline", []string{"Mail.Read"}, &valWant{"scopes", []string{"offline_access is missing"}, []string{"refresh token"}}},
		{"no mail", []string{"offline_access", "User.Read"}, &valWant{"scopes", []string{"no mail permission"}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { valCheck(t, checkScopeList(tt.in), tt.want) })
	}
}

func TestScopeSummary(t *testing.T) {
	if got := scopeSummary([]string{"a", "b"}); got != "2 permissions: a, b" {
		t.Errorf("scopeSummary = %q", got)
	}
	if !strings.Contains(presetNames(), "send-only") {
		t.Errorf("presetNames = %q", presetNames())
	}
}

func TestMatchPreset(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{[]string{"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"}, "full"},
		{[]string{"mail.read", "OFFLINE_ACCESS"}, "read"},
		{[]string{"offline_access", "Mail.Send"}, "send-only"},
		{[]string{"offline_access", "Mail.Send", "Mail.Read"}, ""},
		{[]string{"offline_access", "offline_access"}, ""},
		{nil, ""},
	}
	for _, tt := range tests {
		if got := MatchPreset(tt.in); got != tt.want {
			t.Errorf("MatchPreset(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if len(ScopePresetOrder) != len(ScopePresets) {
		t.Errorf("ScopePresetOrder has %d names, ScopePresets %d", len(ScopePresetOrder), len(ScopePresets))
	}
	for _, n := range ScopePresetOrder {
		if _, ok := ScopePresets[n]; !ok {
			t.Errorf("ScopePresetOrder names %q, which is not a preset", n)
		}
	}
}
