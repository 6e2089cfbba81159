package verify

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/hiveku/byok/flow"
)

// callbackServer is the single-use loopback listener that receives the
// authorization code: one route ("/"), one accepted callback whose state
// matches, a buffered result channel, and nothing that echoes the state
// or the code back to the page.
type callbackServer struct {
	state string
	ln    net.Listener
	srv   *http.Server
	res   chan Pasted

	mu   sync.Mutex
	done bool
}

// listenCallback binds 127.0.0.1 on a free port (through v.Listen) and
// starts serving. The redirect URI to send is http://localhost:PORT/,
// which Microsoft matches against the registered http://localhost.
func (v *Verifier) listenCallback(state string) (*callbackServer, string, error) {
	listen := v.Listen
	if listen == nil {
		listen = net.Listen
	}
	ln, err := listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", fmt.Errorf("listen on 127.0.0.1: %w", err)
	}
	addr, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !addr.IP.IsLoopback() {
		_ = ln.Close()
		return nil, "", fmt.Errorf("listen on 127.0.0.1: got %s, not a loopback address", ln.Addr())
	}
	s := &callbackServer{state: state, ln: ln, res: make(chan Pasted, 1)}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.srv.SetKeepAlivesEnabled(false)
	go func() { _ = s.srv.Serve(ln) }()
	return s, fmt.Sprintf("http://localhost:%d/", addr.Port), nil
}

// Addr returns the listener's address.
func (s *callbackServer) Addr() net.Addr { return s.ln.Addr() }

// Close stops the listener and drops open connections.
func (s *callbackServer) Close() error { return s.srv.Close() }

// ServeHTTP accepts exactly one callback whose state matches; every other
// request gets an error page and the server keeps waiting.
func (s *callbackServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, POST")
		page(w, http.StatusMethodNotAllowed, "Wrong method", "byok expects the browser to come back here with a GET.")
		return
	}
	_ = r.ParseForm()
	got := r.Form.Get("state")
	if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(s.state)) != 1 {
		// Never echo the state: this page may be reached by anyone.
		page(w, http.StatusBadRequest, "Not the sign-in byok started",
			"This address does not belong to the verification running in your terminal. Start the sign-in from byok again.")
		return
	}
	p := Pasted{
		Code:        flow.Secret(r.Form.Get("code")),
		State:       got,
		Error:       cleanText(r.Form.Get("error")),
		Description: cleanText(r.Form.Get("error_description")),
	}
	p.AADSTS = AADSTSCode(p.Description)
	if p.Error != "" || p.Description != "" {
		p.Code = ""
	}
	if p.Code.IsZero() && p.Error == "" && p.Description == "" {
		page(w, http.StatusBadRequest, "No code", "Microsoft sent neither a code nor an error. Start the sign-in from byok again.")
		return
	}
	s.mu.Lock()
	first := !s.done
	s.done = true
	s.mu.Unlock()
	if !first {
		page(w, http.StatusGone, "Already done", "byok already has its answer. You can close this tab.")
		return
	}
	s.res <- p // buffered: never blocks
	if p.Failed() {
		page(w, http.StatusOK, "Sign-in failed", "Microsoft returned an error; byok shows it in your terminal. You can close this tab.")
		return
	}
	page(w, http.StatusOK, "Done", "byok received the answer. You can close this tab and return to the terminal.")
}

// page writes a small fixed HTML page (no request data in it).
func page(w http.ResponseWriter, status int, title, body string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html><meta charset=utf-8><title>byok: %s</title><h1>%s</h1><p>%s</p>\n", title, title, body)
}

// errTimeout is returned by wait when the browser never came back.
type errTimeout struct{ d time.Duration }

func (e errTimeout) Error() string {
	return fmt.Sprintf("no answer from the browser within %s", humanDuration(e.d))
}

// wait returns the accepted callback, ctx's error, or an errTimeout when
// timeout fires first.
func (s *callbackServer) wait(ctx context.Context, timeout <-chan time.Time, d time.Duration) (Pasted, error) {
	select {
	case p := <-s.res:
		return p, nil
	case <-ctx.Done():
		return Pasted{}, ctx.Err()
	case <-timeout:
		// An answer that raced the timer still counts.
		select {
		case p := <-s.res:
			return p, nil
		default:
		}
		return Pasted{}, errTimeout{d}
	}
}

// humanDuration renders whole minutes as "5 minutes", else d.String().
func humanDuration(d time.Duration) string {
	switch {
	case d == time.Minute:
		return "1 minute"
	case d > 0 && d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	case d > 0 && d%time.Second == 0 && d < time.Minute:
		return fmt.Sprintf("%d seconds", int(d/time.Second))
	}
	return d.String()
}
