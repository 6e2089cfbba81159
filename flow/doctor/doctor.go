// Package doctor turns a pasted Microsoft sign-in error into its cause and
// the exact fix. It reads anything a support engineer receives: a browser
// address with error_description=, a token-endpoint JSON body (also
// escaped or nested in a log field), the text or HTML of Microsoft's
// "trouble signing you in" page, MSAL and oauth2 library exceptions, log
// files and tickets with wrapped lines. Extraction is linear in the size of
// the input and never panics.
//
// doctor is pure: it imports flow only, and the catalog of AADSTS codes is
// handed in by the caller (assets.AADSTSCatalog in byok).
package doctor

import (
	"fmt"
	"strings"
	"sync"
)

// Categories is the fixed vocabulary of Entry.Category and Finding.Category.
var Categories = []string{
	"redirect-uri", "account-type", "tenant", "consent", "client-secret",
	"client-id", "scope", "auth-code", "refresh-token", "sign-in-policy",
	"app-disabled", "platform", "throttling", "other",
}

// Entry is one catalog row: an AADSTS code (or, with Code 0, a bare OAuth
// error such as invalid_client) with its explanation in byok's words.
type Entry struct {
	// Code is the AADSTS number, or 0 for a bare OAuth error.
	Code int `json:"code"`
	// Error is the OAuth error Microsoft sends with the code
	// (invalid_client …); for a bare entry it is the key.
	Error string `json:"error,omitempty"`
	// Match is a phrase of Microsoft's message that selects this entry
	// over the generic one for the same Error (a bare entry, e.g. "not
	// enabled for consumers") or the same Code (a variant, e.g. 50020
	// with the identity provider "live.com").
	Match string `json:"match,omitempty"`
	// Category is one of Categories.
	Category string `json:"category"`
	// Title is a short headline.
	Title string `json:"title"`
	// Cause says why it happens in a BYOK setup.
	Cause string `json:"cause"`
	// Fix says what to change.
	Fix string `json:"fix"`
	// Portal says where in the Microsoft Entra admin center to fix it.
	Portal string `json:"portal,omitempty"`
}

// Validate checks an entry: a known category, a title, a cause and a fix,
// and a key (a code or an OAuth error).
func (e Entry) Validate() error {
	if e.Code < 0 {
		return fmt.Errorf("entry %d: negative code", e.Code)
	}
	if e.Code == 0 && e.Error == "" {
		return fmt.Errorf("entry without code or error")
	}
	if !validCategory(e.Category) {
		return fmt.Errorf("entry %d %s: unknown category %q", e.Code, e.Error, e.Category)
	}
	if strings.TrimSpace(e.Title) == "" || strings.TrimSpace(e.Cause) == "" || strings.TrimSpace(e.Fix) == "" {
		return fmt.Errorf("entry %d %s: title, cause and fix are required", e.Code, e.Error)
	}
	return nil
}

func validCategory(c string) bool {
	for _, v := range Categories {
		if v == c {
			return true
		}
	}
	return false
}

// Finding is one diagnosed error found in the input.
type Finding struct {
	// Code is the AADSTS number, 0 for a bare OAuth error.
	Code int `json:"code"`
	// Error is the OAuth error (invalid_client …) found with it, if any.
	Error    string `json:"error,omitempty"`
	Category string `json:"category"`
	Title    string `json:"title"`
	Cause    string `json:"cause"`
	Fix      string `json:"fix"`
	// Portal says where in the admin center the fix is made.
	Portal string `json:"portal,omitempty"`
	// Message is Microsoft's own text, cleaned (no trace lines).
	Message string `json:"message,omitempty"`
	// Details holds what the text names (redirect_uri, app_id, app_name,
	// tenant, scope, user, identity_provider, trace_id, correlation_id,
	// timestamp, lookup) and, after Compare, the comparisons with a saved
	// config (config, redirect_check, redirect_problems, redirect_diff,
	// app_id_check, tenant_check, config_note).
	Details map[string]string `json:"details,omitempty"`
}

// Heading returns "AADSTS50011" or, for a bare error, its OAuth name.
func (f Finding) Heading() string {
	if f.Code != 0 {
		return fmt.Sprintf("AADSTS%d", f.Code)
	}
	return f.Error
}

// Doctor diagnoses pasted errors against a catalog. The zero value works
// with an empty catalog (every code is then "other").
type Doctor struct {
	// Catalog is the list of known codes and bare OAuth errors.
	Catalog []Entry

	once     sync.Once
	byCode   map[int]Entry
	variants map[int][]Entry
	bare     []Entry
}

// New returns a Doctor for catalog. Later entries for the same code are
// ignored.
func New(catalog []Entry) *Doctor {
	d := &Doctor{Catalog: catalog}
	d.index()
	return d
}

func (d *Doctor) index() { d.once.Do(d.build) }

func (d *Doctor) build() {
	d.byCode = make(map[int]Entry, len(d.Catalog))
	d.variants = map[int][]Entry{}
	d.bare = nil
	for _, e := range d.Catalog {
		if e.Code == 0 {
			if e.Error != "" {
				d.bare = append(d.bare, e)
			}
			continue
		}
		if e.Match != "" {
			d.variants[e.Code] = append(d.variants[e.Code], e)
			continue
		}
		if _, ok := d.byCode[e.Code]; !ok {
			d.byCode[e.Code] = e
		}
	}
}

// Lookup returns the catalog entry for an AADSTS code.
func (d *Doctor) Lookup(code int) (Entry, bool) {
	d.index()
	e, ok := d.byCode[code]
	return e, ok
}

// variant returns the entry for code whose Match phrase occurs in
// context (case-insensitive), if any.
func (d *Doctor) variant(code int, context string) (Entry, bool) {
	d.index()
	vs := d.variants[code]
	if len(vs) == 0 {
		return Entry{}, false
	}
	lc := strings.ToLower(context)
	for _, e := range vs {
		if strings.Contains(lc, strings.ToLower(e.Match)) {
			return e, true
		}
	}
	return Entry{}, false
}

// lookupBare returns the entry for a bare OAuth error: the one whose Match
// phrase occurs in context (case-insensitive), else the generic one.
func (d *Doctor) lookupBare(name, context string) (Entry, bool) {
	d.index()
	var generic Entry
	found := false
	lc := ""
	for _, e := range d.bare {
		if e.Error != name {
			continue
		}
		if e.Match != "" {
			if lc == "" {
				lc = strings.ToLower(context)
			}
			if strings.Contains(lc, strings.ToLower(e.Match)) {
				return e, true
			}
			continue
		}
		if !found {
			generic, found = e, true
		}
	}
	return generic, found
}

// Fix diagnoses text and returns the first AADSTS code found (0 if only a
// bare OAuth error was recognised) and its fix, or 0 and "" when nothing
// was recognised. It is the adapter for the verification engine.
func (d *Doctor) Fix(text string) (code int, fix string) {
	fs := d.Diagnose(text)
	if len(fs) == 0 {
		return 0, ""
	}
	for _, f := range fs {
		if f.Code != 0 {
			return f.Code, f.Fix
		}
	}
	return 0, fs[0].Fix
}

// LookupURL is Microsoft's error lookup page for code.
func LookupURL(code int) string {
	return fmt.Sprintf("https://login.microsoftonline.com/error?code=%d", code)
}
