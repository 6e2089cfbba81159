package flow

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Validators. Each returns nil or an EINVALID *Error whose Field names the
// input as the user sees it, Message says what is wrong and Fix says how
// to fix it. Messages are lower case, without trailing period, and count
// runes. The validators live in one file per concept: redirect.go
// (redirect URIs) and diff.go (MarkDiff), scopes.go, secretcheck.go
// (secret value, description, expiry), tenant.go (client, directory and
// tenant IDs), guid.go, runes.go (naming pasted invisible characters and
// quotes), normalize.go (Config.Normalize) and offline.go
// (OfflineChecks).

// Display name limits: the portal allows 120 characters, or 90 when the
// app accepts personal Microsoft accounts.
const (
	NameMax         = 120
	NameMaxPersonal = 90
)

// ValidateName checks a display name after trimming surrounding
// whitespace: 1–120 runes, no control characters. Apps for personal
// accounts allow only 90 (ValidateNameAudience, checked in
// Config.Validate once the account type is known). Uniqueness is checked
// by the caller against the store. Errors are EINVALID for "name".
func ValidateName(s string) error {
	const field = "name"
	if !utf8.ValidString(s) {
		return Invalid(field, "is not valid text (UTF-8)").WithFix("type the name again")
	}
	v := NormalizeName(s)
	n := utf8.RuneCountInString(v)
	switch {
	case v == "":
		return Invalid(field, "is empty").WithFix("enter the app's display name, e.g. Acme Hiveku")
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return Invalid(field, "contains a control character (a tab, line break or escape)").WithFix("use letters, digits, spaces and punctuation only")
	case checkHostile(field, v, "") != nil:
		return checkHostile(field, v, "type the name again; invisible and text-direction characters can make two names look alike")
	case n > NameMax:
		return Invalid(field, "is %d characters; the portal allows at most %d", n, NameMax).
			WithFix("shorten it (to %d or fewer if the app accepts personal Microsoft accounts)", NameMaxPersonal)
	}
	return nil
}

// ValidateNameAudience checks the name length the account type allows:
// at most 90 runes for MultiTenantPersonal and PersonalOnly. Errors are
// EINVALID for "name".
func ValidateNameAudience(s string, a AccountType) error {
	if a != MultiTenantPersonal && a != PersonalOnly {
		return nil
	}
	if n := utf8.RuneCountInString(NormalizeName(s)); n > NameMaxPersonal {
		return Invalid("name", "is %d characters; apps that accept personal Microsoft accounts allow at most %d", n, NameMaxPersonal).
			WithFix("shorten the name to %d characters or fewer", NameMaxPersonal)
	}
	return nil
}

// Validate checks every field of c as the wizard would, and is called
// again by storage before it writes: name (trimmed, length for the
// account type), account type, redirect URI (Hiveku's exactly, or a
// confirmed custom URI obeying Microsoft's rules), scopes (offline_access
// and a mail permission; catalog membership is ParseScopes' job), secret
// value (unless SecretInfo.Missing; no surrounding whitespace), secret
// description, client ID, directory ID, and the tenant against the
// account type (warnings are ignored). IDs in any form NormalizeGUID
// accepts pass; call Normalize first to store them canonically.
//
// It returns nil or every problem found, joined with errors.Join: each
// is an EINVALID *Error, errors.As finds the first, ExitCode gives 2, and
// Problems lists them all.
func (c Config) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(ValidateName(c.Name))
	if c.Name != strings.TrimSpace(c.Name) {
		add(Invalid("name", "has spaces at the start or end").WithFix("remove them"))
	} else if c.Name != NormalizeName(c.Name) && utf8.ValidString(c.Name) {
		add(Invalid("name", "is not in normal form (decomposed accents or doubled spaces)").
			WithFix("save it through Config.Normalize, which stores %q", NormalizeName(c.Name)))
	}
	if !c.AccountType.Valid() {
		add(Invalid("account type", "%q is not an account type", string(c.AccountType)).
			WithFix("use single, multi, multi-personal or personal"))
	} else {
		add(ValidateNameAudience(c.Name, c.AccountType))
	}
	if c.CustomRedirect {
		add(ValidateCustomRedirectURI(c.RedirectURI, c.AccountType))
	} else {
		add(ValidateRedirectURI(c.RedirectURI))
	}
	add(checkScopeList(c.Scopes))
	if !c.SecretInfo.Missing {
		v := c.Secret.Reveal()
		add(ValidateSecretValue(v))
		if v != strings.TrimSpace(v) && strings.TrimSpace(v) != "" {
			// Sent as is, the extra characters make Microsoft answer
			// AADSTS7000215 (invalid client secret).
			add(Invalid("secret value", "has spaces or a line break around it").
				WithFix("enter the value again without them"))
		}
	}
	add(ValidateSecretDescription(c.SecretInfo.Description))
	add(ValidateClientID(c.ClientID))
	add(ValidateDirectoryID(c.DirectoryID, c.ClientID))
	if _, err := ValidateTenant(c.Tenant, c.AccountType, c.DirectoryID); err != nil {
		add(err)
	}
	return errors.Join(errs...)
}

// Problems returns every *Error in err: the joined list Config.Validate
// returns, a single *Error, or nil. Other errors are skipped.
func Problems(err error) []*Error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []*Error
		for _, e := range j.Unwrap() {
			out = append(out, Problems(e)...)
		}
		return out
	}
	if e := asError(err); e != nil {
		return []*Error{e}
	}
	return nil
}

// asError returns the first *Error in err's chain, or nil.
func asError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
