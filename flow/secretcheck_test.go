package flow

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestValidateSecretValue(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *valWant
	}{
		{"portal value", valSecret, nil},
		{"trimmed", "  " + valSecret + "\n", nil},
		{"16 chars", strings.Repeat("x", 16), nil},
		{"empty", "", &valWant{"secret value", []string{"is empty"}, []string{"Value column", "shown only once"}}},
		{"blank", " \t\n", &valWant{"secret value", []string{"is empty"}, nil}},
		{"secret id", "3f2b8c1e-9d4a-4b7e-8f6a-1c2d3e4f5a6b", &valWant{"secret value", []string{"this is the Secret ID; copy the Value column"}, []string{"Value column holds the secret"}}},
		{"secret id braces", "{3F2B8C1E-9D4A-4B7E-8F6A-1C2D3E4F5A6B}", &valWant{"secret value", []string{"Secret ID"}, nil}},
		{"secret id padded", "  3f2b8c1e-9d4a-4b7e-8f6a-1c2d3e4f5a6b ", &valWant{"secret value", []string{"Secret ID"}, nil}},
		{"inner space", "abC8Q~fixture value_0123456789", &valWant{"secret value", []string{"space or line break inside"}, []string{"one piece"}}},
		{"inner newline", "abC8Q~fixture\nvalue_0123456789", &valWant{"secret value", []string{"line break"}, nil}},
		{"control", "abC8Q~fixture\x00value_0123456789", &valWant{"secret value", []string{"control character"}, nil}},
		{"masked stars", "abC**************", &valWant{"secret value", []string{"masked value"}, []string{"create a new secret"}}},
		{"masked dots", "abC...", &valWant{"secret value", []string{"masked value"}, nil}},
		{"old style with star inside", "ab*Cd-[fixture]=value:0123456", nil},
		{"quoted", "\"" + valSecret + "\"", &valWant{"secret value", []string{"wrapped in quotes"}, []string{"without the quotes"}}},
		{"smart quoted", "‘" + valSecret + "’", &valWant{"secret value", []string{"wrapped in quotes"}, nil}},
		{"zero-width", "abC8Q~fixture\u200bvalue_0123456789", &valWant{"secret value", []string{"an invisible character (U+200B) at character 14"}, []string{"copy button"}}},
		{"bom", "\ufeff" + valSecret, &valWant{"secret value", []string{"U+FEFF"}, nil}},
		{"masked ellipsis", "abC…", &valWant{"secret value", []string{"masked value"}, nil}},
		{"too short", "abC8Q~short", &valWant{"secret value", []string{"only 11 characters", "about 40"}, []string{"whole Value"}}},
		{"too long", strings.Repeat("x", SecretMaxLen+1), &valWant{"secret value", []string{"1025 characters"}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateSecretValue(tt.in)
			valCheck(t, err, tt.want)
			if err != nil && strings.TrimSpace(tt.in) != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Errorf("error %q echoes the secret", err)
			}
		})
	}
}

func TestValidateSecretDescription(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want *valWant
	}{
		{"empty ok", "", nil},
		{"normal", "Hiveku prod", nil},
		{"max", strings.Repeat("é", SecretDescriptionMax), nil},
		{"too long", strings.Repeat("x", SecretDescriptionMax+1), &valWant{"secret description", []string{"101 characters"}, []string{"Hiveku prod"}}},
		{"control", "Hiveku\tprod", &valWant{"secret description", []string{"control character"}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { valCheck(t, ValidateSecretDescription(tt.in), tt.want) })
	}
}

func TestParseExpiry(t *testing.T) {
	now := time.Date(2026, 11, 27, 6, 30, 0, 0, time.UTC)
	eod := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 23, 59, 59, 0, time.UTC) }
	tests := []struct {
		name string
		in   string
		want time.Time
		warn string // substring; "" means no warning
		err  *valWant
	}{
		{"24m", "24m", eod(2028, 11, 27), "", nil},
		{"24 months", "24 months", eod(2028, 11, 27), "", nil},
		{"6mo", "6mo", eod(2027, 5, 27), "", nil},
		{"1 month", "1 month", eod(2026, 12, 27), "", nil},
		{"12 MON", "12 MON", eod(2027, 11, 27), "", nil},
		{"180d", "180d", eod(2027, 5, 26), "", nil},
		{"90 days", "90 days", eod(2027, 2, 25), "", nil},
		{"8w", "8w", eod(2027, 1, 22), "", nil},
		{"2y", "2y", eod(2028, 11, 27), "", nil},
		{"1 year", " 1 year ", eod(2027, 11, 27), "", nil},
		{"date", "2027-12-31", eod(2027, 12, 31), "", nil},
		{"rfc3339", "2027-06-01T10:00:00Z", eod(2027, 6, 1), "", nil},
		{"rfc3339 offset", "2027-06-01T23:30:00-02:00", eod(2027, 6, 2), "", nil},
		{"today", "2026-11-27", eod(2026, 11, 27), "expires in 0 days", nil},
		{"soon", "10d", eod(2026, 12, 7), "expires in 10 days", nil},
		{"over 24 months", "30m", eod(2029, 5, 27), "more than 24 months", nil},
		{"3y", "3y", eod(2029, 11, 27), "only az or Graph", nil},
		{"far date", "2030-01-01", eod(2030, 1, 1), "recommends under 12", nil},
		{"empty", "", time.Time{}, "", &valWant{"secret expiry", []string{"is empty"}, []string{"24m"}}},
		{"garbage", "soon", time.Time{}, "", &valWant{"secret expiry", []string{"“soon” is neither a date nor a lifetime"}, []string{"2027-12-31"}}},
		{"zero", "0m", time.Time{}, "", &valWant{"secret expiry", []string{"is zero"}, nil}},
		{"no unit", "24", time.Time{}, "", &valWant{"secret expiry", []string{"no unit"}, []string{"24m for 24 months"}}},
		{"bad unit", "24x", time.Time{}, "", &valWant{"secret expiry", []string{"“x” is not a unit"}, nil}},
		{"past", "2025-01-01", time.Time{}, "", &valWant{"secret expiry", []string{"2025-01-01 is in the past"}, []string{"future date"}}},
		{"yesterday", "2026-11-26", time.Time{}, "", &valWant{"secret expiry", []string{"in the past"}, nil}},
		{"bad date", "2027-02-30", time.Time{}, "", &valWant{"secret expiry", []string{"neither"}, nil}},
		{"huge days", "99999d", time.Time{}, "", &valWant{"secret expiry", []string{"100 years"}, nil}},
		{"huge weeks", "9999w", time.Time{}, "", &valWant{"secret expiry", []string{"100 years"}, nil}},
		{"huge months", "9999m", time.Time{}, "", &valWant{"secret expiry", []string{"100 years"}, nil}},
		{"huge years", "101y", time.Time{}, "", &valWant{"secret expiry", []string{"100 years"}, nil}},
		{"far date error", "2200-01-01", time.Time{}, "", &valWant{"secret expiry", []string{"100 years"}, nil}},
		{"too many digits", "1234567m", time.Time{}, "", &valWant{"secret expiry", []string{"neither"}, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, warn, err := ParseExpiry(tt.in, now)
			valCheck(t, err, tt.err)
			if !got.Equal(tt.want) {
				t.Errorf("ParseExpiry(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if (tt.warn == "") != (warn == "") || !strings.Contains(warn, tt.warn) {
				t.Errorf("ParseExpiry(%q) warning = %q, want %q", tt.in, warn, tt.warn)
			}
		})
	}
}

func TestParseExpiryLocalNow(t *testing.T) {
	// A caller's clock in another zone must not shift the day.
	loc := time.FixedZone("UTC+14", 14*3600)
	now := time.Date(2026, 11, 28, 2, 0, 0, 0, loc) // 2026-11-27 12:00 UTC
	got, _, err := ParseExpiry("1d", now)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 28, 23, 59, 59, 0, time.UTC); !got.Equal(want) {
		t.Errorf("ParseExpiry = %v, want %v", got, want)
	}
	if got.Location() != time.UTC {
		t.Errorf("location = %v, want UTC", got.Location())
	}
}

func ExampleParseExpiry() {
	now := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	t, warn, err := ParseExpiry("24m", now)
	fmt.Println(t, warn == "", err)
	// Output: 2028-11-27 23:59:59 +0000 UTC true <nil>
}
