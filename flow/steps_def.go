package flow

import (
	"strconv"
	"strings"
	"time"
)

// The wizard's defaults and thresholds, each defined once. The TUI, the
// accessible prompter, `setup --no-input` and `rotate` all start from
// these.
const (
	// DefaultAccountType is the account type the guide recommends.
	DefaultAccountType = MultiTenantPersonal
	// DefaultScopePreset is the preset of step 4 (a key of ScopePresets).
	DefaultScopePreset = "full"
	// DefaultSecretDescription is the description suggested for a new
	// client secret, as the guide types it in the portal.
	DefaultSecretDescription = "Hiveku prod"
	// DefaultSecretLifetime is the expiry suggested for a new client
	// secret: the portal's longest choice.
	DefaultSecretLifetime = "24m"
	// ExpiryWarnDays is how close an expiry is before byok warns (the
	// secret step, verify's offline check, list and show).
	ExpiryWarnDays = 30
)

// Field keys of the wizard's answers. The keys that a validator can
// report are the same strings as *Error.Field.
const (
	FieldName              = "name"
	FieldAccountType       = "account type"
	FieldRedirectURI       = "redirect URI"
	FieldLoopback          = "loopback"
	FieldScopes            = "scopes"
	FieldSecretDescription = "secret description"
	FieldSecretExpiry      = "secret expiry"
	FieldSecretValue       = "secret value"
	FieldClientID          = "client ID"
	FieldDirectoryID       = "directory ID"
	FieldTenant            = "tenant"
)

// Answers are the wizard's answers as given: typed text, a choice, or the
// flags of `setup --no-input`. Nothing in Answers is checked; a step's
// Submit checks its part and turns it into Config values.
type Answers struct {
	Name string
	// AccountType is a flag spelling (multi-personal) or manifest value.
	AccountType string
	RedirectURI string
	// CustomRedirect is the person's confirmation that a RedirectURI other
	// than Hiveku's is intended (staging, self-hosted). It only counts when
	// StepEnv.AllowCustomRedirect is set too.
	CustomRedirect bool
	// Loopback also registers http://localhost for byok verify.
	Loopback bool
	// Scopes is a preset name (full, read, send-only) or a list of
	// permission names separated by commas or spaces.
	Scopes            string
	SecretDescription string
	SecretExpires     string
	// SecretValue is the secret value; empty keeps the secret already in
	// the draft, unless StepEnv.NewSecret.
	SecretValue Secret
	ClientID    string
	DirectoryID string
	// Tenant is common, organizations, consumers, the directory ID or a
	// domain; empty means RecommendedTenant.
	Tenant string
}

// DefaultAnswers returns the answers a new wizard starts with.
func DefaultAnswers() Answers {
	return Answers{
		AccountType:       DefaultAccountType.Short(),
		RedirectURI:       HivekuRedirectURI,
		Scopes:            DefaultScopePreset,
		SecretDescription: DefaultSecretDescription,
		SecretExpires:     DefaultSecretLifetime,
	}
}

// AnswersFrom returns the answers that reproduce c (a draft being
// resumed, a config being edited), with the defaults where c has no
// value. The secret value is not copied: an empty SecretValue keeps c's.
func AnswersFrom(c Config) Answers {
	a := DefaultAnswers()
	a.Name = c.Name
	if c.AccountType.Valid() {
		a.AccountType = c.AccountType.Short()
	}
	if c.RedirectURI != "" {
		a.RedirectURI = c.RedirectURI
	}
	a.CustomRedirect = c.CustomRedirect
	a.Loopback = c.Loopback
	if len(c.Scopes) > 0 {
		if p := MatchPreset(c.Scopes); p != "" {
			a.Scopes = p
		} else {
			a.Scopes = strings.Join(c.Scopes, ",")
		}
	}
	if c.SecretInfo.Description != "" {
		a.SecretDescription = c.SecretInfo.Description
	}
	if !c.SecretInfo.Expires.IsZero() {
		a.SecretExpires = c.SecretInfo.Expires.UTC().Format(time.DateOnly)
	}
	a.ClientID = c.ClientID
	a.DirectoryID = c.DirectoryID
	a.Tenant = c.Tenant
	return a
}

// Get returns the answer of field key as text ("true"/"false" for the
// loopback). The secret value is never returned: Get gives "" for it.
func (a Answers) Get(key string) string {
	switch key {
	case FieldName:
		return a.Name
	case FieldAccountType:
		return a.AccountType
	case FieldRedirectURI:
		return a.RedirectURI
	case FieldLoopback:
		return strconv.FormatBool(a.Loopback)
	case FieldScopes:
		return a.Scopes
	case FieldSecretDescription:
		return a.SecretDescription
	case FieldSecretExpiry:
		return a.SecretExpires
	case FieldClientID:
		return a.ClientID
	case FieldDirectoryID:
		return a.DirectoryID
	case FieldTenant:
		return a.Tenant
	}
	return ""
}

// Set stores v as the answer of field key; a boolean field takes what
// strconv.ParseBool accepts (anything else is false). Unknown keys are
// ignored.
func (a *Answers) Set(key, v string) {
	switch key {
	case FieldName:
		a.Name = v
	case FieldAccountType:
		a.AccountType = v
	case FieldRedirectURI:
		a.RedirectURI = v
	case FieldLoopback:
		a.Loopback, _ = strconv.ParseBool(strings.TrimSpace(v))
	case FieldScopes:
		a.Scopes = v
	case FieldSecretDescription:
		a.SecretDescription = v
	case FieldSecretExpiry:
		a.SecretExpires = v
	case FieldSecretValue:
		a.SecretValue = Secret(v)
	case FieldClientID:
		a.ClientID = v
	case FieldDirectoryID:
		a.DirectoryID = v
	case FieldTenant:
		a.Tenant = v
	}
}

// StepEnv is what a step's checks need besides the answers: the time
// (injected, never read from the clock here), the permission catalog and
// what the caller allows.
type StepEnv struct {
	// Now is the time expiries are measured from.
	Now time.Time
	// Permissions is the Graph delegated permission catalog
	// (assets.Permissions); nil uses a small built-in one.
	Permissions []Permission
	// AllowCustomRedirect lets a confirmed Answers.CustomRedirect keep a
	// redirect URI other than Hiveku's (--allow-custom-redirect).
	AllowCustomRedirect bool
	// NewSecret requires a secret value that differs from the previous
	// config's (rotate): an empty value does not keep the old one.
	NewSecret bool
}

// FieldKind says how a field is asked.
type FieldKind int

// The kinds of field.
const (
	// KindText is a line of text.
	KindText FieldKind = iota
	// KindSecret is a line of text that is never echoed or shown.
	KindSecret
	// KindChoice is one of Options (or, with Field.Other, typed text).
	KindChoice
	// KindConfirm is yes or no ("true" or "false" in Answers.Get/Set).
	KindConfirm
)

// Option is one choice of a KindChoice field.
type Option struct {
	// Value is what Answers.Set receives.
	Value string
	// Label is the text to show.
	Label string
	// Recommended marks the option the guide recommends for the answers
	// given so far.
	Recommended bool
}

// Field is one question of a step.
type Field struct {
	// Key names the answer (Answers.Get/Set) and, for checked fields, the
	// *Error.Field of its errors.
	Key string
	// Title is the question's short title.
	Title string
	// Hint is a one-line explanation shown under the question.
	Hint string
	// Placeholder is an example value for an empty text field.
	Placeholder string
	// Flag is the `byok setup` flag that gives this answer.
	Flag string
	// Kind says how the field is asked.
	Kind FieldKind
	// Other, when set, allows a KindChoice field an answer outside
	// Options (a list of permissions, a verified domain) and says how to
	// offer and ask it.
	Other *Other
	// Options lists the choices of a KindChoice field for the answers
	// given so far (nil for other kinds).
	Options func(a Answers) []Option
	// Default returns the answer to pre-fill when a has none for this
	// field ("" when there is no default).
	Default func(a Answers) string
	// Check validates this field's value v alone, as it is typed, using
	// the other answers where it needs them (nil: only Submit checks it).
	// The step's Submit runs the same checks.
	Check func(v string, a Answers, env StepEnv) error
}

// Other is the typed answer of a choice field: the entry that offers it
// among the options, and the question that asks for it.
type Other struct {
	// Value is the option value that stands for "type it" in a list.
	Value string
	// Label is that option's text.
	Label string
	// Title, Hint and Placeholder ask for the typed answer.
	Title, Hint, Placeholder string
	// Catalog says the answer is picked from the permission catalog
	// (StepEnv.Permissions) rather than typed: a list of names.
	Catalog bool
}

// Warning is a note from a step that accepted an answer which works but
// deserves attention (a tenant narrower than recommended, an expiry
// within ExpiryWarnDays).
type Warning struct {
	Field   string
	Message string
}

// String returns "field: message".
func (w Warning) String() string { return w.Field + ": " + w.Message }

// Step is one wizard step as data: its questions and a pure submit.
type Step struct {
	// ID names the step; ID.Title(), ID.Progress() and ID.Short() are its
	// labels, and assets.StepHelp(ID) its help text (flow does not read
	// assets).
	ID StepID
	// Fields are the step's questions in order (none for review and
	// verify).
	Fields []Field
	submit func(a Answers, c Config, env StepEnv) (Config, []Warning, error)
}

// Submit checks the step's answers in a at env.Now and returns c with
// the step's values set (trimmed and normalised), the warnings, or the
// first problem as an EINVALID *Error naming the field. It reads nothing
// but its arguments. Whether the name is already taken is the caller's
// check: it needs the store.
func (s Step) Submit(a Answers, c Config, env StepEnv) (Config, []Warning, error) {
	if s.submit == nil {
		return c, nil, nil
	}
	return s.submit(a, c, env)
}

// Field returns the step's field with key, and false if it has none.
func (s Step) Field(key string) (Field, bool) {
	for _, f := range s.Fields {
		if f.Key == key {
			return f, true
		}
	}
	return Field{}, false
}

// Def returns the definition of step s; an unknown step has no fields and
// a Submit that changes nothing.
func (s StepID) Def() Step {
	for _, d := range stepDefs {
		if d.ID == s {
			return d
		}
	}
	return Step{ID: s}
}

// RecommendedTenant is the tenant the guide recommends for an account
// type: the directory for single tenant, organizations for multitenant,
// consumers for personal only and common for multitenant + personal.
func RecommendedTenant(a AccountType, directoryID string) string {
	switch a {
	case SingleTenant:
		if g, ok := NormalizeGUID(directoryID); ok {
			return g
		}
		return strings.TrimSpace(directoryID)
	case MultiTenant:
		return TenantOrganizations
	case PersonalOnly:
		return TenantConsumers
	}
	return TenantCommon
}

// SubmitAll runs the six answer steps and the review in order on a, as
// `setup --no-input` does, and returns the finished config with every
// warning, or the first problem.
func SubmitAll(a Answers, env StepEnv) (Config, []Warning, error) {
	var c Config
	var all []Warning
	for _, id := range Steps {
		if id == StepVerify {
			break
		}
		var warns []Warning
		var err error
		c, warns, err = id.Def().Submit(a, c, env)
		if err != nil {
			return Config{}, nil, err
		}
		all = append(all, warns...)
	}
	return c, all, nil
}

// accountOf parses a's account type, falling back to c's (already
// submitted) one, for checks of later steps.
func accountOf(a Answers, c Config) AccountType {
	if t, err := ParseAccountType(a.AccountType); err == nil {
		return t
	}
	return c.AccountType
}

var stepDefs = []Step{
	{
		ID: StepName,
		Fields: []Field{{
			Key: FieldName, Title: "Name", Flag: "--name",
			Hint:        "The app's display name in Azure, e.g. Acme Hiveku.",
			Placeholder: "Acme Hiveku",
			Check:       func(v string, _ Answers, _ StepEnv) error { return ValidateName(strings.TrimSpace(v)) },
		}},
		submit: func(a Answers, c Config, _ StepEnv) (Config, []Warning, error) {
			name := strings.TrimSpace(a.Name)
			if err := ValidateName(name); err != nil {
				return c, nil, err
			}
			c.Name = name
			return c, nil, nil
		},
	},
	{
		ID: StepAccountType,
		Fields: []Field{{
			Key: FieldAccountType, Title: "Supported account types", Flag: "--account-type",
			Kind: KindChoice,
			Options: func(Answers) []Option {
				opts := make([]Option, len(AccountTypes))
				for i, t := range AccountTypes {
					opts[i] = Option{Value: t.Short(), Label: t.Label(), Recommended: t == DefaultAccountType}
				}
				return opts
			},
			Default: func(Answers) string { return DefaultAccountType.Short() },
			Check: func(v string, _ Answers, _ StepEnv) error {
				_, err := ParseAccountType(v)
				return err
			},
		}},
		submit: func(a Answers, c Config, _ StepEnv) (Config, []Warning, error) {
			t, err := ParseAccountType(a.AccountType)
			if err != nil {
				return c, nil, err
			}
			// Personal-account audiences allow shorter names than step 1.
			name := c.Name
			if name == "" {
				name = strings.TrimSpace(a.Name)
			}
			if err := ValidateNameAudience(name, t); err != nil {
				return c, nil, err
			}
			c.AccountType = t
			return c, nil, nil
		},
	},
	{
		ID: StepRedirect,
		Fields: []Field{
			{
				Key: FieldRedirectURI, Title: "Redirect URI (platform: Web)", Flag: "--redirect-uri",
				Hint:    "Expected exactly " + HivekuRedirectURI,
				Default: func(Answers) string { return HivekuRedirectURI },
				Check: func(v string, a Answers, env StepEnv) error {
					_, _, err := submitRedirect(v, a, env)
					return err
				},
			},
			{
				Key: FieldLoopback, Title: "Also register http://localhost for `byok verify`?", Flag: "--add-loopback",
				Hint: "A second Web redirect URI that lets byok receive the consent code on this computer.",
				Kind: KindConfirm,
			},
		},
		submit: func(a Answers, c Config, env StepEnv) (Config, []Warning, error) {
			uri, custom, err := submitRedirect(a.RedirectURI, a, env)
			if err != nil {
				return c, nil, err
			}
			c.RedirectURI, c.CustomRedirect, c.Loopback = uri, custom, a.Loopback
			return c, nil, nil
		},
	},
	{
		ID: StepPermissions,
		Fields: []Field{{
			Key: FieldScopes, Title: "Microsoft Graph delegated permissions", Flag: "--scopes",
			Hint: "offline_access is always needed: without it Microsoft issues no refresh token and the connection stops after an hour.",
			Kind: KindChoice,
			Other: &Other{
				Value: "custom", Label: "custom: pick from the catalog",
				Title:   "Pick the permissions",
				Hint:    "offline_access is always included: without it Microsoft issues no refresh token and the connection stops after an hour.",
				Catalog: true,
			},
			Options: func(Answers) []Option {
				opts := make([]Option, len(ScopePresetOrder))
				for i, p := range ScopePresetOrder {
					opts[i] = Option{Value: p, Label: p + ": " + strings.Join(ScopePresets[p], ", "), Recommended: p == DefaultScopePreset}
				}
				return opts
			},
			Default: func(Answers) string { return DefaultScopePreset },
			Check: func(v string, _ Answers, env StepEnv) error {
				_, err := ParseScopes(v, env.Permissions)
				return err
			},
		}},
		submit: func(a Answers, c Config, env StepEnv) (Config, []Warning, error) {
			scopes, err := ParseScopes(a.Scopes, env.Permissions)
			if err != nil {
				return c, nil, err
			}
			c.Scopes = scopes
			return c, nil, nil
		},
	},
	{
		ID: StepSecret,
		Fields: []Field{
			{
				Key: FieldSecretDescription, Title: "Description", Flag: "--secret-description",
				Hint:    "As typed in the portal under Certificates & secrets.",
				Default: func(Answers) string { return DefaultSecretDescription },
				Check:   func(v string, _ Answers, _ StepEnv) error { return ValidateSecretDescription(v) },
			},
			{
				Key: FieldSecretExpiry, Title: "Expires", Flag: "--secret-expires",
				Hint:    "24m (months), 180d (days) or a date such as 2027-12-31; the portal's longest is 24 months.",
				Default: func(Answers) string { return DefaultSecretLifetime },
				Check: func(v string, _ Answers, env StepEnv) error {
					_, _, err := ParseExpiry(v, env.Now)
					return err
				},
			},
			{
				Key: FieldSecretValue, Title: "Secret value", Flag: "--secret-stdin",
				Hint: "Copy the Value column (not the Secret ID) right after creating the secret; paste it into Hiveku now too, since Microsoft shows it only once.",
				Kind: KindSecret,
				Check: func(v string, _ Answers, _ StepEnv) error {
					return ValidateSecretValue(v)
				},
			},
		},
		submit: submitSecret,
	},
	{
		ID: StepTenant,
		Fields: []Field{
			{
				Key: FieldClientID, Title: "Application (client) ID", Flag: "--client-id",
				Hint:        "On the app's Overview page.",
				Placeholder: "00000000-0000-0000-0000-000000000000",
				Check:       func(v string, _ Answers, _ StepEnv) error { return ValidateClientID(strings.TrimSpace(v)) },
			},
			{
				Key: FieldDirectoryID, Title: "Directory (tenant) ID", Flag: "--directory-id",
				Hint:        "Also on the Overview page, under the client ID.",
				Placeholder: "00000000-0000-0000-0000-000000000000",
				Check: func(v string, a Answers, _ StepEnv) error {
					return ValidateDirectoryID(strings.TrimSpace(v), strings.TrimSpace(a.ClientID))
				},
			},
			{
				Key: FieldTenant, Title: "Tenant Hiveku will use", Flag: "--tenant",
				Kind: KindChoice,
				Other: &Other{
					Value: "domain", Label: "a verified domain (e.g. contoso.com)",
					Title:       "Verified domain",
					Hint:        "A custom domain verified in your directory (Entra ID > Custom domain names).",
					Placeholder: "contoso.com",
				},
				Options: tenantOptions,
				Default: func(a Answers) string {
					t, _ := ParseAccountType(a.AccountType)
					return RecommendedTenant(t, a.DirectoryID)
				},
				Check: func(v string, a Answers, _ StepEnv) error {
					t, _ := ParseAccountType(a.AccountType)
					_, err := ValidateTenant(v, t, strings.TrimSpace(a.DirectoryID))
					return err
				},
			},
		},
		submit: submitTenant,
	},
	{
		ID: StepReview,
		submit: func(_ Answers, c Config, _ StepEnv) (Config, []Warning, error) {
			if err := c.Validate(); err != nil {
				return c, nil, err
			}
			return c, nil, nil
		},
	},
	{ID: StepVerify},
}

// submitRedirect checks a redirect URI: Hiveku's, or a custom one that is
// both confirmed (a.CustomRedirect) and allowed (env.AllowCustomRedirect)
// and obeys Microsoft's rules. It returns the URI to store and whether it
// is custom.
func submitRedirect(uri string, a Answers, env StepEnv) (string, bool, error) {
	if uri == HivekuRedirectURI {
		return uri, false, nil
	}
	if !(a.CustomRedirect && env.AllowCustomRedirect) {
		if err := ValidateRedirectURI(uri); err != nil {
			return "", false, err
		}
		return "", false, Invalid(FieldRedirectURI, "%q is not Hiveku's redirect URI", uri).
			WithFix("use %s, or confirm a custom redirect URI for a staging or self-hosted Hiveku (--allow-custom-redirect)", HivekuRedirectURI)
	}
	uri = strings.TrimSpace(uri)
	t, _ := ParseAccountType(a.AccountType)
	if err := ValidateCustomRedirectURI(uri, t); err != nil {
		return "", false, err
	}
	return uri, true, nil
}

// submitSecret checks step 5: description, expiry and value. An empty
// value keeps c's secret, except with env.NewSecret (rotate), where the
// value must be given and differ from c's.
func submitSecret(a Answers, c Config, env StepEnv) (Config, []Warning, error) {
	desc := strings.TrimSpace(a.SecretDescription)
	if err := ValidateSecretDescription(desc); err != nil {
		return c, nil, err
	}
	expires, warn, err := ParseExpiry(a.SecretExpires, env.Now)
	if err != nil {
		return c, nil, err
	}
	value := Secret(strings.TrimSpace(a.SecretValue.Reveal()))
	keep := value.IsZero() && !c.Secret.IsZero() && !env.NewSecret
	if !keep {
		if err := ValidateSecretValue(value.Reveal()); err != nil {
			return c, nil, err
		}
		if env.NewSecret && !c.Secret.IsZero() && value == c.Secret {
			return c, nil, Invalid(FieldSecretValue, "this is the secret byok already has").
				WithFix("create a new client secret in the portal (%s > New client secret) and give byok its Value", PortalSecretsPath)
		}
	}
	info := c.SecretInfo
	if !keep {
		c.Secret = value
		info = SecretInfo{Hint: value.Hint(), Created: env.Now}
	}
	info.Description = desc
	info.Expires = expires
	info.Retired, info.Missing = time.Time{}, false
	c.SecretInfo = info
	var warns []Warning
	if warn != "" {
		warns = append(warns, Warning{Field: FieldSecretExpiry, Message: warn})
	}
	return c, warns, nil
}

// submitTenant checks step 6: the two IDs and the tenant, against the
// account type (a's, or c's when a has none).
func submitTenant(a Answers, c Config, _ StepEnv) (Config, []Warning, error) {
	clientID := strings.TrimSpace(a.ClientID)
	if err := ValidateClientID(clientID); err != nil {
		return c, nil, err
	}
	dirID := strings.TrimSpace(a.DirectoryID)
	if err := ValidateDirectoryID(dirID, clientID); err != nil {
		return c, nil, err
	}
	acct := accountOf(a, c)
	tenant := strings.TrimSpace(a.Tenant)
	if tenant == "" {
		tenant = RecommendedTenant(acct, dirID)
	}
	warn, err := ValidateTenant(tenant, acct, dirID)
	if err != nil {
		return c, nil, err
	}
	c.ClientID, c.DirectoryID, c.Tenant = clientID, dirID, tenant
	var warns []Warning
	if warn != "" {
		warns = append(warns, Warning{Field: FieldTenant, Message: warn})
	}
	return c, warns, nil
}

// tenantOptions are the tenant choices for the account type and directory
// ID given so far, the recommended one marked. A verified domain is typed
// (Field.Other).
func tenantOptions(a Answers) []Option {
	acct, _ := ParseAccountType(a.AccountType)
	dir := strings.TrimSpace(a.DirectoryID)
	rec := RecommendedTenant(acct, dir)
	opts := []Option{
		{Value: TenantCommon, Label: "common: any work, school or personal account"},
		{Value: TenantOrganizations, Label: "organizations: any work or school account"},
		{Value: TenantConsumers, Label: "consumers: personal Microsoft accounts only"},
	}
	if dir != "" {
		opts = append(opts, Option{Value: dir, Label: "your directory ID: " + dir})
	}
	for i := range opts {
		opts[i].Recommended = strings.EqualFold(opts[i].Value, rec)
	}
	return opts
}
