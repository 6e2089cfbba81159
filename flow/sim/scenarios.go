package sim

import (
	"time"

	"github.com/hiveku/byok/flow"
)

// Scenario is one reproducible situation for `byok demo` and the
// end-to-end tests: the Microsoft side (Options), what the admin typed
// into byok (Config), who signs in and what they press, and what byok's
// verification should report.
type Scenario struct {
	Name, Title, Description string
	// Options is the simulated Microsoft side. Now is set to the time the
	// scenario was built for; Rand is nil (the fixed stream).
	Options Options
	// Config is what the admin typed into byok: the wizard's pre-filled
	// answers. Secret is set. Loopback is false: verify uses paste mode
	// with the Hiveku redirect URI, as a real admin without a loopback
	// registration would.
	Config flow.Config
	// User is the UPN who signs in; Accept whether they press Accept.
	User   string
	Accept bool
	// Expect maps check IDs to the status verify should report. It lists
	// the checks whose outcome the scenario determines; checks not listed
	// are not asserted.
	Expect map[string]flow.Status
	// ExpectCode is the AADSTS number the first failing live check
	// carries (0 for happy, and for refusals without a code such as
	// personal-account-blocked's unauthorized_client).
	ExpectCode int
	// ExpectEmail is the address verify should report as signed in
	// ("" when the scenario does not get that far or does not say).
	ExpectEmail string
	// ExpectFix is a phrase the first failing check's detail or fix
	// must contain ("" when not asserted).
	ExpectFix string
}

// Fixture identifiers shared by the scenarios. They are made up; none is
// a real Microsoft tenant, app or account.
const (
	ContosoTenantID  = "4b0c1d2e-7f3a-4c5b-9d6e-1a2b3c4d5e6f"
	FabrikamTenantID = "6e1f2a3b-8c4d-4e5f-a061-7b8c9d0e1f2a"
	DemoClientID     = "2f7c3a9e-5d41-4b8a-9c6e-0d1f2a3b4c5d"
	DemoSecretID     = "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d"
	// DemoSecretValue is the fixture secret of the demo app. It is not a
	// secret: it exists only inside the simulator.
	DemoSecretValue = "Sim8Q~fixture.notARealSecret-0123456789ab"
	// DemoOldSecretValue is a plausible value that is not (or no longer)
	// registered: an old secret's value kept in a password manager.
	DemoOldSecretValue = "Old7Q~fixture.deletedSecretValue-98765xyz"
)

// demoScopes are the permissions of every scenario: the guide's full set
// plus User.Read, which Graph's /me needs.
var demoScopes = []string{"offline_access", "User.Read", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"}

// baseOptions is the happy world: Contoso's admin registered "Acme
// Hiveku" exactly as the guide says.
func baseOptions(now time.Time) Options {
	return Options{
		Tenants: []Tenant{
			{ID: ContosoTenantID, Name: "Contoso", Domains: []string{"contoso.onmicrosoft.com", "contoso.com"}},
			{ID: FabrikamTenantID, Name: "Fabrikam", Domains: []string{"fabrikam.onmicrosoft.com"}},
		},
		Users: []User{
			{ID: "0d6f1c2b-3a4e-4f5a-8b6c-7d8e9f0a1b2c", UPN: "alex@contoso.com", Mail: "alex@contoso.com", DisplayName: "Alex Wilber", TenantID: ContosoTenantID},
			{ID: "1e7a2d3c-4b5f-4a6b-9c7d-8e9f0a1b2c3d", UPN: "megan@contoso.com", Mail: "megan@contoso.com", DisplayName: "Megan Bowen", TenantID: ContosoTenantID, Admin: true},
			// Graph's /me has "mail": null for outlook.com and hotmail
			// accounts; their userPrincipalName is the mail address
			// (OfficeDev/outlook-dev-docs#196, jasonjoh/node-tutorial#16,
			// microsoftgraph/microsoft-graph-docs-contrib#4918).
			{ID: "2f8b3e4d-5c6a-4b7c-8d8e-9f0a1b2c3d4e", UPN: "sam@outlook.com", DisplayName: "Sam Taylor", Personal: true},
			{ID: "3a9c4f5e-6d7b-4c8d-9e9f-0a1b2c3d4e5f", UPN: "pat@fabrikam.com", Mail: "pat@fabrikam.com", DisplayName: "Pat Kim", TenantID: FabrikamTenantID},
		},
		Apps: []App{{
			DisplayName:     "Acme Hiveku",
			ClientID:        DemoClientID,
			HomeTenantID:    ContosoTenantID,
			SignInAudience:  flow.MultiTenantPersonal,
			WebRedirectURIs: []string{flow.HivekuRedirectURI},
			Secrets:         []Secret{{KeyID: DemoSecretID, Value: DemoSecretValue, Expires: now.AddDate(0, 24, 0)}},
			Scopes:          append([]string(nil), demoScopes...),
		}},
		Now: func() time.Time { return now },
	}
}

// baseConfig is what the admin typed into byok for the happy world.
func baseConfig(now time.Time) flow.Config {
	secret := flow.Secret(DemoSecretValue)
	return flow.Config{
		Name:        "Acme Hiveku",
		AccountType: flow.MultiTenantPersonal,
		RedirectURI: flow.HivekuRedirectURI,
		Scopes:      append([]string(nil), demoScopes...),
		ClientID:    DemoClientID,
		DirectoryID: ContosoTenantID,
		Tenant:      "common",
		Secret:      secret,
		SecretInfo: flow.SecretInfo{
			Description: "Hiveku prod",
			Hint:        secret.Hint(),
			Created:     now.AddDate(0, 0, -1),
			Expires:     now.AddDate(0, 24, 0),
		},
		CreatedAt: now.AddDate(0, 0, -1),
		UpdatedAt: now.AddDate(0, 0, -1),
	}
}

// Offline check statuses that every scenario with a wizard-valid config
// shares.
func offlinePass() map[string]flow.Status {
	return map[string]flow.Status{
		flow.CheckRedirect: flow.Pass, flow.CheckScopes: flow.Pass, flow.CheckAudience: flow.Pass,
		flow.CheckSecret: flow.Pass, flow.CheckExpiry: flow.Pass,
	}
}

// expect merges offline statuses with live ones; after is the status of
// every check that depends on the failing one (Skip).
func expect(offline map[string]flow.Status, live map[string]flow.Status, skipped ...string) map[string]flow.Status {
	out := map[string]flow.Status{}
	for k, v := range offline {
		out[k] = v
	}
	for k, v := range live {
		out[k] = v
	}
	for _, k := range skipped {
		out[k] = flow.Skip
	}
	return out
}

var afterConsent = []string{flow.CheckToken, flow.CheckMailbox, flow.CheckRefresh, flow.CheckAccess}
var afterSecret = []string{flow.CheckConsent, flow.CheckToken, flow.CheckMailbox, flow.CheckRefresh, flow.CheckAccess}

// Scenarios returns the built-in scenarios for the time now, in a fixed
// order: happy first. IDs and secrets are fixtures; two calls with the
// same now return equal scenarios.
func Scenarios(now time.Time) []Scenario {
	now = now.UTC()
	var out []Scenario

	// happy
	{
		o, c := baseOptions(now), baseConfig(now)
		out = append(out, Scenario{
			Name:        "happy",
			Title:       "Everything registered as the guide says",
			Description: "A multitenant + personal app with the exact Hiveku redirect URI, a valid secret and the tenant common. Alex signs in and accepts; every check passes and the mailbox alex@contoso.com is shown.",
			Options:     o, Config: c, User: "alex@contoso.com", Accept: true,
			Expect: expect(offlinePass(), map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Pass, flow.CheckConsent: flow.Pass,
				flow.CheckToken: flow.Pass, flow.CheckMailbox: flow.Pass, flow.CheckRefresh: flow.Pass, flow.CheckAccess: flow.Pass,
			}),
			ExpectEmail: "alex@contoso.com",
		})
	}
	// redirect-mismatch: the portal entry has a trailing slash
	{
		o, c := baseOptions(now), baseConfig(now)
		o.Apps[0].WebRedirectURIs = []string{flow.HivekuRedirectURI + "/"}
		out = append(out, Scenario{
			Name:  "redirect-mismatch",
			Title: "Redirect URI registered with a trailing slash",
			Description: "byok holds the exact Hiveku callback, but the portal's Web redirect URI was typed as " + flow.HivekuRedirectURI + "/ . " +
				"Microsoft compares byte for byte, so instead of redirecting it shows an error page with AADSTS50011. Fix: in Authentication > Web, remove the trailing slash.",
			Options: o, Config: c, User: "alex@contoso.com", Accept: true,
			Expect: expect(offlinePass(), map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Pass, flow.CheckConsent: flow.Fail,
			}, afterConsent...),
			ExpectCode: 50011,
		})
	}
	// secret-id-pasted: modelled as a wrong but plausible value
	{
		o, c := baseOptions(now), baseConfig(now)
		c.Secret = flow.Secret(DemoOldSecretValue)
		c.SecretInfo.Hint = c.Secret.Hint()
		out = append(out, Scenario{
			Name:  "secret-id-pasted",
			Title: "The wrong secret value (e.g. the Secret ID) was saved",
			Description: "Microsoft answers AADSTS7000215 \"Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID\". " +
				"byok's wizard refuses a GUID in the secret field (the Secret ID " + DemoSecretID + " is rejected at step 5), so the saved value here is a plausible but wrong one — an old secret's value — " +
				"which Microsoft refuses with the same error. Fix: copy the Value column of a current secret (Certificates & secrets), then byok rotate.",
			Options: o, Config: c, User: "alex@contoso.com", Accept: true,
			Expect: expect(offlinePass(), map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Fail,
			}, afterSecret...),
			ExpectCode: 7000215,
		})
	}
	// secret-expired
	{
		o, c := baseOptions(now), baseConfig(now)
		expired := now.AddDate(0, 0, -3)
		o.Apps[0].Secrets[0].Expires = expired
		c.SecretInfo.Created = expired.AddDate(0, -24, 0)
		c.SecretInfo.Expires = expired
		off := offlinePass()
		off[flow.CheckExpiry] = flow.Fail
		out = append(out, Scenario{
			Name:        "secret-expired",
			Title:       "The client secret expired three days ago",
			Description: "The secret's 24 months are over: byok's own record already says so, and Microsoft answers AADSTS7000222 to the secret check. Fix: create a new secret and run byok rotate.",
			Options:     o, Config: c, User: "alex@contoso.com", Accept: true,
			Expect: expect(off, map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Fail,
			}, afterSecret...),
			ExpectCode: 7000222,
		})
	}
	// single-tenant-common: breaks a wizard rule on purpose
	{
		o, c := baseOptions(now), baseConfig(now)
		o.Apps[0].SignInAudience = flow.SingleTenant
		c.AccountType = flow.SingleTenant
		off := offlinePass()
		off[flow.CheckAudience] = flow.Fail
		out = append(out, Scenario{
			Name:  "single-tenant-common",
			Title: "Single-tenant app used with the tenant common",
			Description: "The app accepts only Contoso's accounts, but Hiveku's tenant is common. The wizard refuses this combination (and verify's offline check fails too); " +
				"live, Microsoft sends the browser back with invalid_request and AADSTS50194. Fix: use the Directory (tenant) ID " + ContosoTenantID + " as the tenant, or make the app multitenant.",
			Options: o, Config: c, User: "alex@contoso.com", Accept: true,
			Expect: expect(off, map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Pass, flow.CheckConsent: flow.Fail,
			}, afterConsent...),
			ExpectCode: 50194,
		})
	}
	// personal-account-blocked
	{
		o, c := baseOptions(now), baseConfig(now)
		o.Apps[0].SignInAudience = flow.MultiTenant
		c.AccountType = flow.MultiTenant
		off := offlinePass()
		off[flow.CheckAudience] = flow.Warn // byok recommends organizations
		out = append(out, Scenario{
			Name:  "personal-account-blocked",
			Title: "Personal account signs in to a work-and-school-only app",
			Description: "The app accepts accounts in any organizational directory only, and sam@outlook.com is a personal Microsoft account. " +
				"Microsoft's personal-account sign-in page stops with \"We're unable to complete your request\" and unauthorized_client \"The client does not exist or is not enabled for consumers\" (no AADSTS code, no redirect). " +
				"Fix: change Supported account types to include personal accounts, or sign in with a work or school account.",
			Options: o, Config: c, User: "sam@outlook.com", Accept: true,
			Expect: expect(off, map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Pass, flow.CheckConsent: flow.Fail,
			}, afterConsent...),
		})
	}
	// admin-approval-required
	{
		o, c := baseOptions(now), baseConfig(now)
		o.Tenants[0].UserConsentBlocked = true
		out = append(out, Scenario{
			Name:  "admin-approval-required",
			Title: "The tenant does not let users consent",
			Description: "Contoso's user consent setting is \"Do not allow user consent\". Alex is not an administrator, so Microsoft shows \"Need admin approval\" (AADSTS90094) instead of the consent screen. " +
				"Fix: an administrator clicks Grant admin consent for Contoso under API permissions (or opens byok consent-url --admin).",
			Options: o, Config: c, User: "alex@contoso.com", Accept: true,
			Expect: expect(offlinePass(), map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Pass, flow.CheckConsent: flow.Fail,
			}, afterConsent...),
			ExpectCode: 90094,
		})
	}
	// consent-declined
	{
		o, c := baseOptions(now), baseConfig(now)
		out = append(out, Scenario{
			Name:        "consent-declined",
			Title:       "The user presses Cancel on the consent screen",
			Description: "Everything is registered correctly, but Alex presses Cancel. Microsoft redirects back with error=access_denied and AADSTS65004. Fix: run verify again and press Accept.",
			Options:     o, Config: c, User: "alex@contoso.com", Accept: false,
			Expect: expect(offlinePass(), map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Pass, flow.CheckConsent: flow.Fail,
			}, afterConsent...),
			ExpectCode: 65004,
		})
	}
	// personal-account: the recommended account type, an outlook.com user
	{
		o, c := baseOptions(now), baseConfig(now)
		out = append(out, Scenario{
			Name:  "personal-account",
			Title: "A personal Microsoft account (outlook.com) signs in",
			Description: "The same app as happy; Sam signs in with sam@outlook.com. Graph's /me has \"mail\": null for personal accounts, " +
				"so byok takes the address from userPrincipalName; every check passes and the mailbox sam@outlook.com is shown.",
			Options: o, Config: c, User: "sam@outlook.com", Accept: true,
			Expect: expect(offlinePass(), map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Pass, flow.CheckConsent: flow.Pass,
				flow.CheckToken: flow.Pass, flow.CheckMailbox: flow.Pass, flow.CheckRefresh: flow.Pass, flow.CheckAccess: flow.Pass,
			}),
			ExpectEmail: "sam@outlook.com",
		})
	}
	// permission-not-granted: Microsoft leaves a requested permission out
	{
		o, c := baseOptions(now), baseConfig(now)
		o.Apps[0].Scopes = append(o.Apps[0].Scopes, "User.ReadBasic.All")
		c.Scopes = append(c.Scopes, "User.ReadBasic.All")
		out = append(out, Scenario{
			Name:  "permission-not-granted",
			Title: "A requested permission is missing from the token",
			Description: "The app also asks for User.ReadBasic.All, a directory permission a personal account cannot hold. Sam (sam@outlook.com) accepts, " +
				"and Microsoft issues tokens without it and without an error: only the token's scope shows it. byok's access check fails naming the permission. " +
				"Fix: remove the permission from the app registration and byok's config, or sign in with a work or school account.",
			Options: o, Config: c, User: "sam@outlook.com", Accept: true,
			Expect: expect(offlinePass(), map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Pass, flow.CheckConsent: flow.Pass,
				flow.CheckToken: flow.Pass, flow.CheckMailbox: flow.Pass, flow.CheckRefresh: flow.Pass, flow.CheckAccess: flow.Fail,
			}),
			ExpectEmail: "sam@outlook.com",
			ExpectFix:   "User.ReadBasic.All",
		})
	}
	// mailbox-not-licensed: a work account without Exchange Online
	{
		o, c := baseOptions(now), baseConfig(now)
		// "mail" is populated by Exchange Online; without it Graph has
		// null (SocialiteProviders/Providers#390) and the mail and
		// calendar calls answer 404 MailboxNotEnabledForRESTAPI.
		o.Users = append(o.Users, User{ID: "4b0d5a6f-7e8c-4d9e-8f0a-1b2c3d4e5f6a", UPN: "lee@contoso.com", DisplayName: "Lee Chen", TenantID: ContosoTenantID})
		out = append(out, Scenario{
			Name:  "mailbox-not-licensed",
			Title: "The user has no Exchange Online mailbox",
			Description: "Everything is registered correctly, but lee@contoso.com has no Exchange Online licence. Sign-in, consent and tokens work; " +
				"Graph answers the mail and calendar calls with 404 MailboxNotEnabledForRESTAPI. Fix: assign Lee a licence that includes Exchange Online " +
				"(or connect a user whose mailbox is in Exchange Online, not on-premises).",
			Options: o, Config: c, User: "lee@contoso.com", Accept: true,
			Expect: expect(offlinePass(), map[string]flow.Status{
				flow.CheckDiscovery: flow.Pass, flow.CheckCreds: flow.Pass, flow.CheckConsent: flow.Pass,
				flow.CheckToken: flow.Pass, flow.CheckMailbox: flow.Warn, flow.CheckRefresh: flow.Pass, flow.CheckAccess: flow.Fail,
			}),
			ExpectEmail: "lee@contoso.com",
			ExpectFix:   "Exchange Online",
		})
	}
	return out
}

// FindScenario returns the scenario called name, built for now.
func FindScenario(name string, now time.Time) (Scenario, bool) {
	for _, s := range Scenarios(now) {
		if s.Name == name {
			return s, true
		}
	}
	return Scenario{}, false
}

// ScenarioNames lists the scenario names in order.
func ScenarioNames() []string {
	var names []string
	for _, s := range Scenarios(DefaultNow) {
		names = append(names, s.Name)
	}
	return names
}
