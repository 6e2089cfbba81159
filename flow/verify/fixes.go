package verify

import "fmt"

// builtinFixes are short fixes for the AADSTS codes a BYOK setup meets
// most. The doctor (wired in through Verifier.Diagnose) knows many more;
// these make the engine useful on its own.
var builtinFixes = map[int]string{
	50011:   "add the exact redirect URI (scheme, host, port, path, case, trailing slash) under Authentication > Web in the app registration",
	500113:  "add the redirect URI under Authentication > Web in the app registration",
	50020:   "sign in with an account of the app's home tenant, invite the user as a guest, or make the app multitenant",
	50194:   "the app is single tenant: set the tenant to the Directory (tenant) ID, or change Supported account types to multitenant",
	500208:  "sign in with a work or school account, or change Supported account types to include personal accounts",
	65001:   "an admin must grant consent: API permissions > Grant admin consent, or open `byok consent-url NAME --admin`",
	65004:   "the consent screen was cancelled: run verify again and choose Accept",
	700016:  "re-copy the Application (client) ID from the app's Overview page, and check the tenant is the app's home directory",
	7000215: "the secret value is wrong (often the Secret ID was copied): create a new secret and copy its Value column, then run `byok rotate NAME`",
	7000218: "the secret is missing: run `byok rotate NAME` to enter the client secret value",
	7000222: "the client secret has expired: create a new one under Certificates & secrets and run `byok rotate NAME`",
	700025:  "the redirect URI is on the Mobile and desktop platform: move it to Web, and turn off \"Allow public client flows\"",
	70011:   "remove unknown or mixed scopes from the config's permissions",
	70000:   "the code was refused: run verify again (codes are single use and live about 10 minutes)",
	700005:  "authorize and token requests used different tenants: use the same tenant for both",
	54005:   "the code was already used: run verify again",
	501481:  "the PKCE verifier did not match; run verify again",
	90002:   "the tenant was not found: re-copy the Directory (tenant) ID from the app's Overview page, and check the cloud",
	90094:   "the tenant requires admin consent: an admin grants it under API permissions or with `byok consent-url NAME --admin`",
	9001023: "client credentials need a tenant: set the Directory (tenant) ID",
	9002325: "the redirect URI is registered as a single-page application: move it to the Web platform",
	9002326: "the token request was sent from a browser: register the redirect URI under Web and redeem server-side",
	9002327: "the redirect URI is registered as a single-page application: move it to the Web platform",
	9002331: "the app accepts personal accounts only: set the tenant to consumers, or change Supported account types",
	9002332: "the app accepts work and school accounts only: do not use the consumers tenant",
	50105:   "assign the user to the enterprise application, or turn off \"Assignment required\"",
	53003:   "a Conditional Access policy blocked the sign-in: ask the tenant admin to allow it",
	50076:   "multi-factor authentication is required: complete it in the browser and run verify again",
	700082:  "the refresh token expired: run the consent again",
	70008:   "the refresh token expired: run the consent again",
	50173:   "the grant was revoked: sign in again",
	90014:   "the request is missing a field: check the client ID and tenant",
	650057:  "add Microsoft Graph delegated permissions to the app registration",
	650056:  "add Microsoft Graph delegated permissions and grant consent",
}

// checkFixes are fallbacks when no code is known.
var checkFixes = map[string]string{
	"discovery": "check the tenant (Directory ID, domain, common, organizations or consumers) and the cloud (--cloud)",
	"secret":    "check the Application (client) ID, the Directory (tenant) ID and the secret value (`byok rotate NAME`)",
	"consent":   "read the error in the browser and run `byok doctor` with it, or run verify again",
	"token":     "run verify again; if it keeps failing, check the redirect URI is registered under Web",
	"mailbox":   "make sure the signed-in user has a mailbox and the app has User.Read or a mail permission",
	"refresh":   "make sure offline_access is among the app's permissions and consent again",
	"access":    "grant the missing permissions (API permissions > Grant admin consent) and run verify again",
}

// fix returns the fix for a failed check: the doctor's when wired,
// else the built-in one for the code, else the check's fallback.
func (v *Verifier) fix(id string, code int, text string) string {
	if v.Diagnose != nil && text != "" {
		if _, f := v.Diagnose(text); f != "" {
			return f
		}
	}
	if f, ok := builtinFixes[code]; ok {
		return f
	}
	if code != 0 {
		return fmt.Sprintf("look up AADSTS%d with `byok doctor` or at https://login.microsoftonline.com/error?code=%d", code, code)
	}
	return checkFixes[id]
}
