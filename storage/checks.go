package storage

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/hiveku/byok/flow"
)

// Checks are stored as text, one line per check with five tab-separated
// fields: id, status, code, detail, fix. Backslash, tab and newline in a
// field are escaped as \\, \t and \n. Reading this back is several times
// faster than JSON, which matters for `byok list` over thousands of
// configs (each listing carries its last run's checks).

var (
	checkEscaper   = strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`)
	checkUnescaper = strings.NewReplacer(`\\`, `\`, `\t`, "\t", `\n`, "\n")
)

// encodeChecks renders checks in the stored text form.
func encodeChecks(checks []flow.Check) string {
	var b strings.Builder
	for i, c := range checks {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(checkEscaper.Replace(c.ID))
		b.WriteByte('\t')
		b.WriteString(checkEscaper.Replace(string(c.Status)))
		b.WriteByte('\t')
		b.WriteString(strconv.Itoa(c.Code))
		b.WriteByte('\t')
		b.WriteString(checkEscaper.Replace(c.Detail))
		b.WriteByte('\t')
		b.WriteString(checkEscaper.Replace(c.Fix))
	}
	return b.String()
}

// decodeChecks parses encodeChecks' output.
func decodeChecks(s string) ([]flow.Check, error) {
	if s == "" {
		return []flow.Check{}, nil
	}
	out := make([]flow.Check, 0, strings.Count(s, "\n")+1)
	for line := range strings.SplitSeq(s, "\n") {
		var f [5]string
		rest := line
		for i := 0; i < 4; i++ {
			var ok bool
			f[i], rest, ok = strings.Cut(rest, "\t")
			if !ok {
				return nil, fmt.Errorf("read checks: %d fields in %q, want 5", i+1, line)
			}
		}
		f[4] = rest
		code, err := strconv.Atoi(f[2])
		if err != nil {
			return nil, fmt.Errorf("read checks: code %q: %w", f[2], err)
		}
		out = append(out, flow.Check{ID: unescape(f[0]), Status: flow.Status(unescape(f[1])), Code: code,
			Detail: unescape(f[3]), Fix: unescape(f[4])})
	}
	return out, nil
}

func unescape(s string) string {
	if strings.IndexByte(s, '\\') < 0 {
		return s
	}
	return checkUnescaper.Replace(s)
}
