package flow

// Permission is one Microsoft Graph delegated permission from the catalog
// (assets.Permissions).
type Permission struct {
	Name         string `json:"name"`          // e.g. Mail.ReadWrite
	ID           string `json:"id"`            // permission (scope) GUID
	Description  string `json:"description"`   // plain words, as on the consent screen
	AdminConsent bool   `json:"admin_consent"` // requires admin consent by default
	Mail         bool   `json:"mail,omitempty"`
	Calendar     bool   `json:"calendar,omitempty"`
}

// Scope presets for step 4.
var ScopePresets = map[string][]string{
	"full":      {"offline_access", "Mail.ReadWrite", "Mail.Send", "Calendars.ReadWrite"},
	"read":      {"offline_access", "Mail.Read"},
	"send-only": {"offline_access", "Mail.Send"},
}
