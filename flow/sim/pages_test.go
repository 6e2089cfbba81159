package sim

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/hiveku/byok/flow"
)

// pageWalker is a person in a browser, one request at a time, who never
// follows the final redirect back to the app.
type pageWalker struct {
	t *testing.T
	e *testEnv
	c *http.Client
}

func newWalker(t *testing.T, e *testEnv) *pageWalker {
	c := e.srv.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &pageWalker{t: t, e: e, c: c}
}

func (p *pageWalker) read(resp *http.Response, err error) (int, string) {
	p.t.Helper()
	if err != nil {
		p.t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	return resp.StatusCode, string(b)
}

func (p *pageWalker) get(u string) (int, string) { return p.read(p.c.Get(u)) }

// submit posts the form with id on page, with extra fields set (as the
// button pressed or the text typed).
func (p *pageWalker) submit(page, id string, set url.Values) (int, string) {
	p.t.Helper()
	m := regexp.MustCompile(`(?s)<form id="` + id + `" method="post" action="([^"]*)">(.*?)</form>`).FindStringSubmatch(page)
	if m == nil {
		p.t.Fatalf("no form %q on the page:\n%s", id, pageText(page))
	}
	fields := url.Values{}
	for _, h := range hiddenRE().FindAllStringSubmatch(m[2], -1) {
		fields.Set(h[1], h[2])
	}
	for k, v := range set {
		fields[k] = v
	}
	return p.read(p.c.PostForm(p.e.srv.URL+m[1], fields))
}

// assertPage checks what every simulator page must have: lang, viewport,
// the inline stylesheet, the simulation marker, and nothing fetched from
// elsewhere.
func assertPage(t *testing.T, name, page string) {
	t.Helper()
	for _, want := range []string{`<html dir="ltr" lang="en">`, `<meta name="viewport" content="width=device-width, initial-scale=1">`,
		`<style>`, `<link rel="icon" href="data:,">`, `class="badge">Simulated by byok</p>`} {
		if !strings.Contains(page, want) {
			t.Errorf("%s page lacks %s", name, want)
		}
	}
	for _, bad := range []string{"<script", `src="http`, `<link rel="stylesheet"`, `type="password"`} {
		if strings.Contains(page, bad) && !(bad == `type="password"` && name == "password") {
			t.Errorf("%s page has %s", name, bad)
		}
	}
	if !strings.Contains(pageText(page), "Simulated by byok") {
		t.Errorf("%s page's text lacks the marker", name)
	}
}

func TestPagesSignInEmailFirstThenConsent(t *testing.T) {
	e := newEnv(t, nil)
	w := newWalker(t, e)
	status, signin := w.get(e.authURL("common"))
	if status != http.StatusOK {
		t.Fatalf("sign-in page = %d", status)
	}
	assertPage(t, "sign-in", signin)
	if !strings.Contains(signin, `<button type="submit" class="primary">Next</button>`) {
		t.Errorf("sign-in page has no Next button")
	}
	// Every account in the picker is a button that posts its address.
	for _, upn := range []string{"alex@contoso.com", "megan@contoso.com", "sam@outlook.com", "pat@fabrikam.com"} {
		if !strings.Contains(signin, `<button type="submit" class="tile" name="login" value="`+upn+`"`) {
			t.Errorf("account %s is not a button", upn)
		}
	}
	// Picking an account (the tile's form) reaches the consent page.
	status, consent := w.submit(signin, "accounts-form", url.Values{"login": {"alex@contoso.com"}})
	if status != http.StatusOK || !strings.Contains(consent, `id="consent-page"`) {
		t.Fatalf("picking alex = %d:\n%s", status, pageText(consent))
	}
	assertPage(t, "consent", consent)
	for _, want := range []string{`class="primary" name="accept" value="true">Accept</button>`, `class="secondary" name="accept" value="false">Cancel</button>`,
		`<summary>Show details</summary>`, `<summary>Send mail as you</summary><p>Allows the app to send mail as you.</p>`,
		`<a href="https://myapps.microsoft.com"`, `<span class="unverified" id="publisher">unverified</span>`} {
		if !strings.Contains(consent, want) {
			t.Errorf("consent page lacks %s", want)
		}
	}
	// A person reads the labels; the descriptions are behind the chevrons.
	text := pageText(consent)
	if strings.Contains(text, "Allows the app to send mail as you.") || !strings.Contains(text, "Send mail as you") {
		t.Errorf("consent text shows the closed descriptions:\n%s", text)
	}
	// Typing the address and pressing Next goes the same way.
	_, signin = w.get(e.authURL("common"))
	status, consent = w.submit(signin, "signin", url.Values{"login": {"alex@contoso.com"}})
	if status != http.StatusOK || !strings.Contains(consent, `id="consent-page"`) {
		t.Fatalf("Next as alex = %d:\n%s", status, pageText(consent))
	}
	status, _ = w.submit(consent, "consent", url.Values{"accept": {"true"}})
	if status != http.StatusFound {
		t.Errorf("Accept = %d, want a redirect to the app", status)
	}
}

func TestPagesPasswordAfterNext(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Users[0].Password = "hunter2" })
	w := newWalker(t, e)
	_, signin := w.get(e.authURL("common"))
	status, pw := w.submit(signin, "signin", url.Values{"login": {"alex@contoso.com"}})
	if status != http.StatusOK || !strings.Contains(pw, `id="password-page"`) {
		t.Fatalf("Next for a user with a password = %d:\n%s", status, pageText(pw))
	}
	assertPage(t, "password", pw)
	if !strings.Contains(pageText(pw), "alex@contoso.com\nEnter password") {
		t.Errorf("password page text:\n%s", pageText(pw))
	}
	status, consent := w.submit(pw, "password", url.Values{"passwd": {"hunter2"}})
	if status != http.StatusOK || !strings.Contains(consent, `id="consent-page"`) {
		t.Fatalf("right password = %d:\n%s", status, pageText(consent))
	}
	_, signin = w.get(e.authURL("common"))
	_, pw = w.submit(signin, "signin", url.Values{"login": {"alex@contoso.com"}})
	if _, bad := w.submit(pw, "password", url.Values{"passwd": {"nope"}}); !strings.Contains(bad, "AADSTS50126") {
		t.Errorf("wrong password:\n%s", pageText(bad))
	}
}

func TestPagesErrorsAndApproval(t *testing.T) {
	e := newEnv(t, func(o *Options) { o.Tenants[0].UserConsentBlocked = true })
	w := newWalker(t, e)
	status, mismatch := w.get(e.authURL("common", "redirect_uri", "https://wrong.example/cb"))
	if status != http.StatusBadRequest {
		t.Fatalf("mismatch = %d", status)
	}
	assertPage(t, "error", mismatch)
	if !strings.Contains(mismatch, `<a href="https://aka.ms/redirectUriMismatchError" rel="noreferrer noopener">https://aka.ms/redirectUriMismatchError</a>`) {
		t.Errorf("the help address is not a link:\n%s", mismatch)
	}
	if strings.Contains(mismatch, `href="https://wrong.example`) {
		t.Errorf("the reported redirect URI became a link")
	}
	if !strings.Contains(pageText(mismatch), "The redirect URI 'https://wrong.example/cb' specified in the request does not match") {
		t.Errorf("the message is split:\n%s", pageText(mismatch))
	}

	_, signin := w.get(e.authURL("common"))
	_, approval := w.submit(signin, "signin", url.Values{"login": {"alex@contoso.com"}})
	if !strings.Contains(approval, `id="error-page" data-code="90094"`) {
		t.Fatalf("not the approval page:\n%s", pageText(approval))
	}
	assertPage(t, "approval", approval)
	if !strings.Contains(approval, `<button type="submit" class="link">Return to the application without granting consent</button>`) {
		t.Errorf("approval page lacks its return button")
	}

	e2 := newEnv(t, func(o *Options) { o.Apps[0].SignInAudience = flow.MultiTenant })
	w2 := newWalker(t, e2)
	_, signin = w2.get(e2.authURL("common"))
	_, live := w2.submit(signin, "signin", url.Values{"login": {"sam@outlook.com"}})
	if !strings.Contains(live, `data-code="0"`) {
		t.Fatalf("not the personal-account page:\n%s", pageText(live))
	}
	assertPage(t, "live", live)
	if !strings.Contains(live, `<a href="https://go.microsoft.com/fwlink/?linkid=2083908" rel="noreferrer noopener">`) {
		t.Errorf("live page's address is not a link")
	}
}

func TestPagesAdminConsent(t *testing.T) {
	e := newEnv(t, nil)
	w := newWalker(t, e)
	v := url.Values{"client_id": {DemoClientID}, "redirect_uri": {"https://app.hiveku.com/api/oauth/microsoft/callback"}, "scope": {"https://graph.microsoft.com/.default"}}
	_, signin := w.get(e.srv.URL + "/" + ContosoTenantID + "/v2.0/adminconsent?" + v.Encode())
	_, page := w.submit(signin, "signin", url.Values{"login": {"megan@contoso.com"}})
	if !strings.Contains(page, `id="consent-page"`) || !strings.Contains(page, "Accept for your organization") {
		t.Fatalf("not the admin consent page:\n%s", pageText(page))
	}
	assertPage(t, "admin consent", page)
}

func TestFaviconAnsweredQuietly(t *testing.T) {
	e := newEnv(t, nil)
	resp, err := e.srv.Client().Get(e.srv.URL + "/favicon.ico")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("/favicon.ico = %d, want 204", resp.StatusCode)
	}
}
