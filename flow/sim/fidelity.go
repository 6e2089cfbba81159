package sim

import "strings"

// Errors and rules that follow what people have seen Microsoft do, each
// with its source. They live apart from errors.go so that the catalog of
// observed behaviour stays in one place.

// errUnknownScope is /authorize's answer to a scope Microsoft Graph does
// not define. Microsoft sends it back to the app (a registered redirect
// URI is already trusted) as invalid_client with AADSTS650053, not the
// token endpoint's AADSTS70011. Sources: "AADSTS650053: The application
// … asked for scope 'AllSites.Read' that doesn't exist on the resource
// '00000003-0000-0000-c000-000000000000'" in an OpenIdConnect redirect
// (damienbod/AspNetCoreMicrosoftGraph#1,
// Azure-Samples/active-directory-aspnetcore-webapp-openidconnect-v2#554),
// and "only visible in the URL query string" (WPManageNinja/fluent-smtp#154).
func errUnknownScope(a *App, scope string) *stsError {
	return newErr(400, "invalid_client", 650053, "The application '%s' asked for scope '%s' that doesn't exist on the resource '%s'. Contact the app vendor.", a.DisplayName, scope, graphAppID)
}

// graphAppID is Microsoft Graph's application ID (its resource in
// AADSTS650053).
const graphAppID = "00000003-0000-0000-c000-000000000000"

// errAdminConsentDeclined is the redirect after an administrator presses
// Cancel on the admin consent screen: error=access_denied with
// AADSTS65004 (and admin_consent=True, without tenant). Source: the
// captured redirect in MicrosoftDocs/azure-docs#114009 ("tenant
// parameter is not present in error response").
func errAdminConsentDeclined() *stsError {
	return errDeclined()
}

// redirectsToApp reports whether Microsoft sends e back to the app's
// (registered) redirect URI instead of showing it on its own page.
// AADSTS50194, the single-tenant app on /common, comes back as
// error=invalid_request: "error=invalid_request&error_description=AADSTS50194"
// (syncweek-react-aad/react-aad#250) and OpenIdConnectProtocolException
// "Message contains error: 'invalid_request', error_description:
// 'AADSTS50194 …'" (microsoftgraph/aspnetcore-connect-sample#65).
func redirectsToApp(e *stsError) bool {
	return e != nil && e.Code == 50194
}

// workOnlyScope reports whether a personal Microsoft account cannot hold
// the Graph permission name. Microsoft leaves such a permission out of
// the token's scope without an error, so the app learns of it only by
// comparing granted with requested scopes. Source: "Scopes being removed
// when getting a token" (Microsoft Q&A 43462: "If the affected account is
// a Microsoft (personal) account you won't get scopes … since they are not
// supported for such type of account"). The simulator applies it to the
// directory-wide permissions, which need an organization.
func workOnlyScope(name string) bool {
	switch name {
	case "User.ReadBasic.All", "User.Read.All", "Directory.Read.All":
		return true
	}
	return false
}

// grantable drops from granted what u's kind of account cannot hold.
func grantable(granted scopeSet, u *User) scopeSet {
	if u == nil || !u.Personal {
		return granted
	}
	out := scopeSet{}
	for k := range granted {
		if !workOnlyScope(k) {
			out[k] = true
		}
	}
	return out
}

// authorizeScopeError is the error for the offending scope bad of a
// sign-in or admin consent request: a name Graph does not define is
// AADSTS650053 (see errUnknownScope); another resource or /.default mixed
// with named scopes stays AADSTS70011, as at the token endpoint.
func authorizeScopeError(a *App, bad string) *stsError {
	if bad != "" && !strings.Contains(bad, "/") {
		return errUnknownScope(a, bad)
	}
	return errInvalidScope(bad)
}
