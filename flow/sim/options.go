package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hiveku/byok/flow"
)

// ParseOptions reads Options from JSON (the `byok simulate --config`
// file) and validates them. Unknown fields are refused so that a typo
// does not silently change the simulated world. Errors are EINVALID
// *flow.Error naming the field.
//
// The shape (every key optional unless said otherwise):
//
//	{
//	  "tenants": [{"id": "GUID (required)", "displayName": "Contoso",
//	               "domains": ["contoso.com"], "userConsentBlocked": false,
//	               "adminOnlyScopes": ["Mail.Send"], "adminConsented": ["APP-ID"],
//	               "usersCannotRegisterApps": false}],
//	  "replicationDelay": 0,
//	  "users":   [{"id": "GUID (required)", "userPrincipalName": "alex@contoso.com (required)",
//	               "mail": "alex@contoso.com", "displayName": "Alex Wilber",
//	               "tenantId": "GUID (required unless personal)", "personal": false,
//	               "password": "", "admin": false}],
//	  "apps":    [{"displayName": "Acme Hiveku (required)", "appId": "GUID (required)",
//	               "homeTenantId": "GUID (required)",
//	               "signInAudience": "AzureADMyOrg|AzureADMultipleOrgs|AzureADandPersonalMicrosoftAccount|PersonalMicrosoftAccount",
//	               "webRedirectUris": ["https://app.hiveku.com/api/oauth/microsoft/callback"],
//	               "spaRedirectUris": [], "publicClientRedirectUris": [],
//	               "passwordCredentials": [{"keyId": "GUID", "secretText": "fixture value",
//	                                        "endDateTime": "2028-11-27T00:00:00Z"}],
//	               "scopes": ["offline_access", "User.Read", "Mail.ReadWrite"],
//	               "publisherVerified": false}]
//	}
//
// Secrets in such a file are fixtures for the simulator only.
func ParseOptions(r io.Reader) (Options, error) {
	var o Options
	data, err := io.ReadAll(r)
	if err != nil {
		return o, fmt.Errorf("read simulator config: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&o); err != nil {
		var se *json.SyntaxError
		msg := err.Error()
		if errors.As(err, &se) {
			msg = fmt.Sprintf("invalid JSON at byte %d: %v", se.Offset, err)
		}
		msg = strings.TrimPrefix(msg, "json: ")
		return o, flow.Invalid("config", "%s", msg).WithFix("fix the file; the shape is in `byok simulate --help`")
	}
	return o, o.Validate()
}

// Validate checks that o describes a usable world: at least one app,
// GUIDs where Microsoft has GUIDs, known audiences, users in known
// tenants. It returns an EINVALID *flow.Error naming the field.
func (o Options) Validate() error {
	fix := "see the shape in `byok simulate --help`"
	if len(o.Apps) == 0 {
		return flow.Invalid("apps", "no app registration is defined").WithFix("add one entry to \"apps\" (%s)", fix)
	}
	tenants := map[string]bool{ConsumersTenantID: true}
	for i, t := range o.Tenants {
		if !isGUID(t.ID) {
			return flow.Invalid(fmt.Sprintf("tenants[%d].id", i), "%q is not a GUID", t.ID).WithFix("use the Directory (tenant) ID, e.g. 4b0c1d2e-7f3a-4c5b-9d6e-1a2b3c4d5e6f")
		}
		tenants[strings.ToLower(t.ID)] = true
	}
	for i, a := range o.Apps {
		f := fmt.Sprintf("apps[%d]", i)
		switch {
		case strings.TrimSpace(a.DisplayName) == "":
			return flow.Invalid(f+".displayName", "is empty").WithFix("name the app as in the portal")
		case !isGUID(a.ClientID):
			return flow.Invalid(f+".appId", "%q is not a GUID", a.ClientID).WithFix("use the Application (client) ID")
		case !a.SignInAudience.Valid():
			return flow.Invalid(f+".signInAudience", "%q is not an audience", a.SignInAudience).WithFix("use AzureADMyOrg, AzureADMultipleOrgs, AzureADandPersonalMicrosoftAccount or PersonalMicrosoftAccount")
		case !tenants[strings.ToLower(a.HomeTenantID)]:
			return flow.Invalid(f+".homeTenantId", "%q is not one of the tenants", a.HomeTenantID).WithFix("add the tenant to \"tenants\" or correct the ID")
		}
		for j, s := range a.Secrets {
			if s.Value == "" {
				return flow.Invalid(fmt.Sprintf("%s.passwordCredentials[%d].secretText", f, j), "is empty").WithFix("give the fixture secret a value")
			}
		}
	}
	for i, u := range o.Users {
		f := fmt.Sprintf("users[%d]", i)
		switch {
		case strings.TrimSpace(u.UPN) == "":
			return flow.Invalid(f+".userPrincipalName", "is empty").WithFix("give the account a sign-in name such as alex@contoso.com")
		case u.ID == "":
			return flow.Invalid(f+".id", "is empty").WithFix("give the account an object ID (a GUID)")
		case !u.Personal && !tenants[strings.ToLower(u.TenantID)]:
			return flow.Invalid(f+".tenantId", "%q is not one of the tenants", u.TenantID).WithFix("add the tenant to \"tenants\", or set \"personal\": true for a Microsoft account")
		}
	}
	return nil
}
