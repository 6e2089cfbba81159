package flow

import "strings"

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

// ScopePresetOrder lists the preset names in the order to offer them;
// "full" is the default.
var ScopePresetOrder = []string{"full", "read", "send-only"}

// MatchPreset returns the name of the preset whose scopes are exactly
// scopes (in any order and case), or "" for a custom set.
func MatchPreset(scopes []string) string {
	for _, name := range ScopePresetOrder {
		p := ScopePresets[name]
		if len(p) != len(scopes) {
			continue
		}
		match := true
		for _, s := range p {
			found := false
			for _, t := range scopes {
				if strings.EqualFold(s, t) {
					found = true
					break
				}
			}
			match = match && found
		}
		if match {
			return name
		}
	}
	return ""
}
