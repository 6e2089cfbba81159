package flow

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Client secret limits. Graph documents generated values as 16–64
// characters; portal values are about 40.
const (
	SecretMinLen          = 16
	SecretMaxLen          = 1024
	SecretDescriptionMax  = 100 // byok's limit: a label, not a document
	SecretMaxMonths       = 24  // the portal's longest lifetime
	SecretRecommendMonths = 12  // Microsoft recommends less than this
)

// PortalSecretsPath is where client secrets are created.
const PortalSecretsPath = "App registrations > your app > Certificates & secrets > Client secrets"

// ValidateSecretValue checks a client secret VALUE after trimming
// surrounding whitespace: not empty, no whitespace or control characters
// inside, not a GUID (that is the Secret ID, with or without braces),
// not wrapped in quotes, without invisible characters (zero-width
// spaces pasted from documents), not the masked value the portal shows
// later (abC*****), at least
// SecretMinLen characters. Errors are EINVALID for "secret value" and
// never contain the value.
func ValidateSecretValue(s string) error {
	const field = "secret value"
	v := strings.TrimSpace(s)
	n := utf8.RuneCountInString(v)
	switch {
	case v == "":
		return Invalid(field, "is empty").
			WithFix("copy the Value column under %s right after creating the secret (it is shown only once)", PortalSecretsPath)
	case IsGUID(v):
		return Invalid(field, "this is the Secret ID; copy the Value column").
			WithFix("under %s the Value column holds the secret (about 40 characters, shown only right after creation); the Secret ID beside it is a GUID that only names it", PortalSecretsPath)
	case strings.IndexFunc(v, unicode.IsSpace) >= 0:
		return Invalid(field, "contains a space or line break inside").
			WithFix("copy the value again in one piece; secret values never contain spaces")
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return Invalid(field, "contains a control character").WithFix("copy the value again with the portal's copy button")
	case strings.IndexFunc(v, invisible) >= 0:
		i, r := firstRune(v, invisible)
		return Invalid(field, "contains %s at character %d", runeName(r), i).
			WithFix("copy the value again with the portal's copy button; invisible characters come from pasting through documents or chat")
	case isQuoted(v):
		return Invalid(field, "is wrapped in quotes").WithFix("enter the value without the quotes around it")
	case maskedRE().MatchString(v):
		return Invalid(field, "is the masked value the portal shows after you leave the page").
			WithFix("the full value is shown only once: create a new secret under %s and copy its Value right away", PortalSecretsPath)
	case n < SecretMinLen:
		return Invalid(field, "is only %s; a secret value from the portal is about 40", characters(n)).
			WithFix("copy the whole Value with the portal's copy button; if it was cut off, create a new secret")
	case n > SecretMaxLen:
		return Invalid(field, "is %d characters; that is not a client secret value", n).
			WithFix("copy only the Value column of the secret")
	}
	return nil
}

// characters says "1 character" or "n characters".
func characters(n int) string {
	if n == 1 {
		return "1 character"
	}
	return strconv.Itoa(n) + " characters"
}

// ValidateSecretDescription checks the secret's description, which the
// portal shows in Certificates & secrets: optional, at most
// SecretDescriptionMax runes, no control characters.
func ValidateSecretDescription(s string) error {
	const field = "secret description"
	v := strings.TrimSpace(s)
	if n := utf8.RuneCountInString(v); n > SecretDescriptionMax {
		return Invalid(field, "is %d characters; keep it to %d", n, SecretDescriptionMax).
			WithFix("use a short label such as “Hiveku prod”")
	}
	if strings.IndexFunc(v, unicode.IsControl) >= 0 {
		return Invalid(field, "contains a control character").WithFix("use plain text such as “Hiveku prod”")
	}
	return checkHostile(field, v, "use plain text such as “Hiveku prod”")
}

// maskedRE matches what the portal shows for a secret after creation: up
// to three characters of hint, then asterisks or an ellipsis.
var maskedRE = LazyRE(`^.{0,4}(\*{3,}|…|\.\.\.)$`)

func isQuoted(s string) bool {
	_, ok := unquote(s)
	return ok
}

var expiryRE = LazyRE(`^(\d{1,6})\s*([a-z]*)$`)

// ParseExpiry accepts a date (2027-12-31) or a lifetime relative to now
// in days ("180d", "180 days"), weeks ("8w"), months ("24m", "6mo",
// "24 months") or years ("2y"). It returns the end of that day in UTC
// (23:59:59), a warning and an error. The warning is set when the expiry
// is more than SecretMaxMonths away (the portal refuses that; only az or
// Graph can create it, and Microsoft recommends under 12 months) or
// within 30 days. Errors (EINVALID, "secret expiry"): empty input,
// garbage, zero, a day in the past, more than 100 years away. An empty
// input is an error: the default (24 months) is the caller's choice.
func ParseExpiry(s string, now time.Time) (time.Time, string, error) {
	const field = "secret expiry"
	fix := "enter a lifetime such as 24m, 12 months, 180d or 2y, or a date like 2027-12-31"
	v := strings.ToLower(strings.TrimSpace(s))
	if v == "" {
		return time.Time{}, "", Invalid(field, "is empty").WithFix("%s", fix)
	}
	now = now.UTC()
	var day time.Time
	if d, err := time.Parse(time.DateOnly, v); err == nil {
		day = d
	} else if d, err := time.Parse(time.RFC3339, strings.ToUpper(v)); err == nil {
		day = d.UTC()
	} else if m := expiryRE().FindStringSubmatch(v); m != nil {
		n, _ := strconv.Atoi(m[1])
		if n == 0 {
			return time.Time{}, "", Invalid(field, "is zero").WithFix("%s", fix)
		}
		switch m[2] {
		case "d", "day", "days":
			if n > 36600 {
				return time.Time{}, "", Invalid(field, "is more than 100 years away").WithFix("%s", fix)
			}
			day = now.AddDate(0, 0, n)
		case "w", "wk", "week", "weeks":
			if n > 5220 {
				return time.Time{}, "", Invalid(field, "is more than 100 years away").WithFix("%s", fix)
			}
			day = now.AddDate(0, 0, 7*n)
		case "m", "mo", "mon", "month", "months":
			if n > 1200 {
				return time.Time{}, "", Invalid(field, "is more than 100 years away").WithFix("%s", fix)
			}
			day = now.AddDate(0, n, 0)
		case "y", "yr", "yrs", "year", "years":
			if n > 100 {
				return time.Time{}, "", Invalid(field, "is more than 100 years away").WithFix("%s", fix)
			}
			day = now.AddDate(n, 0, 0)
		case "":
			return time.Time{}, "", Invalid(field, "“%s” has no unit", m[1]).
				WithFix("add d, w, m or y, e.g. %sm for %s months", m[1], m[1])
		default:
			return time.Time{}, "", Invalid(field, "“%s” is not a unit byok knows", clip(m[2])).WithFix("%s", fix)
		}
	} else {
		if v := strings.TrimSpace(s); len(v) >= 20 && strings.IndexFunc(v, unicode.IsSpace) < 0 {
			// Too long for a date and no spaces: most likely the secret
			// value typed into the wrong field. Never echo it.
			return time.Time{}, "", Invalid(field, "is neither a date nor a lifetime (this looks like the secret value, which goes in the secret value field)").WithFix("%s", fix)
		}
		return time.Time{}, "", Invalid(field, "“%s” is neither a date nor a lifetime", clip(strings.TrimSpace(s))).WithFix("%s", fix)
	}
	end := time.Date(day.Year(), day.Month(), day.Day(), 23, 59, 59, 0, time.UTC)
	if end.Before(now) {
		return time.Time{}, "", Invalid(field, "%s is in the past", end.Format(time.DateOnly)).
			WithFix("pick a future date; %s", fix)
	}
	if end.Year() > now.Year()+100 {
		return time.Time{}, "", Invalid(field, "is more than 100 years away").WithFix("%s", fix)
	}
	limit := now.AddDate(0, SecretMaxMonths, 0)
	limit = time.Date(limit.Year(), limit.Month(), limit.Day(), 23, 59, 59, 0, time.UTC)
	var warn string
	days := int(end.Sub(now).Hours() / 24)
	switch {
	case end.After(limit):
		warn = fmt.Sprintf("expires %s, more than %d months away: the portal's longest choice is %d months (only az or Graph can create a longer one) and Microsoft recommends under %d months", end.Format(time.DateOnly), SecretMaxMonths, SecretMaxMonths, SecretRecommendMonths)
	case days < ExpiryWarnDays:
		warn = fmt.Sprintf("expires in %d days (%s): you will have to rotate it soon", days, end.Format(time.DateOnly))
	}
	return end, warn, nil
}
