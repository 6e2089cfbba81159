package manifest_test

import (
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/manifest"
)

// TestAuditWarnsWithoutUserRead: an app whose registration lacks User.Read
// (which the portal adds by default) gets a warning naming it, since the
// signed-in address is read from Graph /me.
func TestAuditWarnsWithoutUserRead(t *testing.T) {
	m := mustParseFile(t, "graph-good.json")
	for i, r := range m.Resources {
		if r.AppID != flow.GraphAppID {
			continue
		}
		var keep []manifest.Access
		for _, a := range r.Access {
			if !strings.EqualFold(a.ID, "e1fe6dd8-ba31-4d61-89e7-88639da4683d") {
				keep = append(keep, a)
			}
		}
		m.Resources[i].Access = keep
	}
	cfg := testConfig()
	c := byID(manifest.Audit(m, manifest.Options{Config: &cfg, Catalog: catalog, Now: now}))[manifest.CheckPermissions]
	if c.Status != flow.Warn || !strings.Contains(c.Detail, "User.Read") || !strings.Contains(c.Fix, "add User.Read") {
		t.Errorf("permissions = %s (%s; fix %q), want a warning naming User.Read", c.Status, c.Detail, c.Fix)
	}
}
