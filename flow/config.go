package flow

import (
	"strings"
	"time"
)

// HivekuRedirectURI is the one Web redirect URI Hiveku sends to Microsoft.
const HivekuRedirectURI = "https://app.hiveku.com/api/oauth/microsoft/callback"

// LoopbackRedirectURI is the optional second Web redirect URI used only by
// `byok verify`. Microsoft ignores the port when matching localhost, so byok
// listens on 127.0.0.1:PORT and sends http://localhost:PORT/.
const LoopbackRedirectURI = "http://localhost"

// GraphAppID is the application ID of Microsoft Graph in every tenant.
const GraphAppID = "00000003-0000-0000-c000-000000000000"

// AccountType is the app's "Supported account types", stored as the
// manifest's signInAudience value.
type AccountType string

// The four supported account types, as manifest values.
const (
	SingleTenant        AccountType = "AzureADMyOrg"
	MultiTenant         AccountType = "AzureADMultipleOrgs"
	MultiTenantPersonal AccountType = "AzureADandPersonalMicrosoftAccount"
	PersonalOnly        AccountType = "PersonalMicrosoftAccount"
)

// AccountTypes lists the account types in the portal's order.
var AccountTypes = []AccountType{SingleTenant, MultiTenant, MultiTenantPersonal, PersonalOnly}

// Short returns the flag spelling: single, multi, multi-personal or personal.
func (a AccountType) Short() string {
	switch a {
	case SingleTenant:
		return "single"
	case MultiTenant:
		return "multi"
	case MultiTenantPersonal:
		return "multi-personal"
	case PersonalOnly:
		return "personal"
	}
	return string(a)
}

// Label returns the wording the Azure portal uses for the account type.
func (a AccountType) Label() string {
	switch a {
	case SingleTenant:
		return "Accounts in this organizational directory only (Single tenant)"
	case MultiTenant:
		return "Accounts in any organizational directory (Multitenant)"
	case MultiTenantPersonal:
		return "Accounts in any organizational directory and personal Microsoft accounts (Multitenant + personal)"
	case PersonalOnly:
		return "Personal Microsoft accounts only"
	}
	return string(a)
}

// Valid reports whether a is one of the four manifest values.
func (a AccountType) Valid() bool {
	for _, t := range AccountTypes {
		if a == t {
			return true
		}
	}
	return false
}

// ParseAccountType accepts the flag spelling (single, multi, multi-personal,
// personal) or the manifest value, case-insensitively.
// It returns an EINVALID *Error naming the field otherwise.
func ParseAccountType(s string) (AccountType, error) {
	v := strings.ToLower(strings.TrimSpace(s))
	for _, t := range AccountTypes {
		if v == t.Short() || v == strings.ToLower(string(t)) {
			return t, nil
		}
	}
	switch v {
	case "multi+personal", "multipersonal", "multi_personal":
		return MultiTenantPersonal, nil
	}
	return "", Invalid("account type", "%q is not an account type", s).
		WithFix("use single, multi, multi-personal or personal")
}

// Config is one saved BYOK app registration.
type Config struct {
	// Name is the Azure app's display name and byok's key for it
	// (unique, case-insensitive).
	Name string `json:"name"`
	// AccountType is the signInAudience of the registration.
	AccountType AccountType `json:"account_type"`
	// RedirectURI is the Web platform redirect URI Hiveku uses.
	RedirectURI string `json:"redirect_uri"`
	// CustomRedirect is true when a non-Hiveku redirect URI was confirmed.
	CustomRedirect bool `json:"custom_redirect,omitempty"`
	// Loopback is true when http://localhost is also registered (Web) so
	// that verify can receive the code on a loopback listener.
	Loopback bool `json:"loopback,omitempty"`
	// Scopes are the Graph delegated permissions, catalog-cased.
	Scopes []string `json:"scopes"`
	// ClientID is the Application (client) ID.
	ClientID string `json:"client_id"`
	// DirectoryID is the Directory (tenant) ID where the app is registered.
	DirectoryID string `json:"directory_id"`
	// Tenant is what Hiveku puts in the authority: common, organizations,
	// consumers, the directory GUID or a verified domain.
	Tenant string `json:"tenant"`
	// Secret is the client secret value. It never prints.
	Secret Secret `json:"-"`
	// SecretInfo describes the current secret without its value.
	SecretInfo SecretInfo `json:"secret"`
	// CreatedAt and UpdatedAt are set by storage.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// SecretInfo is everything byok keeps about a client secret except its
// value: safe to print, export and show.
type SecretInfo struct {
	Description string    `json:"description"`
	Hint        string    `json:"hint"` // first three characters, as the portal shows
	Created     time.Time `json:"created"`
	Expires     time.Time `json:"expires"`
	// Retired is set on history entries replaced by a rotation.
	Retired time.Time `json:"retired,omitzero"`
	// Missing is true when the config has no secret value (an import
	// without one, or a lost key): it must be re-entered.
	Missing bool `json:"missing,omitempty"`
	// Unreadable is true when a value is stored but sealed with another
	// key than the one in use (Missing is then true too): the fix is the
	// old key, not a new secret.
	Unreadable bool `json:"-"`
}

// DaysLeft returns whole days until the secret expires at now (negative
// once expired).
func (s SecretInfo) DaysLeft(now time.Time) int {
	if s.Expires.IsZero() {
		return 0
	}
	d := s.Expires.Sub(now)
	days := int(d / (24 * time.Hour))
	if d < 0 && d%(24*time.Hour) != 0 {
		days--
	}
	return days
}

// HasScope reports whether c requests the scope (case-insensitive).
func (c Config) HasScope(scope string) bool {
	for _, s := range c.Scopes {
		if strings.EqualFold(s, scope) {
			return true
		}
	}
	return false
}
