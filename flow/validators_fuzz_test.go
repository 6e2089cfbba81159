package flow

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// valFuzzInvalid fails unless err is nil or an EINVALID *Error with a
// field, a message and a fix.
func valFuzzInvalid(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if e.Code != EINVALID || e.Field != field || e.Message == "" || e.Fix == "" {
		t.Fatalf("error = %+v, want EINVALID %q with message and fix", e, field)
	}
}

func FuzzValidateRedirectURI(f *testing.F) {
	for _, s := range []string{
		HivekuRedirectURI, HivekuRedirectURI + "/", " " + HivekuRedirectURI, "http://app.hiveku.com/api/oauth/microsoft/callback",
		"app.hiveku.com/api/oauth/microsoft/callback", "https://hiveku.com/api/oauth/microsoft/callback",
		"https://app.hiveku.io/api/oauth/microsoft/callback", "https://app.hiveku.com/api/oauth/microsoft",
		"https://APP.hiveku.com/api/oauth/Microsoft/callback?x=1#y", "https://app.hiveku.com:443/api//oauth/microsoft/calback",
		"", "https:", "://", "https://[::1]:80/", "ftp:x", "h\x00", "https://app.hiveku.com/api/oauth/microsoft/callback\n",
		"\xff\xfe", "https://user@app.hiveku.com/", "localhost:8080/x", strings.Repeat("/", 300),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateRedirectURI(s)
		if (err == nil) != (s == HivekuRedirectURI) {
			t.Fatalf("ValidateRedirectURI(%q) = %v", s, err)
		}
		valFuzzInvalid(t, err, "redirect URI")
		if err != nil && strings.TrimSpace(s) != "" {
			var rm *RedirectMismatch
			if !errors.As(err, &rm) || len(rm.Problems) == 0 {
				t.Fatalf("ValidateRedirectURI(%q): no RedirectMismatch with problems", s)
			}
			for _, p := range rm.Problems {
				if p == "" {
					t.Fatalf("empty problem for %q", s)
				}
			}
		}
		for _, a := range AccountTypes {
			valFuzzInvalid(t, ValidateCustomRedirectURI(s, a), "redirect URI")
		}
	})
}

func FuzzMarkDiff(f *testing.F) {
	f.Add("http://app.hiveku.com/api/oauth/microsoft/callback", HivekuRedirectURI)
	f.Add(HivekuRedirectURI+"/", HivekuRedirectURI)
	f.Add("", "abc")
	f.Add("abc", "")
	f.Add(" a\tb\n", "ab")
	f.Add("世界e\u0301", "world")
	f.Add("\xff\x00", "x")
	f.Fuzz(func(t *testing.T, got, want string) {
		if len(got)+len(want) > 4096 {
			return
		}
		g, w, m := MarkDiff(got, want)
		ng, nw, nm := utf8.RuneCountInString(g), utf8.RuneCountInString(w), utf8.RuneCountInString(m)
		if ng != nw || nw != nm {
			t.Fatalf("MarkDiff(%q, %q) not aligned: %d %d %d", got, want, ng, nw, nm)
		}
		if strings.Trim(m, " ^") != "" {
			t.Fatalf("marks %q contain other than space and ^", m)
		}
		if strings.ContainsAny(g+w, "\n\r\t") {
			t.Fatalf("lines contain raw whitespace: %q %q", g, w)
		}
		if (got == want) != !strings.Contains(m, "^") {
			t.Fatalf("MarkDiff(%q, %q) marks = %q", got, want, m)
		}
		gr, wr := []rune(got), []rune(want)
		if nm < len(gr) || nm < len(wr) || nm > len(gr)+len(wr) {
			t.Fatalf("width %d outside [max(%d,%d), %d]", nm, len(gr), len(wr), len(gr)+len(wr))
		}
		if got != want && len(CompareRedirect(got, want)) == 0 {
			t.Fatalf("CompareRedirect(%q, %q) found nothing", got, want)
		}
	})
}

func FuzzParseScopes(f *testing.F) {
	for _, s := range []string{"full", "read", "send-only", "offline_access,Mail.Read", "Mail.ReadWrit", "offline_access mail_readwrite",
		"https://graph.microsoft.com/.default", "api://x/y", "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", "", ",,,", "full,full,read", "\xff"} {
		f.Add(s)
	}
	catalog := valCatalog()
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseScopes(s, catalog)
		valFuzzInvalid(t, err, "scopes")
		if err != nil {
			if got != nil {
				t.Fatalf("ParseScopes(%q) = %q with error", s, got)
			}
			return
		}
		if cerr := checkScopeList(got); cerr != nil {
			t.Fatalf("ParseScopes(%q) = %q, which checkScopeList rejects: %v", s, got, cerr)
		}
		names := map[string]bool{}
		for _, p := range catalog {
			names[p.Name] = true
		}
		for _, sc := range got {
			if !names[sc] {
				t.Fatalf("ParseScopes(%q) returned %q, not catalog-cased", s, sc)
			}
		}
	})
}

func FuzzParseExpiry(f *testing.F) {
	for _, s := range []string{"24m", "24 months", "6mo", "180d", "2y", "8w", "2027-12-31", "2027-06-01T10:00:00Z", "", "0m", "999999d", "2025-01-01", "x", "24", "\xff"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		got, warn, err := ParseExpiry(s, now)
		valFuzzInvalid(t, err, "secret expiry")
		if err != nil {
			if !got.IsZero() || warn != "" {
				t.Fatalf("ParseExpiry(%q) = %v, %q with error", s, got, warn)
			}
			return
		}
		if got.Before(now) || got.Location() != time.UTC || got.Hour() != 23 || got.Minute() != 59 || got.Second() != 59 {
			t.Fatalf("ParseExpiry(%q) = %v, want end of a future UTC day", s, got)
		}
		if got.After(now.AddDate(0, SecretMaxMonths, 1)) && warn == "" {
			t.Fatalf("ParseExpiry(%q) = %v without a warning", s, got)
		}
	})
}

func FuzzValidateTenant(f *testing.F) {
	for _, s := range []string{"common", "organizations", "consumers", "Common", valDir, "{" + valDir + "}", valOther, ConsumersTenantID,
		"contoso.onmicrosoft.com", "admin@contoso.com", "https://login.microsoftonline.com/common/v2.0", "login.microsoftonline.com/x", "", "a@b@c", "\xff", "-.-"} {
		f.Add(s, 0)
	}
	f.Fuzz(func(t *testing.T, tenant string, ai int) {
		types := append([]AccountType{""}, AccountTypes...)
		a := types[(ai%len(types)+len(types))%len(types)]
		warn, err := ValidateTenant(tenant, a, valDir)
		valFuzzInvalid(t, err, "tenant")
		if err != nil && warn != "" {
			t.Fatalf("ValidateTenant(%q, %s) gave a warning and an error", tenant, a)
		}
		if err == nil {
			k, _ := classifyTenant(tenant)
			if k == tenantBad {
				t.Fatalf("ValidateTenant(%q) accepted a bad tenant", tenant)
			}
			if a == PersonalOnly && k != tenantConsumers {
				t.Fatalf("personal-only accepted %q", tenant)
			}
			if a == SingleTenant && (k == tenantCommon || k == tenantOrgs || k == tenantConsumers) {
				t.Fatalf("single tenant accepted %q", tenant)
			}
		}
		if NormalizeTenant(NormalizeTenant(tenant)) != NormalizeTenant(tenant) {
			t.Fatalf("NormalizeTenant(%q) is not idempotent", tenant)
		}
	})
}

func FuzzValidateSecretValue(f *testing.F) {
	for _, s := range []string{valSecret, valOther, "{" + valOther + "}", "", "abc", "a b", "abC****", strings.Repeat("x", 2000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := ValidateSecretValue(s)
		valFuzzInvalid(t, err, "secret value")
		if err != nil && len(strings.TrimSpace(s)) >= 4 && strings.Contains(err.Error(), strings.TrimSpace(s)) {
			t.Fatalf("error %q echoes the secret", err)
		}
		if IsGUID(s) && err == nil {
			t.Fatalf("GUID %q accepted as a secret value", s)
		}
	})
}

func FuzzValidateClientID(f *testing.F) {
	for _, s := range []string{valClient, GraphAppID, "", "https://x/" + valClient, "a@b.c", "contoso.com", "{" + valClient + "}"} {
		f.Add(s, valClient)
	}
	f.Fuzz(func(t *testing.T, s, client string) {
		errC := ValidateClientID(s)
		valFuzzInvalid(t, errC, "client ID")
		errD := ValidateDirectoryID(s, client)
		valFuzzInvalid(t, errD, "directory ID")
		if g, ok := NormalizeGUID(s); ok {
			if (errC == nil) != (g != GraphAppID) {
				t.Fatalf("ValidateClientID(%q) = %v", s, errC)
			}
		} else if errC == nil || errD == nil {
			t.Fatalf("non-GUID %q accepted", s)
		}
	})
}
