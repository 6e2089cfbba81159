package verify

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// startTestCallback starts a callback server for state and returns it
// with its base URL (on 127.0.0.1, as the browser would resolve localhost).
func startTestCallback(t *testing.T, state string) (*callbackServer, string, *string) {
	t.Helper()
	var asked string
	v := &Verifier{Listen: func(network, addr string) (net.Listener, error) {
		asked = network + " " + addr
		return net.Listen(network, addr)
	}}
	s, redirect, err := v.listenCallback(state)
	if err != nil {
		t.Fatalf("listenCallback() error = %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if !strings.HasPrefix(redirect, "http://localhost:") || !strings.HasSuffix(redirect, "/") {
		t.Errorf("redirect = %q, want http://localhost:PORT/", redirect)
	}
	return s, "http://" + s.Addr().String(), &asked
}

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestCallbackBindsLoopbackOnly(t *testing.T) {
	s, _, asked := startTestCallback(t, "st")
	if *asked != "tcp 127.0.0.1:0" {
		t.Errorf("Listen(%s), want tcp 127.0.0.1:0", *asked)
	}
	if ip := s.Addr().(*net.TCPAddr).IP; !ip.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("bound %v, want 127.0.0.1", ip)
	}
}

func TestCallbackRefusesNonLoopbackListener(t *testing.T) {
	v := &Verifier{Listen: func(network, addr string) (net.Listener, error) {
		return net.Listen("tcp", "0.0.0.0:0") // a misbehaving Listen
	}}
	if _, _, err := v.listenCallback("st"); err == nil {
		t.Error("listenCallback accepted a listener on all interfaces")
	}
}

func TestCallbackRequests(t *testing.T) {
	const state = "s3cr3t-state-value"
	s, base, _ := startTestCallback(t, state)
	tests := []struct {
		name   string
		path   string
		status int
	}{
		{"favicon", "/favicon.ico", http.StatusNotFound},
		{"other path", "/callback?code=c&state=" + state, http.StatusNotFound},
		{"missing state", "/?code=c", http.StatusBadRequest},
		{"wrong state", "/?code=c&state=attacker-state", http.StatusBadRequest},
		{"state but nothing else", "/?state=" + state, http.StatusBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, base+tt.path)
			if status != tt.status {
				t.Errorf("GET %s = %d, want %d", tt.path, status, tt.status)
			}
			for _, leak := range []string{state, "attacker-state"} {
				if strings.Contains(body, leak) {
					t.Errorf("page echoes the state %q", leak)
				}
			}
		})
	}
	select {
	case <-s.res:
		t.Fatal("a rejected request produced a result")
	default:
	}
	// Still waiting: the valid callback is accepted.
	if status, body := get(t, base+"/?code=the-code&state="+state); status != http.StatusOK || strings.Contains(body, "the-code") {
		t.Errorf("valid callback = %d %q, want 200 without the code", status, body)
	}
	// Exactly one: a second valid callback is refused.
	if status, _ := get(t, base+"/?code=other&state="+state); status != http.StatusGone {
		t.Errorf("second callback = %d, want 410", status)
	}
	p, err := s.wait(context.Background(), nil, time.Minute)
	if err != nil || p.Code.Reveal() != "the-code" || p.State != state {
		t.Errorf("wait() = %+v, %v; want the first code", p, err)
	}
}

func TestCallbackError(t *testing.T) {
	const state = "st-1234"
	s, base, _ := startTestCallback(t, state)
	status, _ := get(t, base+"/?error=access_denied&error_description=AADSTS65004%3A+User+declined&state="+state)
	if status != http.StatusOK {
		t.Errorf("error callback = %d, want 200", status)
	}
	p, err := s.wait(context.Background(), nil, time.Minute)
	if err != nil || !p.Failed() || p.AADSTS != 65004 || p.Error != "access_denied" {
		t.Errorf("wait() = %+v, %v; want the AADSTS65004 error", p, err)
	}
}

func TestCallbackTimeout(t *testing.T) {
	s, _, _ := startTestCallback(t, "st")
	fire := make(chan time.Time, 1)
	fire <- time.Time{} // the injected timer has already run out
	_, err := s.wait(context.Background(), fire, 5*time.Minute)
	var te errTimeout
	if !errors.As(err, &te) {
		t.Fatalf("wait() error = %v, want a timeout", err)
	}
	if got, want := err.Error(), "no answer from the browser within 5 minutes"; got != want {
		t.Errorf("error = %q, want %q", got, want)
	}
}

func TestCallbackContextCancel(t *testing.T) {
	s, _, _ := startTestCallback(t, "st")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.wait(ctx, nil, time.Minute); !errors.Is(err, context.Canceled) {
		t.Errorf("wait() error = %v, want context.Canceled", err)
	}
}

func TestCallbackClosesAfterwards(t *testing.T) {
	s, _, _ := startTestCallback(t, "st")
	addr := s.Addr().String()
	if err := s.Close(); err != nil {
		t.Fatalf("Close() = %v", err)
	}
	if c, err := net.Dial("tcp", addr); err == nil {
		c.Close()
		t.Error("listener still accepts connections after Close")
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

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		5 * time.Minute: "5 minutes", time.Minute: "1 minute", 30 * time.Second: "30 seconds", 1500 * time.Millisecond: "1.5s",
	} {
		if got := humanDuration(d); got != want {
			t.Errorf("humanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}
