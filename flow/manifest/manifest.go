// Package manifest reads the application manifest that the Azure portal
// lets an admin download (App registrations > your app > Manifest), in
// both the Microsoft Graph format and the older Azure AD Graph format,
// and audits it against a saved byok configuration.
//
// It is pure: it imports only flow and the standard library. The Graph
// permission catalog is passed in by the caller.
package manifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
)

// Format names the JSON shape of a manifest.
type Format string

// The two manifest formats the portal has offered.
const (
	// FormatGraph is the Microsoft Graph app manifest (web.redirectUris,
	// passwordCredentials[].endDateTime, displayName).
	FormatGraph Format = "microsoft-graph"
	// FormatAADGraph is the legacy Azure AD Graph manifest
	// (replyUrlsWithType, passwordCredentials[].endDate, name).
	FormatAADGraph Format = "azure-ad-graph"
)

// Platform is where a redirect URI is registered.
type Platform string

// Redirect URI platforms, as the portal's Authentication blade names them.
const (
	Web          Platform = "Web"
	SPA          Platform = "Single-page application"
	PublicClient Platform = "Mobile and desktop applications"
)

// Redirect is one registered redirect URI and its platform.
type Redirect struct {
	URL      string
	Platform Platform
}

// Credential is one client secret entry (never its value: manifests
// carry secretText/value as null).
type Credential struct {
	KeyID       string
	DisplayName string
	Hint        string
	Start       time.Time
	End         time.Time
}

// Access is one requested permission of a resource.
type Access struct {
	ID   string
	Type string // "Scope" (delegated) or "Role" (application)
}

// Resource is one requiredResourceAccess entry.
type Resource struct {
	AppID  string
	Access []Access
}

// Manifest is a parsed app manifest, normalised across both formats.
type Manifest struct {
	Format      Format
	ObjectID    string
	AppID       string
	DisplayName string
	// Audience is signInAudience; for old AAD Graph manifests without it,
	// derived from availableToOtherTenants.
	Audience flow.AccountType
	// AudienceDerived is true when Audience came from availableToOtherTenants.
	AudienceDerived bool
	Redirects       []Redirect
	Passwords       []Credential
	Resources       []Resource
	// FallbackPublicClient is "Allow public client flows"
	// (isFallbackPublicClient, legacy allowPublicClient).
	FallbackPublicClient bool
	// TokenVersion is api.requestedAccessTokenVersion (legacy
	// accessTokenAcceptedVersion); 0 when null or absent.
	TokenVersion int
}

// MaxSize is the largest manifest Parse accepts. Real manifests are a few
// kilobytes; the portal caps an app at about 1200 collection entries.
const MaxSize = 4 << 20

// RedirectsOn returns the redirect URIs registered on platform p.
func (m *Manifest) RedirectsOn(p Platform) []string {
	var out []string
	for _, r := range m.Redirects {
		if r.Platform == p {
			out = append(out, r.URL)
		}
	}
	return out
}

type graphManifest struct {
	ID                     *string `json:"id"`
	AppID                  *string `json:"appId"`
	DisplayName            *string `json:"displayName"`
	SignInAudience         *string `json:"signInAudience"`
	IsFallbackPublicClient *bool   `json:"isFallbackPublicClient"`
	Web                    *struct {
		RedirectURIs []string `json:"redirectUris"`
	} `json:"web"`
	SPA *struct {
		RedirectURIs []string `json:"redirectUris"`
	} `json:"spa"`
	PublicClient *struct {
		RedirectURIs []string `json:"redirectUris"`
	} `json:"publicClient"`
	API *struct {
		RequestedAccessTokenVersion *int `json:"requestedAccessTokenVersion"`
	} `json:"api"`
	PasswordCredentials []struct {
		KeyID         *string `json:"keyId"`
		DisplayName   *string `json:"displayName"`
		Hint          *string `json:"hint"`
		StartDateTime *string `json:"startDateTime"`
		EndDateTime   *string `json:"endDateTime"`
	} `json:"passwordCredentials"`
	RequiredResourceAccess []rawResource `json:"requiredResourceAccess"`
}

type aadManifest struct {
	ObjectID                   *string `json:"objectId"`
	ID                         *string `json:"id"`
	AppID                      *string `json:"appId"`
	Name                       *string `json:"name"`
	DisplayName                *string `json:"displayName"`
	SignInAudience             *string `json:"signInAudience"`
	AvailableToOtherTenants    *bool   `json:"availableToOtherTenants"`
	AllowPublicClient          *bool   `json:"allowPublicClient"`
	AccessTokenAcceptedVersion *int    `json:"accessTokenAcceptedVersion"`
	ReplyURLsWithType          []struct {
		URL  *string `json:"url"`
		Type *string `json:"type"`
	} `json:"replyUrlsWithType"`
	ReplyURLs           []string `json:"replyUrls"`
	PasswordCredentials []struct {
		KeyID       *string `json:"keyId"`
		DisplayName *string `json:"displayName"`
		Hint        *string `json:"hint"`
		StartDate   *string `json:"startDate"`
		EndDate     *string `json:"endDate"`
	} `json:"passwordCredentials"`
	RequiredResourceAccess []rawResource `json:"requiredResourceAccess"`
}

type rawResource struct {
	ResourceAppID  *string `json:"resourceAppId"`
	ResourceAccess []struct {
		ID   *string `json:"id"`
		Type *string `json:"type"`
	} `json:"resourceAccess"`
}

// Keys that only one of the two formats has.
var (
	graphOnlyKeys = []string{"web", "spa", "publicClient", "isFallbackPublicClient", "api", "info"}
	aadOnlyKeys   = []string{"replyUrlsWithType", "replyUrls", "availableToOtherTenants", "oauth2AllowIdTokenImplicitFlow", "oauth2AllowImplicitFlow", "accessTokenAcceptedVersion", "allowPublicClient", "oauth2Permissions", "name"}
	anyKnownKeys  = []string{"appId", "displayName", "signInAudience", "passwordCredentials", "requiredResourceAccess", "id"}
)

const manifestFix = "download it again from App registrations > your app > Manifest (the Download button) and pass that file"

// Parse reads a manifest in either format. It returns an EINVALID
// *flow.Error (field "manifest") for input that is not JSON, not a JSON
// object, too large, not an app manifest, or has a field of the wrong
// type or a date that does not parse.
func Parse(data []byte) (*Manifest, error) {
	if len(data) > MaxSize {
		return nil, flow.Invalid("manifest", "the file is %d bytes; an app manifest is a few kilobytes", len(data)).WithFix(manifestFix)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // the portal's download may carry a BOM
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(data, &keys); err != nil {
		return nil, jsonError(data, err)
	}
	if keys == nil {
		return nil, flow.Invalid("manifest", "the file holds null, not an app manifest").WithFix(manifestFix)
	}
	has := func(ks []string) bool {
		for _, k := range ks {
			if _, ok := keys[k]; ok {
				return true
			}
		}
		return false
	}
	if !has(anyKnownKeys) && !has(aadOnlyKeys) && !has(graphOnlyKeys) {
		return nil, flow.Invalid("manifest", "the JSON has none of the fields of an app manifest (appId, signInAudience, redirect URIs)").WithFix(manifestFix)
	}
	if has(aadOnlyKeys) && !has(graphOnlyKeys) {
		return parseAAD(data)
	}
	return parseGraph(data)
}

func jsonError(data []byte, err error) error {
	fe := flow.Invalid("manifest", "the file is not valid JSON").WithFix(manifestFix)
	fe.Err = err
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case len(bytes.TrimSpace(data)) == 0:
		fe.Message = "the file is empty"
	case strings.Contains(err.Error(), "unexpected end of JSON input"):
		fe.Message = "the file ends in the middle of the JSON (was the download cut short?)"
	case errors.As(err, &se):
		line, col := position(data, se.Offset)
		fe.Message = fmt.Sprintf("the file is not valid JSON (line %d, column %d: %s)", line, col, se.Error())
	case errors.As(err, &te):
		if te.Field == "" {
			fe.Message = fmt.Sprintf("the file holds a JSON %s, not an app manifest object", te.Value)
		} else {
			fe.Message = fmt.Sprintf("field %s is a JSON %s, which an app manifest never has there", te.Field, te.Value)
		}
	}
	return fe
}

func position(data []byte, off int64) (line, col int) {
	if off > int64(len(data)) {
		off = int64(len(data))
	}
	line, col = 1, 1
	for _, b := range data[:off] {
		if b == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line, col
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return strings.TrimSpace(*p)
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, flow.Invalid("manifest", "%s %q is not a date", field, s).WithFix(manifestFix)
}

func resources(raw []rawResource) []Resource {
	out := make([]Resource, 0, len(raw))
	for _, r := range raw {
		res := Resource{AppID: strings.ToLower(str(r.ResourceAppID))}
		for _, a := range r.ResourceAccess {
			res.Access = append(res.Access, Access{ID: strings.ToLower(str(a.ID)), Type: str(a.Type)})
		}
		out = append(out, res)
	}
	return out
}

func parseGraph(data []byte) (*Manifest, error) {
	var g graphManifest
	if err := json.Unmarshal(data, &g); err != nil {
		return nil, jsonError(data, err)
	}
	m := &Manifest{
		Format:      FormatGraph,
		ObjectID:    str(g.ID),
		AppID:       str(g.AppID),
		DisplayName: str(g.DisplayName),
		Audience:    flow.AccountType(str(g.SignInAudience)),
		Resources:   resources(g.RequiredResourceAccess),
	}
	if g.IsFallbackPublicClient != nil {
		m.FallbackPublicClient = *g.IsFallbackPublicClient
	}
	if g.API != nil && g.API.RequestedAccessTokenVersion != nil {
		m.TokenVersion = *g.API.RequestedAccessTokenVersion
	}
	add := func(uris []string, p Platform) {
		for _, u := range uris {
			m.Redirects = append(m.Redirects, Redirect{URL: u, Platform: p})
		}
	}
	if g.Web != nil {
		add(g.Web.RedirectURIs, Web)
	}
	if g.SPA != nil {
		add(g.SPA.RedirectURIs, SPA)
	}
	if g.PublicClient != nil {
		add(g.PublicClient.RedirectURIs, PublicClient)
	}
	for i, p := range g.PasswordCredentials {
		start, err := parseTime(fmt.Sprintf("passwordCredentials[%d].startDateTime", i), str(p.StartDateTime))
		if err != nil {
			return nil, err
		}
		end, err := parseTime(fmt.Sprintf("passwordCredentials[%d].endDateTime", i), str(p.EndDateTime))
		if err != nil {
			return nil, err
		}
		m.Passwords = append(m.Passwords, Credential{KeyID: str(p.KeyID), DisplayName: str(p.DisplayName), Hint: str(p.Hint), Start: start, End: end})
	}
	return m, nil
}

func parseAAD(data []byte) (*Manifest, error) {
	var a aadManifest
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, jsonError(data, err)
	}
	m := &Manifest{
		Format:      FormatAADGraph,
		ObjectID:    str(a.ID),
		AppID:       str(a.AppID),
		DisplayName: str(a.Name),
		Audience:    flow.AccountType(str(a.SignInAudience)),
		Resources:   resources(a.RequiredResourceAccess),
	}
	if m.ObjectID == "" {
		m.ObjectID = str(a.ObjectID)
	}
	if m.DisplayName == "" {
		m.DisplayName = str(a.DisplayName)
	}
	if m.Audience == "" && a.AvailableToOtherTenants != nil {
		m.AudienceDerived = true
		m.Audience = flow.SingleTenant
		if *a.AvailableToOtherTenants {
			m.Audience = flow.MultiTenant
		}
	}
	if a.AllowPublicClient != nil {
		m.FallbackPublicClient = *a.AllowPublicClient
	}
	if a.AccessTokenAcceptedVersion != nil {
		m.TokenVersion = *a.AccessTokenAcceptedVersion
	}
	for _, r := range a.ReplyURLsWithType {
		p := Web
		switch strings.ToLower(str(r.Type)) {
		case "spa":
			p = SPA
		case "installedclient":
			p = PublicClient
		}
		m.Redirects = append(m.Redirects, Redirect{URL: str(r.URL), Platform: p})
	}
	if len(a.ReplyURLsWithType) == 0 {
		// Very old manifests list plain replyUrls, all of them Web.
		for _, u := range a.ReplyURLs {
			m.Redirects = append(m.Redirects, Redirect{URL: u, Platform: Web})
		}
	}
	for i, p := range a.PasswordCredentials {
		start, err := parseTime(fmt.Sprintf("passwordCredentials[%d].startDate", i), str(p.StartDate))
		if err != nil {
			return nil, err
		}
		end, err := parseTime(fmt.Sprintf("passwordCredentials[%d].endDate", i), str(p.EndDate))
		if err != nil {
			return nil, err
		}
		m.Passwords = append(m.Passwords, Credential{KeyID: str(p.KeyID), DisplayName: str(p.DisplayName), Hint: str(p.Hint), Start: start, End: end})
	}
	return m, nil
}
