package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
	"github.com/hiveku/byok/flow/transport"
)

// Client makes the Microsoft Graph v1.0 calls byok needs, as the signed
// in admin. It does not retry: a failed call is reported with what it
// was doing, and the create that called it can be resumed.
type Client struct {
	HTTP *http.Client
	// Host is scheme://host of Graph (https://graph.microsoft.com when
	// empty).
	Host    string
	Session *Session
}

// Application is the part of a Graph application resource byok reads.
type Application struct {
	ID             string `json:"id"`    // object ID
	AppID          string `json:"appId"` // Application (client) ID
	DisplayName    string `json:"displayName"`
	SignInAudience string `json:"signInAudience"`
	Web            struct {
		RedirectURIs []string `json:"redirectUris"`
	} `json:"web"`
	PasswordCredentials []PasswordCredential `json:"passwordCredentials"`
	CreatedDateTime     time.Time            `json:"createdDateTime"`
	// Raw is the resource as Graph returned it (for the manifest audit).
	Raw json.RawMessage `json:"-"`
}

// PasswordCredential is a client secret. SecretText is set only in the
// answer of addPassword, the one time Graph returns the value.
type PasswordCredential struct {
	KeyID         string      `json:"keyId"`
	DisplayName   string      `json:"displayName"`
	Hint          string      `json:"hint"`
	StartDateTime time.Time   `json:"startDateTime"`
	EndDateTime   time.Time   `json:"endDateTime"`
	SecretText    flow.Secret `json:"-"`
}

// ServicePrincipal is the app's enterprise application in a tenant.
type ServicePrincipal struct {
	ID    string `json:"id"`
	AppID string `json:"appId"`
}

// NewApplication is what POST /applications creates.
type NewApplication struct {
	DisplayName    string
	SignInAudience flow.AccountType
	RedirectURIs   []string // Web platform
	// PermissionIDs are Microsoft Graph delegated permission (scope) IDs.
	PermissionIDs []string
}

// Error is a Graph error answer: {"error":{"code","message"}}. Message
// is text from outside (sanitize before printing).
type Error struct {
	Op      string // what byok was doing, e.g. "create the application"
	Status  int
	Code    string
	Message string
}

// Error renders "create the application: HTTP 403 Authorization_RequestDenied".
func (e *Error) Error() string {
	return fmt.Sprintf("%s: HTTP %d %s", e.Op, e.Status, e.Code)
}

// Denied reports whether Graph refused for lack of privileges.
func (e *Error) Denied() bool {
	return e.Status == http.StatusForbidden || e.Code == "Authorization_RequestDenied"
}

func (c *Client) host() string {
	h := strings.TrimRight(c.Host, "/")
	if h == "" {
		return "https://graph.microsoft.com"
	}
	return h
}

// do sends one request with the session's bearer token and decodes a
// JSON answer into out (when not nil).
func (c *Client) do(ctx context.Context, op, method, path string, in, out any, raw *json.RawMessage) error {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("%s: encode request: %w", op, err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.host()+path, body)
	if err != nil {
		return fmt.Errorf("%s: build request: %w", op, err)
	}
	if c.Session == nil {
		return fmt.Errorf("%s: not signed in", op)
	}
	req.Header.Set("Authorization", "Bearer "+c.Session.access.Reveal())
	req.Header.Set("Accept", "application/json")
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	// the bearer token is the admin's: https (or loopback) only, and
	// never re-sent to wherever a redirect points
	resp, err := transport.SecretClient(hc).Do(req)
	if err != nil {
		return fmt.Errorf("%s: reach Microsoft Graph: %w", op, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("%s: read answer: %w", op, err)
	}
	if resp.StatusCode >= 300 {
		var ge struct {
			Error struct {
				Code    string `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		_ = json.Unmarshal(data, &ge)
		return &Error{Op: op, Status: resp.StatusCode, Code: ge.Error.Code, Message: ge.Error.Message}
	}
	if raw != nil {
		*raw = append(json.RawMessage(nil), data...)
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("%s: read answer: %w", op, err)
		}
		if c, ok := out.(checker); ok {
			if err := c.check(); err != nil {
				return err
			}
		}
	}
	return nil
}

// CreateApplication registers the app (POST /v1.0/applications).
func (c *Client) CreateApplication(ctx context.Context, n NewApplication) (Application, error) {
	access := make([]map[string]string, 0, len(n.PermissionIDs))
	for _, id := range n.PermissionIDs {
		access = append(access, map[string]string{"id": id, "type": "Scope"})
	}
	body := map[string]any{
		"displayName":    n.DisplayName,
		"signInAudience": string(n.SignInAudience),
		"web":            map[string]any{"redirectUris": n.RedirectURIs},
		"requiredResourceAccess": []map[string]any{
			{"resourceAppId": flow.GraphAppID, "resourceAccess": access},
		},
	}
	var a Application
	err := c.do(ctx, "create the application", http.MethodPost, "/v1.0/applications", body, &a, &a.Raw)
	return a, err
}

// FindApplications lists the tenant's applications whose display name
// is name (Graph compares without regard to case).
func (c *Client) FindApplications(ctx context.Context, name string) ([]Application, error) {
	q := url.Values{}
	q.Set("$filter", "displayName eq '"+strings.ReplaceAll(name, "'", "''")+"'")
	var list applicationList
	err := c.do(ctx, "look for applications named "+name, http.MethodGet, "/v1.0/applications?"+q.Encode(), nil, &list, nil)
	return list.Value, err
}

// ApplicationByAppID reads one application by its Application (client)
// ID, with the raw resource for the manifest audit. A missing app is an
// ENOTFOUND *flow.Error.
func (c *Client) ApplicationByAppID(ctx context.Context, appID string) (Application, error) {
	var a Application
	err := c.do(ctx, "read the application", http.MethodGet, "/v1.0/applications(appId='"+url.PathEscape(appID)+"')", nil, &a, &a.Raw)
	if ge, ok := err.(*Error); ok && ge.Status == http.StatusNotFound {
		return a, &flow.Error{Code: flow.ENOTFOUND, Field: "client ID", Message: fmt.Sprintf("no application with client ID %s in the directory you signed in to", appID),
			Fix: "sign in to the directory the app is registered in (its Directory ID), or check the config's client ID", Err: err}
	}
	return a, err
}

// CreateServicePrincipal creates the app's service principal
// (enterprise application) in the admin's tenant.
func (c *Client) CreateServicePrincipal(ctx context.Context, appID string) (ServicePrincipal, error) {
	var sp ServicePrincipal
	err := c.do(ctx, "create the service principal", http.MethodPost, "/v1.0/servicePrincipals", map[string]string{"appId": appID}, &sp, nil)
	return sp, err
}

// ServicePrincipalByAppID finds the service principal of appID in the
// admin's tenant; ok is false when there is none.
func (c *Client) ServicePrincipalByAppID(ctx context.Context, appID string) (ServicePrincipal, bool, error) {
	q := url.Values{}
	q.Set("$filter", "appId eq '"+strings.ReplaceAll(appID, "'", "''")+"'")
	var list servicePrincipalList
	if err := c.do(ctx, "look for the service principal", http.MethodGet, "/v1.0/servicePrincipals?"+q.Encode(), nil, &list, nil); err != nil {
		return ServicePrincipal{}, false, err
	}
	if len(list.Value) == 0 {
		return ServicePrincipal{}, false, nil
	}
	return list.Value[0], true, nil
}

// AddPassword adds a client secret to the application (by object ID);
// the answer carries its value, which Graph never returns again.
func (c *Client) AddPassword(ctx context.Context, objectID, description string, expires time.Time) (PasswordCredential, error) {
	body := map[string]any{"passwordCredential": map[string]any{
		"displayName": description, "endDateTime": expires.UTC().Format(time.RFC3339),
	}}
	var out struct {
		PasswordCredential
		SecretText string `json:"secretText"`
	}
	err := c.do(ctx, "add the client secret", http.MethodPost, "/v1.0/applications/"+url.PathEscape(objectID)+"/addPassword", body, &out, nil)
	p := out.PasswordCredential
	if err != nil {
		return p, err
	}
	// the value goes into byok's store: the checks of a pasted one (the
	// keyId was checked with the answer)
	if flow.ValidateSecretValue(out.SecretText) != nil {
		return p, flow.Errorf(flow.EFAILED, "add the client secret: the answer's secretText is not a client secret value").
			WithFix("this is not what Microsoft sends: check that --graph-host points at Microsoft (or byok simulate)")
	}
	p.SecretText = flow.Secret(out.SecretText)
	return p, nil
}

// RemovePassword deletes the client secret keyID from the application.
func (c *Client) RemovePassword(ctx context.Context, objectID, keyID string) error {
	return c.do(ctx, "remove the old client secret", http.MethodPost, "/v1.0/applications/"+url.PathEscape(objectID)+"/removePassword", map[string]string{"keyId": keyID}, nil, nil)
}

// DeleteApplication deletes the application (by object ID); Entra keeps
// it in "Deleted applications" for 30 days.
func (c *Client) DeleteApplication(ctx context.Context, objectID string) error {
	return c.do(ctx, "delete the application", http.MethodDelete, "/v1.0/applications/"+url.PathEscape(objectID), nil, nil, nil)
}

// GrantTenantWide grants the scopes to the client's service principal
// for every user of the tenant (consentType AllPrincipals) on Microsoft
// Graph's service principal: admin consent.
func (c *Client) GrantTenantWide(ctx context.Context, clientSPID string, scopes []string) error {
	graphSP, ok, err := c.ServicePrincipalByAppID(ctx, flow.GraphAppID)
	if err != nil {
		return err
	}
	if !ok {
		return &Error{Op: "find Microsoft Graph's service principal", Status: http.StatusNotFound, Code: "Request_ResourceNotFound"}
	}
	body := map[string]any{
		"clientId": clientSPID, "consentType": "AllPrincipals",
		"resourceId": graphSP.ID, "scope": strings.Join(scopes, " "),
	}
	return c.do(ctx, "grant admin consent", http.MethodPost, "/v1.0/oauth2PermissionGrants", body, nil, nil)
}
