package flow

import (
	"fmt"
	"log/slog"
	"unicode/utf8"
)

// Secret is a client secret value. Every way of printing it (fmt verbs,
// JSON, slog) yields "[redacted]"; Reveal returns the raw value.
type Secret string

const redacted = "[redacted]"

// Reveal returns the raw secret value. Call it only where the value is
// sent to Microsoft or sealed by storage.
func (s Secret) Reveal() string { return string(s) }

// String implements fmt.Stringer and always redacts.
func (s Secret) String() string { return redacted }

// GoString implements fmt.GoStringer and always redacts.
func (s Secret) GoString() string { return redacted }

// Format implements fmt.Formatter so that %s, %v, %q, %x and friends all
// redact.
func (s Secret) Format(f fmt.State, verb rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON implements json.Marshaler and always redacts.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText implements encoding.TextMarshaler and always redacts.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// IsZero reports whether no secret is set.
func (s Secret) IsZero() bool { return s == "" }

// Hint returns the first three characters, as the Azure portal shows them
// in the Value column after creation ("abC…"), or "" when empty.
func (s Secret) Hint() string {
	if s == "" {
		return ""
	}
	v := string(s)
	n := 0
	for i := range v {
		if n == 3 {
			return v[:i] + "…"
		}
		n++
	}
	if utf8.RuneCountInString(v) <= 3 {
		return "…"
	}
	return v + "…"
}
