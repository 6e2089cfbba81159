package flow

import "strings"

// Normalize returns c with user input in the form byok stores and sends
// to Microsoft: name through NormalizeName (NFC, inner spaces
// collapsed); redirect URI and secret description trimmed;
// client and directory IDs as lower-case canonical GUIDs (braces and
// upper case removed: Microsoft rejects a braced client_id); the tenant
// through NormalizeTenant; scopes trimmed with empty entries and
// case-insensitive duplicates dropped (first kept); the secret value
// trimmed. Values that don't parse are left as they are for Validate to
// report. Call it before Validate when saving what a person typed.
func (c Config) Normalize() Config {
	c.Name = NormalizeName(c.Name)
	c.RedirectURI = strings.TrimSpace(c.RedirectURI)
	c.SecretInfo.Description = strings.TrimSpace(c.SecretInfo.Description)
	if g, ok := NormalizeGUID(c.ClientID); ok {
		c.ClientID = g
	} else {
		c.ClientID = strings.TrimSpace(c.ClientID)
	}
	if g, ok := NormalizeGUID(c.DirectoryID); ok {
		c.DirectoryID = g
	} else {
		c.DirectoryID = strings.TrimSpace(c.DirectoryID)
	}
	c.Tenant = NormalizeTenant(c.Tenant)
	if c.Scopes != nil {
		seen := map[string]bool{}
		scopes := make([]string, 0, len(c.Scopes))
		for _, s := range c.Scopes {
			s = strings.TrimSpace(s)
			if k := strings.ToLower(s); s != "" && !seen[k] {
				seen[k] = true
				scopes = append(scopes, s)
			}
		}
		c.Scopes = scopes
	}
	if v := c.Secret.Reveal(); v != strings.TrimSpace(v) {
		c.Secret = Secret(strings.TrimSpace(v))
	}
	return c
}
