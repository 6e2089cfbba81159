package manifest

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
)

// Audit check IDs, in the order Audit reports them.
const (
	CheckAppID        = "app-id"
	CheckRedirect     = "redirect-uri"
	CheckAudience     = "sign-in-audience"
	CheckPermissions  = "permissions"
	CheckSecrets      = "secrets"
	CheckPublicClient = "public-client"
)

// ExpiryWarnDays is how long before expiry a secret is reported as
// expiring (byok list and the home screen use the same window).
const ExpiryWarnDays = 30

// Options says what to audit a manifest against.
type Options struct {
	// Config is the saved configuration to compare with; nil audits the
	// manifest against Hiveku's requirements only.
	Config *flow.Config
	// Catalog is the Graph delegated permission catalog (name ↔ ID).
	Catalog []flow.Permission
	// Now is the time secrets' expiry is measured from.
	Now time.Time
}

// Report is the outcome of an audit, one check per property.
type Report struct {
	Format      Format       `json:"format"`
	AppID       string       `json:"app_id"`
	DisplayName string       `json:"display_name"`
	Checks      []flow.Check `json:"checks"`
}

// Failed reports whether any check failed.
func (r Report) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == flow.Fail {
			return true
		}
	}
	return false
}

// Problems returns the checks that failed or warned.
func (r Report) Problems() []flow.Check {
	var out []flow.Check
	for _, c := range r.Checks {
		if c.Status == flow.Fail || c.Status == flow.Warn {
			out = append(out, c)
		}
	}
	return out
}

const (
	portalAuth    = "App registrations > your app > Authentication"
	portalPerms   = "App registrations > your app > API permissions"
	portalSecrets = "App registrations > your app > Certificates & secrets"
)

// Audit compares m with o.Config (when set) and with what Hiveku needs:
// the redirect URI on the Web platform, signInAudience matching the
// config and its tenant, the Graph delegated permissions (by ID)
// including offline_access, a client secret that has not expired, and the
// app ID. It never fails as a function: problems are checks.
func Audit(m *Manifest, o Options) Report {
	r := Report{Format: m.Format, AppID: m.AppID, DisplayName: m.DisplayName}
	r.Checks = append(r.Checks,
		auditAppID(m, o),
		auditRedirect(m, o),
		auditAudience(m, o),
		auditPermissions(m, o),
		auditSecrets(m, o),
		auditPublicClient(m),
	)
	return r
}

func auditAppID(m *Manifest, o Options) flow.Check {
	c := flow.Check{ID: CheckAppID}
	switch {
	case m.AppID == "":
		c.Status, c.Detail = flow.Fail, "the manifest has no appId"
		c.Fix = "download the manifest from App registrations > your app > Manifest; it starts with the app's IDs"
	case o.Config == nil:
		c.Status, c.Detail = flow.Skip, fmt.Sprintf("app ID %s; pass --name to compare it with a saved config", m.AppID)
	case !strings.EqualFold(m.AppID, o.Config.ClientID):
		c.Status, c.Code = flow.Fail, 700016
		c.Detail = fmt.Sprintf("the manifest is for app %s but config %q uses client ID %s", m.AppID, o.Config.Name, o.Config.ClientID)
		c.Fix = fmt.Sprintf("download the manifest of the app whose Application (client) ID is %s, or correct the client ID with byok setup --replace", o.Config.ClientID)
	default:
		c.Status, c.Detail = flow.Pass, fmt.Sprintf("app ID %s matches config %q", m.AppID, o.Config.Name)
	}
	return c
}

func auditRedirect(m *Manifest, o Options) flow.Check {
	c := flow.Check{ID: CheckRedirect}
	want := flow.HivekuRedirectURI
	if o.Config != nil && o.Config.RedirectURI != "" {
		want = o.Config.RedirectURI
	}
	on := map[Platform]bool{}
	for _, r := range m.Redirects {
		if r.URL == want {
			on[r.Platform] = true
		}
	}
	webFix := fmt.Sprintf("%s > Web > Add URI: %s (exactly; remove it from the other platforms)", portalAuth, want)
	switch {
	case on[Web]:
		c.Status, c.Detail = flow.Pass, fmt.Sprintf("%s is registered on the Web platform", want)
		if on[SPA] || on[PublicClient] {
			// Microsoft then picks one of the platforms arbitrarily.
			c.Status = flow.Warn
			c.Detail += " and also on another platform, so Microsoft may treat it as a public or single-page client"
			c.Fix = portalAuth + ": keep " + want + " under Web only"
		}
		if o.Config != nil && o.Config.Loopback && !hasLoopback(m.RedirectsOn(Web)) {
			c.Status = flow.Warn
			c.Detail += "; http://localhost is not, so byok verify cannot use its loopback listener"
			c.Fix = fmt.Sprintf("%s > Web > Add URI: %s, or run byok verify --redirect paste", portalAuth, flow.LoopbackRedirectURI)
		}
	case on[SPA]:
		c.Status, c.Code = flow.Fail, 9002327
		c.Detail = fmt.Sprintf("%s is registered as a Single-page application, so Hiveku's server cannot redeem the code with its secret", want)
		c.Fix = webFix
	case on[PublicClient]:
		c.Status, c.Code = flow.Fail, 700025
		c.Detail = fmt.Sprintf("%s is registered under Mobile and desktop applications, where a client secret is refused", want)
		c.Fix = webFix
	case len(m.Redirects) == 0:
		c.Status, c.Code = flow.Fail, 500113
		c.Detail = "the app has no redirect URI at all"
		c.Fix = webFix
	default:
		c.Status, c.Code = flow.Fail, 50011
		c.Detail = fmt.Sprintf("%s is not registered", want)
		if near, ok := nearest(m.Redirects, want); ok {
			c.Detail += fmt.Sprintf("; closest is %s on %s", near.URL, near.Platform)
			if probs := flow.CompareRedirect(near.URL, want); len(probs) > 0 {
				c.Detail += " (" + strings.Join(probs, "; ") + ")"
			}
		}
		c.Fix = webFix
	}
	return c
}

// hasLoopback reports whether a http://localhost redirect URI (any port,
// which Microsoft ignores for localhost) is in uris.
func hasLoopback(uris []string) bool {
	for _, u := range uris {
		rest, ok := strings.CutPrefix(u, flow.LoopbackRedirectURI)
		if ok && (rest == "" || rest[0] == ':' || rest[0] == '/') {
			return true
		}
	}
	return false
}

// nearest returns the registered redirect URI closest to want, if any is
// close enough to be a probable typo of it.
func nearest(rs []Redirect, want string) (Redirect, bool) {
	best, bestD := Redirect{}, -1
	for _, r := range rs {
		d := distance(strings.TrimSpace(r.URL), want)
		if strings.EqualFold(strings.TrimSpace(r.URL), want) {
			d = 0
		}
		if bestD < 0 || d < bestD {
			best, bestD = r, d
		}
	}
	return best, bestD >= 0 && bestD <= len(want)/3
}

// distance is the Levenshtein distance between a and b in bytes, capped
// to keep hostile inputs cheap.
func distance(a, b string) int {
	const limit = 512
	if len(a) > limit || len(b) > limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func auditAudience(m *Manifest, o Options) flow.Check {
	c := flow.Check{ID: CheckAudience}
	from, fromInner := "", ""
	if m.AudienceDerived {
		from, fromInner = " (derived from availableToOtherTenants)", ", derived from availableToOtherTenants"
	}
	switch {
	case m.Audience == "":
		c.Status, c.Detail = flow.Fail, "the manifest has no signInAudience"
		c.Fix = portalAuth + " > Supported account types: choose one and save, then download the manifest again"
		return c
	case !m.Audience.Valid():
		c.Status, c.Detail = flow.Fail, fmt.Sprintf("signInAudience %q is not one of Microsoft's four values", m.Audience)
		c.Fix = portalAuth + " > Supported account types: choose one and save"
		return c
	}
	c.Status = flow.Pass
	c.Detail = fmt.Sprintf("signInAudience %s%s", m.Audience, from)
	if o.Config != nil {
		cfg := o.Config
		if m.Audience != cfg.AccountType {
			c.Status = flow.Fail
			c.Detail = fmt.Sprintf("the app accepts %s (%s%s) but config %q expects %s (%s)",
				m.Audience.Short(), m.Audience, fromInner, cfg.Name, cfg.AccountType.Short(), cfg.AccountType)
			c.Fix = fmt.Sprintf("%s > Supported account types: %s; or, if the app is right, run byok setup --replace --account-type %s",
				portalAuth, cfg.AccountType.Label(), m.Audience.Short())
			return c
		}
		warning, err := flow.ValidateTenant(cfg.Tenant, m.Audience, cfg.DirectoryID)
		if err != nil {
			c.Status = flow.Fail
			c.Detail = fmt.Sprintf("tenant %q does not fit signInAudience %s: %s", cfg.Tenant, m.Audience, errMessage(err))
			c.Fix = errFix(err)
			if c.Fix == "" {
				c.Fix = "change the tenant with byok setup --replace --tenant …"
			}
			return c
		}
		c.Detail += fmt.Sprintf(", matching config %q and its tenant %q", cfg.Name, cfg.Tenant)
		if warning != "" {
			c.Status, c.Fix = flow.Warn, warning
		}
	}
	if (m.Audience == flow.MultiTenantPersonal || m.Audience == flow.PersonalOnly) && m.TokenVersion != 2 {
		c.Status = worse(c.Status, flow.Warn)
		c.Detail += "; personal-account apps need api.requestedAccessTokenVersion 2 and this manifest has " + tokenVersion(m.TokenVersion)
		c.Fix = "App registrations > your app > Manifest: set requestedAccessTokenVersion to 2 and save"
	}
	return c
}

func tokenVersion(v int) string {
	if v == 0 {
		return "none"
	}
	return fmt.Sprint(v)
}

func errMessage(err error) string {
	var fe *flow.Error
	if errors.As(err, &fe) {
		return fe.Message
	}
	return err.Error()
}

func errFix(err error) string {
	var fe *flow.Error
	if errors.As(err, &fe) {
		return fe.Fix
	}
	return ""
}

func worse(a, b flow.Status) flow.Status {
	rank := map[flow.Status]int{flow.Skip: 0, flow.Pass: 1, flow.Warn: 2, flow.Fail: 3}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

func auditPermissions(m *Manifest, o Options) flow.Check {
	c := flow.Check{ID: CheckPermissions}
	if len(o.Catalog) == 0 {
		c.Status, c.Detail = flow.Skip, "no permission catalog to map names to IDs"
		return c
	}
	byName := map[string]flow.Permission{}
	byID := map[string]flow.Permission{}
	for _, p := range o.Catalog {
		byName[strings.ToLower(p.Name)] = p
		byID[strings.ToLower(p.ID)] = p
	}
	delegated := map[string]bool{}
	graph := false
	for _, r := range m.Resources {
		if r.AppID != flow.GraphAppID {
			continue
		}
		graph = true
		for _, a := range r.Access {
			if strings.EqualFold(a.Type, "Scope") {
				delegated[a.ID] = true
			}
		}
	}
	var want []string
	if o.Config != nil {
		want = o.Config.Scopes
	} else {
		want = []string{"offline_access"}
	}
	var missing, unknown []string
	wanted := map[string]bool{}
	for _, name := range want {
		p, ok := byName[strings.ToLower(name)]
		if !ok {
			unknown = append(unknown, name)
			continue
		}
		wanted[p.ID] = true
		if !delegated[strings.ToLower(p.ID)] {
			missing = append(missing, p.Name)
		}
	}
	mail := false
	var present []string
	for id := range delegated {
		if p, ok := byID[id]; ok {
			present = append(present, p.Name)
			mail = mail || p.Mail
		}
	}
	sort.Strings(present)
	fix := func(names []string) string {
		return fmt.Sprintf("%s > Add a permission > Microsoft Graph > Delegated permissions: add %s; then Grant admin consent if your tenant needs it", portalPerms, strings.Join(names, ", "))
	}
	switch {
	case !graph:
		c.Status, c.Detail = flow.Fail, "the app requests no Microsoft Graph permissions"
		names := want
		if o.Config == nil {
			names = []string{"offline_access", "Mail.ReadWrite", "Mail.Send"}
		}
		c.Fix = fix(names)
	case contains(missing, "offline_access"):
		c.Status = flow.Fail
		c.Detail = "offline_access is missing: without it Microsoft issues no refresh token and Hiveku's connection stops after about an hour"
		if len(missing) > 1 {
			c.Detail += "; also missing " + strings.Join(missing[1:], ", ")
		}
		c.Fix = fix(missing)
	case len(missing) > 0:
		c.Status = flow.Fail
		c.Detail = "missing delegated permissions: " + strings.Join(missing, ", ")
		c.Fix = fix(missing)
	case o.Config == nil && !mail:
		c.Status = flow.Fail
		c.Detail = "no mail permission: Hiveku needs Mail.Read, Mail.ReadWrite or Mail.Send"
		c.Fix = fix([]string{"Mail.ReadWrite", "Mail.Send"})
	default:
		c.Status = flow.Pass
		c.Detail = "delegated Graph permissions: " + strings.Join(present, ", ")
	}
	if ur, ok := byName["user.read"]; ok && graph && c.Status == flow.Pass && !delegated[strings.ToLower(ur.ID)] {
		// The portal registers User.Read by default; without it Graph /me
		// (verify's mailbox check) is refused once consent is given
		// tenant-wide, which covers only registered permissions.
		c.Status = flow.Warn
		c.Detail += "; User.Read is not registered: reading the signed-in mailbox's address (Graph /me) needs it"
		c.Fix = fix([]string{"User.Read"})
	}
	if len(unknown) > 0 {
		c.Status = worse(c.Status, flow.Warn)
		c.Detail += "; not in byok's catalog, so not checked: " + strings.Join(unknown, ", ")
	}
	return c
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func auditSecrets(m *Manifest, o Options) flow.Check {
	c := flow.Check{ID: CheckSecrets}
	name := "NAME"
	if o.Config != nil {
		name = fmt.Sprintf("%q", o.Config.Name)
	}
	newFix := portalSecrets + " > New client secret, then give byok the Value with byok rotate " + name
	if len(m.Passwords) == 0 {
		c.Status, c.Code = flow.Fail, 7000218
		c.Detail = "the app has no client secret"
		c.Fix = newFix
		return c
	}
	daysLeft := func(p Credential) int { return flow.SecretInfo{Expires: p.End}.DaysLeft(o.Now) }
	expired := func(p Credential) bool { return !p.End.IsZero() && !p.End.After(o.Now) }
	describe := func(p Credential) string {
		name := p.DisplayName
		if name == "" {
			name = p.KeyID
		}
		if p.Hint != "" {
			name += " (" + p.Hint + "…)"
		}
		if p.End.IsZero() {
			return name + ", no expiry date"
		}
		if expired(p) {
			return fmt.Sprintf("%s, expired %s", name, p.End.Format("2006-01-02"))
		}
		return fmt.Sprintf("%s, expires %s (%d days)", name, p.End.Format("2006-01-02"), daysLeft(p))
	}
	judge := func(p Credential, who string) {
		switch {
		case expired(p):
			c.Status, c.Code = flow.Fail, 7000222
			c.Detail = who + describe(p)
			c.Fix = newFix
		case !p.End.IsZero() && daysLeft(p) < ExpiryWarnDays:
			c.Status = flow.Warn
			c.Detail = who + describe(p)
			c.Fix = "rotate soon: " + newFix
		default:
			c.Status, c.Detail = flow.Pass, who+describe(p)
		}
	}

	nExpired := 0
	for _, p := range m.Passwords {
		if expired(p) {
			nExpired++
		}
	}
	hint := ""
	if o.Config != nil {
		hint = strings.TrimSuffix(o.Config.SecretInfo.Hint, "…")
	}
	var mine *Credential
	hinted := false
	for i, p := range m.Passwords {
		hinted = hinted || p.Hint != ""
		if hint != "" && p.Hint == hint {
			mine = &m.Passwords[i]
		}
	}
	switch {
	case mine != nil:
		judge(*mine, "the secret byok holds: ")
	case hint != "" && hinted:
		c.Status, c.Code = flow.Fail, 7000215
		c.Detail = fmt.Sprintf("no secret in the app starts with %s…, the one config %q holds: it was deleted or belongs to another app", hint, o.Config.Name)
		c.Fix = newFix
	default:
		// No way to tell which secret Hiveku uses: judge the one that
		// lasts longest.
		best := m.Passwords[0]
		for _, p := range m.Passwords[1:] {
			if lasts(p, best) {
				best = p
			}
		}
		judge(best, "newest secret: ")
	}
	if nExpired > 0 && c.Status != flow.Fail {
		c.Detail += fmt.Sprintf("; %d expired secret(s) can be deleted", nExpired)
	}
	if (m.Audience == flow.MultiTenantPersonal || m.Audience == flow.PersonalOnly) && len(m.Passwords) > 2 {
		c.Status = worse(c.Status, flow.Warn)
		c.Detail += fmt.Sprintf("; %d secrets, but apps that accept personal accounts may have at most 2", len(m.Passwords))
		if c.Fix == "" {
			c.Fix = portalSecrets + ": delete the secrets Hiveku no longer uses"
		}
	}
	return c
}

func auditPublicClient(m *Manifest) flow.Check {
	c := flow.Check{ID: CheckPublicClient, Status: flow.Pass, Detail: "public client flows are off"}
	if m.FallbackPublicClient {
		c.Status = flow.Warn
		c.Detail = "\"Allow public client flows\" is on; Hiveku is a confidential Web client and does not need it"
		c.Fix = portalAuth + " > Advanced settings > Allow public client flows: No"
	}
	return c
}

// lasts reports whether a outlives b; no end date counts as forever.
func lasts(a, b Credential) bool {
	switch {
	case b.End.IsZero():
		return false
	case a.End.IsZero():
		return true
	}
	return a.End.After(b.End)
}
