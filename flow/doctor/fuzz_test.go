package doctor_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hiveku/byok/flow/doctor"
)

var allSamples = []string{
	sampleURLPlus, sampleURL20, sampleTokenJSON, sampleNestedJSON, samplePageText,
	samplePageHTML, sampleMSALNet, sampleMSALPython, sampleMSALNode, sampleJava,
	sampleGoOAuth2, sampleGoOAuth2Old, sampleOutlook, sampleThunderbird, sampleWrapped,
	sampleSeveral, sampleConsumers, sampleConsumersText, sampleAccessDenied, sampleUnknown,
}

// maxFindingBytes bounds one finding's JSON: catalog text, a message of
// at most ~700 bytes and a handful of bounded details.
const maxFindingBytes = 16 << 10

// FuzzDiagnose runs the extractor on arbitrary input: it must not panic,
// and its output is bounded in count and size and is valid UTF-8.
func FuzzDiagnose(f *testing.F) {
	for _, s := range allSamples {
		f.Add(s)
	}
	f.Add(strings.Repeat(`\\\"`, 100) + "AADSTS50011")
	f.Add("%%%41ADSTS%35%30%30%31%31%3a+x&error=invalid_client")
	f.Add("<b><<<<AADSTS70011</b>&#x41;&#65;&quot")
	f.Add("AADSTS123456789012 AADSTS50011AADSTS65001")
	d := newDoctor(f)
	f.Fuzz(func(t *testing.T, in string) {
		fs := d.Diagnose(in)
		checkBounded(t, fs)
		_ = doctor.Text(fs, 80)
	})
}

func checkBounded(tb testing.TB, fs []doctor.Finding) {
	tb.Helper()
	if len(fs) > doctor.MaxFindings {
		tb.Fatalf("%d findings, want at most %d", len(fs), doctor.MaxFindings)
	}
	for _, f := range fs {
		b, err := json.Marshal(f)
		if err != nil {
			tb.Fatalf("marshal finding: %v", err)
		}
		if len(b) > maxFindingBytes {
			tb.Fatalf("finding of %d bytes: %s", len(b), b[:200])
		}
		if !utf8.ValidString(f.Message) {
			tb.Fatalf("invalid UTF-8 message %q", f.Message)
		}
		for k, v := range f.Details {
			if !utf8.ValidString(v) {
				tb.Fatalf("invalid UTF-8 detail %s=%q", k, v)
			}
		}
		if f.Category == "" || f.Title == "" || f.Fix == "" {
			tb.Fatalf("incomplete finding %+v", f)
		}
	}
}

// TestDiagnoseHostile feeds large adversarial inputs; each must finish
// (no quadratic blow-up would let them) with bounded output.
func TestDiagnoseHostile(t *testing.T) {
	d := newDoctor(t)
	big := doctor.MaxInput + 1024
	tests := map[string]string{
		"many distinct codes":   manyCodes(200000),
		"one code repeated":     strings.Repeat("AADSTS50011: x. ", big/16),
		"backslashes":           strings.Repeat(`\`, big),
		"escaped quotes":        strings.Repeat(`\\\"`, big/4),
		"percent signs":         strings.Repeat("%25", big/3),
		"one huge query token":  "error=invalid_client&" + strings.Repeat("a%20b+", big/6),
		"open angle brackets":   "</div>" + strings.Repeat("<", big),
		"unclosed tags":         "<html>" + strings.Repeat("<p x", big/4),
		"oauth names":           strings.Repeat("invalid_client ", big/15),
		"no newlines long line": "AADSTS50011: " + strings.Repeat("a", big),
		"labels without values": strings.Repeat("error_codes Trace ID: Timestamp: ", big/33),
	}
	for name, in := range tests {
		t.Run(name, func(t *testing.T) {
			checkBounded(t, d.Diagnose(in))
		})
	}
}

func manyCodes(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "AADSTS%d: something. ", 100000+i)
	}
	return b.String()
}
