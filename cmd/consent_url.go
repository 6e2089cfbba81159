package cmd

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/verify"
	"github.com/spf13/cobra"
)

// ConsentURLOptions holds the dependencies and flag values of
// `byok consent-url`.
type ConsentURLOptions struct {
	IO    *IOStreams
	Store func(ctx context.Context) (flow.Store, error)
	// Rand makes the state (crypto/rand in production).
	Rand io.Reader

	Name          string
	Admin         bool
	Cloud         string
	AuthorityHost string
}

// NewCmdConsentUrl builds `byok consent-url NAME [--admin]`.
func NewCmdConsentUrl(f *Factory) *cobra.Command { return newCmdConsentURL(f, nil) }

// newCmdConsentURL builds the command; runF replaces consentURLRun in tests.
func newCmdConsentURL(f *Factory, runF func(*ConsentURLOptions) error) *cobra.Command {
	opts := &ConsentURLOptions{IO: f.IO, Store: f.Store, Rand: rand.Reader}
	c := &cobra.Command{
		Use:   "consent-url NAME",
		Short: "Print the consent URL (and with --admin the admin consent URL)",
		Long: "consent-url prints the address where a user signs in and consents to the\n" +
			"app's permissions, with the config's redirect URI. With --admin it also\n" +
			"prints the admin consent address, where a tenant administrator grants the\n" +
			"permissions for the whole organization (needed when user consent is\n" +
			"blocked: AADSTS65001, AADSTS90094). On a terminal each address is labelled;\n" +
			"piped, the output is the bare addresses, one per line, user consent first.",
		Example: "  byok consent-url \"Acme Hiveku\"\n" +
			"  byok consent-url \"Acme Hiveku\" --admin",
		Args: exactName,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return consentURLRun(c.Context(), opts)
		},
	}
	c.Flags().BoolVar(&opts.Admin, "admin", false, "also print the admin consent URL")
	c.Flags().StringVar(&opts.Cloud, "cloud", "global", "global, usgov or china")
	c.Flags().StringVar(&opts.AuthorityHost, "authority-host", "", "login host, e.g. https://login.microsoftonline.us")
	return c
}

// ConsentURLs returns a func building the user and admin consent URLs of
// a config on e, with a fresh random state each time (from src). It fits
// Factory.ConsentURLs, for `byok show`.
func ConsentURLs(e verify.Endpoints, src io.Reader) func(c flow.Config) (user, admin string, err error) {
	return func(c flow.Config) (string, string, error) {
		state, err := consentState(src)
		if err != nil {
			return "", "", err
		}
		return verify.AuthCodeURL(e, c, c.RedirectURI, state, "", ""),
			verify.AdminConsentURL(e, c, c.RedirectURI, state), nil
	}
}

// consentState returns a random state value.
func consentState(src io.Reader) (string, error) {
	if src == nil {
		src = rand.Reader
	}
	b := make([]byte, 16)
	if _, err := io.ReadFull(src, b); err != nil {
		return "", fmt.Errorf("make state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func consentURLRun(ctx context.Context, opts *ConsentURLOptions) error {
	e, err := verify.CloudEndpoints(opts.Cloud)
	if err != nil {
		return err
	}
	if opts.AuthorityHost != "" {
		if e.AuthorityHost, err = hostFlag("--authority-host", opts.AuthorityHost); err != nil {
			return err
		}
	}
	_, c, err := loadConfigInfo(readOnly(ctx), opts.Store, opts.Name)
	if err != nil {
		return err
	}
	user, admin, err := ConsentURLs(e, opts.Rand)(c)
	if err != nil {
		return err
	}
	// Each URL alone on its line, whole, to be copied. With --admin a
	// person sees which is which; a script gets the two bare lines, user
	// consent first.
	out := opts.IO.Out
	switch {
	case opts.Admin && opts.IO.IsStdoutTTY():
		w := opts.IO.Text()
		fmt.Fprintln(w, "User consent (one user signs in and accepts for themselves):")
		fmt.Fprintln(w, user)
		fmt.Fprintln(w, "\nAdmin consent (an administrator grants it for the whole organization):")
		fmt.Fprintln(w, admin)
	case opts.Admin:
		fmt.Fprintln(out, user)
		fmt.Fprintln(out, admin)
	default:
		fmt.Fprintln(out, user)
	}
	if opts.IO.IsStderrTTY() {
		fmt.Fprintln(opts.IO.TextErr(), "After consenting, the browser goes to the redirect URI; Hiveku did not start this sign-in, so it may show an error there. The consent is recorded anyway.")
	}
	return nil
}
