package flow

import (
	"strings"
	"testing"
)

func TestNormalizeGUID(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{valClient, valClient, true},
		{"  11111111-2222-3333-4444-555555555555\n", valClient, true},
		{"{11111111-2222-3333-4444-555555555555}", valClient, true},
		{"AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE", valDir, true},
		{"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", valDir, true},
		{"aaaaaaaabbbbccccddddeeeeeeeeeeee", valDir, true},
		{"{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", "{aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee", false},
		{"aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeee", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeee", false},
		{"gggggggg-bbbb-cccc-dddd-eeeeeeeeeeee", "gggggggg-bbbb-cccc-dddd-eeeeeeeeeeee", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeGUID(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeGUID(%q) = %q, %v, want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
		if IsGUID(tt.in) != tt.ok {
			t.Errorf("IsGUID(%q) = %v", tt.in, !tt.ok)
		}
	}
}

func TestValidateClientID(t *testing.T) {
	where := "Application (client) ID"
	tests := []struct {
		name string
		in   string
		want *valWant
	}{
		{"ok", valClient, nil},
		{"braces upper", "{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}", nil},
		{"padded", " " + valClient + " ", nil},
		{"empty", "", &valWant{"client ID", []string{"is empty"}, []string{where, PortalOverviewPath}}},
		{"graph", GraphAppID, &valWant{"client ID", []string{"Microsoft Graph's own ID"}, []string{where}}},
		{"url with guid", "https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/" + valClient, &valWant{"client ID", []string{"is a web address"}, []string{"enter only the ID", valClient}}},
		{"url without guid", "https://portal.azure.com/", &valWant{"client ID", []string{"web address"}, []string{where, "11111111-2222-3333-4444-555555555555"}}},
		{"email", "admin@contoso.com", &valWant{"client ID", []string{"email address"}, nil}},
		{"short", "11111111-2222-3333-4444-55555555555", &valWant{"client ID", []string{"35 characters", "shorter", "part of it is missing"}, nil}},
		{"long", valClient + "-00", &valWant{"client ID", []string{"39 characters", "longer"}, nil}},
		{"bad char", "1111111g-2222-3333-4444-555555555555", &valWant{"client ID", []string{"contains “g”"}, nil}},
		{"inner space", "11111111-2222 3333-4444-555555555555", &valWant{"client ID", []string{"space or line break"}, nil}},
		{"misplaced dashes", "111111112-222-3333-4444-555555555555", &valWant{"client ID", []string{"not in the ID format"}, nil}},
		{"quoted", "'" + valClient + "'", &valWant{"client ID", []string{"wrapped in quotes"}, []string{"enter " + valClient + " without the quotes"}}},
		{"quoted garbage", "'nope'", &valWant{"client ID", []string{"wrapped in quotes"}, []string{"Application (client) ID"}}},
		{"zero-width", "11111111-2222-3333-4444-5555555555\u200b55", &valWant{"client ID", []string{"contains an invisible character (U+200B)"}, nil}},
		{"look-alike", "1111111\u0430-2222-3333-4444-555555555555", &valWant{"client ID", []string{"(U+0430, not a plain ASCII character)"}, nil}},
		{"label pasted", "Application (client) ID: " + valClient, &valWant{"client ID", nil, []string{"enter only the ID", valClient}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { valCheck(t, ValidateClientID(tt.in), tt.want) })
	}
}

func TestValidateDirectoryID(t *testing.T) {
	tests := []struct {
		name, in, client string
		want             *valWant
	}{
		{"ok", valDir, valClient, nil},
		{"ok without client", valDir, "", nil},
		{"upper", strings.ToUpper(valDir), valClient, nil},
		{"same as client", valClient, valClient, &valWant{"directory ID", []string{"same as the client ID", "pasted the client ID twice"}, []string{"Directory (tenant) ID", "below Application (client) ID"}}},
		{"same as client other case", "{" + strings.ToUpper(valClient) + "}", valClient, &valWant{"directory ID", []string{"twice"}, nil}},
		{"graph", GraphAppID, valClient, &valWant{"directory ID", []string{"Microsoft Graph's app ID"}, nil}},
		{"consumers tenant", ConsumersTenantID, valClient, &valWant{"directory ID", []string{"personal Microsoft accounts"}, nil}},
		{"empty", "", valClient, &valWant{"directory ID", []string{"is empty"}, []string{"Directory (tenant) ID"}}},
		{"domain", "contoso.onmicrosoft.com", valClient, &valWant{"directory ID", []string{"is a domain name, not an ID"}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { valCheck(t, ValidateDirectoryID(tt.in, tt.client), tt.want) })
	}
}

func TestNormalizeTenant(t *testing.T) {
	tests := []struct{ in, want string }{
		{" Common ", "common"},
		{"ORGANIZATIONS", "organizations"},
		{"Consumers", "consumers"},
		{"{AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE}", valDir},
		{"Contoso.OnMicrosoft.com", "contoso.onmicrosoft.com"},
		{" not a tenant ", "not a tenant"},
	}
	for _, tt := range tests {
		if got := NormalizeTenant(tt.in); got != tt.want {
			t.Errorf("NormalizeTenant(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidateTenant(t *testing.T) {
	tests := []struct {
		name   string
		tenant string
		a      AccountType
		dir    string
		warn   string // substring; "" = no warning
		err    *valWant
	}{
		// Single tenant.
		{"single dir guid", valDir, SingleTenant, valDir, "", nil},
		{"single dir guid upper", strings.ToUpper(valDir), SingleTenant, valDir, "", nil},
		{"single domain", "contoso.onmicrosoft.com", SingleTenant, valDir, "", nil},
		{"single custom domain", "Contoso.com", SingleTenant, valDir, "", nil},
		{"single common", "common", SingleTenant, valDir, "", &valWant{"tenant", []string{"AADSTS50194", "single-tenant"}, []string{valDir, "multitenant"}}},
		{"single common no dir", "Common", SingleTenant, "", "", &valWant{"tenant", []string{"AADSTS50194"}, []string{PortalOverviewPath}}},
		{"single organizations", "organizations", SingleTenant, valDir, "", &valWant{"tenant", []string{"AADSTS50194 or a similar error"}, nil}},
		{"single consumers", "consumers", SingleTenant, valDir, "", &valWant{"tenant", []string{"AADSTS9002332"}, []string{valDir}}},
		{"single other guid", valOther, SingleTenant, valDir, "", &valWant{"tenant", []string{"AADSTS700016", "not the directory"}, []string{valDir}}},
		{"single guid no dir", valOther, SingleTenant, "", "", nil},
		// Multitenant (work and school only).
		{"multi organizations", "organizations", MultiTenant, valDir, "", nil},
		{"multi consumers", "consumers", MultiTenant, valDir, "", &valWant{"tenant", []string{"AADSTS9002332"}, []string{"organizations"}}},
		{"multi consumers guid", ConsumersTenantID, MultiTenant, valDir, "", &valWant{"tenant", []string{"AADSTS9002332"}, nil}},
		{"multi common", "common", MultiTenant, valDir, "organizations matches", nil},
		{"multi other guid", valOther, MultiTenant, valDir, "only users of tenant " + valOther, nil},
		{"multi dir guid", valDir, MultiTenant, valDir, "only users of your own directory", nil},
		{"multi domain", "contoso.com", MultiTenant, valDir, "owns contoso.com", nil},
		// Personal only.
		{"personal consumers", "consumers", PersonalOnly, valDir, "", nil},
		{"personal consumers guid", ConsumersTenantID, PersonalOnly, valDir, "", nil},
		{"personal common", "common", PersonalOnly, valDir, "", &valWant{"tenant", []string{"AADSTS9002331"}, []string{"use consumers"}}},
		{"personal organizations", "organizations", PersonalOnly, valDir, "", &valWant{"tenant", []string{"AADSTS9002331"}, nil}},
		{"personal guid", valDir, PersonalOnly, valDir, "", &valWant{"tenant", []string{"personal accounts only"}, []string{"consumers"}}},
		// Multitenant + personal.
		{"mtp common", "common", MultiTenantPersonal, valDir, "", nil},
		{"mtp organizations", "organizations", MultiTenantPersonal, valDir, "leaves out personal", nil},
		{"mtp consumers", "consumers", MultiTenantPersonal, valDir, "leaves out work and school", nil},
		{"mtp guid", valDir, MultiTenantPersonal, valDir, "restricts sign-in", nil},
		{"mtp domain", "contoso.com", MultiTenantPersonal, valDir, "common is recommended", nil},
		// Unknown account type: only the form is checked.
		{"no account type", "common", "", valDir, "", nil},
		// Malformed.
		{"empty single", "", SingleTenant, valDir, "", &valWant{"tenant", []string{"is empty"}, []string{"Directory (tenant) ID"}}},
		{"empty multi", " ", MultiTenant, valDir, "", &valWant{"tenant", []string{"is empty"}, []string{"organizations"}}},
		{"empty personal", "", PersonalOnly, valDir, "", &valWant{"tenant", nil, []string{"consumers"}}},
		{"empty mtp", "", MultiTenantPersonal, valDir, "", &valWant{"tenant", nil, []string{"common"}}},
		{"empty unknown", "", "", valDir, "", &valWant{"tenant", nil, []string{"common, organizations, consumers"}}},
		{"email", "admin@Contoso.com", SingleTenant, valDir, "", &valWant{"tenant", []string{"email address"}, []string{"use the domain part, contoso.com"}}},
		{"authority url", "https://login.microsoftonline.com/" + valDir + "/v2.0", SingleTenant, valDir, "", &valWant{"tenant", []string{"web address"}, []string{"use " + valDir}}},
		{"authority host only", "login.microsoftonline.com/common", MultiTenantPersonal, valDir, "", &valWant{"tenant", []string{"web address"}, []string{"use common"}}},
		{"other url", "https://portal.azure.com/", SingleTenant, valDir, "", &valWant{"tenant", []string{"web address"}, []string{"Directory (tenant) ID"}}},
		{"quoted", "\"Common\"", MultiTenantPersonal, valDir, "", &valWant{"tenant", []string{"wrapped in quotes"}, []string{"enter common without the quotes"}}},
		{"quoted garbage", "'x'", MultiTenantPersonal, valDir, "", &valWant{"tenant", []string{"wrapped in quotes"}, []string{"enter common", "without quotes"}}},
		{"word", "contoso", SingleTenant, valDir, "", &valWant{"tenant", []string{"“contoso” is not common"}, nil}},
		{"bad guid", "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeee", SingleTenant, valDir, "", &valWant{"tenant", []string{"is not common"}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			warn, err := ValidateTenant(tt.tenant, tt.a, tt.dir)
			valCheck(t, err, tt.err)
			if (tt.warn == "") != (warn == "") || !strings.Contains(warn, tt.warn) {
				t.Errorf("warning = %q, want %q", warn, tt.warn)
			}
		})
	}
}
