// Package bundle writes and reads byok support bundles: a versioned JSON
// file with one configuration (never its secret value unless asked for),
// its secret's hint and expiry, the secret history and the verification
// runs, so that support can recreate the config with `byok import` and run
// verify --offline, doctor and the simulator against it.
//
// It is pure: it imports only flow and the standard library.
package bundle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
)

// FormatName is the value of a bundle's "format" key.
const FormatName = "byok-bundle"

// Version is the bundle format this byok writes and the newest it reads.
const Version = 1

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
// export with --with-secret.
type Secret struct {
	Description string      `json:"description"`
	Hint        string      `json:"hint"`
	Created     time.Time   `json:"created"`
	Expires     time.Time   `json:"expires"`
	Value       flow.Secret `json:"-"`
}

type secretJSON struct {
	Description string    `json:"description"`
	Hint        string    `json:"hint"`
	Created     time.Time `json:"created"`
	Expires     time.Time `json:"expires"`
	Value       *string   `json:"value,omitempty"`
}

// MarshalJSON writes the value only when one is set; this is the one place
// a bundle reveals it.
func (s Secret) MarshalJSON() ([]byte, error) {
	j := secretJSON{Description: s.Description, Hint: s.Hint, Created: s.Created, Expires: s.Expires}
	if !s.Value.IsZero() {
		v := s.Value.Reveal()
		j.Value = &v
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads the secret part, value included when present.
func (s *Secret) UnmarshalJSON(data []byte) error {
	var j secretJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*s = Secret{Description: j.Description, Hint: j.Hint, Created: j.Created, Expires: j.Expires}
	if j.Value != nil {
		s.Value = flow.Secret(*j.Value)
	}
	return nil
}

// Options controls New.
type Options struct {
	// ByokVersion is written into the bundle.
	ByokVersion string
	// Now is the export time.
	Now time.Time
	// WithSecret includes the secret value. Callers must have asked the
	// person for confirmation first.
	WithSecret bool
}

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
	}
	return b
}

// HasSecret reports whether the bundle carries a secret value.
func (b Bundle) HasSecret() bool { return !b.Secret.Value.IsZero() }

// Marshal encodes b as indented JSON with a final newline.
func (b Bundle) Marshal() ([]byte, error) {
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode bundle: %w", err)
	}
	return append(out, '\n'), nil
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
	if err := json.Unmarshal(data, &b); err != nil {
		return Bundle{}, decodeError(err)
	}
	if b.Config.Name == "" && b.Config.ClientID == "" {
		return Bundle{}, flow.Invalid("bundle", "the bundle has no config").WithFix(bundleFix)
	}
	if b.Secret.Value.Reveal() == "[redacted]" {
		// A hand-made bundle that copied a redacted value: treat it as none.
		b.Secret.Value = ""
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
// empty, and validates it as the wizard would (flow.Config.Validate).
// Without a secret value the config is marked SecretInfo.Missing: it must
// be re-entered with byok rotate before a live verification. It returns
// the validator's EINVALID *flow.Error for a config that does not
// validate.
func (b Bundle) ToConfig(name string) (flow.Config, error) {
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
	if b.HasSecret() {
		c.Secret = b.Secret.Value
		c.SecretInfo.Hint = c.Secret.Hint()
	} else {
		c.SecretInfo.Missing = true
	}
	if err := c.Validate(); err != nil {
		return flow.Config{}, err
	}
	return c, nil
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
