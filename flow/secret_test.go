package flow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

const fixtureSecret = "Sec8Q~neverPrintThisValue.0123456789abcd"

// TestSecretRedacts: every way Go can print a Secret, alone or inside a
// Config, yields "[redacted]" and never the value (house style #30, #31).
func TestSecretRedacts(t *testing.T) {
	s := Secret(fixtureSecret)
	c := Config{Name: "Acme Hiveku", Secret: s, SecretInfo: SecretInfo{Hint: s.Hint(), Expires: time.Now()}}
	d := Draft{Config: c}
	var outs []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10s", "%-40v"} {
		outs = append(outs, fmt.Sprintf(verb, s), fmt.Sprintf(verb, c), fmt.Sprintf(verb, &c), fmt.Sprintf(verb, d))
	}
	outs = append(outs, fmt.Sprint(s), fmt.Sprintln(c), s.String(), s.GoString())
	for _, v := range []any{s, c, d, map[string]Secret{"k": s}} {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatalf("json.Marshal: %v", err)
		}
		outs = append(outs, string(b))
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("saving", "secret", s, "config", c)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("saving", "secret", s)
	outs = append(outs, buf.String())
	for _, o := range outs {
		if strings.Contains(o, fixtureSecret) || strings.Contains(o, fixtureSecret[8:20]) {
			t.Errorf("secret printed: %q", o)
		}
	}
	if !strings.Contains(fmt.Sprintf("%v", s), "[redacted]") {
		t.Errorf("%%v of a Secret = %q, want [redacted]", fmt.Sprintf("%v", s))
	}
	if s.Reveal() != fixtureSecret {
		t.Errorf("Reveal lost the value")
	}
	if got, want := s.Hint(), "Sec…"; got != want {
		t.Errorf("Hint() = %q, want %q", got, want)
	}
	if Secret("").Hint() != "" || Secret("ab").Hint() != "…" {
		t.Errorf("short hints reveal too much: %q %q", Secret("").Hint(), Secret("ab").Hint())
	}
}
