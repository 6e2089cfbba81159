// Package webpage renders the few HTML pages byok shows in a browser: the
// simulator's sign-in, consent and error pages (flow/sim) and the loopback
// listener's "Done" page (flow/verify). One stylesheet, inlined, so that
// every page is self-contained (no external assets, nothing fetched), has a
// viewport meta tag and reads well from a 320 px phone to a 1920 px screen.
//
// The look follows the shape of Microsoft's sign-in pages (a centred card
// of about 440 px on a light grey page, the system font stack, a blue
// primary and a grey secondary button) without Microsoft's logo, fonts
// or other trademarks.
package webpage

import (
	"html"
	"net/http"
	"regexp"
	"strings"
)

// CSS is the one stylesheet of every page.
//
// Layout: the card is 440 px wide on a wide screen and the full width of
// the viewport below 600 px (as Microsoft's card is); nothing has a fixed
// width larger than 320 px, long words (URLs, GUIDs) wrap, so no page
// scrolls sideways. Colours keep a contrast of at least 4.5:1 on their
// backgrounds (WCAG AA), and every control shows a focus ring.
const CSS = `*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;min-height:100vh;background:#f2f2f2;color:#1b1b1b;font-family:"Segoe UI",system-ui,-apple-system,BlinkMacSystemFont,Roboto,"Helvetica Neue",Arial,sans-serif;font-size:15px;line-height:1.45;overflow-wrap:anywhere}
main{display:flex;flex-direction:column;width:calc(100% - 32px);max-width:440px;margin:28px auto 20px;padding:28px 44px 32px;background:#fff;box-shadow:0 2px 6px rgba(0,0,0,.2)}
main>*{margin-top:0}
.badge{order:-1;align-self:flex-start;display:inline-flex;align-items:center;gap:6px;margin:0 0 16px;padding:3px 10px;border:1px solid #8a6d00;border-radius:12px;background:#fff4ce;color:#4a3b00;font-size:13px;font-weight:600}
.badge::before{content:"";width:8px;height:8px;border-radius:50%;background:#8a6d00}
h1{margin:0 0 12px;font-size:24px;font-weight:600;line-height:1.25}
h2{margin:24px 0 8px;font-size:17px;font-weight:600}
p{margin:0 0 12px}
a{color:#0060aa;text-decoration:underline}
a:hover{color:#004578}
.who{margin:0 0 12px;font-size:15px;color:#1b1b1b}
.muted{color:#595959;font-size:13px}
.alert{color:#a4262c;margin:0 0 12px}
.vh{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
input[type=email],input[type=password],input[type=text]{display:block;width:100%;margin:8px 0 16px;padding:6px 2px;border:0;border-bottom:1px solid #666;border-radius:0;background:transparent;color:#1b1b1b;font:inherit}
input[type=email]:focus,input[type=password]:focus,input[type=text]:focus{outline:none;border-bottom:2px solid #0060aa;padding-bottom:5px}
.actions{display:flex;flex-wrap:wrap;justify-content:flex-end;gap:8px;margin-top:16px}
button,.button{min-width:108px;min-height:32px;padding:4px 12px;border:1px solid transparent;border-radius:0;font:inherit;cursor:pointer;text-align:center}
.primary{background:#0067b8;border-color:#0067b8;color:#fff}
.primary:hover{background:#005da6}
.secondary{background:#ccc;border-color:#ccc;color:#1b1b1b}
.secondary:hover{background:#b8b8b8}
button.link{min-width:0;min-height:0;padding:0;border:0;background:none;color:#0060aa;text-decoration:underline;text-align:left}
:focus-visible{outline:2px solid #1b1b1b;outline-offset:2px}
.app{display:flex;align-items:center;gap:12px;margin:4px 0 16px}
.app>span:first-child,.tile>span:first-child{flex:none;display:inline-flex;align-items:center;justify-content:center;width:48px;height:48px;background:#2b579a;color:#fff;font-weight:600}
.app>span:first-child::before,.tile>span:first-child::before{content:attr(data-initials)}
.tile>span:first-child{width:40px;height:40px;border-radius:50%;background:#5c5c5c}
.app strong{display:block;font-size:17px}
.unverified{color:#a4262c;font-size:13px}
.verified{color:#107c10;font-size:13px}
ul.perms,ul.accounts{list-style:none;margin:0 0 16px;padding:0}
ul.perms li{border-bottom:1px solid #e6e6e6}
details>summary{cursor:pointer;padding:5px 0;margin-left:1.1em;list-style-position:outside}
details>summary::marker{color:#595959}
details>p,details>dl{margin:0 0 10px 1.1em;color:#454545;font-size:13px}
details.more>summary{color:#0060aa;text-decoration:underline;padding:4px 0;margin-left:0;list-style:none}
details.more>summary::-webkit-details-marker{display:none}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 12px}
dt{font-weight:600}dd{margin:0}
.tile{display:flex;align-items:center;gap:12px;width:100%;min-height:56px;padding:8px;margin:0;border:0;border-bottom:1px solid #e6e6e6;background:#fff;color:#1b1b1b;text-align:left}
.tile:hover{background:#f2f2f2}
.tile span{display:block}
.tile .upn{color:#595959;font-size:13px}
label.check{display:flex;gap:8px;align-items:flex-start;margin:12px 0}
label.check input{margin-top:4px}
.details{margin-top:16px;padding:12px;background:#f2f2f2;font-size:13px}
.details h2{margin-top:0;font-size:15px}
.details p{margin-bottom:4px}
footer{max-width:440px;width:calc(100% - 32px);margin:0 auto 24px;color:#595959;font-size:12px}
@media (max-width:600px){body{background:#fff}main{width:100%;margin:0;padding:24px 20px 32px;box-shadow:none}footer{width:100%;padding:0 20px}}
@media (prefers-reduced-motion:reduce){*{transition:none!important}}`

// Doc returns a complete HTML document: the title (escaped), a badge
// (escaped text shown at the top of the card, e.g. "Simulated by byok"),
// the card's content (trusted HTML built by the caller with escaped
// values), and an optional footer (escaped text). The badge comes last in
// the card's source and is moved to the top by CSS, so that text read from
// the page (flow/sim's pageText) keeps the page's own lines first.
//
// The favicon link is an empty data URL: browsers then ask nobody for
// /favicon.ico, so no request for it fails.
func Doc(title, badge, content, footer string) string {
	var b strings.Builder
	b.Grow(len(CSS) + len(content) + 512)
	b.WriteString(`<!DOCTYPE html><html dir="ltr" lang="en"><head><meta charset="utf-8">`)
	b.WriteString(`<meta name="viewport" content="width=device-width, initial-scale=1">`)
	b.WriteString(`<meta name="robots" content="noindex, nofollow"><link rel="icon" href="data:,">`)
	b.WriteString(`<title>` + html.EscapeString(title) + `</title><style>` + CSS + `</style></head><body>`)
	b.WriteString(`<main>`)
	b.WriteString(content)
	if badge != "" {
		b.WriteString(`<p class="badge">` + html.EscapeString(badge) + `</p>`)
	}
	b.WriteString(`</main>`)
	if footer != "" {
		b.WriteString(`<footer>` + html.EscapeString(footer) + `</footer>`)
	}
	b.WriteString(`</body></html>`)
	return b.String()
}

// Write sends doc as an HTML response with status. It sets the content
// type and length, so that the whole page goes out in one piece.
func Write(w http.ResponseWriter, status int, doc string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(doc))
}

// Favicon answers a request for /favicon.ico quietly: 204 No Content,
// cacheable for a day, so that a browser's automatic request neither
// fails nor shows up as an error in its console.
func Favicon(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.WriteHeader(http.StatusNoContent)
}

// urlRE finds http(s) addresses in running text.
var urlRE = regexp.MustCompile(`https?://[^\s<>"']+`)

// Linkify escapes text and turns the https addresses in it into links,
// leaving trailing sentence punctuation outside the link. An address in
// single quotes is a value the text reports (a redirect URI that did not
// match), not a place to go: it stays text. The link's text
// is the address itself, so the page reads the same as plain text.
func Linkify(text string) string {
	var b strings.Builder
	last := 0
	for _, m := range urlRE.FindAllStringIndex(text, -1) {
		start, end := m[0], m[1]
		for end > start && strings.ContainsRune(".,;:!?)", rune(text[end-1])) {
			end--
		}
		b.WriteString(html.EscapeString(text[last:start]))
		u := text[start:end]
		quoted := start > 0 && text[start-1] == '\'' // a value being reported, not a place to go
		if strings.HasPrefix(u, "https://") && !quoted {
			b.WriteString(`<a href="` + html.EscapeString(u) + `" rel="noreferrer noopener">` + html.EscapeString(u) + `</a>`)
		} else {
			b.WriteString(html.EscapeString(u)) // never link plain http
		}
		last = end
	}
	b.WriteString(html.EscapeString(text[last:]))
	return b.String()
}

// Initials returns up to two letters for an avatar: the first letters of
// the first two words of name.
func Initials(name string) string {
	var out []rune
	for _, w := range strings.Fields(name) {
		for _, r := range w {
			out = append(out, r)
			break
		}
		if len(out) == 2 {
			break
		}
	}
	return strings.ToUpper(string(out))
}
