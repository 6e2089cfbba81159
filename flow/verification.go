package flow

import (
	"context"
	"time"
)

// Status is the outcome of one verification check.
type Status string

// Check outcomes.
const (
	Pass Status = "pass"
	Fail Status = "fail"
	Warn Status = "warn"
	Skip Status = "skip"
)

// Check IDs, in the order verify runs them. Offline checks come first.
const (
	CheckRedirect  = "redirect-uri"
	CheckScopes    = "scopes"
	CheckAudience  = "account-type"
	CheckSecret    = "secret-present"
	CheckExpiry    = "secret-expiry"
	CheckCloud     = "cloud" // only against a national cloud
	CheckDiscovery = "discovery"
	CheckCreds     = "secret"
	CheckConsent   = "consent"
	CheckToken     = "token"
	CheckMailbox   = "mailbox"
	CheckRefresh   = "refresh"
	CheckAccess    = "access"
)

// Check is one verification result.
type Check struct {
	ID     string `json:"id"`
	Status Status `json:"status"`
	// Detail is a one-line reason.
	Detail string `json:"detail"`
	// Code is the AADSTS number from Microsoft's response, or 0.
	Code int `json:"code"`
	// Fix says what to change in the portal (failures and warnings).
	Fix string `json:"fix,omitempty"`
}

// Run is one stored verification: when, what, and as whom.
type Run struct {
	ID      int64     `json:"id,omitempty"`
	Name    string    `json:"name"`
	At      time.Time `json:"at"`
	Offline bool      `json:"offline"`
	OK      bool      `json:"ok"`
	Email   string    `json:"email,omitempty"`
	Checks  []Check   `json:"checks"`
}

// Failed reports whether any check failed.
func (r Run) Failed() bool {
	for _, c := range r.Checks {
		if c.Status == Fail {
			return true
		}
	}
	return false
}

// Reporter is how the verification engine talks to whoever runs it (the
// wizard's live checklist, or plain text for `byok verify`).
type Reporter interface {
	// Started is called when a check begins (for a spinner).
	Started(id string)
	// Finished is called with each check's result, in order.
	Finished(c Check)
	// ConsentURL is called with the authorization URL before the engine
	// waits for the code; opened says whether a browser was launched.
	ConsentURL(url string, opened bool)
	// Paste asks the person for the address the browser landed on (or a
	// Microsoft error page's text). Called only in paste mode.
	Paste(ctx context.Context) (string, error)
}

// VerifyFunc runs the full verification of c (offline then live checks),
// reporting progress to r. cmd builds one from the engine and hands it to
// the ui, which never sees HTTP.
type VerifyFunc func(ctx context.Context, c Config, r Reporter) (Run, error)
