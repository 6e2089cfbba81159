package flow

import (
	"fmt"
	"strings"
	"time"
)

// Portal locations named in check fixes.
const (
	PortalPermissionsPath = "App registrations > your app > API permissions"
	PortalAudiencePath    = "App registrations > your app > Authentication > Supported account types"
)

// OfflineChecks runs the checks that need no network on c at now, in
// this order: CheckRedirect (redirect URI exact, or a confirmed custom
// URI that obeys Microsoft's rules), CheckScopes (offline_access and a
// mail permission), CheckAudience (account type vs tenant), CheckSecret
// (a usable value is stored), CheckExpiry (fail when expired, warn under
// 30 days, pass with the days left). Each Check has a one-line Detail and,
// unless it passed, a Fix naming where in the portal to change things.
func OfflineChecks(c Config, now time.Time) []Check {
	return []Check{
		checkRedirect(c),
		checkScopes(c),
		checkAudience(c),
		checkSecret(c),
		checkExpiry(c, now),
	}
}

func checkRedirect(c Config) Check {
	ck := Check{ID: CheckRedirect}
	if c.CustomRedirect {
		if err := ValidateCustomRedirectURI(c.RedirectURI, c.AccountType); err != nil {
			return failFrom(ck, err, PortalRedirectPath)
		}
		ck.Status, ck.Detail = Pass, "custom redirect URI "+c.RedirectURI+" (confirmed)"
		return ck
	}
	if c.RedirectURI == HivekuRedirectURI {
		ck.Status, ck.Detail = Pass, "redirect URI is exactly "+HivekuRedirectURI
		return ck
	}
	ck.Status = Fail
	if strings.TrimSpace(c.RedirectURI) == "" {
		ck.Detail = "no redirect URI saved"
	} else {
		ck.Detail = "redirect URI differs from Hiveku's: " + strings.Join(CompareRedirect(c.RedirectURI, HivekuRedirectURI), "; ")
	}
	ck.Fix = fmt.Sprintf("under %s register exactly %s (platform Web), and save the same address in byok (byok setup --replace)", PortalRedirectPath, HivekuRedirectURI)
	return ck
}

func checkScopes(c Config) Check {
	ck := Check{ID: CheckScopes}
	if err := checkScopeList(c.Scopes); err != nil {
		return failFrom(ck, err, PortalPermissionsPath+" > Add a permission > Microsoft Graph > Delegated permissions")
	}
	ck.Status, ck.Detail = Pass, scopeSummary(c.Scopes)
	return ck
}

func checkAudience(c Config) Check {
	ck := Check{ID: CheckAudience}
	if !c.AccountType.Valid() {
		ck.Status, ck.Detail = Fail, fmt.Sprintf("account type %q is not one of the four Microsoft offers", c.AccountType)
		ck.Fix = "check " + PortalAudiencePath + " and save single, multi, multi-personal or personal"
		return ck
	}
	warn, err := ValidateTenant(c.Tenant, c.AccountType, c.DirectoryID)
	if err != nil {
		return failFrom(ck, err, PortalAudiencePath)
	}
	if warn != "" {
		ck.Status, ck.Detail = Warn, warn
		ck.Fix = "change the tenant saved in byok and Hiveku, or " + PortalAudiencePath
		return ck
	}
	ck.Status, ck.Detail = Pass, fmt.Sprintf("%s with tenant %s", c.AccountType.Short(), NormalizeTenant(c.Tenant))
	return ck
}

func checkSecret(c Config) Check {
	ck := Check{ID: CheckSecret}
	fix := "create one under " + PortalSecretsPath + " > New client secret, then run byok rotate " + shellArg(c.Name) + " --secret-stdin"
	if c.SecretInfo.Unreadable {
		ck.Status, ck.Detail = Fail, "a secret value is stored but the current key cannot open it"
		ck.Fix = "use the key it was sealed with (BYOK_KEY or the key file beside the database), or re-enter it with byok rotate " + shellArg(c.Name) + " --secret-stdin"
		return ck
	}
	if c.SecretInfo.Missing || c.Secret.IsZero() {
		ck.Status, ck.Detail, ck.Fix = Fail, "no secret value is stored", fix
		return ck
	}
	if err := ValidateSecretValue(c.Secret.Reveal()); err != nil {
		ck = failFrom(ck, err, PortalSecretsPath)
		ck.Fix += "; then run byok rotate " + shellArg(c.Name) + " --secret-stdin"
		return ck
	}
	ck.Status, ck.Detail = Pass, "secret "+c.Secret.Hint()+" is stored"
	return ck
}

func checkExpiry(c Config, now time.Time) Check {
	ck := Check{ID: CheckExpiry}
	fix := "create a new one under " + PortalSecretsPath + " > New client secret, then run byok rotate " + shellArg(c.Name)
	exp := c.SecretInfo.Expires
	if exp.IsZero() {
		ck.Status, ck.Detail = Warn, "the secret's expiry date is unknown"
		ck.Fix = "read the Expires column under " + PortalSecretsPath + " and plan a rotation before that day"
		return ck
	}
	days := c.SecretInfo.DaysLeft(now)
	date := exp.UTC().Format(time.DateOnly)
	switch {
	case !now.Before(exp):
		ck.Status, ck.Fix = Fail, fix
		ck.Detail = fmt.Sprintf("the secret expired on %s; Microsoft will answer AADSTS7000222", date)
	case days < ExpiryWarnDays:
		ck.Status, ck.Fix = Warn, fix+" before "+date
		ck.Detail = fmt.Sprintf("the secret expires in %s on %s", plural(days, "day"), date)
	default:
		ck.Status = Pass
		ck.Detail = fmt.Sprintf("the secret expires in %s on %s", plural(days, "day"), date)
	}
	return ck
}

// failFrom turns a validator error into a failed check, keeping its
// message and fix and naming the portal page.
func failFrom(ck Check, err error, where string) Check {
	ck.Status = Fail
	ck.Detail = err.Error()
	ck.Fix = "see " + where
	if fe := asError(err); fe != nil {
		ck.Detail = fe.Field + ": " + fe.Message
		switch {
		case fe.Fix == "":
		case strings.Contains(fe.Fix, where):
			ck.Fix = fe.Fix
		default:
			ck.Fix = fe.Fix + " (" + where + ")"
		}
	}
	return ck
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	if strings.HasSuffix(unit, "sh") || strings.HasSuffix(unit, "s") {
		return fmt.Sprintf("%d %ses", n, unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}

// shellArg quotes s for a command line shown to the user when it holds
// anything but letters, digits and -_.
func shellArg(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
