package checklist

import (
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/ui/common"
)

func TestChecklist(t *testing.T) {
	c := common.NewCommon(80, 24, true)
	m := New(&c)
	m.Static = true
	m.Start("discovery")
	if !m.Running() || !strings.Contains(m.View(), "… running discovery") {
		t.Fatalf("running check not shown: %q", m.View())
	}
	m.Finish(flow.Check{ID: "discovery", Status: flow.Pass, Detail: "found"})
	m.Finish(flow.Check{ID: "secret", Status: flow.Fail, Detail: "AADSTS7000215", Fix: "copy the Value column"})
	m.Finish(flow.Check{ID: "expiry", Status: flow.Warn, Detail: "20 days left", Fix: "rotate"})
	m.Finish(flow.Check{ID: "access", Status: flow.Skip, Detail: "no consent"})
	if m.Running() {
		t.Errorf("Running() after every check finished")
	}
	want := "✓ pass discovery: found\n" +
		"✗ fail secret: AADSTS7000215\n    fix: copy the Value column\n" +
		"! warn expiry: 20 days left\n    fix: rotate\n" +
		"- skip access: no consent"
	if got := m.View(); got != want {
		t.Errorf("View() =\n%s\nwant\n%s", got, want)
	}
	if m.Tick() != nil {
		t.Errorf("Static checklist ticks")
	}
}

func TestLineNoFixOnPass(t *testing.T) {
	got := Line(flow.Check{ID: "token", Status: flow.Pass, Detail: "ok", Fix: "unused"})
	if got != "✓ pass token: ok" {
		t.Errorf("Line() = %q", got)
	}
}
