package flow

import (
	"fmt"
	"strings"
)

// Tenant keywords Hiveku can put in the authority.
const (
	TenantCommon        = "common"
	TenantOrganizations = "organizations"
	TenantConsumers     = "consumers"
)

// PortalOverviewPath is where the client and directory IDs are shown.
const PortalOverviewPath = "App registrations > your app > Overview"

// ValidateClientID checks the Application (client) ID: a GUID (braces and
// upper case accepted; store NormalizeGUID's form), not the Microsoft
// Graph app ID. A pasted web address is explained, naming the GUID found
// in it. Errors are EINVALID for "client ID".
func ValidateClientID(s string) error {
	const field = "client ID"
	where := "copy Application (client) ID from " + PortalOverviewPath
	g, err := checkGUID(field, s, where)
	if err != nil {
		return err
	}
	if g == GraphAppID {
		return Invalid(field, "%s is Microsoft Graph's own ID, not your app's", g).
			WithFix("%s (not from API permissions)", where)
	}
	return nil
}

// ValidateDirectoryID checks the Directory (tenant) ID: a GUID, not
// clientID ("you pasted the client ID twice"), not the Graph app ID,
// not the shared personal-account tenant. Errors are EINVALID for
// "directory ID".
func ValidateDirectoryID(s, clientID string) error {
	const field = "directory ID"
	where := "copy Directory (tenant) ID from " + PortalOverviewPath + ", the line below Application (client) ID"
	g, err := checkGUID(field, s, where)
	if err != nil {
		return err
	}
	switch c, _ := NormalizeGUID(clientID); {
	case g == c:
		return Invalid(field, "is the same as the client ID: you pasted the client ID twice").WithFix("%s", where)
	case g == GraphAppID:
		return Invalid(field, "%s is Microsoft Graph's app ID, not a directory", g).WithFix("%s", where)
	case g == ConsumersTenantID:
		return Invalid(field, "%s is the shared tenant of personal Microsoft accounts, not your directory", g).WithFix("%s", where)
	}
	return nil
}

// checkGUID normalises s or explains why it is not a GUID.
func checkGUID(field, s, where string) (string, error) {
	v := strings.TrimSpace(s)
	if v == "" {
		return "", Invalid(field, "is empty").WithFix("%s", where)
	}
	if g, ok := NormalizeGUID(v); ok {
		if g == NilGUID {
			return "", Invalid(field, "is the nil GUID (all zeros), which no app or directory has").WithFix("%s", where)
		}
		return g, nil
	}
	e := Invalid(field, "%s", guidProblem(v))
	if in, ok := unquote(v); ok {
		if g, ok := NormalizeGUID(in); ok {
			return "", e.WithFix("enter %s without the quotes", g)
		}
	}
	if g := findGUID(v); g != "" {
		return "", e.WithFix("enter only the ID; the one in what you pasted is %s (check it is the right one: %s)", g, where)
	}
	return "", e.WithFix("%s; it looks like 11111111-2222-3333-4444-555555555555", where)
}

var domainRE = LazyRE(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// isDomain reports whether s (lower case) is a DNS name with a dot. The
// length check first keeps a pasted page from reaching the regexp.
func isDomain(s string) bool {
	return len(s) <= 253 && domainRE().MatchString(s)
}

// NormalizeTenant returns the tenant as Hiveku should store it: trimmed,
// keywords and domains lower-cased, GUIDs canonical. Anything else is
// returned trimmed.
func NormalizeTenant(s string) string {
	v := strings.TrimSpace(s)
	if g, ok := NormalizeGUID(v); ok {
		return g
	}
	l := strings.ToLower(v)
	switch {
	case l == TenantCommon || l == TenantOrganizations || l == TenantConsumers:
		return l
	case isDomain(l):
		return l
	}
	return v
}

// tenantKind classifies a normalised tenant.
type tenantKind int

const (
	tenantBad tenantKind = iota
	tenantCommon
	tenantOrgs
	tenantConsumers
	tenantGUID
	tenantDomain
)

var authorityRE = LazyRE(`(?i)login\.(?:microsoftonline\.(?:com|us)|partner\.microsoftonline\.cn|chinacloudapi\.cn|windows\.net)/([^/?#\s]+)`)

// ValidateTenant checks the tenant Hiveku will use (common,
// organizations, consumers, the directory GUID or a verified domain)
// against the account type and directory ID. It returns a warning when
// the choice works but narrows or differs from what is recommended, and
// an EINVALID *Error for "tenant" when Microsoft would refuse sign-ins:
//
//   - single tenant + common or organizations → AADSTS50194
//   - single tenant + consumers → AADSTS9002332
//   - single tenant + a GUID other than the directory → AADSTS700016
//   - multitenant + consumers → AADSTS9002332
//   - personal only + anything but consumers → AADSTS9002331
//
// Email addresses and web addresses are rejected with the part to use.
// An invalid account type or directory ID skips the checks that need it.
func ValidateTenant(tenant string, a AccountType, directoryID string) (warning string, err error) {
	const field = "tenant"
	v := strings.TrimSpace(tenant)
	if v == "" {
		return "", Invalid(field, "is empty").WithFix("%s", recommendTenant(a))
	}
	kind, t := classifyTenant(v)
	if kind == tenantBad {
		if in, ok := unquote(v); ok {
			e := Invalid(field, "is wrapped in quotes")
			if k, t := classifyTenant(in); k != tenantBad {
				return "", e.WithFix("enter %s without the quotes", t)
			}
			return "", e.WithFix("%s, without quotes", recommendTenant(a))
		}
		switch {
		case strings.Contains(v, "://") || strings.HasPrefix(strings.ToLower(v), "login."):
			e := Invalid(field, "is a web address; enter only the tenant part")
			if m := authorityRE().FindStringSubmatch(v); m != nil {
				return "", e.WithFix("use %s (the part after the host)", NormalizeTenant(m[1]))
			}
			return "", e.WithFix("%s", recommendTenant(a))
		case strings.Count(v, "@") == 1:
			dom := strings.ToLower(v[strings.Index(v, "@")+1:])
			return "", Invalid(field, "is an email address").
				WithFix("use the domain part, %s, if it is a verified domain of your tenant, or the Directory (tenant) ID", clip(dom))
		}
		return "", Invalid(field, "“%s” is not common, organizations, consumers, a directory ID or a domain", clip(v)).
			WithFix("%s", recommendTenant(a))
	}
	dir, dirOK := NormalizeGUID(directoryID)
	switch a {
	case SingleTenant:
		switch kind {
		case tenantCommon, tenantOrgs:
			code := "AADSTS50194"
			if kind == tenantOrgs {
				code += " or a similar error"
			}
			return "", Invalid(field, "%s can't be used by a single-tenant app: Microsoft answers %s for every sign-in", t, code).
				WithFix("use your Directory (tenant) ID %s, or change Supported account types to a multitenant option", orPlaceholder(dir, dirOK))
		case tenantConsumers:
			return "", Invalid(field, "consumers is only for personal Microsoft accounts; a single-tenant app gets AADSTS9002332").
				WithFix("use your Directory (tenant) ID %s", orPlaceholder(dir, dirOK))
		case tenantGUID:
			if dirOK && t != dir {
				return "", Invalid(field, "%s is not the directory the app is registered in (%s): Microsoft answers AADSTS700016, app not found in that tenant", t, dir).
					WithFix("use the Directory (tenant) ID %s", dir)
			}
		}
	case MultiTenant:
		switch kind {
		case tenantConsumers:
			return "", Invalid(field, "consumers is for personal Microsoft accounts only; this app accepts work and school accounts, so Microsoft answers AADSTS9002332").
				WithFix("use organizations, or change Supported account types to include personal accounts")
		case tenantCommon:
			return "organizations matches this account type better: with common, a personal Microsoft account gets an error page instead of a clear refusal", nil
		case tenantGUID:
			if dirOK && t != dir {
				return fmt.Sprintf("only users of tenant %s can sign in, and it is not the directory the app is registered in (%s); use organizations to let any organization in", t, dir), nil
			}
			return "only users of your own directory can sign in; use organizations to let any organization in", nil
		case tenantDomain:
			return fmt.Sprintf("only users of the tenant that owns %s can sign in; use organizations to let any organization in", t), nil
		}
	case PersonalOnly:
		if kind != tenantConsumers {
			return "", Invalid(field, "%s can't be used by an app for personal accounts only: Microsoft answers AADSTS9002331", t).
				WithFix("use consumers")
		}
	case MultiTenantPersonal:
		switch kind {
		case tenantOrgs:
			return "organizations leaves out personal Microsoft accounts; common is recommended for this account type", nil
		case tenantConsumers:
			return "consumers leaves out work and school accounts; common is recommended for this account type", nil
		case tenantGUID, tenantDomain:
			return fmt.Sprintf("%s restricts sign-in to users of that one tenant; common is recommended for this account type", t), nil
		}
	}
	return "", nil
}

func orPlaceholder(dir string, ok bool) string {
	if ok {
		return dir
	}
	return "(from " + PortalOverviewPath + ")"
}

// classifyTenant returns the kind and normalised form of v.
func classifyTenant(v string) (tenantKind, string) {
	t := NormalizeTenant(v)
	switch {
	case t == TenantCommon:
		return tenantCommon, t
	case t == TenantOrganizations:
		return tenantOrgs, t
	case t == TenantConsumers || t == ConsumersTenantID:
		return tenantConsumers, t
	case IsGUID(t):
		return tenantGUID, t
	case isDomain(t):
		return tenantDomain, t
	}
	return tenantBad, t
}

// recommendTenant is the fix text for an empty or bad tenant.
func recommendTenant(a AccountType) string {
	switch a {
	case SingleTenant:
		return "enter your Directory (tenant) ID or a verified domain such as contoso.onmicrosoft.com"
	case MultiTenant:
		return "enter organizations (any work or school account)"
	case PersonalOnly:
		return "enter consumers"
	case MultiTenantPersonal:
		return "enter common (any work, school or personal account)"
	}
	return "enter common, organizations, consumers, your Directory (tenant) ID or a verified domain"
}
