package verify

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow/loopback"
)

// The browser's error callback reaches the consent check with its AADSTS
// code read from the description.
func TestPastedFromCallback(t *testing.T) {
	p := pastedFrom(loopback.Callback{Error: "access_denied", Description: "AADSTS65004: User declined", State: "st"})
	if !p.Failed() || p.AADSTS != 65004 || p.Error != "access_denied" || p.State != "st" {
		t.Errorf("pastedFrom = %+v", p)
	}
	if p := pastedFrom(loopback.Callback{Code: "c"}); p.Failed() || p.Code.Reveal() != "c" {
		t.Errorf("pastedFrom(code) = %+v", p)
	}
}

// TestVerifyLoopbackTimeoutMessage drives the whole engine into the
// timeout (the browser shows a Microsoft error page and never returns).
func TestVerifyLoopbackTimeoutMessage(t *testing.T) {
	f := newFakeMS(t) // http://localhost not registered: Microsoft shows a page
	b := newFakeBrowser(t, true)
	v, lns := newTestVerifier(f, b)
	run, err := v.Verify(context.Background(), testConfig(true), nil, false)
	if err != nil {
		t.Fatal(err)
	}
	c := liveChecks(run)["consent"]
	if !strings.HasPrefix(c.Detail, "no answer from the browser within 5 minutes") || c.Fix == "" {
		t.Errorf("consent = %+v", c)
	}
	if !strings.Contains(b.page, "AADSTS50011") {
		t.Errorf("browser saw %q, want the AADSTS50011 page", b.page)
	}
	if c, err := net.Dial("tcp", (*lns)[0].Addr().String()); err == nil {
		c.Close()
		t.Error("listener still open after the timeout")
	}
}
