package cmd

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// complete runs `byok __complete args…` on f and returns the offered
// values (descriptions dropped) and the directive line.
func complete(t *testing.T, f *Factory, args ...string) ([]string, string) {
	t.Helper()
	out := f.IO.Out.(interface {
		String() string
		Reset()
	})
	out.Reset()
	if code := runCmd(t, f, append([]string{"__complete"}, args...)...); code != 0 {
		t.Fatalf("__complete %v: exit %d", args, code)
	}
	var vals []string
	directive := ""
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if strings.HasPrefix(l, ":") {
			directive = l
			continue
		}
		v, _, _ := strings.Cut(l, "\t")
		vals = append(vals, v)
	}
	return vals, directive
}

func TestCompleteConfigNames(t *testing.T) {
	f, _, _ := newTestFactory(t)
	listSeed(t, f)
	ctx := context.Background()
	if err := testStore(t, f).SaveDraft(ctx, flow.Draft{Config: flow.Config{Name: "Half Done"}, Step: flow.StepRedirect}); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"show", ""}, {"verify", ""}, {"delete", ""}, {"rotate", ""}, {"export", ""},
		{"consent-url", ""}, {"script", ""}, {"doctor", "--name", ""}, {"audit", "m.json", "--name", ""},
	} {
		got, dir := complete(t, f, args...)
		if strings.Join(got, "|") != "Acme Hiveku|Contoso Mail|Old App" || dir != ":4" {
			t.Errorf("%v: completions %q %s, want the three saved names without files", args, got, dir)
		}
	}
	if got, _ := complete(t, f, "show", "co"); strings.Join(got, "|") != "Contoso Mail" {
		t.Errorf("prefix co: %q", got)
	}
	if got, _ := complete(t, f, "show", "Old App", ""); len(got) != 0 {
		t.Errorf("second argument: %q, want nothing", got)
	}
	if got, _ := complete(t, f, "setup", "--resume", ""); strings.Join(got, "|") != "Half Done" {
		t.Errorf("--resume: %q, want the draft", got)
	}
	if got, _ := complete(t, f, "setup", "--name", ""); len(got) != 0 {
		t.Errorf("setup --name (a new name): %q, want nothing", got)
	}
}

func TestCompleteEnumFlags(t *testing.T) {
	f, _, _ := newTestFactory(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"setup", "--account-type", ""}, "single|multi|multi-personal|personal"},
		{[]string{"script", "x", "--format", ""}, "az|pwsh|manifest"},
		{[]string{"verify", "x", "--cloud", ""}, "global|usgov|china"},
		{[]string{"verify", "x", "--redirect", ""}, "auto|loopback|paste"},
		{[]string{"verify", "x", "--prompt", ""}, "consent|select_account|login"},
		{[]string{"setup", "--scopes", ""}, "full|read|send-only"},
		{[]string{"list", "--json=name,c"}, "name,custom_redirect|name,client_id|name,created_at|name,consent_url"},
		{[]string{"list", "--json", "name,c"}, "name,custom_redirect|name,client_id|name,created_at|name,consent_url"},
	}
	for _, tt := range tests {
		got, _ := complete(t, f, tt.args...)
		if strings.Join(got, "|") != tt.want {
			t.Errorf("%v: %q, want %s", tt.args, got, tt.want)
		}
	}
	got, _ := complete(t, f, "demo", "--scenario", "")
	if len(got) < 2 || got[0] != "happy" {
		t.Errorf("--scenario: %q", got)
	}
}

func TestCompletionNeverCreatesTheDatabase(t *testing.T) {
	f, _, _ := newTestFactory(t)
	if got, _ := complete(t, f, "show", ""); len(got) != 0 {
		t.Errorf("no database: %q", got)
	}
	if _, err := os.Stat(testDBPath(t, f)); err == nil {
		t.Error("completion created the database")
	}
}
