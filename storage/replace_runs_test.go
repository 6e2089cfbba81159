package storage_test

import (
	"context"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

// TestReplaceKeepsRunsOnlyForTheSameApp: replacing a config to fix e.g.
// its tenant keeps its verification history; replacing it with another
// app registration (client ID) drops runs that vouched for the old one.
func TestReplaceKeepsRunsOnlyForTheSameApp(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	c := validConfig("Acme Hiveku")
	if err := s.SaveConfig(ctx, c, false); err != nil {
		t.Fatal(err)
	}
	run := flow.Run{Name: c.Name, At: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC), OK: true, Email: "alex@contoso.com",
		Checks: []flow.Check{{ID: flow.CheckMailbox, Status: flow.Pass, Detail: "signed in"}}}
	if err := s.SaveRun(ctx, run); err != nil {
		t.Fatal(err)
	}
	runs := func() int {
		t.Helper()
		rs, err := s.Runs(ctx, c.Name, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(rs)
	}
	c.Tenant = "organizations"
	c.AccountType = flow.MultiTenant
	if err := s.SaveConfig(ctx, c, true); err != nil {
		t.Fatal(err)
	}
	if got := runs(); got != 1 {
		t.Errorf("same app replaced: %d runs, want 1 kept", got)
	}
	c.ClientID = "99999999-2222-3333-4444-555555555555"
	if err := s.SaveConfig(ctx, c, true); err != nil {
		t.Fatal(err)
	}
	if got := runs(); got != 0 {
		t.Errorf("another app replaced in: %d runs, want 0", got)
	}
}
