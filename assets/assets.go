// Package assets holds byok's embedded data and typed accessors for it:
// the per-step help texts of the wizard, the Microsoft Graph delegated
// permission catalog and (in aadsts.*) the AADSTS error catalog. Parsing
// errors surface in this package's tests, so a broken embed fails CI
// rather than the user.
package assets

import (
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"sync"

	"github.com/hiveku/byok/flow"
)

//go:embed help/*.md
var helpFS embed.FS

//go:embed permissions.json
var permissionsJSON []byte

// StepHelp returns the help text of a wizard step: what to click in the
// Azure portal and why, at most 8 lines of at most 80 columns, without a
// trailing newline. It returns "" for a step without help.
func StepHelp(id flow.StepID) string {
	if id == "" || strings.ContainsAny(string(id), "/\\.") {
		return ""
	}
	b, err := helpFS.ReadFile("help/" + string(id) + ".md")
	if err != nil {
		return ""
	}
	return strings.TrimRight(string(b), "\n")
}

// permissionCatalog parses permissions.json once.
var permissionCatalog = sync.OnceValues(func() ([]flow.Permission, error) {
	return parsePermissions(permissionsJSON)
})

// Permissions returns the Microsoft Graph delegated permissions byok
// offers, in catalog order (a copy the caller may change). The embed is
// parsed once; an error means the embedded file is broken.
func Permissions() ([]flow.Permission, error) {
	ps, err := permissionCatalog()
	if err != nil {
		return nil, err
	}
	return append([]flow.Permission(nil), ps...), nil
}

// Permission returns the catalog entry for name (case-insensitive) and
// whether it exists.
func Permission(name string) (flow.Permission, bool) {
	ps, err := permissionCatalog()
	if err != nil {
		return flow.Permission{}, false
	}
	for _, p := range ps {
		if strings.EqualFold(p.Name, name) {
			return p, true
		}
	}
	return flow.Permission{}, false
}

// parsePermissions decodes and checks a catalog: every entry needs a
// name, a GUID id and a description, and names and ids are unique.
func parsePermissions(b []byte) ([]flow.Permission, error) {
	var doc struct {
		Permissions []flow.Permission `json:"permissions"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("parse permissions.json: %w", err)
	}
	if len(doc.Permissions) == 0 {
		return nil, fmt.Errorf("parse permissions.json: no permissions")
	}
	names := map[string]bool{}
	ids := map[string]bool{}
	for i, p := range doc.Permissions {
		g, ok := flow.NormalizeGUID(p.ID)
		switch {
		case p.Name == "":
			return nil, fmt.Errorf("parse permissions.json: entry %d has no name", i)
		case !ok || g != p.ID:
			return nil, fmt.Errorf("parse permissions.json: %s: id %q is not a lower-case GUID", p.Name, p.ID)
		case strings.TrimSpace(p.Description) == "":
			return nil, fmt.Errorf("parse permissions.json: %s has no description", p.Name)
		case names[strings.ToLower(p.Name)]:
			return nil, fmt.Errorf("parse permissions.json: %s is listed twice", p.Name)
		case ids[p.ID]:
			return nil, fmt.Errorf("parse permissions.json: id %s is listed twice", p.ID)
		}
		names[strings.ToLower(p.Name)] = true
		ids[p.ID] = true
	}
	return doc.Permissions, nil
}
