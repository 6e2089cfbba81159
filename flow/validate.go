package flow

import "time"

// Validators. Each returns nil or an EINVALID *Error whose Field names the
// input, Message says what is wrong and Fix says how to fix it.
// Messages are lower case, without trailing period, and count runes.
// TODO(validators helper): implement; signatures are the contract.

// ValidateName checks a display name: 1–120 runes, no control characters.
// Uniqueness is checked by the caller against the store.
func ValidateName(s string) error { return nil }

// ValidateRedirectURI checks s against HivekuRedirectURI. A near miss
// returns a *RedirectMismatch (which is also an EINVALID *Error via
// errors.As) naming each mistake and carrying a character-level diff.
func ValidateRedirectURI(s string) error { return nil }

// ValidateCustomRedirectURI checks a confirmed non-Hiveku redirect URI
// against Microsoft's rules for the account type: absolute, https except
// localhost, no fragment, no wildcard, ≤256 chars, no query string for
// personal-account audiences, no unsupported characters.
func ValidateCustomRedirectURI(s string, a AccountType) error { return nil }

// ParseScopes parses a comma- or space-separated scope list (or a preset
// name: full, read, send-only) against the Graph delegated permission
// catalog, normalising case. Unknown names get a "did you mean";
// offline_access and at least one mail scope are required.
func ParseScopes(s string, catalog []Permission) ([]string, error) { return nil, nil }

// ValidateSecretValue checks a client secret VALUE: trimmed, not empty,
// no inner whitespace, not a GUID (the Secret ID).
func ValidateSecretValue(s string) error { return nil }

// ValidateSecretDescription checks the portal description (≤ 100 runes? see impl).
func ValidateSecretDescription(s string) error { return nil }

// ParseExpiry accepts a date (2027-12-31), a duration in months ("24m",
// "6 months") or days ("180d"), relative to now. It returns the expiry
// time, a warning (e.g. over 24 months) and an error for a past date or
// garbage.
func ParseExpiry(s string, now time.Time) (time.Time, string, error) { return time.Time{}, "", nil }

// ValidateClientID checks the Application (client) ID: a GUID, not the
// Microsoft Graph app ID.
func ValidateClientID(s string) error { return nil }

// ValidateDirectoryID checks the Directory (tenant) ID: a GUID, not equal
// to clientID, not the Graph app ID.
func ValidateDirectoryID(s, clientID string) error { return nil }

// ValidateTenant checks the tenant Hiveku will use against the account
// type and directory ID. It returns a warning (recommendation) or an error
// explaining the consequence (e.g. single tenant + common → AADSTS50194).
func ValidateTenant(tenant string, a AccountType, directoryID string) (warning string, err error) {
	return "", nil
}

// Validate checks every field of c as the wizard would, and is called
// again by storage before it writes.
func (c Config) Validate() error { return nil }

// CompareRedirect lists, in plain words, every difference between got and
// want that matters to Microsoft (missing https://, http instead of https,
// missing /callback, trailing slash, wrong host, case, whitespace, typo).
// It returns nil when they are equal byte for byte.
func CompareRedirect(got, want string) []string { return nil }

// MarkDiff renders a character-level diff of got against want as three
// aligned lines: got, want, and a marker line with ^ under each
// difference. Used by the wizard (step 3) and the doctor.
func MarkDiff(got, want string) (gotLine, wantLine, marks string) { return got, want, "" }

// OfflineChecks runs the offline verification checks on c at now: redirect
// URI exact, scopes include offline_access and a mail scope, account type
// vs tenant, secret present, not expired, days to expiry (warn under 30).
func OfflineChecks(c Config, now time.Time) []Check { return nil }
