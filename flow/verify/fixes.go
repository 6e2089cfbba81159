package verify

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// checkFixes are fallbacks when no code is known. AADSTS codes are
// explained by the one catalog (Verifier.Diagnose); verify keeps no table
// of its own.
var checkFixes = map[string]string{
	"discovery": "check the tenant (Directory ID, domain, common, organizations or consumers) and the cloud (--cloud)",
	"secret":    "check the Application (client) ID, the Directory (tenant) ID and the secret value (`byok rotate NAME`)",
	"consent":   "read the error in the browser and run `byok doctor` with it, or run verify again",
	"token":     "run verify again; if it keeps failing, check the redirect URI is registered under Web",
	"mailbox":   "make sure the signed-in user has a mailbox and the app has User.Read or a mail permission",
	"refresh":   "make sure offline_access is among the app's permissions and consent again",
	"access":    "add the missing delegated permissions under API permissions, grant consent, and run verify again",
}

// fix returns the fix for a failed check: the catalog's when wired and it
// recognises text, else a pointer to the catalog for the code, else the
// check's fallback.
func (v *Verifier) fix(id string, code int, text string) string {
	if v.Diagnose != nil && text != "" {
		if _, f := v.Diagnose(text); f != "" {
			return f
		}
	}
	if code != 0 {
		return fmt.Sprintf("look up AADSTS%d with `byok doctor` or at https://login.microsoftonline.com/error?code=%d", code, code)
	}
	return checkFixes[id]
}

// Portal fixes for Graph's answers.
const (
	portalPermissions = "App registrations > [your app] > API permissions"
	fixMailbox        = "the signed-in user has no Exchange Online mailbox: assign a licence that includes Exchange Online " +
		"(Microsoft 365 admin center > Users > Active users > [user] > Licenses and apps), wait for the mailbox to be created, " +
		"or connect a user whose mailbox is in Exchange Online (an on-premises mailbox cannot be reached through Microsoft Graph)"
	fixToken = "Graph refused the access token: check that --graph-host belongs to the same cloud as --authority-host (--cloud), and run verify again"
)

// graphProblem is Graph's answer to one call, judged.
type graphProblem struct {
	status int
	code   string // Graph's error code (MailboxNotEnabledForRESTAPI …)
	line   string // for the check's detail
	// kind is mailbox, token, permission, throttled or other.
	kind string
}

// judgeGraph classifies a failed Graph answer by status and error code.
// Sources: Microsoft Graph error responses (the "Microsoft Graph error
// responses and resource types" page: 401 InvalidAuthenticationToken,
// 403 ErrorAccessDenied / Authorization_RequestDenied, 404
// MailboxNotEnabledForRESTAPI and ResourceNotFound for users without an
// Exchange Online mailbox, 429 and 503 with Retry-After).
func judgeGraph(status int, body []byte) graphProblem {
	g := graphProblem{status: status, line: graphErrorLine(status, body), kind: "other"}
	var ge graphError
	if json.Unmarshal(body, &ge) == nil {
		g.code = ge.Error.Code
	}
	lc := strings.ToLower(g.code + " " + ge.Error.Message)
	switch {
	case status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable:
		g.kind = "throttled"
	case strings.Contains(lc, "mailboxnotenabledforrestapi") || strings.Contains(lc, "mailboxnotsupportedforrestapi") ||
		strings.Contains(lc, "mailbox is either inactive") || strings.Contains(lc, "hosted on-premise") ||
		(status == http.StatusNotFound && (g.code == "ResourceNotFound" || g.code == "ErrorItemNotFound" || g.code == "")):
		g.kind = "mailbox"
	case status == http.StatusUnauthorized:
		g.kind = "token"
	case status == http.StatusForbidden:
		g.kind = "permission"
	}
	return g
}

// fixFor returns the fix for a judged Graph problem; missing names the
// permissions the call needed.
func (g graphProblem) fixFor(missing string) string {
	switch g.kind {
	case "mailbox":
		return fixMailbox
	case "token":
		return fixToken
	case "permission":
		if missing == "" {
			missing = "the mail and calendar permissions"
		}
		return "Graph denied the call: add " + missing + " as delegated Microsoft Graph permissions under " + portalPermissions +
			", grant consent (Grant admin consent if the tenant requires it), and run verify again"
	case "throttled":
		return "Microsoft Graph is busy or throttling this app: wait a few minutes and run verify again"
	}
	return checkFixes["access"]
}

// maxRetryAfter bounds how long verify honours Graph's Retry-After.
const maxRetryAfter = 30 * time.Second

// retryAfter reads a Retry-After header (seconds or an HTTP date),
// defaulting to 2 seconds and bounded by maxRetryAfter; ok is false when
// Graph asks for longer than verify will wait.
func retryAfter(h string, now time.Time) (time.Duration, bool) {
	h = strings.TrimSpace(h)
	d := 2 * time.Second
	if n, err := strconv.Atoi(h); err == nil && n >= 0 {
		d = time.Duration(n) * time.Second
	} else if t, err := http.ParseTime(h); err == nil {
		d = t.Sub(now)
		if d < 0 {
			d = 0
		}
	}
	return d, d <= maxRetryAfter
}
