package e2e

import (
	"context"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sim"
	"github.com/hiveku/byok/flow/verify"
)

// TestPromptSelectAccountAfterAdminConsent: in a tenant that blocks user
// consent, once an admin granted consent, prompt=consent still ends on
// "Need admin approval" (AADSTS90094) while prompt=select_account signs
// the user in: the escape hatch the 90094 fix points to.
func TestPromptSelectAccountAfterAdminConsent(t *testing.T) {
	sc, ok := sim.FindScenario("admin-approval-required", now)
	if !ok {
		t.Fatal("no admin-approval-required scenario")
	}
	for i := range sc.Options.Tenants {
		sc.Options.Tenants[i].AdminConsented = append(sc.Options.Tenants[i].AdminConsented, sim.DemoClientID)
	}
	for _, tt := range []struct {
		prompt string
		want   flow.Status
	}{
		{verify.PromptConsent, flow.Fail},
		{verify.PromptSelectAccount, flow.Pass},
	} {
		t.Run(tt.prompt, func(t *testing.T) {
			v, rep := setup(t, sc, false)
			v.Prompt = tt.prompt
			run, err := v.Verify(context.Background(), sc.Config, rep, false)
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range run.Checks {
				if c.ID == flow.CheckConsent && c.Status != tt.want {
					t.Errorf("consent = %s (%s), want %s", c.Status, c.Detail, tt.want)
				}
			}
		})
	}
}
