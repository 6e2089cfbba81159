package flow

import (
	"strings"
	"testing"
	"time"
)

// The validators run on every keystroke in the wizard, so they must stay
// far below a frame (about 16ms).

func BenchmarkValidateRedirectURIExact(b *testing.B) {
	for b.Loop() {
		_ = ValidateRedirectURI(HivekuRedirectURI)
	}
}

func BenchmarkValidateRedirectURINearMiss(b *testing.B) {
	s := "http://app.hiveku.com/api/oauth/Microsoft/calback/"
	for b.Loop() {
		_ = ValidateRedirectURI(s)
	}
}

func BenchmarkMarkDiff256(b *testing.B) {
	// The longest redirect URI Microsoft accepts against Hiveku's.
	s := "https://example.com/" + strings.Repeat("a", 236)
	for b.Loop() {
		_, _, _ = MarkDiff(s, HivekuRedirectURI)
	}
}

func BenchmarkMarkDiffPastedPage(b *testing.B) {
	// A whole pasted page hits the positional fallback.
	s := strings.Repeat("Sorry, but we're having trouble signing you in. ", 2000)
	for b.Loop() {
		_, _, _ = MarkDiff(s, HivekuRedirectURI)
	}
}

func BenchmarkParseScopes(b *testing.B) {
	catalog := valCatalog()
	for b.Loop() {
		_, _ = ParseScopes("offline_access, mail.readwrite Mail.Send,Calendars.ReadWrite", catalog)
	}
}

func BenchmarkParseScopesTypo(b *testing.B) {
	catalog := valCatalog()
	for b.Loop() {
		_, _ = ParseScopes("offline_access,Mail.ReadWrit", catalog)
	}
}

func BenchmarkParseExpiry(b *testing.B) {
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	for b.Loop() {
		_, _, _ = ParseExpiry("24 months", now)
	}
}

func BenchmarkValidateTenant(b *testing.B) {
	for b.Loop() {
		_, _ = ValidateTenant("contoso.onmicrosoft.com", SingleTenant, valDir)
	}
}

func BenchmarkConfigValidate(b *testing.B) {
	c := valConfig()
	for b.Loop() {
		_ = c.Validate()
	}
}

func BenchmarkOfflineChecks(b *testing.B) {
	c := valConfig()
	now := time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)
	c.SecretInfo.Expires = now.AddDate(1, 0, 0)
	for b.Loop() {
		_ = OfflineChecks(c, now)
	}
}

func BenchmarkValidateClientIDPastedPage(b *testing.B) {
	// 10 KB of text with no GUID: the byte scan replaced a regexp that
	// took over 1 ms here.
	s := strings.Repeat("abc.", 2500)
	for b.Loop() {
		_ = ValidateClientID(s)
	}
}

func BenchmarkValidateTenantPastedPage(b *testing.B) {
	s := strings.Repeat("abc.", 2500)
	for b.Loop() {
		_, _ = ValidateTenant(s, SingleTenant, valDir)
	}
}
