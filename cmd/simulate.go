package cmd

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
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
	// Ready, when set, is called with the base URL once the listener is
	// open (tests use it instead of polling).
	Ready func(baseURL string)

	Addr     string
	Scenario string
	Config   string
}

// NewCmdSimulate builds `byok simulate`.
func NewCmdSimulate(f *Factory) *cobra.Command { return newCmdSimulate(f, nil) }

// newCmdSimulate builds the command; runF replaces simulateRun in tests.
func newCmdSimulate(f *Factory, runF func(*SimulateOptions) error) *cobra.Command {
	opts := &SimulateOptions{
		IO: f.IO, Now: f.Now, Rand: rand.Reader, Listen: net.Listen, ReadFile: os.ReadFile,
	}
	c := &cobra.Command{
		Use:   "simulate",
		Short: "Serve the built-in Microsoft simulator for other tools and tests",
		Long: "Serve a simulator of the Microsoft identity platform v2.0 (discovery, JWKS, authorize with\n" +
			"sign-in and consent pages, token, adminconsent) and of Microsoft Graph (/v1.0/me,\n" +
			"/v1.0/me/mailFolders, /v1.0/me/calendars) on one address, until Ctrl+C.\n\n" +
			"The simulated world is a built-in scenario (--scenario NAME, default happy):\n  " +
			strings.Join(sim.ScenarioNames(), ", ") + "\n" +
			"or a JSON file (--config FILE) like:\n\n" + simulateConfigShape + "\n" +
			"Client secrets in such a file are fixtures. The scenarios' fixture secret is\n" +
			"sim.DemoSecretValue in flow/sim/scenarios.go: byok never prints secret values,\n" +
			"only their hint and Secret ID.",
		Example: "  byok simulate\n" +
			"  byok simulate --listen 127.0.0.1:8400 --scenario redirect-mismatch\n" +
			"  byok simulate --config world.json\n" +
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
			if runF != nil {
				return runF(opts)
			}
			return simulateRun(c.Context(), opts)
		},
	}
	c.Flags().StringVar(&opts.Addr, "listen", "127.0.0.1:8400", "`ADDR` to serve on (host:port; port 0 picks a free one)")
	c.Flags().StringVar(&opts.Scenario, "scenario", "", "built-in scenario `NAME` (default happy)")
	c.Flags().StringVar(&opts.Config, "config", "", "JSON `FILE` describing tenants, users and apps")
	return c
}

// simulateConfigShape documents the --config file (see sim.ParseOptions).
const simulateConfigShape = `  {"tenants": [{"id": "GUID", "displayName": "Contoso", "domains": ["contoso.com"],
               "userConsentBlocked": false, "adminOnlyScopes": [], "adminConsented": []}],
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

	ln, err := opts.Listen("tcp", opts.Addr)
	if err != nil {
		return flow.Invalid("--listen", "can't listen on %s: %v", opts.Addr, err).
			WithFix("choose a free address, e.g. --listen 127.0.0.1:0")
	}
	base := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()

	w := opts.IO.ErrOut
	fmt.Fprintf(w, "Microsoft simulator (%s) listening on %s\n", what, base)
	fmt.Fprintf(w, "  login and Graph host: %s\n", base)
	fmt.Fprintf(w, "  discovery:            %s/common/v2.0/.well-known/openid-configuration\n", base)
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
	fmt.Fprintf(w, "Try: byok verify NAME --authority-host %s --graph-host %s\n", base, base)
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
