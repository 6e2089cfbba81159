package cmd

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/sim"
	"github.com/spf13/cobra"
)

// SimulateOptions holds the dependencies and flag values of `byok simulate`.
type SimulateOptions struct {
	IO       *IOStreams
	Now      func() time.Time
	Rand     io.Reader
	Listen   func(network, addr string) (net.Listener, error)
	ReadFile func(name string) ([]byte, error)
	// TempDir makes the directory the generated CA certificate is written
	// to (removed when the simulator stops).
	TempDir func() (string, error)
	// Ready, when set, is called with the base URL once the listener is
	// open (tests use it instead of polling).
	Ready func(baseURL string)

	Addr     string
	Scenario string
	Config   string
	// TLS serves https; with TLSCert and TLSKey empty the certificate is
	// made for this run by a throw-away CA.
	TLS     bool
	TLSCert string
	TLSKey  string
}

// NewCmdSimulate builds `byok simulate`.
func NewCmdSimulate(f *Factory) *cobra.Command { return newCmdSimulate(f, nil) }

// newCmdSimulate builds the command; runF replaces simulateRun in tests.
func newCmdSimulate(f *Factory, runF func(*SimulateOptions) error) *cobra.Command {
	opts := &SimulateOptions{
		IO: f.IO, Now: f.Now, Rand: rand.Reader, Listen: net.Listen, ReadFile: os.ReadFile,
		TempDir: func() (string, error) { return os.MkdirTemp("", "byok-simulate-") },
	}
	c := &cobra.Command{
		Use:   "simulate",
		Short: "Serve the built-in Microsoft simulator for other tools and tests",
		Long: "Serve a simulator of the Microsoft identity platform v2.0 (discovery, JWKS, authorize with\n" +
			"sign-in and consent pages, token, adminconsent, devicecode and its /devicelogin page)\n" +
			"and of Microsoft Graph (/v1.0/me, /v1.0/me/mailFolders, /v1.0/me/calendars, and the\n" +
			"applications, servicePrincipals and oauth2PermissionGrants calls of byok create) on one\n" +
			"address, until Ctrl+C.\n\n" +
			"The simulated world is a built-in scenario (--scenario NAME, default happy):\n  " +
			strings.Join(sim.ScenarioNames(), ", ") + "\n" +
			"or a JSON file (--config FILE) like:\n\n" + simulateConfigShape + "\n" +
			"Client secrets in such a file are fixtures. The scenarios' fixture secret is\n" +
			"sim.DemoSecretValue in flow/sim/scenarios.go: byok never prints secret values,\n" +
			"only their hint and Secret ID.\n\n" +
			"Microsoft's client libraries (MSAL) accept only https authorities: --tls\n" +
			"serves https with a certificate for 127.0.0.1, ::1 and localhost, signed by a\n" +
			"CA made for this run, and prints where the CA certificate is so clients can\n" +
			"trust it (NODE_EXTRA_CA_CERTS for Node, SSL_CERT_FILE for Go and OpenSSL,\n" +
			"REQUESTS_CA_BUNDLE for Python). --tls-cert and --tls-key serve your own\n" +
			"certificate instead. Behind a TLS-terminating proxy, serve plain http:\n" +
			"X-Forwarded-Proto and X-Forwarded-Host are honoured, so every URL handed\n" +
			"out names the proxy.",
		Example: "  byok simulate\n" +
			"  byok simulate --listen 127.0.0.1:8400 --scenario redirect-mismatch\n" +
			"  byok simulate --config world.json\n" +
			"  byok simulate --tls --listen 127.0.0.1:8443\n" +
			"  byok verify NAME --authority-host http://127.0.0.1:8400 --graph-host http://127.0.0.1:8400",
		Args: func(c *cobra.Command, args []string) error {
			if len(args) > 0 {
				return usagef(c, "simulate takes no arguments; choose the world with --scenario NAME or --config FILE")
			}
			return nil
		},
		RunE: func(c *cobra.Command, args []string) error {
			if opts.Scenario != "" && opts.Config != "" {
				return flow.Invalid("--scenario", "can't be used together with --config").
					WithFix("use either a built-in scenario or your own file")
			}
			if opts.Scenario == "" && opts.Config == "" {
				opts.Scenario = "happy"
			}
			switch {
			case opts.TLSCert != "" && opts.TLSKey == "":
				return flow.Invalid("--tls-key", "is missing: --tls-cert needs the certificate's private key").
					WithFix("add --tls-key FILE (PEM), or drop --tls-cert and use --tls for a generated certificate")
			case opts.TLSKey != "" && opts.TLSCert == "":
				return flow.Invalid("--tls-cert", "is missing: --tls-key needs its certificate").
					WithFix("add --tls-cert FILE (PEM), or drop --tls-key and use --tls for a generated certificate")
			case opts.TLSCert != "":
				opts.TLS = true
			}
			if runF != nil {
				return runF(opts)
			}
			return simulateRun(c.Context(), opts)
		},
	}
	c.Flags().StringVar(&opts.Addr, "listen", "127.0.0.1:8400", "`ADDR` to serve on (host:port; port 0 picks a free one)")
	c.Flags().StringVar(&opts.Scenario, "scenario", "", "built-in scenario `NAME` (default happy)")
	c.Flags().StringVar(&opts.Config, "config", "", "JSON `FILE` describing tenants, users and apps")
	c.Flags().BoolVar(&opts.TLS, "tls", false, "serve https with a certificate made for this run")
	c.Flags().StringVar(&opts.TLSCert, "tls-cert", "", "serve https with this PEM certificate `FILE`")
	c.Flags().StringVar(&opts.TLSKey, "tls-key", "", "PEM private key `FILE` of --tls-cert")
	return c
}

// simulateConfigShape documents the --config file (see sim.ParseOptions).
const simulateConfigShape = `  {"tenants": [{"id": "GUID", "displayName": "Contoso", "domains": ["contoso.com"],
               "userConsentBlocked": false, "adminOnlyScopes": [], "adminConsented": [],
               "usersCannotRegisterApps": false}],
   "replicationDelay": 0,
   "users":   [{"id": "GUID", "userPrincipalName": "alex@contoso.com", "mail": "alex@contoso.com",
               "displayName": "Alex Wilber", "tenantId": "GUID", "personal": false,
               "password": "", "admin": false}],
   "apps":    [{"displayName": "Acme Hiveku", "appId": "GUID", "homeTenantId": "GUID",
               "signInAudience": "AzureADandPersonalMicrosoftAccount",
               "webRedirectUris": ["https://app.hiveku.com/api/oauth/microsoft/callback"],
               "spaRedirectUris": [], "publicClientRedirectUris": [],
               "passwordCredentials": [{"keyId": "GUID", "secretText": "fixture",
                                        "endDateTime": "2028-11-27T00:00:00Z"}],
               "scopes": ["offline_access", "User.Read", "Mail.ReadWrite"],
               "publisherVerified": false}]}
`

// simulateOptions resolves the simulated world from the flags.
func simulateOptions(opts *SimulateOptions) (sim.Options, string, error) {
	if opts.Config != "" {
		data, err := opts.ReadFile(opts.Config)
		if err != nil {
			return sim.Options{}, "", flow.Invalid("--config", "can't read %s: %v", opts.Config, unwrapPathError(err)).
				WithFix("give the path of a JSON file with tenants, users and apps")
		}
		o, err := sim.ParseOptions(strings.NewReader(string(data)))
		if err != nil {
			var fe *flow.Error
			if errors.As(err, &fe) {
				fe.Field = "--config " + opts.Config + ": " + fe.Field
			}
			return sim.Options{}, "", err
		}
		return o, "config " + opts.Config, nil
	}
	sc, ok := sim.FindScenario(opts.Scenario, opts.Now())
	if !ok {
		return sim.Options{}, "", flow.Invalid("--scenario", "%q is not a scenario", opts.Scenario).
			WithFix("use one of %s", strings.Join(sim.ScenarioNames(), ", "))
	}
	return sc.Options, "scenario " + sc.Name, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// simulateRun serves the simulator until ctx is cancelled (Ctrl+C), then
// shuts down cleanly.
func simulateRun(ctx context.Context, opts *SimulateOptions) error {
	o, what, err := simulateOptions(opts)
	if err != nil {
		return err
	}
	o.Now, o.Rand = opts.Now, opts.Rand
	s := sim.New(o)

	var own *tls.Certificate
	if opts.TLSCert != "" {
		c, err := loadKeyPair(opts)
		if err != nil {
			return err
		}
		own = &c
	}
	ln, err := opts.Listen("tcp", opts.Addr)
	if err != nil {
		return flow.Invalid("--listen", "can't listen on %s: %v", opts.Addr, err).
			WithFix("choose a free address, e.g. --listen 127.0.0.1:0")
	}
	scheme, caFile := "http", ""
	if opts.TLS {
		cert := own
		if cert == nil {
			var cleanup func()
			var c tls.Certificate
			c, caFile, cleanup, err = generateTLS(opts, ln.Addr())
			if err != nil {
				ln.Close()
				return err
			}
			defer cleanup()
			cert = &c
		}
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12})
		scheme = "https"
	}
	base := scheme + "://" + ln.Addr().String()
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second,
		// a client that doesn't trust the CA yet is not the simulator's error
		ErrorLog: log.New(io.Discard, "", 0)}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	w := opts.IO.ErrOut
	fmt.Fprintf(w, "Microsoft simulator (%s) listening on %s\n", what, base)
	fmt.Fprintf(w, "  login and Graph host: %s\n", base)
	fmt.Fprintf(w, "  discovery:            %s/common/v2.0/.well-known/openid-configuration\n", base)
	if caFile != "" {
		fmt.Fprintf(w, "  CA certificate:       %s\n", caFile)
		fmt.Fprintf(w, "    made for this run and removed when it stops; trust it with\n")
		fmt.Fprintf(w, "    NODE_EXTRA_CA_CERTS=%s (Node, msal-node)\n", caFile)
		fmt.Fprintf(w, "    SSL_CERT_FILE=%s (Go, OpenSSL; replaces the system roots)\n", caFile)
		fmt.Fprintf(w, "    REQUESTS_CA_BUNDLE=%s (Python requests, msal)\n", caFile)
	}
	if opts.TLS {
		host := ln.Addr().String()
		fmt.Fprintf(w, "  MSAL: authority %s/TENANT, knownAuthorities [\"%s\"]\n", base, host)
	}
	for _, a := range s.Apps() {
		fmt.Fprintf(w, "  app %q (%s)\n", a.DisplayName, a.SignInAudience.Short())
		fmt.Fprintf(w, "    Application (client) ID: %s\n", a.ClientID)
		fmt.Fprintf(w, "    Directory (tenant) ID:   %s\n", a.HomeTenantID)
		for _, u := range a.WebRedirectURIs {
			fmt.Fprintf(w, "    Web redirect URI:        %s\n", u)
		}
		for _, sec := range a.Secrets {
			fmt.Fprintf(w, "    secret:                  %s (Secret ID %s, expires %s)\n",
				flow.Secret(sec.Value).Hint(), sec.KeyID, sec.Expires.UTC().Format(time.DateOnly))
		}
	}
	if caFile != "" {
		fmt.Fprintf(w, "Try: SSL_CERT_FILE=%s byok verify NAME --authority-host %s --graph-host %s\n", caFile, base, base)
	} else {
		fmt.Fprintf(w, "Try: byok verify NAME --authority-host %s --graph-host %s\n", base, base)
	}
	fmt.Fprintln(w, "Press Ctrl+C to stop.")
	if opts.Ready != nil {
		opts.Ready(base)
	}

	select {
	case err := <-done:
		return fmt.Errorf("serve simulator: %w", err)
	case <-ctx.Done():
	}
	shutCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return fmt.Errorf("stop simulator: %w", err)
	}
	<-done
	fmt.Fprintln(w, "simulator stopped")
	return nil
}

// loadKeyPair reads --tls-cert and --tls-key.
func loadKeyPair(opts *SimulateOptions) (tls.Certificate, error) {
	certPEM, err := opts.ReadFile(opts.TLSCert)
	if err != nil {
		return tls.Certificate{}, flow.Invalid("--tls-cert", "can't read %s: %v", opts.TLSCert, unwrapPathError(err)).
			WithFix("give the path of a PEM certificate file")
	}
	keyPEM, err := opts.ReadFile(opts.TLSKey)
	if err != nil {
		return tls.Certificate{}, flow.Invalid("--tls-key", "can't read %s: %v", opts.TLSKey, unwrapPathError(err)).
			WithFix("give the path of the certificate's PEM private key")
	}
	c, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		// the error names PEM block types, never key material
		return tls.Certificate{}, flow.Invalid("--tls-cert", "%s and %s are not a certificate and its key: %v", opts.TLSCert, opts.TLSKey, err).
			WithFix("give a PEM certificate (chain) and the PEM private key that belongs to it")
	}
	return c, nil
}

// generateTLS makes this run's CA and server certificate, valid for the
// loopback names and the host listened on, and writes the CA certificate
// (never its key) where clients can read it.
func generateTLS(opts *SimulateOptions, addr net.Addr) (tls.Certificate, string, func(), error) {
	var hosts []string
	if h, _, err := net.SplitHostPort(addr.String()); err == nil {
		hosts = append(hosts, h)
	}
	if h, _, err := net.SplitHostPort(opts.Addr); err == nil && h != "" {
		hosts = append(hosts, h)
	}
	id, err := sim.NewTLSIdentity(opts.Now(), opts.Rand, hosts...)
	if err != nil {
		return tls.Certificate{}, "", nil, fmt.Errorf("make the simulator's TLS certificate: %w", err)
	}
	mkdir := opts.TempDir
	if mkdir == nil {
		mkdir = func() (string, error) { return os.MkdirTemp("", "byok-simulate-") }
	}
	dir, err := mkdir()
	if err != nil {
		return tls.Certificate{}, "", nil, fmt.Errorf("make a folder for the CA certificate: %w", err)
	}
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, id.CAPEM, 0o644); err != nil {
		_ = os.RemoveAll(dir)
		return tls.Certificate{}, "", nil, fmt.Errorf("write the CA certificate: %w", err)
	}
	return id.Certificate, caFile, func() { _ = os.RemoveAll(dir) }, nil
}
