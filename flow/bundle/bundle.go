// Package bundle writes and reads byok support bundles: a versioned JSON
// file with one configuration (never its secret value unless asked for),
// its secret's hint and expiry, the secret history and the verification
// runs, so that support can recreate the config with `byok import` and run
// verify --offline, doctor and the simulator against it.
//
// A bundle carries an integrity check (a SHA-256 of its canonical JSON
// without the check itself), so a changed byte is refused on import, and
// a secret value travels only encrypted with a passphrase (age's scrypt
// recipient, ASCII-armoured), never as plain text.
//
// It is pure: it imports flow, the standard library and filippo.io/age;
// the passphrase is given to it, never asked for.
package bundle

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"filippo.io/age"
	"filippo.io/age/armor"
	"github.com/hiveku/byok/flow"
)

// FormatName is the value of a bundle's "format" key.
const FormatName = "byok-bundle"

// Version is the bundle format this byok writes and the only one it
// reads. Format 1 had no integrity check and wrote a secret value as
// plain text: such bundles are refused with a request to export again.
const Version = 2

// MaxSize is the largest bundle Parse accepts.
const MaxSize = 16 << 20

// Bundle is one exported configuration. Printing it with any fmt verb
// never shows the secret value: Secret.Value is a flow.Secret.
type Bundle struct {
	Format      string    `json:"format"`
	Version     int       `json:"version"`
	ByokVersion string    `json:"byok_version"`
	ExportedAt  time.Time `json:"exported_at"`
	Config      Config    `json:"config"`
	Secret      Secret    `json:"secret"`
	// SecretHistory lists retired secrets, newest first (never values).
	SecretHistory []flow.SecretInfo `json:"secret_history"`
	// Verifications lists stored verification runs, newest first.
	Verifications []flow.Run `json:"verifications"`
	// Integrity is "sha256:" and the hex SHA-256 of the bundle's
	// canonical JSON (keys sorted, no spaces) without this key. Marshal
	// sets it; Parse refuses a bundle whose content does not match it.
	Integrity string `json:"integrity"`

	passphrase string // Options.Passphrase, for Marshal
	workFactor int    // Options.WorkFactor
}

// Config is the exported part of flow.Config: everything but the secret.
// It is spelled out here so that the bundle format does not change when
// flow.Config grows.
type Config struct {
	Name           string           `json:"name"`
	AccountType    flow.AccountType `json:"account_type"`
	RedirectURI    string           `json:"redirect_uri"`
	CustomRedirect bool             `json:"custom_redirect,omitempty"`
	Loopback       bool             `json:"loopback,omitempty"`
	Scopes         []string         `json:"scopes"`
	ClientID       string           `json:"client_id"`
	DirectoryID    string           `json:"directory_id"`
	Tenant         string           `json:"tenant"`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
}

// Secret describes the current client secret. Value is set only for an
// export with --with-secret (then written only as Encrypted) and after
// Decrypt on import.
type Secret struct {
	Description string    `json:"description"`
	Hint        string    `json:"hint"`
	Created     time.Time `json:"created"`
	Expires     time.Time `json:"expires"`
	// Encrypted is the value encrypted to a passphrase with age's scrypt
	// recipient, ASCII-armoured; empty when the bundle has no value.
	Encrypted string      `json:"value_encrypted,omitempty"`
	Value     flow.Secret `json:"-"`
}

// Options controls New.
type Options struct {
	// ByokVersion is written into the bundle.
	ByokVersion string
	// Now is the export time.
	Now time.Time
	// WithSecret includes the secret value, encrypted with Passphrase.
	// Callers must have asked the person for confirmation first.
	WithSecret bool
	// Passphrase encrypts the secret value (required with WithSecret).
	Passphrase string
	// WorkFactor is scrypt's log2(N) for the passphrase; 0 means age's
	// default (18, about a second). Tests lower it.
	WorkFactor int
}

// MinPassphrase is the shortest passphrase Marshal accepts.
const MinPassphrase = 12

// New builds the bundle of c with its secret history and verification
// runs. The secret value is included only with o.WithSecret.
func New(c flow.Config, history []flow.SecretInfo, runs []flow.Run, o Options) Bundle {
	b := Bundle{
		Format:      FormatName,
		Version:     Version,
		ByokVersion: o.ByokVersion,
		ExportedAt:  o.Now.UTC(),
		Config: Config{
			Name: c.Name, AccountType: c.AccountType, RedirectURI: c.RedirectURI,
			CustomRedirect: c.CustomRedirect, Loopback: c.Loopback,
			Scopes: append([]string{}, c.Scopes...), ClientID: c.ClientID, DirectoryID: c.DirectoryID,
			Tenant: c.Tenant, CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
		},
		Secret: Secret{
			Description: c.SecretInfo.Description,
			Hint:        c.SecretInfo.Hint,
			Created:     c.SecretInfo.Created,
			Expires:     c.SecretInfo.Expires,
		},
		SecretHistory: append([]flow.SecretInfo{}, history...),
		Verifications: append([]flow.Run{}, runs...),
	}
	if b.Secret.Hint == "" && !c.Secret.IsZero() {
		b.Secret.Hint = c.Secret.Hint()
	}
	if o.WithSecret && !c.Secret.IsZero() {
		b.Secret.Value = c.Secret
		b.passphrase = o.Passphrase
		b.workFactor = o.WorkFactor
	}
	return b
}

// HasSecret reports whether the bundle carries a secret value (encrypted
// or, after Decrypt, in clear in memory).
func (b Bundle) HasSecret() bool { return !b.Secret.Value.IsZero() || b.Secret.Encrypted != "" }

// NeedsPassphrase reports whether the bundle holds an encrypted secret
// value that Decrypt has not opened yet.
func (b Bundle) NeedsPassphrase() bool { return b.Secret.Encrypted != "" && b.Secret.Value.IsZero() }

// Marshal encodes b as indented JSON with a final newline: the secret
// value (if any) encrypted with the passphrase given to New, and the
// integrity check computed last.
func (b Bundle) Marshal() ([]byte, error) {
	if !b.Secret.Value.IsZero() && b.Secret.Encrypted == "" {
		if len([]rune(b.passphrase)) < MinPassphrase {
			return nil, flow.Invalid("passphrase", "a bundle with the secret value needs a passphrase of at least %d characters", MinPassphrase).
				WithFix("give one at the prompt or with --passphrase-file FILE")
		}
		enc, err := encrypt(b.Secret.Value, b.passphrase, b.workFactor)
		if err != nil {
			return nil, err
		}
		b.Secret.Encrypted = enc
	}
	b.Integrity = ""
	doc, err := json.Marshal(b)
	if err != nil {
		return nil, fmt.Errorf("encode bundle: %w", err)
	}
	sum, err := digest(doc)
	if err != nil {
		return nil, err
	}
	b.Integrity = sum
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode bundle: %w", err)
	}
	return append(out, '\n'), nil
}

// digest returns "sha256:HEX" of doc's canonical form: parsed (numbers
// kept as written), the "integrity" key removed, re-encoded with sorted
// keys and no spaces. Whitespace and key order may change; no value can.
func digest(doc []byte) (string, error) {
	d := json.NewDecoder(bytes.NewReader(doc))
	d.UseNumber()
	var v map[string]any
	if err := d.Decode(&v); err != nil {
		return "", err
	}
	delete(v, "integrity")
	canon, err := json.Marshal(v)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(canon)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// encrypt seals a secret value to a passphrase with age's scrypt
// recipient and armours it.
func encrypt(v flow.Secret, passphrase string, workFactor int) (string, error) {
	r, err := age.NewScryptRecipient(passphrase)
	if err != nil {
		return "", fmt.Errorf("encrypt secret: %w", err)
	}
	if workFactor > 0 {
		r.SetWorkFactor(workFactor)
	}
	var buf bytes.Buffer
	aw := armor.NewWriter(&buf)
	w, err := age.Encrypt(aw, r)
	if err != nil {
		return "", fmt.Errorf("encrypt secret: %w", err)
	}
	if _, err := io.WriteString(w, v.Reveal()); err != nil {
		return "", fmt.Errorf("encrypt secret: %w", err)
	}
	if err := w.Close(); err != nil {
		return "", fmt.Errorf("encrypt secret: %w", err)
	}
	if err := aw.Close(); err != nil {
		return "", fmt.Errorf("encrypt secret: %w", err)
	}
	return buf.String(), nil
}

// Decrypt opens the encrypted secret value with passphrase. A wrong
// passphrase is EINVALID for "passphrase"; nothing is changed then.
func (b *Bundle) Decrypt(passphrase string) error {
	if b.Secret.Encrypted == "" {
		return nil
	}
	id, err := age.NewScryptIdentity(passphrase)
	if err != nil {
		return flow.Invalid("passphrase", "is empty").WithFix("give the passphrase the bundle was exported with")
	}
	r, err := age.Decrypt(armor.NewReader(strings.NewReader(b.Secret.Encrypted)), id)
	if err != nil {
		e := flow.Invalid("passphrase", "does not open the secret value in this bundle").
			WithFix("give the passphrase chosen at export (ask whoever exported it), or import without the value: byok rotate then enters a new one")
		e.Err = err
		return e
	}
	v, err := io.ReadAll(io.LimitReader(r, 64<<10))
	if err != nil {
		return flow.Invalid("bundle", "the encrypted secret value is damaged").WithFix(bundleFix)
	}
	b.Secret.Value = flow.Secret(v)
	return nil
}

const bundleFix = "pass the .json file that byok export wrote, unchanged"

// Parse reads a bundle. It returns an EINVALID *flow.Error (field
// "bundle") for anything that is not a byok bundle, for a bundle from a
// newer byok (a format version above Version), and for a bundle without a
// config. It does not validate the config: see ToConfig.
func Parse(data []byte) (Bundle, error) {
	var b Bundle
	if len(data) > MaxSize {
		return b, flow.Invalid("bundle", "the file is %d bytes, more than a byok bundle can be", len(data)).WithFix(bundleFix)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if len(bytes.TrimSpace(data)) == 0 {
		return b, flow.Invalid("bundle", "the file is empty").WithFix(bundleFix)
	}
	// Read the header alone first, so that a newer bundle is refused by
	// its version rather than by a field this byok does not know.
	var head struct {
		Format  *string          `json:"format"`
		Version *json.RawMessage `json:"version"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		return b, decodeError(err)
	}
	if head.Format == nil || *head.Format != FormatName {
		got := "no format key"
		if head.Format != nil {
			got = fmt.Sprintf("format %q", *head.Format)
		}
		return b, flow.Invalid("bundle", "this is not a byok support bundle (%s)", got).WithFix(bundleFix)
	}
	var version int
	if head.Version == nil || json.Unmarshal(*head.Version, &version) != nil || version < 1 {
		return b, flow.Invalid("bundle", "the bundle has no valid format version").WithFix(bundleFix)
	}
	if version > Version {
		return b, flow.Invalid("bundle", "this bundle was written by a newer byok (format %d); upgrade byok to import it", version).
			WithFix("install the latest byok, or ask for a bundle from byok %d.x", Version)
	}
	if version < Version {
		return b, flow.Invalid("bundle", "this bundle is format %d, which has no integrity check and may hold a secret value in plain text", version).
			WithFix("export it again with this byok (byok export NAME)")
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return Bundle{}, decodeError(err)
	}
	if b.Config.Name == "" && b.Config.ClientID == "" {
		return Bundle{}, flow.Invalid("bundle", "the bundle has no config").WithFix(bundleFix)
	}
	var tail struct {
		Integrity *string `json:"integrity"`
	}
	if err := json.Unmarshal(data, &tail); err != nil {
		return Bundle{}, decodeError(err)
	}
	if tail.Integrity == nil || *tail.Integrity == "" {
		return Bundle{}, flow.Invalid("bundle", "the bundle has no integrity check").WithFix(bundleFix)
	}
	sum, err := digest(data)
	if err != nil {
		return Bundle{}, decodeError(err)
	}
	if sum != *tail.Integrity {
		return Bundle{}, flow.Invalid("bundle", "the bundle was changed after export: its content does not match its integrity check").
			WithFix("ask for the bundle again, or export it again; byok imports only unchanged bundles")
	}
	return b, nil
}

func decodeError(err error) error {
	fe := flow.Invalid("bundle", "the file is not a byok bundle: it is not valid JSON").WithFix(bundleFix)
	fe.Err = err
	var te *json.UnmarshalTypeError
	switch {
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		fe.Message = "the file ends in the middle of the JSON (was it cut short?)"
	case errors.As(err, &te) && te.Field != "":
		fe.Message = fmt.Sprintf("field %s is a JSON %s, which a byok bundle never has there", te.Field, te.Value)
	case errors.As(err, &te):
		fe.Message = fmt.Sprintf("the file holds a JSON %s, not a byok bundle", te.Value)
	}
	return fe
}

// ToConfig recreates the configuration, renamed to name when name is not
// empty, and validates it as setup --no-input would: flow.ParseScopes
// against catalog (nil: flow's built-in list), flow.Config.Validate on
// the normalised config, and flow.ValidateText on the text that only
// bundles carry (byok version, runs' emails and checks). Call Decrypt
// first for a bundle with an encrypted value.
// Without a secret value the config is marked SecretInfo.Missing: it must
// be re-entered with byok rotate before a live verification. It returns
// the validator's EINVALID *flow.Error for a config that does not
// validate.
func (b Bundle) ToConfig(name string, catalog []flow.Permission) (flow.Config, error) {
	if err := b.checkText(); err != nil {
		return flow.Config{}, err
	}
	if _, err := flow.ParseScopes(strings.Join(b.Config.Scopes, ","), catalog); err != nil {
		return flow.Config{}, err
	}
	c := flow.Config{
		Name:           b.Config.Name,
		AccountType:    b.Config.AccountType,
		RedirectURI:    b.Config.RedirectURI,
		CustomRedirect: b.Config.CustomRedirect,
		Loopback:       b.Config.Loopback,
		Scopes:         append([]string{}, b.Config.Scopes...),
		ClientID:       b.Config.ClientID,
		DirectoryID:    b.Config.DirectoryID,
		Tenant:         b.Config.Tenant,
		CreatedAt:      b.Config.CreatedAt,
		UpdatedAt:      b.Config.UpdatedAt,
		SecretInfo: flow.SecretInfo{
			Description: b.Secret.Description,
			Hint:        b.Secret.Hint,
			Created:     b.Secret.Created,
			Expires:     b.Secret.Expires,
		},
	}
	if n := strings.TrimSpace(name); n != "" {
		c.Name = n
	}
	if !b.Secret.Value.IsZero() {
		c.Secret = b.Secret.Value
		c.SecretInfo.Hint = c.Secret.Hint()
	} else {
		c.SecretInfo.Missing = true
	}
	if err := flow.ValidateText("secret hint", c.SecretInfo.Hint, false, 8); err != nil {
		return flow.Config{}, err
	}
	c = c.Normalize()
	if err := c.Validate(); err != nil {
		return flow.Config{}, err
	}
	return c, nil
}

// maxRuns bounds how many verification runs an import takes: byok export
// writes at most 20.
const maxRuns = 100

// checkText refuses hostile or oversized text in the fields only a bundle
// carries.
func (b Bundle) checkText() error {
	if err := flow.ValidateText("byok_version", b.ByokVersion, false, 200); err != nil {
		return err
	}
	if len(b.Verifications) > maxRuns {
		return flow.Invalid("verifications", "the bundle has %d runs, more than byok export writes (%d)", len(b.Verifications), maxRuns).
			WithFix(bundleFix)
	}
	for i, r := range b.Verifications {
		if err := flow.ValidateText(fmt.Sprintf("verifications[%d].email", i), r.Email, false, 320); err != nil {
			return err
		}
		for j, ch := range r.Checks {
			f := fmt.Sprintf("verifications[%d].checks[%d]", i, j)
			for _, v := range []struct{ name, s string }{{".id", ch.ID}, {".status", string(ch.Status)}, {".detail", ch.Detail}, {".fix", ch.Fix}} {
				if err := flow.ValidateText(f+v.name, v.s, true, 4000); err != nil {
					return err
				}
			}
		}
	}
	for i, h := range b.SecretHistory {
		f := fmt.Sprintf("secret_history[%d]", i)
		if err := flow.ValidateText(f+".description", h.Description, false, 200); err != nil {
			return err
		}
		if err := flow.ValidateText(f+".hint", h.Hint, false, 8); err != nil {
			return err
		}
	}
	return nil
}

// Runs returns the bundle's verification runs renamed to name, ready to be
// stored for the imported config.
func (b Bundle) Runs(name string) []flow.Run {
	out := make([]flow.Run, 0, len(b.Verifications))
	for _, r := range b.Verifications {
		r.ID = 0
		r.Name = name
		out = append(out, r)
	}
	return out
}
