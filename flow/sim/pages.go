package sim

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/hiveku/byok/flow/webpage"
)

// The simulator's HTML pages: sign-in (email first, then Next; an account
// picker), password (only for users with a password), consent, admin
// consent, "Need admin approval", and the two error pages. The layout and
// wording follow Microsoft's pages so that a demo looks like the real
// thing; every page carries the "Simulated by byok" badge and footer so a
// screenshot can't pass for Microsoft's, and none uses Microsoft's logo.
//
// Markup that other code reads stays stable: the first <form> on a page is
// the one to post (parseForm), hidden fields are written as
// `<input type="hidden" name="…" value="…">`, error pages carry
// id="error-page" data-code="N", and the sign-in, password and consent
// forms have the ids signin, password and consent.

const (
	simBadge  = "Simulated by byok"
	simFooter = "This is byok's simulator of a Microsoft sign-in page, for demos and tests. It is not Microsoft and never contacts Microsoft."
)

// writePage sends a simulator page.
func (s *Server) writePage(w http.ResponseWriter, status int, title, content string) {
	w.Header().Set("Cache-Control", "no-store, no-cache")
	webpage.Write(w, status, webpage.Doc(title, simBadge, content, simFooter))
}

// formOpen opens a POST form to path under the session's authority, with
// the session's hidden ctx field.
func formOpen(id string, sess *session, path string) string {
	return fmt.Sprintf(`<form id="%s" method="post" action="/%s/%s"><input type="hidden" name="ctx" value="%s">`,
		id, html.EscapeString(url.PathEscape(sess.Auth.Segment)), path, html.EscapeString(sess.ID))
}

// appTile shows the app's initials, name and publisher line, as the
// consent page's header does.
func appTile(a *App) string {
	publisher := `<span class="unverified" id="publisher">unverified</span>`
	if a.PublisherVerified {
		publisher = `<span class="verified" id="publisher">Verified publisher</span>`
	}
	return fmt.Sprintf(`<div class="app"><span data-initials="%s" aria-hidden="true"></span><div><strong id="app-name">%s</strong>%s</div></div>`,
		html.EscapeString(webpage.Initials(a.DisplayName)), html.EscapeString(a.DisplayName), publisher)
}

// signInPage shows "Sign in": the email with Next, and the accounts to
// pick from, each a button. There is no password field: users with a
// password get the password page after Next, as on Microsoft's pages.
func (s *Server) signInPage(w http.ResponseWriter, sess *session, problem string) {
	var b strings.Builder
	b.WriteString(`<div id="` + PageSignIn + `"><h1>Sign in</h1>`)
	fmt.Fprintf(&b, `<p>to continue to %s</p>`, html.EscapeString(sess.App.DisplayName))
	invalid := ""
	if problem != "" {
		fmt.Fprintf(&b, `<p id="usernameError" class="alert" role="alert">%s</p>`, html.EscapeString(problem))
		invalid = ` aria-invalid="true" aria-describedby="usernameError"`
	}
	b.WriteString(formOpen("signin", sess, "login"))
	b.WriteString(`<label for="i0116" class="vh">Email, phone, or Skype</label>`)
	fmt.Fprintf(&b, `<input type="email" id="i0116" name="login" value="%s" placeholder="Email, phone, or Skype" autocomplete="username" required autofocus%s>`,
		html.EscapeString(sess.LoginHint), invalid)
	b.WriteString(`<div class="actions"><button type="submit" class="primary">Next</button></div></form>`)
	if users := s.pickable(sess); len(users) > 0 {
		b.WriteString(`<h2 id="pick">Pick an account</h2>`)
		b.WriteString(formOpen("accounts-form", sess, "login"))
		b.WriteString(`<ul class="accounts" id="accounts" aria-labelledby="pick">`)
		for _, u := range users {
			fmt.Fprintf(&b, `<li><button type="submit" class="tile" name="login" value="%s" data-upn="%s"><span data-initials="%s" aria-hidden="true"></span><span><span class="name">%s</span><span class="upn">%s</span></span></button></li>`,
				html.EscapeString(u.UPN), html.EscapeString(u.UPN), html.EscapeString(webpage.Initials(u.DisplayName)),
				html.EscapeString(u.DisplayName), html.EscapeString(u.UPN))
		}
		b.WriteString(`</ul></form>`)
	}
	b.WriteString(`</div>`)
	s.writePage(w, http.StatusOK, "Sign in to your account", b.String())
}

// passwordPage asks the password of a user who has one ("Enter
// password"), after the email page's Next.
func (s *Server) passwordPage(w http.ResponseWriter, sess *session, u *User) {
	var b strings.Builder
	b.WriteString(`<div id="` + PagePassword + `">`)
	fmt.Fprintf(&b, `<p class="who">%s</p><h1>Enter password</h1>`, html.EscapeString(u.UPN))
	b.WriteString(formOpen("password", sess, "login"))
	fmt.Fprintf(&b, `<input type="hidden" name="login" value="%s">`, html.EscapeString(u.UPN))
	b.WriteString(`<label for="i0118" class="vh">Password</label>`)
	b.WriteString(`<input type="password" id="i0118" name="passwd" placeholder="Password" autocomplete="current-password" required autofocus>`)
	b.WriteString(`<div class="actions"><button type="submit" class="primary">Sign in</button></div></form></div>`)
	s.writePage(w, http.StatusOK, "Sign in to your account", b.String())
}

// permissionItem is one line of the permission list: the label, and the
// description behind it (a closed <details>, as Microsoft's chevron).
func permissionItem(name, label string) string {
	desc := scopeDescriptions[name]
	if desc == "" {
		return fmt.Sprintf(`<li data-scope="%s"><p>%s</p></li>`, html.EscapeString(name), html.EscapeString(label))
	}
	return fmt.Sprintf(`<li data-scope="%s"><details><summary>%s</summary><p>%s</p></details></li>`,
		html.EscapeString(name), html.EscapeString(label), html.EscapeString(desc))
}

// appDetails is the consent page's "Show details": what a careful user
// checks before pressing Accept.
func appDetails(sess *session) string {
	publisher := "Not verified. This app is not published by Microsoft or your organization."
	if sess.App.PublisherVerified {
		publisher = "Verified"
	}
	return fmt.Sprintf(`<details class="more"><summary>Show details</summary><dl><dt>App</dt><dd>%s</dd><dt>App ID</dt><dd>%s</dd><dt>Reply URL</dt><dd>%s</dd><dt>Publisher</dt><dd>%s</dd></dl></details>`,
		html.EscapeString(sess.App.DisplayName), html.EscapeString(sess.App.ClientID), html.EscapeString(sess.RedirectURI), publisher)
}

// consentPage shows "Permissions requested" with Accept and Cancel.
func (s *Server) consentPage(w http.ResponseWriter, sess *session) {
	var b strings.Builder
	b.WriteString(`<div id="` + PageConsent + `">`)
	fmt.Fprintf(&b, `<p class="who">%s</p>`, html.EscapeString(sess.User.UPN))
	b.WriteString(`<h1>Permissions requested</h1>`)
	b.WriteString(appTile(sess.App))
	b.WriteString(`<p>This app would like to:</p><ul class="perms" id="permissions">`)
	for _, o := range []string{"openid", "profile", "email", "offline_access"} {
		if sess.Scopes.has(o) {
			b.WriteString(permissionItem(o, oidcScopes[o]))
		}
	}
	for _, g := range sess.Prompted {
		gs, _ := findGraphScope(g)
		b.WriteString(permissionItem(gs.Name, gs.Label))
	}
	b.WriteString(`</ul>`)
	terms := ""
	if !sess.App.PublisherVerified {
		terms = " The publisher has not provided links to their terms for you to review."
	}
	fmt.Fprintf(&b, `<p class="muted">Accepting these permissions means that you allow this app to use your data as specified in their terms of service and privacy statement.%s You can change these permissions at <a href="https://myapps.microsoft.com" rel="noreferrer noopener">https://myapps.microsoft.com</a>.</p>`, terms)
	b.WriteString(appDetails(sess))
	b.WriteString(formOpen("consent", sess, "Consent/Set"))
	if sess.User.Admin {
		b.WriteString(`<label class="check"><input type="checkbox" name="consent_on_behalf" value="true"> <span>Consent on behalf of your organization</span></label>`)
	}
	b.WriteString(`<div class="actions"><button type="submit" class="secondary" name="accept" value="false">Cancel</button>`)
	b.WriteString(`<button type="submit" class="primary" name="accept" value="true">Accept</button></div></form></div>`)
	s.writePage(w, http.StatusOK, "Permissions requested", b.String())
}

// adminConsentPage lists what the administrator grants for everyone.
func (s *Server) adminConsentPage(w http.ResponseWriter, r *http.Request, sess *session) {
	var b strings.Builder
	b.WriteString(`<div id="` + PageConsent + `">`)
	fmt.Fprintf(&b, `<p class="who">%s</p>`, html.EscapeString(sess.User.UPN))
	b.WriteString(`<h1>Permissions requested</h1><p>Accept for your organization</p>`)
	b.WriteString(appTile(sess.App))
	b.WriteString(`<p>This app would like to:</p><ul class="perms" id="permissions">`)
	for _, g := range sess.Scopes.Graph {
		gs, _ := findGraphScope(g)
		b.WriteString(permissionItem(gs.Name, gs.Label))
	}
	b.WriteString(`</ul><p class="muted">If you accept, this app will get access to the specified resources for all users in your organization. No one else will be prompted to review these permissions.</p>`)
	b.WriteString(appDetails(sess))
	b.WriteString(formOpen("consent", sess, "Consent/Set"))
	b.WriteString(`<div class="actions"><button type="submit" class="secondary" name="accept" value="false">Cancel</button>`)
	b.WriteString(`<button type="submit" class="primary" name="accept" value="true">Accept</button></div></form></div>`)
	s.writePage(w, http.StatusOK, "Permissions requested", b.String())
}

// approvalPage shows "Need admin approval": the browser stays here; the
// only way on is "Return to the application without granting consent".
func (s *Server) approvalPage(w http.ResponseWriter, r *http.Request, sess *session) {
	t := s.trace(r)
	e := errAdminApproval()
	var b strings.Builder
	fmt.Fprintf(&b, `<div id="%s" data-code="%d">`, PageError, e.Code)
	fmt.Fprintf(&b, `<p class="who">%s</p>`, html.EscapeString(sess.User.UPN))
	b.WriteString(`<h1>Need admin approval</h1>`)
	b.WriteString(appTile(sess.App))
	fmt.Fprintf(&b, `<p>%s needs permission to access resources in your organization that only an admin can grant. Please ask an admin to grant permission to this app before you can use it.</p>`, html.EscapeString(sess.App.DisplayName))
	b.WriteString(`<p>Have an admin account? Sign in with that account</p>`)
	b.WriteString(formOpen(PageApproval, sess, "Consent/Set"))
	b.WriteString(`<input type="hidden" name="accept" value="false"><input type="hidden" name="approval" value="true">`)
	b.WriteString(`<button type="submit" class="link">Return to the application without granting consent</button></form>`)
	fmt.Fprintf(&b, `<div class="details" id="debug-details"><h2>Troubleshooting details</h2><p>Correlation ID: %s</p><p>Timestamp: %s</p><p id="error-message">AADSTS%d: %s</p></div></div>`,
		html.EscapeString(t.CorrelationID), t.At.Format("2006-01-02 15:04:05Z"), e.Code, html.EscapeString(e.Msg))
	s.writePage(w, http.StatusOK, "Need admin approval", b.String())
}

// errorPage shows Microsoft's "Sorry, but we're having trouble signing
// you in." page: used when the request can't be trusted to redirect.
// Addresses in the message (e.g. https://aka.ms/redirectUriMismatchError)
// are links.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, e *stsError) {
	t := s.trace(r)
	msg := fmt.Sprintf("AADSTS%d: %s", e.Code, e.Msg)
	var b strings.Builder
	b.WriteString(`<div id="` + PageError + `" data-code="` + strconv.Itoa(e.Code) + `">`)
	b.WriteString(`<h1>Sign in</h1>`)
	b.WriteString(`<p>Sorry, but we’re having trouble signing you in.</p>`)
	b.WriteString(`<p id="error-message" role="alert">` + webpage.Linkify(msg) + `</p>`)
	b.WriteString(`<div class="details" id="debug-details"><h2>Troubleshooting details</h2>`)
	b.WriteString(`<p>If you contact your administrator, send this info to them.</p>`)
	fmt.Fprintf(&b, `<p>Request Id: %s</p><p>Correlation Id: %s</p><p>Timestamp: %s</p><p>Message: %s</p>`,
		html.EscapeString(t.TraceID), html.EscapeString(t.CorrelationID), t.At.UTC().Format("2006-01-02T15:04:05Z"), webpage.Linkify(msg))
	b.WriteString(`</div></div>`)
	w.Header().Set("x-ms-request-id", t.TraceID)
	s.writePage(w, http.StatusBadRequest, "Sign in to your account", b.String())
}

// livePage is login.live.com's error page for personal accounts: an
// OAuth error and its text, no AADSTS code (data-code 0).
func (s *Server) livePage(w http.ResponseWriter, e *stsError) {
	var b strings.Builder
	b.WriteString(`<div id="` + PageError + `" data-code="0"><h1>We're unable to complete your request</h1>`)
	b.WriteString(`<p id="error-message" role="alert">` + webpage.Linkify(e.Err+": "+e.Msg) + `</p></div>`)
	s.writePage(w, http.StatusOK, "Sign in to your Microsoft account", b.String())
}

// scopeDescriptions are the longer texts behind each permission on the
// consent page: Microsoft Graph's user-consent descriptions (Microsoft
// Graph permissions reference, learn.microsoft.com/graph/permissions-reference)
// and the OpenID Connect scopes' (learn.microsoft.com/entra/identity-platform/scopes-oidc).
var scopeDescriptions = map[string]string{
	"openid":                     "Allows you to sign in to the app with your work or school account and allows the app to read your basic profile information.",
	"profile":                    "Allows the app to see your basic profile (e.g., name, picture, user name, email address).",
	"email":                      "Allows the app to read your primary email address.",
	"offline_access":             "Allows the app to see and update the data you gave it access to, even when you are not currently using the app. This does not give the app any additional permissions.",
	"User.Read":                  "Allows you to sign in to the app with your organizational account and let the app read your profile. It also allows the app to read basic company information.",
	"User.ReadWrite":             "Allows the app to read your profile, and discover your group membership, reports and manager. It also allows the app to update your profile information on your behalf.",
	"User.ReadBasic.All":         "Allows the app to read a basic set of profile properties of other users in your organization on your behalf. Includes display name, first and last name, email address and photo.",
	"User.Read.All":              "Allows the app to read the full set of profile properties, reports, and managers of other users in your organization, on your behalf.",
	"Directory.Read.All":         "Allows the app to read data in your organization's directory.",
	"Mail.Read":                  "Allows the app to read email in your mailbox.",
	"Mail.ReadBasic":             "Allows the app to read email in your mailbox except body, previewBody, attachments and any extended properties.",
	"Mail.ReadWrite":             "Allows the app to read, update, create, and delete email in your mailbox. Does not include permission to send mail.",
	"Mail.Send":                  "Allows the app to send mail as you.",
	"Mail.Read.Shared":           "Allows the app to read mail you can access, including shared mail.",
	"Mail.ReadWrite.Shared":      "Allows the app to read, update, create, and delete mail you have permission to access, including your own and shared mail. Does not allow the app to send mail.",
	"Mail.Send.Shared":           "Allows the app to send mail as you or on-behalf of someone else.",
	"MailboxSettings.Read":       "Allows the app to read your mailbox settings.",
	"MailboxSettings.ReadWrite":  "Allows the app to read, update, create, and delete your mailbox settings.",
	"Calendars.Read":             "Allows the app to read events in your calendars.",
	"Calendars.ReadWrite":        "Allows the app to read, update, create and delete events in your calendars.",
	"Calendars.Read.Shared":      "Allows the app to read events in all calendars that you can access, including delegate and shared calendars.",
	"Calendars.ReadWrite.Shared": "Allows the app to read, update, create and delete events in all calendars in your organization you have permissions to access. This includes delegate and shared calendars.",
	"Contacts.Read":              "Allows the app to read your contacts.",
	"Contacts.ReadWrite":         "Allows the app to read, update, create and delete your contacts.",
	"Files.Read":                 "Allows the app to read your files.",
	"Files.ReadWrite":            "Allows the app to read, create, update, and delete your files.",
}
