package cmd

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/graph"
	"github.com/hiveku/byok/flow/sim"
	"github.com/hiveku/byok/flow/verify"
)

const (
	createScenario      = "create"
	createScenarioTitle = "byok create: an admin signs in and byok registers the app through Graph"
	createDemoAdmin     = "megan@contoso.com"
)

// demoCreate plays `byok create` against the simulator: Megan, Contoso's
// administrator, signs in with the command-line tools app, byok
// registers "Contoso Hiveku", its service principal and secret, grants
// consent, waits out replication and verifies the result.
func demoCreate(ctx context.Context, opts *DemoOptions) error {
	// The demo browser writes beside byok: one lock for stderr.
	ios := *opts.IO
	ios.ErrOut = &lockedWriter{w: opts.IO.ErrOut}
	out := ios.ErrOut
	st, closeStore, err := openDemoStore(ctx, opts.Now)
	if err != nil {
		return err
	}
	defer closeStore()

	o := sim.CreateOptions(opts.Now())
	o.Now = opts.Now
	o.ReplicationDelay = 1 // Microsoft takes seconds to a minute; the demo, a few seconds
	world := sim.New(o)
	srv, base, err := serveDemoSim(world)
	if err != nil {
		return err
	}
	defer srv.Close()

	fmt.Fprintf(out, "byok demo · %s\n", createScenarioTitle)
	fmt.Fprintln(out, wrapText("Megan Bowen, Contoso's administrator, lets byok register the app: one sign-in instead of the portal's six pages. The secret goes straight into byok's database, sealed; then byok proves the app works.", 78))
	fmt.Fprintf(out, "%s\n\n", wrapText(fmt.Sprintf("Microsoft is simulated at %s; nothing is written to your byok database.", base), 78))

	client := &http.Client{Timeout: 30 * time.Second}
	var visit func(string) error
	sleep := opts.sleep
	if sleep == nil {
		sleep = graph.Sleep
	}
	b := newDemoBrowser(world, client, createDemoAdmin, true, out, opts.IO.ErrWidth())
	if opts.IO.CanPrompt() {
		b.ask = opts.confirm
	}
	// The person at the browser: sign in, show the consent page, accept,
	// and let the browser come back to byok's loopback listener. It runs
	// beside byok, as a browser does, so byok's own lines come first.
	browse := func(u string) error {
		go func() {
			if err := visit(u); err != nil {
				fmt.Fprintf(out, "  the demo browser failed: %v\n", err)
			}
		}()
		return nil
	}
	visit = func(u string) error {
		if err := b.open(ctx, u); err != nil {
			return err
		}
		landed := b.Landed().URL
		if !strings.HasPrefix(landed, "http://localhost:") {
			return nil // an error page: byok reports it
		}
		resp, err := client.Get(strings.Replace(landed, "//localhost:", "//127.0.0.1:", 1))
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	co := &CreateOptions{
		IO: &ios, Store: func(context.Context) (flow.Store, error) { return st, nil },
		Now: opts.Now, Getenv: opts.Getenv, Permissions: defaultPermissions,
		Confirm: opts.confirm,
		AdminSignIn: AdminSignIn{
			Microsoft:     MicrosoftSide{HTTP: client, OpenBrowser: browse, Listen: net.Listen, Sleep: sleep},
			AuthorityHost: base, GraphHost: base, Cloud: "global", Directory: "organizations", Timeout: time.Minute,
		},
		Verifier: func() *verify.Verifier {
			v := verify.NewVerifier()
			v.HTTP, v.OpenBrowser, v.Diagnose = client, browse, doctorFix()
			return v
		},
		NoInput: true, Name: "Contoso Hiveku", AccountType: flow.DefaultAccountType.Short(), RedirectURI: flow.HivekuRedirectURI,
		Scopes: flow.DefaultScopePreset, SecretDescription: flow.DefaultSecretDescription, SecretExpires: flow.DefaultSecretLifetime,
		AddLoopback: true, GrantAdminConsent: true, IfExists: "new",
	}
	fmt.Fprintf(out, "As %s:\n$ byok create --name \"Contoso Hiveku\" --add-loopback --grant-admin-consent\n", createDemoAdmin)
	if err := createRun(ctx, co); err != nil {
		return err
	}
	fmt.Fprintln(out, "\n"+wrapText("From nothing to a verified Hiveku connection with one sign-in. For your own directory: byok create --name \"Your App\".", 78))
	return nil
}

// lockedWriter serialises writes to w from several goroutines (byok, the
// demo browser, the spinner).
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
