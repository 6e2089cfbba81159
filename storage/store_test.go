package storage_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/hiveku/byok/flow"
)

func TestSaveAndFindConfig(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	c := validConfig("Acme Hiveku")
	c.Loopback = true
	if err := s.SaveConfig(ctx, c, false); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"Acme Hiveku", "acme hiveku", "ACME HIVEKU", " Acme Hiveku "} {
		t.Run(name, func(t *testing.T) {
			got, err := s.FindConfig(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != "Acme Hiveku" || got.Secret.Reveal() != fixtureSecret || !got.Loopback {
				t.Errorf("got name %q loopback %v secret ok %v", got.Name, got.Loopback, got.Secret.Reveal() == fixtureSecret)
			}
			if !reflect.DeepEqual(got.Scopes, c.Scopes) || got.ClientID != c.ClientID || got.DirectoryID != c.DirectoryID ||
				got.Tenant != c.Tenant || got.AccountType != c.AccountType || got.RedirectURI != c.RedirectURI {
				t.Errorf("fields differ: %+v", got)
			}
			want := flow.SecretInfo{Description: "Hiveku prod", Hint: "Fx7…", Created: testNow, Expires: c.SecretInfo.Expires.UTC()}
			if !reflect.DeepEqual(got.SecretInfo, want) {
				t.Errorf("secret info = %+v, want %+v", got.SecretInfo, want)
			}
			if !got.CreatedAt.Equal(testNow) || !got.UpdatedAt.Equal(testNow) {
				t.Errorf("created %v updated %v, want %v", got.CreatedAt, got.UpdatedAt, testNow)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	tests := map[string]struct {
		run  func() error
		code string
	}{
		"duplicate same case":  {func() error { return s.SaveConfig(ctx, validConfig("Acme"), false) }, flow.ECONFLICT},
		"duplicate other case": {func() error { return s.SaveConfig(ctx, validConfig("aCME"), false) }, flow.ECONFLICT},
		"empty name":           {func() error { return s.SaveConfig(ctx, validConfig("  "), false) }, flow.EINVALID},
		"find missing":         {func() error { _, err := s.FindConfig(ctx, "nope"); return err }, flow.ENOTFOUND},
		"delete missing":       {func() error { return s.DeleteConfig(ctx, "nope") }, flow.ENOTFOUND},
		"rotate missing":       {func() error { return s.RotateSecret(ctx, "nope", secretFor("x", 1), flow.SecretInfo{}) }, flow.ENOTFOUND},
		"rotate empty":         {func() error { return s.RotateSecret(ctx, "Acme", "", flow.SecretInfo{}) }, flow.EINVALID},
		"history missing":      {func() error { _, err := s.SecretHistory(ctx, "nope"); return err }, flow.ENOTFOUND},
		"run missing":          {func() error { return s.SaveRun(ctx, flow.Run{Name: "nope"}) }, flow.ENOTFOUND},
		"runs missing":         {func() error { _, err := s.Runs(ctx, "nope", 1); return err }, flow.ENOTFOUND},
		"draft missing":        {func() error { _, err := s.FindDraft(ctx, "nope"); return err }, flow.ENOTFOUND},
		"draft without name":   {func() error { return s.SaveDraft(ctx, flow.Draft{Step: flow.StepName}) }, flow.EINVALID},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) { wantCode(t, tt.run(), tt.code) })
	}
	var fe *flow.Error
	err := s.SaveConfig(ctx, validConfig("ACME"), false)
	if !asFlow(err, &fe) || fe.Field != "name" || fe.Fix == "" {
		t.Errorf("conflict error should name the field and a fix: %#v", err)
	}
}

func TestReplaceConfig(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveRun(ctx, flow.Run{Name: "Acme", OK: true}); err != nil {
		t.Fatal(err)
	}

	t.Run("same secret keeps no history", func(t *testing.T) {
		c := validConfig("ACME")
		c.Tenant = "organizations"
		if err := s.SaveConfig(ctx, c, true); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindConfig(ctx, "acme")
		if err != nil {
			t.Fatal(err)
		}
		if got.Name != "ACME" || got.Tenant != "organizations" || got.Secret.Reveal() != fixtureSecret {
			t.Errorf("got %q %q", got.Name, got.Tenant)
		}
		h, _ := s.SecretHistory(ctx, "acme")
		if len(h) != 0 {
			t.Errorf("history = %d entries, want 0", len(h))
		}
	})
	t.Run("new secret retires the old", func(t *testing.T) {
		c := validConfig("Acme")
		c.Secret = secretFor("Acme", 2)
		if err := s.SaveConfig(ctx, c, true); err != nil {
			t.Fatal(err)
		}
		got, _ := s.FindConfig(ctx, "Acme")
		if got.Secret.Reveal() != string(secretFor("Acme", 2)) {
			t.Error("secret not replaced")
		}
		h, _ := s.SecretHistory(ctx, "acme")
		if len(h) != 1 || h[0].Hint != "Fx7…" || h[0].Retired.IsZero() {
			t.Errorf("history = %+v", h)
		}
		l, _ := s.ListConfigs(ctx)
		if len(l) != 1 || l[0].LastRun == nil {
			t.Errorf("replace must keep the config's runs: %+v", l)
		}
	})
}

func TestDeleteConfigRemovesEverything(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	for _, n := range []string{"Acme", "Other"} {
		if err := s.SaveConfig(ctx, validConfig(n), false); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveRun(ctx, flow.Run{Name: n}); err != nil {
			t.Fatal(err)
		}
		if err := s.RotateSecret(ctx, n, secretFor(n, 1), flow.SecretInfo{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.DeleteConfig(ctx, "ACME"); err != nil {
		t.Fatal(err)
	}
	if taken, _ := s.NameTaken(ctx, "acme"); taken {
		t.Error("name still taken after delete")
	}
	// Saving it again starts clean: no runs, no history.
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	if runs, _ := s.Runs(ctx, "Acme", 0); len(runs) != 0 {
		t.Errorf("runs survived delete: %d", len(runs))
	}
	if h, _ := s.SecretHistory(ctx, "Acme"); len(h) != 0 {
		t.Errorf("history survived delete: %d", len(h))
	}
	if runs, _ := s.Runs(ctx, "Other", 0); len(runs) != 1 {
		t.Errorf("other config's runs = %d, want 1", len(runs))
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestNameTaken(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.SaveConfig(ctx, validConfig("Acme Hiveku"), false); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{"Acme Hiveku": true, "ACME hiveku": true, "Acme": false, "": false} {
		t.Run(name, func(t *testing.T) {
			got, err := s.NameTaken(ctx, name)
			if err != nil || got != want {
				t.Errorf("NameTaken(%q) = %v, %v; want %v", name, got, err, want)
			}
		})
	}
}

func TestDrafts(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	clock := testNow
	d := flow.Draft{Config: flow.Config{Name: "Acme", AccountType: flow.MultiTenant}, Step: flow.StepAccountType}
	if err := s.SaveDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	d.Config.Secret = flow.Secret(fixtureSecret)
	d.Config.SecretInfo.Description = "prod"
	d.Step = flow.StepSecret
	if err := s.SaveDraft(ctx, d); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindDraft(ctx, "ACME")
	if err != nil {
		t.Fatal(err)
	}
	if got.Step != flow.StepSecret || got.Config.Secret.Reveal() != fixtureSecret || got.Config.AccountType != flow.MultiTenant ||
		got.Config.SecretInfo.Hint != "Fx7…" || !got.UpdatedAt.Equal(clock) {
		t.Errorf("draft = step %q type %q hint %q updated %v", got.Step, got.Config.AccountType, got.Config.SecretInfo.Hint, got.UpdatedAt)
	}
	if err := s.SaveDraft(ctx, flow.Draft{Config: flow.Config{Name: "Beta"}, Step: flow.StepName}); err != nil {
		t.Fatal(err)
	}
	ds, err := s.ListDrafts(ctx)
	if err != nil || len(ds) != 2 {
		t.Fatalf("ListDrafts = %d, %v", len(ds), err)
	}

	// Saving the config removes its draft in the same transaction.
	if err := s.SaveConfig(ctx, validConfig("acme"), false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.FindDraft(ctx, "Acme"); flow.ErrorCode(err) != flow.ENOTFOUND {
		t.Errorf("draft survived SaveConfig: %v", err)
	}
	if err := s.DeleteDraft(ctx, "beta"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteDraft(ctx, "beta"); err != nil {
		t.Errorf("deleting a missing draft: %v", err)
	}
	if ds, _ := s.ListDrafts(ctx); len(ds) != 0 {
		t.Errorf("drafts left: %d", len(ds))
	}
}

func TestListDraftsNewestFirst(t *testing.T) {
	ctx := context.Background()
	clock := testNow
	s, _ := openWithClock(t, func() time.Time { return clock })
	for i, n := range []string{"one", "two", "three"} {
		clock = testNow.Add(time.Duration(i) * time.Minute)
		if err := s.SaveDraft(ctx, flow.Draft{Config: flow.Config{Name: n}, Step: flow.StepName}); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := s.ListDrafts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range ds {
		names = append(names, d.Config.Name)
	}
	if want := []string{"three", "two", "one"}; !reflect.DeepEqual(names, want) {
		t.Errorf("order = %v, want %v", names, want)
	}
}

func TestRunsNewestFirstAndLastRun(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	for _, n := range []string{"Beta", "Acme", "Gamma"} {
		c := validConfig(n)
		c.Loopback = n == "Beta"
		if err := s.SaveConfig(ctx, c, false); err != nil {
			t.Fatal(err)
		}
	}
	checks := []flow.Check{{ID: flow.CheckRedirect, Status: flow.Pass, Detail: "exact"}, {ID: flow.CheckCreds, Status: flow.Fail, Code: 7000215, Fix: "copy the Value"}}
	// Saved out of order: the newest by At wins, not the last inserted.
	for _, r := range []flow.Run{
		{Name: "acme", At: testNow.Add(2 * time.Hour), OK: true, Email: "new@example.com", Checks: checks},
		{Name: "Acme", At: testNow.Add(1 * time.Hour), Email: "old@example.com"},
		{Name: "Beta", At: testNow, Offline: true},
	} {
		if err := s.SaveRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	runs, err := s.Runs(ctx, "ACME", 0)
	if err != nil || len(runs) != 2 {
		t.Fatalf("Runs = %d, %v", len(runs), err)
	}
	if runs[0].Email != "new@example.com" || runs[1].Email != "old@example.com" || runs[0].Name != "Acme" {
		t.Errorf("order = %q, %q", runs[0].Email, runs[1].Email)
	}
	if !reflect.DeepEqual(runs[0].Checks, checks) {
		t.Errorf("checks = %+v", runs[0].Checks)
	}
	if one, _ := s.Runs(ctx, "Acme", 1); len(one) != 1 || one[0].Email != "new@example.com" {
		t.Errorf("limit 1 = %+v", one)
	}

	l, err := s.ListConfigs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, x := range l {
		names = append(names, x.Config.Name)
	}
	if want := []string{"Acme", "Beta", "Gamma"}; !reflect.DeepEqual(names, want) {
		t.Fatalf("names = %v, want %v", names, want)
	}
	if l[0].LastRun == nil || l[0].LastRun.Email != "new@example.com" || !l[0].LastRun.OK || len(l[0].LastRun.Checks) != 2 {
		t.Errorf("Acme last run = %+v", l[0].LastRun)
	}
	if !l[1].Config.Loopback || l[0].Config.Loopback {
		t.Errorf("loopback flags = %v, %v", l[0].Config.Loopback, l[1].Config.Loopback)
	}
	if l[1].LastRun == nil || !l[1].LastRun.Offline {
		t.Errorf("Beta last run = %+v", l[1].LastRun)
	}
	if l[2].LastRun != nil {
		t.Errorf("Gamma has no run, got %+v", l[2].LastRun)
	}
	for _, x := range l {
		if !x.Config.Secret.IsZero() {
			t.Errorf("ListConfigs unsealed the secret of %q", x.Config.Name)
		}
		full, err := s.FindConfig(ctx, x.Config.Name)
		if err != nil {
			t.Fatal(err)
		}
		full.Secret = ""
		if !reflect.DeepEqual(x.Config, full) {
			t.Errorf("listing differs from FindConfig:\n got %+v\nwant %+v", x.Config, full)
		}
		if x.Config.SecretInfo.Missing || x.Config.SecretInfo.Hint != "Fx7…" {
			t.Errorf("%q secret info = %+v", x.Config.Name, x.Config.SecretInfo)
		}
	}
}

func TestRotateSecretHistory(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	r1 := testNow.AddDate(0, 1, 0)
	r2 := testNow.AddDate(0, 2, 0)
	if err := s.RotateSecret(ctx, "acme", secretFor("Acme", 1), flow.SecretInfo{Description: "second", Created: r1, Expires: r1.AddDate(0, 6, 0)}); err != nil {
		t.Fatal(err)
	}
	if err := s.RotateSecret(ctx, "ACME", secretFor("Acme", 2), flow.SecretInfo{Created: r2, Expires: r2.AddDate(0, 12, 0)}); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindConfig(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	if got.Secret.Reveal() != string(secretFor("Acme", 2)) || got.SecretInfo.Description != "second" ||
		!got.SecretInfo.Created.Equal(r2) || !got.SecretInfo.Expires.Equal(r2.AddDate(0, 12, 0)) {
		t.Errorf("current = %+v", got.SecretInfo)
	}
	h, err := s.SecretHistory(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	want := []flow.SecretInfo{
		{Description: "second", Hint: "Fx7…", Created: r1, Expires: r1.AddDate(0, 6, 0), Retired: r2},
		{Description: "Hiveku prod", Hint: "Fx7…", Created: testNow, Expires: testNow.AddDate(0, 24, 0), Retired: r1},
	}
	if !reflect.DeepEqual(h, want) {
		t.Errorf("history =\n%+v\nwant\n%+v", h, want)
	}
}

func TestSaveConfigsBatch(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	cs := []flow.Config{validConfig("a"), validConfig("b"), validConfig("A")}
	// The duplicate makes the whole batch fail: nothing is saved.
	wantCode(t, s.SaveConfigs(ctx, cs, false), flow.ECONFLICT)
	if l, _ := s.ListConfigs(ctx); len(l) != 0 {
		t.Fatalf("partial batch saved %d configs", len(l))
	}
	if err := s.SaveConfigs(ctx, cs[:2], false); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.ListConfigs(ctx); len(l) != 2 {
		t.Fatalf("saved %d configs, want 2", len(l))
	}
}

func TestSaveRunsBatch(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	if err := s.SaveConfig(ctx, validConfig("Acme"), false); err != nil {
		t.Fatal(err)
	}
	// One unknown name fails the whole batch.
	wantCode(t, s.SaveRuns(ctx, []flow.Run{{Name: "Acme"}, {Name: "nope"}}), flow.ENOTFOUND)
	if runs, _ := s.Runs(ctx, "Acme", 0); len(runs) != 0 {
		t.Fatalf("partial batch saved %d runs", len(runs))
	}
	if err := s.SaveRuns(ctx, []flow.Run{{Name: "Acme"}, {Name: "acme", At: testNow.Add(time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	runs, _ := s.Runs(ctx, "Acme", 0)
	if len(runs) != 2 || !runs[0].At.Equal(testNow.Add(time.Hour)) || !runs[1].At.Equal(testNow) {
		t.Errorf("runs = %+v", runs)
	}
}

func TestConfigWithoutSecretIsMissing(t *testing.T) {
	ctx := context.Background()
	s := MustOpen(t)
	c := validConfig("Imported")
	c.Secret = ""
	c.SecretInfo.Hint = "abC…"
	c.SecretInfo.Missing = true // an import without the value
	if err := s.SaveConfig(ctx, c, false); err != nil {
		t.Fatal(err)
	}
	got, err := s.FindConfig(ctx, "Imported")
	if err != nil {
		t.Fatal(err)
	}
	if !got.SecretInfo.Missing || got.SecretInfo.Hint != "abC…" || !got.Secret.IsZero() {
		t.Errorf("secret info = %+v", got.SecretInfo)
	}
	if err := s.RotateSecret(ctx, "Imported", secretFor("Imported", 1), flow.SecretInfo{}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.FindConfig(ctx, "Imported")
	if got.SecretInfo.Missing || got.Secret.Reveal() != string(secretFor("Imported", 1)) {
		t.Errorf("after rotate: %+v", got.SecretInfo)
	}
}
