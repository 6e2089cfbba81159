package flow

import "time"

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
