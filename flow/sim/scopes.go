package sim

import (
	"sort"
	"strings"
)

// GraphResource is Microsoft Graph's resource URI: scopes may be written
// with it as a prefix ("https://graph.microsoft.com/Mail.Read").
const GraphResource = "https://graph.microsoft.com"

// graphScope is one Graph delegated permission as the consent page shows it.
type graphScope struct {
	Name  string
	Label string // the consent page's plain words
	Admin bool   // admin consent required by default
}

// graphScopes is the simulator's own copy of the Graph delegated
// permissions it knows (flow/sim may not import assets). Labels follow the
// consent screen's wording.
var graphScopes = []graphScope{
	{"User.Read", "Sign you in and read your profile", false},
	{"User.ReadWrite", "Read and update your profile", false},
	{"User.ReadBasic.All", "Read all users' basic profiles", false},
	{"User.Read.All", "Read all users' full profiles", true},
	{"Directory.Read.All", "Read directory data", true},
	{"Mail.Read", "Read your mail", false},
	{"Mail.ReadBasic", "Read user basic mail", false},
	{"Mail.ReadWrite", "Read and write access to your mail", false},
	{"Mail.Send", "Send mail as you", false},
	{"Mail.Read.Shared", "Read user and shared mail", false},
	{"Mail.ReadWrite.Shared", "Read and write user and shared mail", false},
	{"Mail.Send.Shared", "Send mail on behalf of others", false},
	{"MailboxSettings.Read", "Read your mailbox settings", false},
	{"MailboxSettings.ReadWrite", "Read and write your mailbox settings", false},
	{"Calendars.Read", "Read your calendars", false},
	{"Calendars.ReadBasic", "Read basic details of your calendars", false},
	{"Calendars.ReadWrite", "Have full access to your calendars", false},
	{"Calendars.Read.Shared", "Read user and shared calendars", false},
	{"Calendars.ReadWrite.Shared", "Read and write user and shared calendars", false},
	{"Contacts.Read", "Read your contacts", false},
	{"Contacts.ReadWrite", "Have full access to your contacts", false},
	{"Files.Read", "Read your files", false},
	{"Files.ReadWrite", "Have full access to your files", false},
	// what byok create, audit --live and rotate --graph ask of the admin
	{"Application.Read.All", "Read applications", true},
	{"Application.ReadWrite.All", "Read and write all applications", true},
	{"DelegatedPermissionGrant.ReadWrite.All", "Manage all delegated permission grants", true},
}

// oidcScopes are the OpenID Connect scopes: not Graph permissions, but
// shown on the consent page.
var oidcScopes = map[string]string{
	"openid":         "Sign you in",
	"profile":        "View your basic profile",
	"email":          "View your email address",
	"offline_access": "Maintain access to data you have given it access to",
}

func findGraphScope(name string) (graphScope, bool) {
	for _, g := range graphScopes {
		if strings.EqualFold(g.Name, name) {
			return g, true
		}
	}
	return graphScope{}, false
}

// scopeRequest is a parsed scope parameter.
type scopeRequest struct {
	OIDC    []string // openid, profile, email, offline_access (lower case)
	Graph   []string // catalog-cased Graph permissions
	Default bool     // https://graph.microsoft.com/.default was asked
}

func (q scopeRequest) has(oidc string) bool {
	for _, s := range q.OIDC {
		if s == oidc {
			return true
		}
	}
	return false
}

// parseScopes parses a space-separated scope list as Microsoft does at
// /authorize: OIDC scopes, Graph permissions with or without the Graph
// resource prefix, or Graph's /.default (which stands for the app's
// registered permissions). It returns the offending scope on failure.
func parseScopes(raw string, app *App) (scopeRequest, string, bool) {
	var q scopeRequest
	seen := map[string]bool{}
	named := false
	for _, tok := range strings.Fields(raw) {
		l := strings.ToLower(tok)
		if _, ok := oidcScopes[l]; ok {
			if !seen[l] {
				q.OIDC = append(q.OIDC, l)
				seen[l] = true
			}
			continue
		}
		name := tok
		if strings.HasPrefix(l, GraphResource+"/") {
			name = tok[len(GraphResource)+1:]
		} else if strings.HasPrefix(l, "00000003-0000-0000-c000-000000000000/") {
			name = tok[len("00000003-0000-0000-c000-000000000000/"):]
		} else if strings.Contains(tok, "://") || strings.Contains(tok, "/") {
			// another resource: byok never asks for one
			return q, tok, false
		}
		if name == ".default" {
			q.Default = true
			for _, s := range app.Scopes {
				if g, ok := findGraphScope(s); ok && !seen[g.Name] {
					q.Graph = append(q.Graph, g.Name)
					seen[g.Name] = true
				}
			}
			continue
		}
		g, ok := findGraphScope(name)
		if !ok {
			return q, tok, false
		}
		named = true
		if !seen[g.Name] {
			q.Graph = append(q.Graph, g.Name)
			seen[g.Name] = true
		}
	}
	if q.Default && named {
		// /.default can't be combined with named scopes of the same resource
		return q, GraphResource + "/.default", false
	}
	return q, "", true
}

// scopeSet is a set of catalog-cased scope names.
type scopeSet map[string]bool

func (s scopeSet) sorted() []string {
	out := make([]string, 0, len(s))
	for k := range s {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (s scopeSet) hasAny(names ...string) bool {
	for _, n := range names {
		if s[n] {
			return true
		}
	}
	return false
}

// grantedScope renders the token response's scope: Graph permissions by
// their short names, then the OIDC scopes that were asked for (Microsoft
// does not echo offline_access).
func grantedScope(graph scopeSet, oidc []string) string {
	parts := graph.sorted()
	for _, o := range []string{"openid", "profile", "email"} {
		for _, want := range oidc {
			if want == o {
				parts = append(parts, o)
			}
		}
	}
	return strings.Join(parts, " ")
}
