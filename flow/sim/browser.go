package sim

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"sync"
)

// Page markers: the ids that tell the simulator's pages apart, on the
// element that wraps each page's content. The scripted Browser (through
// Consent) and the headless-browser test (tests/browser/run.mjs, its
// kind()) both tell pages apart by them; TestPageContract checks that the
// pages carry them and that run.mjs asks for each.
const (
	PageSignIn   = "signin-page"
	PagePassword = "password-page"
	PageConsent  = "consent-page"
	// PageApproval is the form on "Need admin approval", an error page.
	PageApproval = "approval"
	PageError    = "error-page"
)

// Browser is a person at a browser on the simulator's pages, scripted:
// byok demo's browser when no real one is used, and the tests'. It signs
// in as User, answers the consent page (Decide, else Accept) and
// remembers where it ended up, which is what the person would paste back
// into byok. It never follows the final redirect, so the redirect URI
// need not be reachable. Safe for use by several goroutines.
type Browser struct {
	// Server is the simulated Microsoft.
	Server *Server
	// Client carries the requests (nil: Server is called in-process,
	// whatever the host in the address).
	Client *http.Client
	// User is the UPN who signs in.
	User string
	// Accept is the answer on the consent page when Decide is nil.
	Accept bool
	// Decide, when set, is shown the consent page as the lines a person
	// reads (without the buttons and the terms paragraph) and answers it:
	// true presses Accept. An error stops the browser (Open returns it).
	Decide func(ctx context.Context, consent string) (bool, error)

	mu     sync.Mutex
	landed Landing
}

// Landing is where the browser ended up after the sign-in.
type Landing struct {
	// URL is the redirect address, with code and state or with error
	// and error_description ("" when Page is set).
	URL string
	// Page is the Microsoft page the browser stayed on instead (e.g.
	// AADSTS50011, "Need admin approval").
	Page *ErrorPage
}

// Pasted is what the person copies back into byok: the address, or the
// text of the page.
func (l Landing) Pasted() string {
	if l.Page != nil {
		return l.Page.Text
	}
	return l.URL
}

// Where says where the redirect went without its code or state: the
// address without query or fragment, and what it carries ("an
// authorization code", "error=access_denied", or "").
func (l Landing) Where() (addr, carries string) {
	p, err := url.Parse(l.URL)
	if err != nil || l.URL == "" {
		return "", ""
	}
	q := p.Query()
	p.RawQuery, p.Fragment = "", ""
	switch {
	case q.Get("error") != "":
		return p.String(), "error=" + q.Get("error")
	case q.Get("code") != "":
		return p.String(), "an authorization code"
	}
	return p.String(), ""
}

// Open goes to authURL (the authorize address byok built), signs in and
// answers the consent page, and returns and remembers where it landed. A
// Microsoft page instead of a redirect is a Landing with Page, not an
// error; errors are the network's, an unexpected page's or Decide's.
func (b *Browser) Open(ctx context.Context, authURL string) (Landing, error) {
	decide := b.Decide
	if decide == nil {
		decide = func(context.Context, string) (bool, error) { return b.Accept, nil }
	}
	u, err := b.Server.consent(ctx, b.Client, authURL, b.User, decide)
	var l Landing
	var page *ErrorPage
	switch {
	case errors.As(err, &page):
		l.Page = page
	case err != nil:
		return Landing{}, err
	default:
		l.URL = u
	}
	b.mu.Lock()
	b.landed = l
	b.mu.Unlock()
	return l, nil
}

// Landed returns where the last Open ended up (zero before any).
func (b *Browser) Landed() Landing {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.landed
}

// consentText keeps the consent page's substance: everything up to the
// buttons, without the boilerplate paragraph and the simulator's marks.
func consentText(s string) string {
	var keep []string
	for _, l := range strings.Split(s, "\n") {
		if strings.HasPrefix(l, "Accepting these permissions") || l == "Cancel" || l == "Accept" || l == "Show details" ||
			l == simBadge || strings.HasPrefix(l, "This is byok's simulator") {
			continue
		}
		keep = append(keep, l)
	}
	return strings.Join(keep, "\n")
}
