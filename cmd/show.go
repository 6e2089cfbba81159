package cmd

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"github.com/hiveku/byok/flow/sanitize"
	"github.com/hiveku/byok/ui/text"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	opts := newShowOptions(f)
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
	addJSONFlags(c, f.IO, &opts.JSON, "print JSON", configJSON{}, "")
	return c
}

// newShowOptions returns show's options: dependencies from f, text output.
func newShowOptions(f *Factory) *ShowOptions {
	return &ShowOptions{IO: f.IO, Store: f.Store, Now: f.Now, ConsentURLs: f.ConsentURLs}
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

// jsonTimes is jsonTime of each of ts, with one allocation for all six:
// list --json formats this many times for every config.
func jsonTimes(ts [6]time.Time) (out [6]string) {
	var buf [6 * len("2006-01-02T15:04:05.999999999Z")]byte
	b := buf[:0]
	var end [6]int
	for i, t := range ts {
		if !t.IsZero() {
			b = t.UTC().AppendFormat(b, time.RFC3339Nano)
		}
		end[i] = len(b)
	}
	all := string(b)
	start := 0
	for i := range out {
		out[i] = all[start:end[i]]
		start = end[i]
	}
	return out
}

// newConfigJSON builds the JSON form of c at now.
func newConfigJSON(c flow.Config, last *flow.Run, now time.Time) configJSON {
	var lastAt time.Time
	if last != nil {
		lastAt = last.At
	}
	s := c.SecretInfo
	t := jsonTimes([6]time.Time{s.Created, s.Expires, s.Retired, c.CreatedAt, c.UpdatedAt, lastAt})
	j := configJSON{
		Name: c.Name, AccountType: string(c.AccountType), RedirectURI: c.RedirectURI,
		CustomRedirect: c.CustomRedirect, Loopback: c.Loopback, Scopes: c.Scopes,
		ClientID: c.ClientID, DirectoryID: c.DirectoryID, Tenant: c.Tenant,
		Secret: secretJSON{Description: s.Description, Hint: s.Hint,
			Created: t[0], Expires: t[1], Retired: t[2], Missing: s.Missing},
		CreatedAt: t[3], UpdatedAt: t[4],
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
		j.LastVerification = &runJSON{At: t[5], Offline: last.Offline, OK: last.OK, Email: last.Email, Checks: checks}
	}
	return j
}

// showRun prints one config with its last verification.
func showRun(ctx context.Context, opts *ShowOptions) error {
	st, c, err := loadConfigInfo(readOnly(ctx), opts.Store, opts.Name)
	if err != nil {
		return err
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

	w := opts.IO.Text()
	fmt.Fprintln(w, sanitize.Text(c.Name))
	writeConfigDetails(w, c, now)
	for _, h := range history {
		fmt.Fprintf(w, "  %-14s %s, retired %s\n", "old secret", sanitize.Text(secretLabel(h)), day(h.Retired))
	}
	if !c.CreatedAt.IsZero() {
		fmt.Fprintf(w, "  %-14s %s\n", "created", stamp(c.CreatedAt))
	}
	if !c.UpdatedAt.IsZero() && !c.UpdatedAt.Equal(c.CreatedAt) {
		fmt.Fprintf(w, "  %-14s %s\n", "updated", stamp(c.UpdatedAt))
	}
	if userURL != "" {
		// Too wide to follow the label, the URL starts the next line
		// (text.Writer), whole.
		fmt.Fprintf(w, "  %-14s %s\n", "consent URL", sanitize.Text(userURL))
	}
	if adminURL != "" {
		fmt.Fprintf(w, "  %-14s %s\n", "admin consent", sanitize.Text(adminURL))
	}
	if last == nil {
		fmt.Fprintf(w, "  %-14s never; run byok verify %s\n", "last verified", sanitize.Text(text.ShellQuote(c.Name)))
		return nil
	}
	fmt.Fprintf(w, "  %-14s %s\n", "last verified", sanitize.Text(runSummary(*last)))
	style := text.CheckStyle{Width: opts.IO.TextWidth(), Color: opts.IO.OutColorEnabled(), Indent: "    "}
	for _, ch := range last.Checks {
		fmt.Fprintln(w, style.Render(ch))
	}
	return nil
}

// notFound turns a store's ENOTFOUND into the user-facing message; other
// errors pass through wrapped.
// loadConfig opens the store and finds the config called name, with the
// "no config named …" message when there is none. It returns the store
// too, for commands that write back.
func loadConfig(ctx context.Context, open func(context.Context) (flow.Store, error), name string) (flow.Store, flow.Config, error) {
	st, err := open(mustExist(ctx))
	if noDatabase(err) {
		return nil, flow.Config{}, noConfigNoDatabase(name, err)
	}
	if err != nil {
		return nil, flow.Config{}, err
	}
	c, err := st.FindConfig(ctx, name)
	if err != nil {
		return nil, flow.Config{}, notFound(err, name)
	}
	return st, c, nil
}

// loadConfigInfo is loadConfig for commands that do not use the secret
// value: the store reads the config without decrypting its secret.
func loadConfigInfo(ctx context.Context, open func(context.Context) (flow.Store, error), name string) (flow.Store, flow.Config, error) {
	st, err := open(ctx)
	if noDatabase(err) {
		return nil, flow.Config{}, noConfigNoDatabase(name, err)
	}
	if err != nil {
		return nil, flow.Config{}, err
	}
	var c flow.Config
	if fi, ok := st.(interface {
		FindConfigInfo(context.Context, string) (flow.Config, error)
	}); ok {
		c, err = fi.FindConfigInfo(ctx, name)
	} else {
		c, err = st.FindConfig(ctx, name)
		c.Secret = ""
	}
	if err != nil {
		return nil, flow.Config{}, notFound(err, name)
	}
	return st, c, nil
}

// noDatabase reports the read-only store's "there is no byok database
// at PATH yet" (an ENOTFOUND *flow.Error about the database itself).
func noDatabase(err error) bool {
	fe, ok := err.(*flow.Error)
	return ok && fe.Code == flow.ENOTFOUND && fe.Field == "database"
}

// noConfigNoDatabase says that name cannot be found because the
// database does not exist yet.
func noConfigNoDatabase(name string, err error) error {
	fe := err.(*flow.Error)
	return &flow.Error{Code: flow.ENOTFOUND, Message: fmt.Sprintf("no config named %q: %s", name, fe.Message), Fix: fe.Fix}
}

func notFound(err error, name string) error {
	if flow.ErrorCode(err) == flow.ENOTFOUND {
		return &flow.Error{Code: flow.ENOTFOUND, Message: fmt.Sprintf("no config named %q", name), Fix: "run byok list to see the saved ones", Err: err}
	}
	return fmt.Errorf("find config: %w", err)
}

// writeConfigDetails prints c's fields as aligned "label value" lines; the
// secret appears only as its hint.
func writeConfigDetails(w io.Writer, c flow.Config, now time.Time) {
	row := func(label, value string) { fmt.Fprintf(w, "  %-14s %s\n", label, sanitize.Text(value)) }
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
	if exp, _ := text.Expiry(c.SecretInfo, now); exp != "" && !c.SecretInfo.Missing {
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

// day formats t as a UTC date.
func day(t time.Time) string { return t.UTC().Format("2006-01-02") }

// stamp formats t as a UTC date and minute.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// writeJSON prints v as JSON on stdout, indented on a terminal.
func writeJSON(ios *IOStreams, v any) error {
	if ios.jsonExport.active() {
		return exportJSON(ios, ios.jsonExport, v)
	}
	return encodeJSON(ios, v)
}

// appendConfigJSON appends j encoded as encoding/json would encode it
// (compact, HTML characters not escaped), without reflection: list --json
// encodes thousands of these. TestAppendConfigJSONMatchesEncodingJSON
// keeps the two byte-for-byte equal.
func appendConfigJSON(b []byte, j *configJSON) []byte {
	b = append(b, `{"name":`...)
	b = appendJSONString(b, j.Name)
	b = append(b, `,"account_type":`...)
	b = appendJSONString(b, j.AccountType)
	b = append(b, `,"redirect_uri":`...)
	b = appendJSONString(b, j.RedirectURI)
	if j.CustomRedirect {
		b = append(b, `,"custom_redirect":true`...)
	}
	if j.Loopback {
		b = append(b, `,"loopback":true`...)
	}
	b = append(b, `,"scopes":`...)
	if j.Scopes == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, s := range j.Scopes {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, s)
		}
		b = append(b, ']')
	}
	b = append(b, `,"client_id":`...)
	b = appendJSONString(b, j.ClientID)
	b = append(b, `,"directory_id":`...)
	b = appendJSONString(b, j.DirectoryID)
	b = append(b, `,"tenant":`...)
	b = appendJSONString(b, j.Tenant)
	b = append(b, `,"secret":`...)
	b = appendSecretJSON(b, &j.Secret)
	b = appendOptString(b, `,"created_at":`, j.CreatedAt)
	b = appendOptString(b, `,"updated_at":`, j.UpdatedAt)
	b = append(b, `,"secret_days_left":`...)
	if j.SecretDaysLeft == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(*j.SecretDaysLeft), 10)
	}
	b = append(b, `,"last_verification":`...)
	if r := j.LastVerification; r == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, `{"at":`...)
		b = appendJSONString(b, r.At)
		b = append(b, `,"offline":`...)
		b = strconv.AppendBool(b, r.Offline)
		b = append(b, `,"ok":`...)
		b = strconv.AppendBool(b, r.OK)
		b = appendOptString(b, `,"email":`, r.Email)
		b = append(b, `,"checks":`...)
		if r.Checks == nil {
			b = append(b, "null"...)
		} else {
			b = append(b, '[')
			for i, c := range r.Checks {
				if i > 0 {
					b = append(b, ',')
				}
				b = append(b, `{"id":`...)
				b = appendJSONString(b, c.ID)
				b = append(b, `,"status":`...)
				b = appendJSONString(b, string(c.Status))
				b = append(b, `,"detail":`...)
				b = appendJSONString(b, c.Detail)
				b = append(b, `,"code":`...)
				b = strconv.AppendInt(b, int64(c.Code), 10)
				b = appendOptString(b, `,"fix":`, c.Fix)
				b = append(b, '}')
			}
			b = append(b, ']')
		}
		b = append(b, '}')
	}
	if len(j.SecretHistory) > 0 {
		b = append(b, `,"secret_history":[`...)
		for i := range j.SecretHistory {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendSecretJSON(b, &j.SecretHistory[i])
		}
		b = append(b, ']')
	}
	b = appendOptString(b, `,"consent_url":`, j.ConsentURL)
	b = appendOptString(b, `,"admin_consent_url":`, j.AdminConsentURL)
	return append(b, '}')
}

func appendSecretJSON(b []byte, s *secretJSON) []byte {
	b = append(b, `{"description":`...)
	b = appendJSONString(b, s.Description)
	b = append(b, `,"hint":`...)
	b = appendJSONString(b, s.Hint)
	b = appendOptString(b, `,"created":`, s.Created)
	b = appendOptString(b, `,"expires":`, s.Expires)
	b = appendOptString(b, `,"retired":`, s.Retired)
	if s.Missing {
		b = append(b, `,"missing":true`...)
	}
	return append(b, '}')
}

// appendOptString appends key and s unless s is empty (omitempty).
func appendOptString(b []byte, key, s string) []byte {
	if s == "" {
		return b
	}
	return appendJSONString(append(b, key...), s)
}

// appendJSONString appends s as a JSON string. Valid UTF-8 without
// characters that need escaping is copied as it is; anything else goes
// through encoding/json so escaping (control characters, U+2028/U+2029,
// invalid UTF-8) stays exactly the same.
func appendJSONString(b []byte, s string) []byte {
	// Copy first, then check the copy a word at a time (one load per
	// eight bytes); anything to escape sends s through the slow path.
	b = append(b, '"')
	start := len(b)
	b = append(b, s...)
	p := b[start:]
	i := 0
	for ; i+8 <= len(p) && plainJSON8(binary.LittleEndian.Uint64(p[i:])); i += 8 {
	}
	nonASCII := false
	for ; i < len(p); i++ {
		c := p[i]
		if c < 0x20 || c == '"' || c == '\\' {
			return appendJSONStringSlow(b[:start-1], s)
		}
		if c >= 0x80 {
			nonASCII = true
		}
	}
	if nonASCII && (!utf8.ValidString(s) || strings.ContainsRune(s, '\u2028') || strings.ContainsRune(s, '\u2029')) {
		return appendJSONStringSlow(b[:start-1], s)
	}
	return append(b, '"')
}

// plainJSON8 reports whether each of the eight bytes of w is printable
// ASCII other than '"' and '\\', which JSON copies as they are. The
// first byte below 0x20 borrows in w-0x20…, with no borrow into it from
// below, so it sets its top bit (as ^w does); a byte of 0x7f or more has
// its top bit set in w+0x01… or in w; a byte equal to c leaves the lowest
// zero byte of w^c… to the same borrow test. A false "no" only sends the
// bytes to the byte loop.
func plainJSON8(w uint64) bool {
	const (
		ones = 0x0101010101010101
		top  = 0x8080808080808080
	)
	q := w ^ ('"' * ones)
	bs := w ^ ('\\' * ones)
	return ((w-0x20*ones)&^w|(w+ones)|w|(q-ones)&^q|(bs-ones)&^bs)&top == 0
}

// appendJSONStringSlow appends s encoded by encoding/json.
func appendJSONStringSlow(b []byte, s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	return append(b, bytes.TrimSuffix(buf.Bytes(), []byte("\n"))...)
}
