package flow

import (
	"fmt"
	"sort"
	"strings"
	"unicode"
)

// Scope names with a meaning of their own.
const (
	ScopeOfflineAccess = "offline_access"
	ScopeDefault       = ".default"
)

// graphPrefixes are the Microsoft Graph resource prefixes of every cloud;
// a scope spelt with one of them means the short name.
var graphPrefixes = []string{
	"https://graph.microsoft.com/",
	"https://graph.microsoft.us/",
	"https://dod-graph.microsoft.us/",
	"https://microsoftgraph.chinacloudapi.cn/",
}

// fallbackCatalog is used by ParseScopes when no catalog is given: the
// preset permissions plus the OpenID ones, so that case can still be
// normalised. Callers should pass assets.Permissions().
func fallbackCatalog() []Permission {
	return []Permission{
		{Name: "offline_access"}, {Name: "openid"}, {Name: "profile"}, {Name: "email"},
		{Name: "User.Read"},
		{Name: "Mail.Read", Mail: true}, {Name: "Mail.ReadWrite", Mail: true}, {Name: "Mail.Send", Mail: true},
		{Name: "Calendars.Read", Calendar: true}, {Name: "Calendars.ReadWrite", Calendar: true},
	}
}

// presetNames returns the preset names, sorted, for messages.
func presetNames() string {
	names := make([]string, 0, len(ScopePresets))
	for k := range ScopePresets {
		names = append(names, k)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// isMailScope reports whether p grants mail access. Catalog entries say
// so with Mail; names starting "Mail." count too.
func isMailScope(p Permission) bool {
	return p.Mail || strings.HasPrefix(strings.ToLower(p.Name), "mail.")
}

// ParseScopes parses a comma- or space-separated scope list, or a preset
// name (full, read, send-only; a preset may also appear among other
// names), against the Graph delegated permission catalog. It returns the
// scopes in catalog case, in the order given, without duplicates.
// Graph-prefixed names (https://graph.microsoft.com/Mail.Read) and
// permission GUIDs from the catalog are accepted and shortened to the
// name. A nil catalog falls back to the preset and OpenID permissions;
// pass assets.Permissions().
//
// Errors (EINVALID, field "scopes"): an empty list; .default; a scope of
// another API; an unknown name (with "did you mean"); a list without
// offline_access (no refresh token, so connections expire after about an
// hour); a list without a mail permission.
func ParseScopes(s string, catalog []Permission) ([]string, error) {
	const field = "scopes"
	if len(catalog) == 0 {
		catalog = fallbackCatalog()
	}
	tokens := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || unicode.IsSpace(r) })
	if len(tokens) == 0 {
		return nil, Invalid(field, "no permissions given").
			WithFix("use a preset (%s) or list names like offline_access,Mail.ReadWrite", presetNames())
	}
	byName := make(map[string]Permission, len(catalog))
	byID := make(map[string]Permission, len(catalog))
	for _, p := range catalog {
		byName[strings.ToLower(p.Name)] = p
		if p.ID != "" {
			byID[strings.ToLower(p.ID)] = p
		}
	}
	var out []string
	seen := map[string]bool{}
	mail := false
	add := func(p Permission) {
		if k := strings.ToLower(p.Name); !seen[k] {
			seen[k] = true
			out = append(out, p.Name)
		}
		mail = mail || isMailScope(p)
	}
	for _, tok := range tokens {
		// Quotes around a name are shell or chat leftovers, never part
		// of it.
		if in, ok := unquote(tok); ok && in != "" {
			tok = in
		}
		if preset, ok := ScopePresets[strings.ToLower(tok)]; ok {
			for _, name := range preset {
				p, ok := byName[strings.ToLower(name)]
				if !ok {
					p = Permission{Name: name, Mail: strings.HasPrefix(name, "Mail.")}
				}
				add(p)
			}
			continue
		}
		name := tok
		for _, pre := range graphPrefixes {
			if len(name) > len(pre) && strings.EqualFold(name[:len(pre)], pre) {
				name = name[len(pre):]
				break
			}
		}
		switch {
		case strings.EqualFold(name, ScopeDefault) || strings.HasSuffix(strings.ToLower(name), "/"+ScopeDefault):
			return nil, Invalid(field, "“%s” asks for whatever the app registration lists, all at once, and can't be mixed with named permissions", clip(tok)).
				WithFix("list the delegated permissions by name instead, e.g. offline_access,Mail.ReadWrite")
		case strings.Contains(name, "://") || strings.Contains(name, "/"):
			return nil, Invalid(field, "“%s” belongs to another API; byok only requests Microsoft Graph permissions", clip(tok)).
				WithFix("use the Graph name without a prefix, e.g. Mail.Read")
		}
		if p, ok := byName[strings.ToLower(name)]; ok {
			add(p)
			continue
		}
		if g, ok := NormalizeGUID(name); ok {
			if p, ok := byID[g]; ok {
				add(p)
				continue
			}
			return nil, Invalid(field, "%s is not the ID of a Graph delegated permission byok knows", g).
				WithFix("use permission names such as Mail.ReadWrite")
		}
		e := Invalid(field, "“%s” is not a Microsoft Graph delegated permission", clip(tok))
		if sug := suggestScope(name, catalog); sug != "" {
			return nil, e.WithFix("did you mean %s?", sug)
		}
		return nil, e.WithFix("use a preset (%s) or names from the permission list, e.g. Mail.ReadWrite", presetNames())
	}
	if !seen[ScopeOfflineAccess] {
		return nil, Invalid(field, "offline_access is missing").
			WithFix("add offline_access: without it Microsoft issues no refresh token and the connection stops working after about an hour")
	}
	if !mail {
		return nil, Invalid(field, "no mail permission").
			WithFix("add Mail.ReadWrite, Mail.Read or Mail.Send: Hiveku connects a mailbox")
	}
	return out, nil
}

// suggestScope returns the catalog name closest to name, or "" when none
// is close. Separators are ignored ("mail_readwrite" → Mail.ReadWrite).
func suggestScope(name string, catalog []Permission) string {
	squash := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == '.' || r == '_' || r == '-' {
				return -1
			}
			return unicode.ToLower(r)
		}, s)
	}
	n := squash(name)
	best, bestD := "", 0
	for _, p := range catalog {
		c := squash(p.Name)
		if c == n {
			return p.Name
		}
		d := editDistance(n, c)
		if best == "" || d < bestD || (d == bestD && len(p.Name) < len(best)) {
			best, bestD = p.Name, d
		}
	}
	if bestD <= max(2, len([]rune(n))/4) {
		return best
	}
	return ""
}

// checkScopeList checks an already parsed scope list (as stored in a
// Config) without a catalog: no empty or duplicate names, no
// whitespace, offline_access and a mail permission present.
func checkScopeList(scopes []string) error {
	const field = "scopes"
	if len(scopes) == 0 {
		return Invalid(field, "no permissions given").
			WithFix("use a preset (%s) or list names like offline_access,Mail.ReadWrite", presetNames())
	}
	seen := map[string]bool{}
	mail := false
	for _, s := range scopes {
		k := strings.ToLower(s)
		switch {
		case s == "" || strings.IndexFunc(s, unicode.IsSpace) >= 0:
			return Invalid(field, "%q is not a permission name", clip(s)).WithFix("list one permission name per entry, e.g. Mail.Read")
		case seen[k]:
			return Invalid(field, "%s is listed twice", s).WithFix("remove the duplicate")
		case strings.Contains(k, ScopeDefault):
			return Invalid(field, "%s can't be mixed with named permissions", s).WithFix("list the delegated permissions by name")
		}
		seen[k] = true
		mail = mail || strings.HasPrefix(k, "mail.")
	}
	if !seen[ScopeOfflineAccess] {
		return Invalid(field, "offline_access is missing").
			WithFix("add offline_access: without it Microsoft issues no refresh token and the connection stops working after about an hour")
	}
	if !mail {
		return Invalid(field, "no mail permission").WithFix("add Mail.ReadWrite, Mail.Read or Mail.Send: Hiveku connects a mailbox")
	}
	return nil
}

// scopeSummary joins scopes for a one-line detail.
func scopeSummary(scopes []string) string {
	return fmt.Sprintf("%d permissions: %s", len(scopes), strings.Join(scopes, ", "))
}
