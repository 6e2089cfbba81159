// Package loopback is the single-use listener on this computer that
// receives the browser's return from Microsoft's sign-in: byok verify's
// consent test and byok create's admin sign-in both use it.
package loopback

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"html"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/webpage"
)

// Callback is what the browser brought back: an authorization code, or
// Microsoft's error. Error and Description are text from outside, made
// valid UTF-8 without control characters other than line breaks and
// tabs; they still go through the output sanitizer to be shown.
type Callback struct {
	Code        flow.Secret
	State       string
	Error       string
	Description string
}

// Failed reports whether Microsoft sent an error instead of a code.
func (c Callback) Failed() bool { return c.Code.IsZero() }

// ListenFunc is net.Listen's signature (tests inject their own).
type ListenFunc func(network, addr string) (net.Listener, error)

// Server is the single-use loopback listener that receives the
// authorization code: one route ("/"), one accepted callback whose state
// matches, a buffered result channel, and nothing that echoes the state
// or the code back to the page.
type Server struct {
	state string
	lns   []net.Listener // 127.0.0.1:PORT, and [::1]:PORT where IPv6 exists
	srv   *http.Server
	res   chan Callback

	mu   sync.Mutex
	done bool
}

// shutdownGrace bounds how long Close waits for the browser to receive
// the page that is being written when the answer arrives.
const shutdownGrace = 2 * time.Second

// listenTries is how many ports Listen tries before giving up
// when another process holds [::1] on the port 127.0.0.1 gave it.
const listenTries = 5

// Listen binds 127.0.0.1 on a free port and [::1] on the same port
// (through listen; net.Listen when nil), and starts serving both. The redirect URI to
// send is http://localhost:PORT/, which Microsoft matches against the
// registered http://localhost (the port of a loopback redirect URI is
// ignored). byok keeps "localhost" rather than 127.0.0.1 because the
// Entra portal refuses http://127.0.0.1 in its redirect URI box, so the
// guide registers http://localhost; a browser may resolve localhost to
// either address, hence both are bound, and no other process can take
// [::1]:PORT and receive the code. On a machine without IPv6 loopback
// nothing can bind [::1] at all, and 127.0.0.1 alone is served.
func Listen(listen ListenFunc, state string) (*Server, string, error) {
	if listen == nil {
		listen = net.Listen
	}
	var (
		lns []net.Listener
		err error
	)
	for try := 0; try < listenTries && lns == nil; try++ {
		lns, err = listenLoopbackPair(listen)
	}
	if err != nil {
		return nil, "", err
	}
	s := &Server{state: state, lns: lns, res: make(chan Callback, 1)}
	s.srv = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.srv.SetKeepAlivesEnabled(false)
	for _, ln := range lns {
		go func() { _ = s.srv.Serve(ln) }()
	}
	return s, fmt.Sprintf("http://localhost:%d/", lns[0].Addr().(*net.TCPAddr).Port), nil
}

// listenLoopbackPair binds 127.0.0.1:0 and then [::1] on the same port.
// It returns nil listeners and a nil error when [::1]:PORT is taken, so
// that the caller tries another port.
func listenLoopbackPair(listen ListenFunc) ([]net.Listener, error) {
	ln4, err := listenLoopback(listen, "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln4.Addr().(*net.TCPAddr).Port
	ln6, err := listenLoopback(listen, net.JoinHostPort("::1", strconv.Itoa(port)))
	if err == nil {
		return []net.Listener{ln4, ln6}, nil
	}
	// Is there an IPv6 loopback at all? If [::1]:0 can't be bound either,
	// no one can take [::1]:PORT: serve 127.0.0.1 alone.
	probe, perr := listenLoopback(listen, "[::1]:0")
	if perr != nil {
		return []net.Listener{ln4}, nil
	}
	_ = probe.Close()
	_ = ln4.Close()
	var notLoopback errNotLoopback
	if errors.As(err, &notLoopback) {
		return nil, err
	}
	return nil, nil // [::1]:PORT belongs to someone else: another port
}

// errNotLoopback is a listener that is not on a loopback address.
type errNotLoopback struct{ addr net.Addr }

func (e errNotLoopback) Error() string {
	return fmt.Sprintf("listen on localhost: got %s, not a loopback address", e.addr)
}

// listenLoopback listens on addr and refuses a listener that is not on a
// loopback address (a misbehaving Listen).
func listenLoopback(listen ListenFunc, addr string) (net.Listener, error) {
	ln, err := listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	a, ok := ln.Addr().(*net.TCPAddr)
	if !ok || !a.IP.IsLoopback() {
		_ = ln.Close()
		return nil, errNotLoopback{ln.Addr()}
	}
	return ln, nil
}

// Addr returns the 127.0.0.1 listener's address.
func (s *Server) Addr() net.Addr { return s.lns[0].Addr() }

// Addrs returns every listener's address.
func (s *Server) Addrs() []net.Addr {
	out := make([]net.Addr, len(s.lns))
	for i, ln := range s.lns {
		out[i] = ln.Addr()
	}
	return out
}

// Close stops listening at once and lets a page that is being written
// reach the browser: a graceful Shutdown bounded by shutdownGrace, then
// a hard Close for whatever is still open (a browser that stopped
// reading).
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		err = s.srv.Close()
	}
	// A Serve goroutine that has not started yet would leave its listener
	// open until it runs: close them all here (a second Close is harmless).
	for _, ln := range s.lns {
		_ = ln.Close()
	}
	return err
}

// ServeHTTP accepts exactly one callback whose state matches; every other
// request gets an error page and the server keeps waiting. The accepted
// callback's page is written before the answer is handed to the verifier,
// and Close waits for the response to finish, so the browser always gets
// its "Done" page.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if r.URL.Path == "/favicon.ico" {
		webpage.Favicon(w)
		return
	}
	if r.URL.Path != "/" {
		page(w, http.StatusNotFound, "Not found", "There is nothing at this address. byok's sign-in comes back to the address it opened.")
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
	p := Callback{
		Code:        flow.Secret(r.Form.Get("code")),
		State:       got,
		Error:       CleanText(r.Form.Get("error")),
		Description: CleanText(r.Form.Get("error_description")),
	}
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
	if p.Failed() {
		page(w, http.StatusOK, "Sign-in failed", "Microsoft returned an error; byok shows it in your terminal. You can close this tab.")
	} else {
		page(w, http.StatusOK, "Done", "byok received the answer. You can close this tab and return to the terminal.")
	}
	// The page is complete in the response before the answer goes out;
	// its last bytes leave when this handler returns, which Close's
	// graceful Shutdown waits for. (Flushing here instead would let a
	// browser finish reading before the answer is reported.)
	s.res <- p // buffered: never blocks
}

// page writes a small fixed page (no request data in it) in one piece,
// with its length, in byok's page style.
func page(w http.ResponseWriter, status int, title, body string) {
	doc := webpage.Doc("byok: "+title, "byok", "<h1>"+html.EscapeString(title)+"</h1><p>"+html.EscapeString(body)+"</p>", "")
	w.Header().Set("Content-Length", strconv.Itoa(len(doc)))
	webpage.Write(w, status, doc)
}

// TimeoutError is returned by Wait when the browser never came back.
type TimeoutError struct{ D time.Duration }

func (e TimeoutError) Error() string {
	return fmt.Sprintf("no answer from the browser within %s", HumanDuration(e.D))
}

// Results delivers the accepted callback (once) to a caller that waits
// for other things too (a paste, a timer).
func (s *Server) Results() <-chan Callback { return s.res }

// Wait returns the accepted callback, ctx's error, or a TimeoutError
// (of d) when timeout fires first.
func (s *Server) Wait(ctx context.Context, timeout <-chan time.Time, d time.Duration) (Callback, error) {
	select {
	case p := <-s.res:
		return p, nil
	case <-ctx.Done():
		return Callback{}, ctx.Err()
	case <-timeout:
		return s.Late(d)
	}
}

// Late is what the caller's timer firing means: an answer that raced the
// timer still counts, else a TimeoutError of d.
func (s *Server) Late(d time.Duration) (Callback, error) {
	select {
	case p := <-s.res:
		return p, nil
	default:
	}
	return Callback{}, TimeoutError{d}
}

// CleanText makes decoded query text safe to keep: valid UTF-8, with
// control characters other than line breaks and tabs removed.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// HumanDuration renders whole minutes as "5 minutes", else d.String().
func HumanDuration(d time.Duration) string {
	switch {
	case d == time.Minute:
		return "1 minute"
	case d == time.Second:
		return "1 second"
	case d > 0 && d%time.Minute == 0:
		return fmt.Sprintf("%d minutes", int(d/time.Minute))
	case d > 0 && d%time.Second == 0 && d < time.Minute:
		return fmt.Sprintf("%d seconds", int(d/time.Second))
	}
	return d.String()
}
