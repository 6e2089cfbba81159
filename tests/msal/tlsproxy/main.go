// Command tlsproxy is the msal-node suite's TLS-terminating reverse proxy:
// it serves https on a loopback address with a certificate from a CA made
// for this run, and forwards plain http to `byok simulate`, setting
// X-Forwarded-Proto: https and X-Forwarded-Host as load balancers do.
// It writes the CA certificate to -ca-out, prints "listening on URL" once
// ready, and stops on SIGINT or SIGTERM.
//
// It exists only for scripts/msal-test.sh; it is not part of byok.
package main

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/hiveku/byok/flow/sim"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:0", "`ADDR` to serve https on")
	backend := flag.String("backend", "", "plain http `URL` of the simulator")
	caOut := flag.String("ca-out", "", "`FILE` to write the proxy's CA certificate to")
	flag.Parse()
	if err := run(*listen, *backend, *caOut); err != nil {
		fmt.Fprintln(os.Stderr, "tlsproxy:", err)
		os.Exit(1)
	}
}

func run(listen, backend, caOut string) error {
	target, err := url.Parse(backend)
	if err != nil || target.Scheme != "http" || target.Host == "" {
		return fmt.Errorf("-backend %q: want the simulator's http://HOST:PORT", backend)
	}
	if caOut == "" {
		return fmt.Errorf("-ca-out is required")
	}
	id, err := sim.NewTLSIdentity(time.Now(), rand.Reader)
	if err != nil {
		return err
	}
	if err := os.WriteFile(caOut, id.CAPEM, 0o644); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		return err
	}
	proxy := &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.SetXForwarded() // X-Forwarded-For, X-Forwarded-Host, X-Forwarded-Proto: https
			pr.Out.Host = target.Host
		},
		ErrorLog: log.New(io.Discard, "", 0),
	}
	srv := &http.Server{Handler: fullDuplex(proxy), ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
	tln := tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{id.Certificate}, MinVersion: tls.VersionTLS12})
	done := make(chan error, 1)
	go func() { done <- srv.Serve(tln) }()
	fmt.Printf("listening on https://%s\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shut)
}

// fullDuplex lets h write the response while the request body is still
// being read. Go's HTTP/1 server does not by default, so when the
// simulator answered a form POST before the proxy's transport had seen
// the end of the forwarded body, the transport's connection was closed
// in the middle of the answer (golang/go#40747, the likely cause): the
// suite failed once
// with "other side closed" on the declined-consent page.
func fullDuplex(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = http.NewResponseController(w).EnableFullDuplex()
		h.ServeHTTP(w, r)
	})
}
