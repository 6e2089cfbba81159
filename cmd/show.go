package cmd

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/spf13/cobra"
)

// ShowOptions holds the dependencies and flag values of `byok show`.
type ShowOptions struct {
	IO    *IOStreams
	Store func(ctx context.Context) (flow.Store, error)
	Now   func() time.Time
	// ConsentURLs returns the user and admin consent URLs; nil hides them.
	ConsentURLs func(c flow.Config) (user, admin string, err error)

	Name string
	JSON bool
}

// NewCmdShow builds `byok show NAME [--json]`. runF replaces showRun in
// tests.
func NewCmdShow(f *Factory, runF func(*ShowOptions) error) *cobra.Command {
	opts := &ShowOptions{IO: f.IO, Store: f.Store, Now: f.Now, ConsentURLs: f.ConsentURLs}
	c := &cobra.Command{
		Use:   "show NAME",
		Short: "Show one saved config (the secret only as its hint)",
		Example: "  byok show \"Acme Hiveku\"\n" +
			"  byok show \"Acme Hiveku\" --json",
		Args: exactName,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Name = args[0]
			if runF != nil {
				return runF(opts)
			}
			return showRun(c.Context(), opts)
		},
	}
	c.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return c
}

// configJSON is the JSON form of a config in list and show. It is its
// own flat struct (not flow.Config) so the output is a stable contract,
// cannot carry the secret value, and encodes fast: times are formatted
// once as RFC 3339 strings instead of through time.Time's marshaller,
// which matters for `list --json` over thousands of configs.
type configJSON struct {
	Name             string       `json:"name"`
	AccountType      string       `json:"account_type"`
	RedirectURI      string       `json:"redirect_uri"`
	CustomRedirect   bool         `json:"custom_redirect,omitempty"`
	Loopback         bool         `json:"loopback,omitempty"`
	Scopes           []string     `json:"scopes"`
	ClientID         string       `json:"client_id"`
	DirectoryID      string       `json:"directory_id"`
	Tenant           string       `json:"tenant"`
	Secret           secretJSON   `json:"secret"`
	CreatedAt        string       `json:"created_at,omitempty"`
	UpdatedAt        string       `json:"updated_at,omitempty"`
	SecretDaysLeft   *int         `json:"secret_days_left"`
	LastVerification *runJSON     `json:"last_verification"`
	SecretHistory    []secretJSON `json:"secret_history,omitempty"`
	ConsentURL       string       `json:"consent_url,omitempty"`
	AdminConsentURL  string       `json:"admin_consent_url,omitempty"`
}

// secretJSON describes a secret without its value.
type secretJSON struct {
	Description string `json:"description"`
	Hint        string `json:"hint"`
	Created     string `json:"created,omitempty"`
	Expires     string `json:"expires,omitempty"`
	Retired     string `json:"retired,omitempty"`
	Missing     bool   `json:"missing,omitempty"`
}

// runJSON is a verification run.
type runJSON struct {
	At      string       `json:"at"`
	Offline bool         `json:"offline"`
	OK      bool         `json:"ok"`
	Email   string       `json:"email,omitempty"`
	Checks  []flow.Check `json:"checks"`
}

// jsonTime formats t as RFC 3339 in UTC, or "" for the zero time.
func jsonTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func newSecretJSON(s flow.SecretInfo) secretJSON {
	return secretJSON{Description: s.Description, Hint: s.Hint, Created: jsonTime(s.Created),
		Expires: jsonTime(s.Expires), Retired: jsonTime(s.Retired), Missing: s.Missing}
}

// newConfigJSON builds the JSON form of c at now.
func newConfigJSON(c flow.Config, last *flow.Run, now time.Time) configJSON {
	j := configJSON{
		Name: c.Name, AccountType: string(c.AccountType), RedirectURI: c.RedirectURI,
		CustomRedirect: c.CustomRedirect, Loopback: c.Loopback, Scopes: c.Scopes,
		ClientID: c.ClientID, DirectoryID: c.DirectoryID, Tenant: c.Tenant,
		Secret:    newSecretJSON(c.SecretInfo),
		CreatedAt: jsonTime(c.CreatedAt), UpdatedAt: jsonTime(c.UpdatedAt),
	}
	if j.Scopes == nil {
		j.Scopes = []string{}
	}
	if !c.SecretInfo.Expires.IsZero() {
		d := c.SecretInfo.DaysLeft(now)
		j.SecretDaysLeft = &d
	}
	if last != nil {
		checks := last.Checks
		if checks == nil {
			checks = []flow.Check{}
		}
		j.LastVerification = &runJSON{At: jsonTime(last.At), Offline: last.Offline, OK: last.OK, Email: last.Email, Checks: checks}
	}
	return j
}

// showRun prints one config with its last verification.
func showRun(ctx context.Context, opts *ShowOptions) error {
	st, err := opts.Store(ctx)
	if err != nil {
		return err
	}
	c, err := st.FindConfig(ctx, opts.Name)
	if err != nil {
		return notFound(err, opts.Name)
	}
	runs, err := st.Runs(ctx, c.Name, 1)
	if err != nil {
		return fmt.Errorf("read verification runs: %w", err)
	}
	history, err := st.SecretHistory(ctx, c.Name)
	if err != nil {
		return fmt.Errorf("read secret history: %w", err)
	}
	var last *flow.Run
	if len(runs) > 0 {
		last = &runs[0]
	}
	var userURL, adminURL string
	if opts.ConsentURLs != nil {
		if userURL, adminURL, err = opts.ConsentURLs(c); err != nil {
			return fmt.Errorf("build consent URLs: %w", err)
		}
	}
	now := opts.Now()
	if opts.JSON {
		j := newConfigJSON(c, last, now)
		for _, h := range history {
			j.SecretHistory = append(j.SecretHistory, newSecretJSON(h))
		}
		j.ConsentURL, j.AdminConsentURL = userURL, adminURL
		return writeJSON(opts.IO, j)
	}

	w := opts.IO.Out
	fmt.Fprintln(w, c.Name)
	writeConfigDetails(w, c, now)
	for _, h := range history {
		fmt.Fprintf(w, "  %-14s %s, retired %s\n", "old secret", secretLabel(h), day(h.Retired))
	}
	if !c.CreatedAt.IsZero() {
		fmt.Fprintf(w, "  %-14s %s\n", "created", stamp(c.CreatedAt))
	}
	if !c.UpdatedAt.IsZero() && !c.UpdatedAt.Equal(c.CreatedAt) {
		fmt.Fprintf(w, "  %-14s %s\n", "updated", stamp(c.UpdatedAt))
	}
	if userURL != "" {
		fmt.Fprintf(w, "  %-14s %s\n", "consent URL", userURL)
	}
	if adminURL != "" {
		fmt.Fprintf(w, "  %-14s %s\n", "admin consent", adminURL)
	}
	if last == nil {
		fmt.Fprintf(w, "  %-14s never; run byok verify %s\n", "last verified", shellQuote(c.Name))
		return nil
	}
	fmt.Fprintf(w, "  %-14s %s\n", "last verified", runSummary(*last))
	for _, ch := range last.Checks {
		line := fmt.Sprintf("    %s %-14s %s", checkMark(ch.Status), ch.ID, ch.Detail)
		fmt.Fprintln(w, strings.TrimRight(line, " "))
		if ch.Fix != "" && ch.Status != flow.Pass {
			fmt.Fprintf(w, "      fix: %s\n", ch.Fix)
		}
	}
	return nil
}

// notFound turns a store's ENOTFOUND into the user-facing message; other
// errors pass through wrapped.
func notFound(err error, name string) error {
	if flow.ErrorCode(err) == flow.ENOTFOUND {
		return &flow.Error{Code: flow.ENOTFOUND, Message: fmt.Sprintf("no config named %q", name), Fix: "run byok list to see the saved ones", Err: err}
	}
	return fmt.Errorf("find config: %w", err)
}

// writeConfigDetails prints c's fields as aligned "label value" lines; the
// secret appears only as its hint.
func writeConfigDetails(w io.Writer, c flow.Config, now time.Time) {
	row := func(label, value string) { fmt.Fprintf(w, "  %-14s %s\n", label, value) }
	row("account type", fmt.Sprintf("%s (%s)", c.AccountType.Short(), c.AccountType))
	redirect := c.RedirectURI
	if c.CustomRedirect {
		redirect += " (custom)"
	}
	row("redirect URI", redirect)
	if c.Loopback {
		row("", flow.LoopbackRedirectURI+" (loopback, for byok verify)")
	}
	row("permissions", strings.Join(c.Scopes, ", "))
	row("client ID", c.ClientID)
	row("directory ID", c.DirectoryID)
	row("tenant", c.Tenant)
	s := secretLabel(c.SecretInfo)
	if exp, _ := expiryText(c.SecretInfo, now); exp != "" && !c.SecretInfo.Missing {
		s += ", expires " + exp
	}
	row("secret", s)
}

// secretLabel describes a secret without its value: hint and description.
func secretLabel(s flow.SecretInfo) string {
	if s.Missing {
		return "missing: run byok rotate to enter it again"
	}
	label := s.Hint
	if label == "" {
		label = "(no hint)"
	}
	if s.Description != "" {
		label += fmt.Sprintf(" %q", s.Description)
	}
	return label
}

// Levels of expiryText, for colour.
const (
	levelOK = iota
	levelWarn
	levelBad
)

// expiryWarnDays is when an expiry starts to warn, as verify does.
const expiryWarnDays = 30

// expiryText renders a secret's expiry at now: "2028-11-27 (in 731
// days)", with a warning level under 30 days and once expired.
func expiryText(s flow.SecretInfo, now time.Time) (string, int) {
	switch {
	case s.Missing:
		return "missing", levelBad
	case s.Expires.IsZero():
		return "-", levelOK
	}
	d := s.Expires.Sub(now)
	date := day(s.Expires)
	switch {
	case d <= 0:
		return date + " (expired)", levelBad
	case d < 24*time.Hour:
		return date + " (today)", levelBad
	}
	n := s.DaysLeft(now)
	text := fmt.Sprintf("%s (in %d %s)", date, n, plural(n, "day", "days"))
	if n < expiryWarnDays {
		return text, levelWarn
	}
	return text, levelOK
}

// runSummary is one line about a verification run.
func runSummary(r flow.Run) string {
	s := stamp(r.At) + ", " + runStatus(r)
	if r.Email != "" {
		s += " as " + r.Email
	}
	if r.Offline {
		s += " (offline checks only)"
	}
	return s
}

// runStatus is "ok" or "failed".
func runStatus(r flow.Run) string {
	if r.OK && !r.Failed() {
		return "ok"
	}
	return "failed"
}

// checkMark is the symbol of a check status.
func checkMark(s flow.Status) string {
	switch s {
	case flow.Pass:
		return "✓"
	case flow.Fail:
		return "✗"
	case flow.Warn:
		return "!"
	}
	return "-"
}

// day formats t as a UTC date.
func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// stamp formats t as a UTC date and minute.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// plural picks the word for n.
func plural(n int, one, many string) string {
	if n == 1 || n == -1 {
		return one
	}
	return many
}

// writeJSON prints v as JSON on stdout, indented on a terminal.
func writeJSON(ios *IOStreams, v any) error {
	enc := json.NewEncoder(ios.Out)
	enc.SetEscapeHTML(false)
	if ios.IsStdoutTTY() {
		enc.SetIndent("", "  ")
	}
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("write json: %w", err)
	}
	return nil
}
