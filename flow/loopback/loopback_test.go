package loopback

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// startTestCallback starts a callback server for state and returns it
// with its base URL (on 127.0.0.1, as the browser would resolve localhost)
// and the addresses it asked Listen for.
func startTestCallback(t *testing.T, state string) (*Server, string, *[]string) {
	t.Helper()
	var asked []string
	listen := ListenFunc(func(network, addr string) (net.Listener, error) {
		asked = append(asked, network+" "+addr)
		return net.Listen(network, addr)
	})
	s, redirect, err := Listen(listen, state)
	if err != nil {
		t.Fatalf("Listen() error = %v", err)
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
	if len(*asked) == 0 || (*asked)[0] != "tcp 127.0.0.1:0" {
		t.Errorf("Listen(%q), want tcp 127.0.0.1:0 first", *asked)
	}
	if ip := s.Addr().(*net.TCPAddr).IP; !ip.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("bound %v, want 127.0.0.1", ip)
	}
	for _, a := range s.Addrs() {
		if !a.(*net.TCPAddr).IP.IsLoopback() {
			t.Errorf("bound %v, not loopback", a)
		}
	}
}

// TestCallbackBindsIPv6SamePort: localhost may resolve to ::1, so
// [::1]:PORT is byok's too, and answers like 127.0.0.1:PORT.
func TestCallbackBindsIPv6SamePort(t *testing.T) {
	probe, err := net.Listen("tcp", "[::1]:0")
	if err != nil {
		t.Skipf("no IPv6 loopback here: %v", err)
	}
	probe.Close()
	const state = "st-v6"
	s, _, asked := startTestCallback(t, state)
	port := s.Addr().(*net.TCPAddr).Port
	if want := fmt.Sprintf("tcp [::1]:%d", port); len(*asked) < 2 || (*asked)[1] != want {
		t.Errorf("Listen(%q), want %s second", *asked, want)
	}
	addrs := s.Addrs()
	if len(addrs) != 2 || !addrs[1].(*net.TCPAddr).IP.Equal(net.IPv6loopback) || addrs[1].(*net.TCPAddr).Port != port {
		t.Fatalf("addresses = %v, want 127.0.0.1 and [::1] on port %d", addrs, port)
	}
	if status, body := get(t, fmt.Sprintf("http://[::1]:%d/?code=c&state=%s", port, state)); status != http.StatusOK || !strings.Contains(body, "<h1>Done</h1>") {
		t.Errorf("callback on [::1] = %d %q", status, body)
	}
}

// fakeListener is a listener on a made-up loopback address that never
// accepts: it stands in for [::1] in tests that must not need IPv6.
type fakeListener struct {
	addr   *net.TCPAddr
	closed chan struct{}
	once   sync.Once
}

func newFakeListener(ip net.IP, port int) *fakeListener {
	return &fakeListener{addr: &net.TCPAddr{IP: ip, Port: port}, closed: make(chan struct{})}
}

func (l *fakeListener) Accept() (net.Conn, error) { <-l.closed; return nil, net.ErrClosed }
func (l *fakeListener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}
func (l *fakeListener) Addr() net.Addr { return l.addr }

func TestCallbackTriesAnotherPortWhenIPv6IsTaken(t *testing.T) {
	var ports []int
	var first net.Listener
	listen := ListenFunc(func(network, addr string) (net.Listener, error) {
		host, p, _ := net.SplitHostPort(addr)
		port, _ := strconv.Atoi(p)
		switch {
		case host == "127.0.0.1":
			ln, err := net.Listen(network, addr)
			if err == nil && first == nil {
				first = ln
			}
			return ln, err
		case port == 0: // the probe: IPv6 loopback exists
			return newFakeListener(net.IPv6loopback, 1), nil
		case len(ports) == 0: // another process holds [::1] on the first port
			ports = append(ports, port)
			return nil, errors.New("bind: address already in use")
		default:
			ports = append(ports, port)
			return newFakeListener(net.IPv6loopback, port), nil
		}
	})
	s, redirect, err := Listen(listen, "st")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(ports) != 2 || ports[0] == ports[1] {
		t.Fatalf("[::1] ports tried = %v, want two different ones", ports)
	}
	if !strings.HasSuffix(redirect, fmt.Sprintf(":%d/", ports[1])) || s.Addr().(*net.TCPAddr).Port != ports[1] {
		t.Errorf("redirect %s on %v, want port %d", redirect, s.Addr(), ports[1])
	}
	if c, err := net.Dial("tcp", first.Addr().String()); err == nil {
		c.Close()
		t.Error("the first 127.0.0.1 listener was left open")
	}
}

func TestCallbackWithoutIPv6ServesIPv4(t *testing.T) {
	listen := ListenFunc(func(network, addr string) (net.Listener, error) {
		if strings.HasPrefix(addr, "[::1]") {
			return nil, errors.New("bind: cannot assign requested address")
		}
		return net.Listen(network, addr)
	})
	s, _, err := Listen(listen, "st")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if len(s.Addrs()) != 1 {
		t.Errorf("addresses = %v, want 127.0.0.1 alone", s.Addrs())
	}
}

func TestCallbackRefusesNonLoopbackListener(t *testing.T) {
	listen := ListenFunc(func(network, addr string) (net.Listener, error) {
		return net.Listen("tcp", "0.0.0.0:0") // a misbehaving Listen
	})
	if _, _, err := Listen(listen, "st"); err == nil {
		t.Error("Listen accepted a listener on all interfaces")
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
		{"favicon", "/favicon.ico", http.StatusNoContent},
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
	p, err := s.Wait(context.Background(), nil, time.Minute)
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
	p, err := s.Wait(context.Background(), nil, time.Minute)
	if err != nil || !p.Failed() || p.Description != "AADSTS65004: User declined" || p.Error != "access_denied" {
		t.Errorf("wait() = %+v, %v; want the AADSTS65004 error", p, err)
	}
}

func TestCallbackTimeout(t *testing.T) {
	s, _, _ := startTestCallback(t, "st")
	fire := make(chan time.Time, 1)
	fire <- time.Time{} // the injected timer has already run out
	_, err := s.Wait(context.Background(), fire, 5*time.Minute)
	var te TimeoutError
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
	if _, err := s.Wait(ctx, nil, time.Minute); !errors.Is(err, context.Canceled) {
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

func TestHumanDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		5 * time.Minute: "5 minutes", time.Minute: "1 minute", 30 * time.Second: "30 seconds", 1500 * time.Millisecond: "1.5s",
		time.Second: "1 second", 90 * time.Second: "1m30s",
	} {
		if got := HumanDuration(d); got != want {
			t.Errorf("HumanDuration(%v) = %q, want %q", d, got, want)
		}
	}
}

// orderWriter is a ResponseWriter that fails the test when any of the
// page is written after the answer was handed to the verifier.
type orderWriter struct {
	*httptest.ResponseRecorder
	t *testing.T
	s *Server
}

func (w *orderWriter) check(what string) {
	if len(w.s.res) != 0 {
		w.t.Errorf("%s after the answer was reported", what)
	}
}
func (w *orderWriter) WriteHeader(code int) { w.check("header"); w.ResponseRecorder.WriteHeader(code) }
func (w *orderWriter) Write(b []byte) (int, error) {
	w.check("body")
	return w.ResponseRecorder.Write(b)
}
func (w *orderWriter) Flush() { w.check("flush"); w.ResponseRecorder.Flush() }

// TestCallbackWritesPageBeforeReporting: the verifier may close the
// server the moment it has the answer, so the page must be complete by
// then.
func TestCallbackWritesPageBeforeReporting(t *testing.T) {
	for _, q := range []string{"code=c", "error=access_denied&error_description=AADSTS65004%3A+declined"} {
		s := &Server{state: "st", res: make(chan Callback, 1)}
		w := &orderWriter{ResponseRecorder: httptest.NewRecorder(), t: t, s: s}
		s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/?state=st&"+q, nil))
		if len(s.res) != 1 {
			t.Fatalf("%s: no answer reported", q)
		}
		body := w.Body.String()
		if cl := w.Header().Get("Content-Length"); cl != strconv.Itoa(len(body)) || !strings.HasSuffix(body, "</html>") {
			t.Errorf("%s: Content-Length %s for %d bytes, page %q", q, cl, len(body), body)
		}
		for _, want := range []string{`lang="en"`, `name="viewport"`, "<style>"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: page lacks %s", q, want)
			}
		}
	}
}

// TestCallbackDoneAlwaysArrives closes the server the instant the answer
// arrives, as the verifier does, and checks the browser still got the
// whole "Done" page, 20 times in a row.
func TestCallbackDoneAlwaysArrives(t *testing.T) {
	for i := 0; i < 20; i++ {
		state := fmt.Sprintf("st-%d", i)
		s, _, err := Listen(nil, state)
		if err != nil {
			t.Fatal(err)
		}
		type result struct {
			status int
			body   string
			err    error
		}
		got := make(chan result, 1)
		go func() {
			c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			resp, err := c.Get("http://" + s.Addr().String() + "/?code=c&state=" + state)
			if err != nil {
				got <- result{err: err}
				return
			}
			b, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			got <- result{resp.StatusCode, string(b), err}
		}()
		if _, err := s.Wait(context.Background(), nil, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := s.Close(); err != nil {
			t.Errorf("Close() = %v", err)
		}
		r := <-got
		if r.err != nil || r.status != http.StatusOK || !strings.Contains(r.body, "<h1>Done</h1>") || !strings.HasSuffix(r.body, "</html>") {
			t.Fatalf("landing %d: %d %v %q", i+1, r.status, r.err, r.body)
		}
	}
}
