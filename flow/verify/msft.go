package verify

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/oauth2"
)

// aadstsRE finds an AADSTS error number in any text.
var aadstsRE = regexp.MustCompile(`AADSTS(\d{4,9})`)

// AADSTSCode returns the first AADSTS number in text, or 0.
func AADSTSCode(text string) int {
	m := aadstsRE.FindStringSubmatch(text)
	if m == nil {
		return 0
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return 0
	}
	return n
}

// msError is Microsoft's OAuth error body (token, discovery and the
// redirect's query parameters).
type msError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
	Codes       []int  `json:"error_codes"`
}

// code returns the AADSTS number from the description, else error_codes[0].
func (m msError) code() int {
	if n := AADSTSCode(m.Description); n != 0 {
		return n
	}
	if len(m.Codes) > 0 {
		return m.Codes[0]
	}
	return 0
}

// line returns one line for a check's Detail: the first line of the
// description (without the Trace ID / Correlation ID / Timestamp lines),
// else the OAuth error.
func (m msError) line() string {
	d := firstSentence(firstLine(m.Description))
	if d == "" {
		// The error value is what a browser or a paste carried: fold
		// any line breaks so that the check's detail stays one line.
		return strings.Join(strings.Fields(m.Error), " ")
	}
	return d
}

// firstSentence cuts s after its first sentence when that leaves enough
// to read ("AADSTS7000215: Invalid client secret provided.").
func firstSentence(s string) string {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '.' && s[i+1] == ' ' && i >= 24 {
			return s[:i+1]
		}
	}
	return s
}

// text is what the doctor gets to diagnose.
func (m msError) text() string {
	s := m.Error
	if m.Description != "" {
		s += ": " + m.Description
	}
	if m.code() != 0 && !strings.Contains(s, "AADSTS") {
		s += fmt.Sprintf(" (AADSTS%d)", m.code())
	}
	return s
}

// firstLine returns the first non-empty line of s, trimmed and cut to a
// length that fits a checklist.
func firstLine(s string) string {
	for _, l := range strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }) {
		if l = strings.TrimSpace(l); l != "" {
			return clip(l, 240)
		}
	}
	return ""
}

// clip cuts s to at most n runes, marking the cut with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// parseMSError decodes a Microsoft error body; ok is false when body is
// not one.
func parseMSError(body []byte) (msError, bool) {
	var m msError
	if err := json.Unmarshal(body, &m); err != nil || (m.Error == "" && m.Description == "") {
		// Some endpoints have been seen returning error as an object.
		var alt struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
			Description string `json:"error_description"`
			Codes       []int  `json:"error_codes"`
		}
		if json.Unmarshal(body, &alt) != nil || (alt.Error.Code == "" && alt.Description == "") {
			return msError{}, false
		}
		return msError{Error: alt.Error.Code, Description: firstNonEmpty(alt.Description, alt.Error.Message), Codes: alt.Codes}, true
	}
	return m, true
}

// tokenError turns an error from x/oauth2 into Microsoft's error shape.
// The second result is false for transport errors (no response).
func tokenError(err error) (msError, bool) {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		return msError{}, false
	}
	if m, ok := parseMSError(re.Body); ok {
		return m, true
	}
	m := msError{Error: re.ErrorCode, Description: re.ErrorDescription}
	if m.Error == "" && re.Response != nil {
		m.Error = fmt.Sprintf("HTTP %d", re.Response.StatusCode)
	}
	return m, true
}

// graphError is Microsoft Graph's error body.
type graphError struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// graphErrorLine renders a Graph error response in one line.
func graphErrorLine(status int, body []byte) string {
	var g graphError
	if json.Unmarshal(body, &g) == nil && g.Error.Code != "" {
		if g.Error.Message != "" {
			return fmt.Sprintf("HTTP %d %s: %s", status, g.Error.Code, firstLine(g.Error.Message))
		}
		return fmt.Sprintf("HTTP %d %s", status, g.Error.Code)
	}
	return fmt.Sprintf("HTTP %d", status)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
