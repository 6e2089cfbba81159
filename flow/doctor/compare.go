package doctor

import (
	"strings"

	"github.com/hiveku/byok/flow"
)

// Compare returns copies of findings with the details the text named
// checked against the saved config c: the redirect URI (with the
// wizard's diff), the app ID, the tenant, and notes tying the code to the
// config (account type vs tenant, secret expiry, requested scopes). The
// comparisons go into Details under config, redirect_check,
// redirect_problems, redirect_diff (three lines: got, want, markers),
// app_id_check, tenant_check and config_note. "[your app]" in the
// portal path, fix and cause becomes c's name.
func (d *Doctor) Compare(findings []Finding, c flow.Config) []Finding {
	out := make([]Finding, len(findings))
	for i, f := range findings {
		det := make(map[string]string, len(f.Details)+4)
		for k, v := range f.Details {
			det[k] = v
		}
		det["config"] = c.Name
		compareRedirect(det, c)
		compareAppID(det, c)
		compareTenant(det, c)
		if n := configNote(f, c); n != "" {
			det["config_note"] = n
		}
		f.Details = det
		// The catalog's portal paths name "[your app]"; with a config
		// known, point at it by name (the Azure display name).
		if c.Name != "" {
			for _, s := range []*string{&f.Portal, &f.Fix, &f.Cause} {
				*s = strings.ReplaceAll(*s, "[your app]", c.Name)
			}
		}
		out[i] = f
	}
	return out
}

func compareRedirect(det map[string]string, c flow.Config) {
	got := det["redirect_uri"]
	if got == "" {
		return
	}
	if isLoopback(got) {
		if c.Loopback {
			det["redirect_check"] = "this is byok verify's loopback address; make sure http://localhost is registered under Web (Microsoft ignores the port)"
		} else {
			det["redirect_check"] = "this is byok verify's loopback address, but " + c.Name + " has no loopback URI: register http://localhost under Web or run verify with --redirect paste"
		}
		return
	}
	want := c.RedirectURI
	if want == "" {
		want = flow.HivekuRedirectURI
	}
	if got == want {
		det["redirect_check"] = "this is the redirect URI saved for " + c.Name + ", so the app registration lacks it: add it under Web exactly as shown"
		return
	}
	det["redirect_saved"] = want
	det["redirect_check"] = "this is not the redirect URI saved for " + c.Name
	if p := flow.CompareRedirect(got, want); len(p) > 0 {
		det["redirect_problems"] = strings.Join(p, "; ")
	}
	g, w, m := flow.MarkDiff(got, want)
	det["redirect_diff"] = g + "\n" + w + "\n" + m
}

func isLoopback(u string) bool {
	l := strings.ToLower(u)
	for _, p := range []string{"http://localhost", "http://127.0.0.1", "https://localhost"} {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	return false
}

func compareAppID(det map[string]string, c flow.Config) {
	id := det["app_id"]
	if id == "" || c.ClientID == "" {
		return
	}
	switch {
	case strings.EqualFold(id, c.ClientID):
		det["app_id_check"] = "matches the client ID saved for " + c.Name
	case strings.EqualFold(id, c.DirectoryID):
		det["app_id_check"] = "this is the directory (tenant) ID saved for " + c.Name + ", not its client ID: the two were swapped"
	default:
		det["app_id_check"] = "this app ID is not the one saved for " + c.Name + " (saved: " + c.ClientID + ")"
	}
}

func compareTenant(det map[string]string, c flow.Config) {
	t := det["tenant"]
	if t == "" {
		return
	}
	lt := strings.ToLower(t)
	switch {
	case isGUID(t):
		switch {
		case c.DirectoryID == "":
		case strings.EqualFold(t, c.DirectoryID):
			det["tenant_check"] = "matches the directory ID saved for " + c.Name
		case strings.EqualFold(t, c.ClientID):
			det["tenant_check"] = "this is the client ID saved for " + c.Name + ", not a tenant: the two were swapped"
		default:
			det["tenant_check"] = "this tenant is not your directory ID (saved for " + c.Name + ": " + c.DirectoryID + ")"
		}
	case lt == "common" || lt == "organizations" || lt == "consumers":
		if !strings.EqualFold(t, c.Tenant) && c.Tenant != "" {
			det["tenant_check"] = "the request used " + lt + " but " + c.Name + " is saved with tenant " + c.Tenant
		}
	case strings.EqualFold(t, c.Tenant):
		det["tenant_check"] = "matches the tenant saved for " + c.Name
	}
}

func isGUID(s string) bool { return len(s) == 36 && reGUID().MatchString(s) }

// configNote ties a finding to the saved config where the code's cause
// is visible in it.
func configNote(f Finding, c flow.Config) string {
	tenant := strings.ToLower(c.Tenant)
	switch f.Code {
	case 50194:
		if c.AccountType == flow.SingleTenant && (tenant == "common" || tenant == "organizations") {
			return c.Name + " is single tenant but uses tenant " + tenant + ": set the tenant to your directory ID " + c.DirectoryID + " (byok setup --resume " + c.Name + ")"
		}
	case 9002332:
		if tenant == "consumers" && (c.AccountType == flow.SingleTenant || c.AccountType == flow.MultiTenant) {
			return c.Name + " accepts work or school accounts only but uses tenant consumers"
		}
	case 9002331:
		if c.AccountType == flow.PersonalOnly && tenant != "consumers" {
			return c.Name + " is for personal accounts only: its tenant must be consumers, not " + c.Tenant
		}
	case 50020, 500208, 16000:
		if c.AccountType == flow.SingleTenant || c.AccountType == flow.MultiTenant {
			return c.Name + " is saved as " + c.AccountType.Label()
		}
	case 700016, 700011:
		if c.AccountType == flow.SingleTenant && !strings.EqualFold(c.Tenant, c.DirectoryID) {
			return c.Name + " is single tenant; its tenant should be the directory ID " + c.DirectoryID + ", not " + c.Tenant
		}
	case 7000222, 7000215, 7000218, 70002:
		s := "the secret saved for " + c.Name
		if h := c.SecretInfo.Hint; h != "" {
			s += " starts with " + h
		}
		if !c.SecretInfo.Expires.IsZero() {
			s += " and expires " + c.SecretInfo.Expires.Format("2006-01-02")
		}
		if c.SecretInfo.Missing {
			s = c.Name + " has no secret value saved"
		}
		return s
	case 65001, 90094, 650056, 650057:
		if len(c.Scopes) > 0 {
			return c.Name + " requests " + strings.Join(c.Scopes, ", ")
		}
	case 0:
		if f.Error == "unauthorized_client" && f.Category == "account-type" && (c.AccountType == flow.SingleTenant || c.AccountType == flow.MultiTenant) {
			return c.Name + " is saved as " + c.AccountType.Label()
		}
	}
	return ""
}
