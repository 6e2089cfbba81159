package cmd

import (
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// TestSetupNoInputRunsTheSteps: for the same bad answer, `setup
// --no-input` reports exactly the error of the wizard's step in flow
// (flow.StepID.Def), exits 2 and stores nothing. The TUI and the
// accessible prompter run the same steps.
func TestSetupNoInputRunsTheSteps(t *testing.T) {
	tests := []struct {
		step  flow.StepID
		field string
		value string
		flags []string
	}{
		{flow.StepName, flow.FieldName, "Acme\x07Hiveku", []string{"--name", "Acme\x07Hiveku"}},
		{flow.StepAccountType, flow.FieldAccountType, "everyone", []string{"--account-type", "everyone"}},
		{flow.StepRedirect, flow.FieldRedirectURI, flow.HivekuRedirectURI + "/", []string{"--redirect-uri", flow.HivekuRedirectURI + "/"}},
		{flow.StepPermissions, flow.FieldScopes, "Mail.Read", []string{"--scopes", "Mail.Read"}},
		{flow.StepSecret, flow.FieldSecretExpiry, "2020-01-01", []string{"--secret-expires", "2020-01-01"}},
		{flow.StepSecret, flow.FieldSecretDescription, strings.Repeat("d", 101), []string{"--secret-description", strings.Repeat("d", 101)}},
		{flow.StepTenant, flow.FieldClientID, "not-a-guid", []string{"--client-id", "not-a-guid"}},
		{flow.StepTenant, flow.FieldTenant, "consumers", []string{"--account-type", "single", "--tenant", "consumers"}},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			// The flow side: the step's Submit on the wizard's answers.
			a := flow.DefaultAnswers()
			a.Name, a.ClientID, a.DirectoryID = "Acme Hiveku", setupClientID, setupDirectoryID
			a.SecretValue = setupFixtureSecret
			if tt.field == flow.FieldTenant {
				a.AccountType = "single"
			}
			a.Set(tt.field, tt.value)
			var c flow.Config
			var want error
			for _, id := range flow.Steps[:tt.step.Number()] {
				if c, _, want = id.Def().Submit(a, c, flow.StepEnv{Now: testNow}); want != nil {
					break
				}
			}
			if want == nil {
				t.Fatalf("step %s accepts %q", tt.step, tt.value)
			}

			f, _, stderr := newTestFactory(t)
			setupStdin(f, setupFixtureSecret)
			if code := runCmd(t, f, setupArgs(tt.flags...)...); code != 2 {
				t.Fatalf("exit %d, want 2\n%s", code, stderr)
			}
			if got := strings.TrimSpace(stderr.String()); got != "byok: "+want.Error() {
				t.Errorf("setup --no-input says\n  %s\nthe step says\n  byok: %s", got, want)
			}
			setupAssertNothingStored(t, f)
		})
	}
}
