package doctor

import "strings"

// inferRules map words of Microsoft's message to a category, first match
// wins; they order specific before general ("reply address" before
// "application", "client secret" before "client").
var inferRules = []struct {
	category string
	words    []string
}{
	{"redirect-uri", []string{"reply address", "reply url", "redirect uri", "redirect_uri", "redirecturi", "reply_url"}},
	{"account-type", []string{"multi-tenant", "msa tenant", "microsoft account", "personal account"}},
	{"tenant", []string{"/common or /consumers", "tenant-identifying", "tenant identifier", "tenant-specific"}},
	{"sign-in-policy", []string{"username or password", "conditional access", "multi-factor", "multifactor", "strong authentication"}},
	{"client-secret", []string{"client secret", "client_secret", "secret key", "credential", "client assertion", "client_assertion", "certificate", "keys for app"}},
	{"client-id", []string{"application with identifier", "application identifier"}},
	{"scope", []string{"resource principal", "invalid resource"}},
	{"throttling", []string{"throttl", "too many requests", "rate limit", "try again in a few minutes"}},
	{"platform", []string{"response_type", "single-page", "cross-origin", "public client", "native client"}},
	{"auth-code", []string{"authorization code", "auth code", "code_verifier", "code_challenge", "pkce", "grant type", "grant_type"}},
	{"refresh-token", []string{"refresh token", "refresh_token"}},
	{"consent", []string{"consent", "admin approval", "admin permission", "requires admin", "permission to grant"}},
	{"scope", []string{"scope", "permission", "resource '"}},
	{"account-type", []string{"consumers", "identity provider", "external user", "guest", "does not exist in tenant", "account type"}},
	{"tenant", []string{"tenant", "directory", "realm", "cloud instance", "national cloud"}},
	{"sign-in-policy", []string{"mfa", "password", "device", "locked", "blocked", "policy", "compliant", "session", "user context"}},
	{"app-disabled", []string{"disabled", "deleted"}},
	{"client-id", []string{"client_id", "client id", "app id", "appid"}},
}

// InferCategory picks a category for a message byok has no catalog entry
// for, from what Microsoft's words name (reply address → redirect-uri,
// tenant identifier → tenant, consent → consent, client secret or
// credential → client-secret, scope or permission → scope, …); "other"
// only when the message names nothing byok knows.
func InferCategory(message string) string {
	lc := strings.ToLower(message)
	for _, r := range inferRules {
		for _, w := range r.words {
			if strings.Contains(lc, w) {
				return r.category
			}
		}
	}
	return "other"
}

// categoryCause and categoryFix explain an uncatalogued code by its
// category.
var categoryCause = map[string]string{
	"redirect-uri":   "its message is about the redirect (reply) address of the app.",
	"account-type":   "its message is about which kinds of account the app accepts.",
	"tenant":         "its message is about the tenant (directory) the request names.",
	"consent":        "its message is about consent to the app's permissions.",
	"client-secret":  "its message is about the app's client secret or credentials.",
	"client-id":      "its message is about the application (client) ID.",
	"scope":          "its message is about the permissions (scopes) requested.",
	"auth-code":      "its message is about the authorization code step of the sign-in.",
	"refresh-token":  "its message is about a refresh token.",
	"sign-in-policy": "its message is about the user's sign-in (password, MFA, Conditional Access or device policy).",
	"app-disabled":   "its message says something is disabled or removed.",
	"platform":       "its message is about the platform the redirect URI is registered under.",
	"throttling":     "its message says Microsoft is limiting requests.",
	"other":          "its message names nothing byok can place.",
}

var categoryFix = map[string]string{
	"redirect-uri":   "Compare the redirect URI in the message with App registrations > [your app] > Authentication > Web; Hiveku's is https://app.hiveku.com/api/oauth/microsoft/callback.",
	"account-type":   "Check App registrations > [your app] > Authentication > Supported account types against the account signing in (work, school or personal).",
	"tenant":         "Check the tenant Hiveku uses: the Directory (tenant) ID from the app's Overview page, a verified domain, or common.",
	"consent":        "Grant consent: App registrations > [your app] > API permissions > Grant admin consent, or sign in again and accept.",
	"client-secret":  "Create a new client secret (Certificates & secrets), copy its Value and save it in Hiveku (byok rotate NAME).",
	"client-id":      "Re-copy the Application (client) ID from the app's Overview page into Hiveku.",
	"scope":          "Check the permissions under App registrations > [your app] > API permissions and in Hiveku's permission list.",
	"auth-code":      "Start the connection again from Hiveku; codes are single use and short-lived.",
	"refresh-token":  "Have the user connect Outlook again in Hiveku.",
	"sign-in-policy": "The user finishes what the browser asks (password, MFA), or the tenant's administrator adjusts the policy named.",
	"app-disabled":   "An administrator re-enables the app or resource under Enterprise applications.",
	"platform":       "Register Hiveku's redirect URI under the Web platform, not SPA or Mobile and desktop.",
	"throttling":     "Wait a few minutes and try again.",
	"other":          "Read Microsoft's message below and fix what it names.",
}
