package flow

import (
	"strconv"
	"strings"
)

// ConsumersTenantID is the tenant GUID of personal Microsoft accounts; it
// can stand in for "consumers" in an authority.
const ConsumersTenantID = "9188040d-6c67-4c5b-b112-36a304b66dad"

var (
	guidRE      = LazyRE(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)
	guidCompact = LazyRE(`^[0-9a-f]{32}$`)
)

// NormalizeGUID returns s as a canonical lower-case GUID
// (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx) and true, or s unchanged and false
// when s is not a GUID. It trims surrounding whitespace and accepts
// upper case, braces ({…}), a "urn:uuid:" prefix and the 32-digit form
// without hyphens.
func NormalizeGUID(s string) (string, bool) {
	v := strings.ToLower(strings.TrimSpace(s))
	v = strings.TrimPrefix(v, "urn:uuid:")
	if strings.HasPrefix(v, "{") && strings.HasSuffix(v, "}") {
		v = v[1 : len(v)-1]
	}
	if guidCompact().MatchString(v) {
		v = v[0:8] + "-" + v[8:12] + "-" + v[12:16] + "-" + v[16:20] + "-" + v[20:]
	}
	if guidRE().MatchString(v) {
		return v, true
	}
	return s, false
}

// IsGUID reports whether s is a GUID in any form NormalizeGUID accepts.
func IsGUID(s string) bool {
	_, ok := NormalizeGUID(s)
	return ok
}

// findGUID returns the first GUID inside s (lower case), or "". It scans
// bytes instead of using a regexp so that a pasted page stays cheap.
func findGUID(s string) string {
	for i := 0; i+36 <= len(s); i++ {
		if isGUIDShape(s[i : i+36]) {
			return strings.ToLower(s[i : i+36])
		}
	}
	return ""
}

// isGUIDShape reports whether the 36 bytes of s are 8-4-4-4-12 hex
// digits.
func isGUIDShape(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// guidProblem explains why s (trimmed, non-empty) is not a GUID, in words
// that point at the likely paste mistake. It never returns "".
func guidProblem(s string) string {
	if _, ok := unquote(s); ok {
		return "is wrapped in quotes"
	}
	switch {
	case strings.Contains(s, "://"):
		return "is a web address, not an ID"
	case strings.Contains(s, "@"):
		return "looks like an email address, not an ID"
	case isDomain(strings.ToLower(s)):
		return "is a domain name, not an ID"
	}
	n := len([]rune(s))
	for _, r := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF-{}", r) {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				return "contains a space or line break"
			}
			return "contains " + runeName(r) + ", which never appears in an ID (only 0–9, a–f and dashes do)"
		}
	}
	switch {
	case n < 36:
		return "is " + strconv.Itoa(n) + " characters long, shorter than an ID (36): part of it is missing"
	case n > 38:
		return "is " + strconv.Itoa(n) + " characters long, longer than an ID (36): something extra was copied"
	}
	return "is not in the ID format xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
}
