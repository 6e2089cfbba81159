package sim

import (
	"context"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// TestBrowserConsents: the scripted browser signs in, is shown the
// consent page as a person reads it, and lands on the redirect URI with a
// code (Accept) or error=access_denied (Cancel), without the address's
// code or state in Where.
func TestBrowserConsents(t *testing.T) {
	for _, accept := range []bool{true, false} {
		e := newEnv(t, func(o *Options) { o.Users[0].Password = "hunter2" }) // sign-in and password pages
		var shown []string
		b := &Browser{Server: e.sim, Client: e.srv.Client(), User: "alex@contoso.com",
			Decide: func(ctx context.Context, consent string) (bool, error) {
				shown = append(shown, consent)
				return accept, nil
			}}
		l, err := b.Open(context.Background(), e.authURL("common"))
		if err != nil {
			t.Fatalf("accept=%v: Open() = %v", accept, err)
		}
		if len(shown) != 1 {
			t.Fatalf("accept=%v: consent page shown %d times, want 1", accept, len(shown))
		}
		for _, want := range []string{"alex@contoso.com", "Permissions requested", "Acme Hiveku", "unverified", "Read and write access to your mail"} {
			if !strings.Contains(shown[0], want) {
				t.Errorf("consent page lacks %q:\n%s", want, shown[0])
			}
		}
		for _, boiler := range []string{"\nAccept\n", "\nCancel", "Accepting these permissions", simBadge, "This is byok's simulator"} {
			if strings.Contains(shown[0], boiler) {
				t.Errorf("consent page keeps %q:\n%s", boiler, shown[0])
			}
		}
		u, err := url.Parse(l.URL)
		if err != nil || l.Page != nil {
			t.Fatalf("landing = %+v", l)
		}
		addr, carries := l.Where()
		want := "an authorization code"
		if !accept {
			want = "error=access_denied"
		}
		if addr != flow.HivekuRedirectURI || carries != want {
			t.Errorf("accept=%v: Where() = %q, %q; want the redirect URI with %s", accept, addr, carries, want)
		}
		if got := u.Query().Get("state"); got != "st-123" {
			t.Errorf("state = %q", got)
		}
		if l.Pasted() != l.URL || b.Landed() != l {
			t.Errorf("Pasted() = %q, Landed() = %+v; want the address", l.Pasted(), b.Landed())
		}
	}
}

// TestBrowserErrorPage: where Microsoft shows a page instead of
// redirecting, the browser stays there: the landing is the page, which
// is what the person pastes, and no consent is asked.
func TestBrowserErrorPage(t *testing.T) {
	e := newEnv(t, nil)
	b := &Browser{Server: e.sim, User: "alex@contoso.com", Accept: true,
		Decide: func(context.Context, string) (bool, error) {
			t.Error("consent asked on an error page")
			return true, nil
		}}
	// Client nil: served in-process, whatever the host.
	l, err := b.Open(context.Background(), e.authURL("common", "redirect_uri", "https://app.hiveku.com/callback"))
	if err != nil {
		t.Fatalf("Open() = %v", err)
	}
	if l.Page == nil || l.Page.Code != 50011 || l.URL != "" {
		t.Fatalf("landing = %+v, want the AADSTS50011 page", l)
	}
	if p := l.Pasted(); !strings.Contains(p, "Sorry, but we’re having trouble signing you in.") || !strings.Contains(p, "AADSTS50011: The redirect URI 'https://app.hiveku.com/callback'") {
		t.Errorf("pasted page:\n%s", p)
	}
	if addr, carries := l.Where(); addr != "" || carries != "" {
		t.Errorf("Where() on a page = %q, %q", addr, carries)
	}
}

// TestBrowserDecideError: the presenter's Ctrl+C at the consent question
// stops the browser; nothing is posted.
func TestBrowserDecideError(t *testing.T) {
	e := newEnv(t, nil)
	stop := errors.New("cancelled")
	b := &Browser{Server: e.sim, User: "alex@contoso.com",
		Decide: func(context.Context, string) (bool, error) { return false, stop }}
	if _, err := b.Open(context.Background(), e.authURL("common")); !errors.Is(err, stop) {
		t.Fatalf("Open() = %v, want the Decide error", err)
	}
	if l := b.Landed(); l != (Landing{}) {
		t.Errorf("landed %+v after a stopped sign-in", l)
	}
}

// TestPageContract: the page markers are on the pages, and the headless
// browser test (tests/browser/run.mjs) tells pages apart by the same
// ids, so a page renamed here fails here, not only in Chromium.
func TestPageContract(t *testing.T) {
	e := newEnv(t, func(o *Options) {
		o.Users[0].Password = "hunter2"
		o.Tenants[0].UserConsentBlocked = true
	})
	w := newWalker(t, e)
	_, signin := w.get(e.authURL("common"))
	_, password := w.submit(signin, "signin", url.Values{"login": {"alex@contoso.com"}})
	_, approval := w.submit(password, "password", url.Values{"passwd": {"hunter2"}})
	_, mismatch := w.get(e.authURL("common", "redirect_uri", "https://wrong.example/cb"))
	e2 := newEnv(t, nil)
	w2 := newWalker(t, e2)
	_, signin2 := w2.get(e2.authURL("common"))
	_, consent := w2.submit(signin2, "signin", url.Values{"login": {"alex@contoso.com"}})
	for _, p := range []struct{ id, page string }{
		{PageSignIn, signin}, {PagePassword, password}, {PageConsent, consent},
		{PageApproval, approval}, {PageError, approval}, {PageError, mismatch},
	} {
		if !strings.Contains(p.page, `id="`+p.id+`"`) {
			t.Errorf("page lacks id=%q:\n%s", p.id, pageText(p.page))
		}
	}
	js, err := os.ReadFile("../../tests/browser/run.mjs")
	if err != nil {
		t.Skipf("the browser test is not here: %v", err)
	}
	for _, id := range []string{PageSignIn, PagePassword, PageConsent, PageApproval, PageError} {
		if !strings.Contains(string(js), `getElementById("`+id+`")`) {
			t.Errorf("tests/browser/run.mjs does not look for the page marker %q", id)
		}
	}
}
