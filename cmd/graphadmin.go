package cmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/graph"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/flow/verify"
	"github.com/spf13/pflag"
)

// MicrosoftSide is every side effect of talking to Microsoft as the admin.
type MicrosoftSide struct {
	HTTP        *http.Client
	OpenBrowser func(url string) error
	Listen      func(network, addr string) (net.Listener, error)
	Sleep       func(ctx context.Context, d time.Duration) error
	After       func(d time.Duration) <-chan time.Time
	// ApproveDevice, when set, is the person entering the device code
	// (the demo); otherwise byok waits for someone to do it.
	ApproveDevice func(userCode string) error
}

// realMicrosoft returns the production side effects.
func realMicrosoft(getenv func(string) string) MicrosoftSide {
	return MicrosoftSide{
		HTTP:        &http.Client{Timeout: 30 * time.Second},
		OpenBrowser: verify.BrowserOpener(getenv("BROWSER"), runtime.GOOS),
		Listen:      net.Listen,
	}
}

// AdminSignIn is the admin sign-in that create, audit --live and rotate
// --graph share: its flags and the Microsoft side.
type AdminSignIn struct {
	Microsoft     MicrosoftSide
	AuthorityHost string
	GraphHost     string
	Cloud         string
	// Directory is the authority segment the admin signs in through.
	Directory  string
	DeviceCode bool
	NoBrowser  bool
	Timeout    time.Duration
}

// addFlags binds the sign-in flags; directory is --directory's default.
func (a *AdminSignIn) addFlags(fl *pflag.FlagSet, directory string) {
	fl.StringVar(&a.Directory, "directory", directory, "where the admin signs in: common, organizations, or the directory ID or a verified domain (a guest admin must name it)")
	fl.BoolVar(&a.DeviceCode, "device-code", false, "sign in with a code on another device instead of a browser here")
	fl.StringVar(&a.AuthorityHost, "authority-host", "", "login host, e.g. https://login.microsoftonline.us or a simulator")
	fl.StringVar(&a.GraphHost, "graph-host", "", "Microsoft Graph host, e.g. https://graph.microsoft.us or a simulator")
	fl.StringVar(&a.Cloud, "cloud", "global", "global, usgov or china")
	fl.BoolVar(&a.NoBrowser, "no-browser", false, "print the sign-in address instead of opening a browser")
	fl.DurationVar(&a.Timeout, "timeout", verify.DefaultTimeout, "how long to wait for the browser")
}

// endpoints resolves --cloud, --authority-host and --graph-host the way
// verify does.
func (a *AdminSignIn) endpoints() (verify.Endpoints, error) {
	v := &VerifyOptions{Cloud: a.Cloud, AuthorityHost: a.AuthorityHost, GraphHost: a.GraphHost}
	return v.endpoints()
}

func (a *AdminSignIn) timeout() time.Duration {
	if a.Timeout <= 0 {
		return verify.DefaultTimeout
	}
	return a.Timeout
}

// client returns a Graph client for sess.
func (a *AdminSignIn) client(e verify.Endpoints, sess *graph.Session) *graph.Client {
	return &graph.Client{HTTP: a.Microsoft.HTTP, Host: e.GraphHost, Session: sess}
}

// signIn signs the admin in for perms, in a browser or with a device
// code, and refuses a personal account. Prompts go to stderr.
func (a *AdminSignIn) signIn(ctx context.Context, ios *IOStreams, now func() time.Time, e verify.Endpoints, perms []string) (*graph.Session, error) {
	ms := a.Microsoft
	si := &graph.SignIn{
		HTTP: ms.HTTP, AuthorityHost: e.AuthorityHost, Tenant: a.Directory, Resource: graphResource(e),
		Listen: ms.Listen, Now: now, Sleep: ms.Sleep, After: ms.After, Timeout: a.timeout(),
	}
	if !a.NoBrowser {
		si.OpenBrowser = ms.OpenBrowser
	}
	out := ios.ErrOut
	fmt.Fprintln(out, "Sign in as an administrator of the app's directory.")
	fmt.Fprintln(out, wrapText(fmt.Sprintf("byok asks Microsoft for %s; nothing is stored, and the sign-in ends with this command.", strings.Join(perms, ", ")), 78))
	var sess *graph.Session
	var err error
	if a.DeviceCode {
		sess, err = si.DeviceCode(ctx, perms, func(p graph.DevicePrompt) {
			fmt.Fprintf(out, "\nOn any device, open %s\nand enter the code %s (it works for %s; byok waits here, Ctrl+C to stop)\n",
				sanitize.Line(p.VerificationURI), sanitize.Line(p.UserCode), verifyDuration(p.ExpiresIn))
			if ms.ApproveDevice != nil {
				if err := ms.ApproveDevice(p.UserCode); err != nil {
					fmt.Fprintf(out, "  (the demo could not enter the code: %v)\n", err)
				}
			}
		})
	} else {
		sess, err = si.Browser(ctx, perms, func(u string, opened bool) {
			if opened {
				fmt.Fprintln(out, "\nA browser is opening Microsoft's sign-in page. If it does not, open:")
			} else {
				fmt.Fprintln(out, "\nOpen this address in a browser and sign in:")
			}
			fmt.Fprintf(out, "  %s\nWaiting up to %s for the browser to come back (Ctrl+C to stop).\n", u, verifyDuration(a.timeout()))
			fmt.Fprintln(out, wrapText("If Microsoft shows an error page instead, press Ctrl+C and paste its text into byok doctor -.", 78))
		})
	}
	if err != nil {
		var ae *graph.AuthError
		if errors.As(err, &ae) {
			return nil, authFailure("sign in", ae)
		}
		return nil, err
	}
	if sess.Personal() {
		return nil, flow.Errorf(flow.EFAILED, "%s is a personal Microsoft account; apps are registered in a work or school directory", sanitize.Line(sess.Username)).
			WithFix("sign in with a work or school account that administers your organization's directory; without one, a free Microsoft 365 Developer Program or Azure account gives you a directory")
	}
	fmt.Fprintf(out, "✓ Signed in as %s (directory %s)\n", sanitize.Line(sess.Username), sanitize.Line(sess.TenantID))
	return sess, nil
}

// graphResource is the resource name of the Graph scopes for e.
func graphResource(e verify.Endpoints) string {
	if e.GraphResource != "" {
		return e.GraphResource
	}
	switch e.GraphHost {
	case verify.GlobalGraph, verify.USGovGraph, verify.ChinaGraph:
		return e.GraphHost
	}
	return verify.GlobalGraph
}
