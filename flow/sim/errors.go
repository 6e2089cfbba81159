package sim

import (
	"encoding/json"
	"fmt"
	"github.com/hiveku/byok/flow"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// stsError is one AADSTS error as the login endpoints report it.
type stsError struct {
	Status int    // HTTP status for JSON answers (400, or 401 for invalid_client)
	Err    string // OAuth error: invalid_request, invalid_client, ...
	Code   int    // AADSTS number; 0 for errors without one (live.com's)
	Msg    string // text after "AADSTSnnnn: "
	// Subcode is error_subcode on redirects (e.g. cancel).
	Subcode string
}

func newErr(status int, oauthErr string, code int, format string, args ...any) *stsError {
	return &stsError{Status: status, Err: oauthErr, Code: code, Msg: fmt.Sprintf(format, args...)}
}

// trace is the per-request identifiers Microsoft prints in every error.
type trace struct {
	TraceID, CorrelationID string
	At                     time.Time
}

func (s *Server) trace(r *http.Request) trace {
	// Microsoft uses the client's client-request-id as correlation ID and
	// the answer's x-ms-request-id as Trace ID (see requestid.go).
	ids := s.idsOf(r)
	return trace{TraceID: ids.RequestID, CorrelationID: ids.CorrelationID, At: s.now().UTC()}
}

// stamp is Microsoft's timestamp format in error bodies.
func stamp(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") }

// description renders error_description: "AADSTSn: msg\r\nTrace ID: …".
func (e *stsError) description(t trace) string {
	if e.Code == 0 {
		return e.Msg
	}
	return fmt.Sprintf("AADSTS%d: %s\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s",
		e.Code, e.Msg, t.TraceID, t.CorrelationID, stamp(t.At))
}

func errorURI(code int) string {
	return "https://login.microsoftonline.com/error?code=" + strconv.Itoa(code)
}

// errorBody is the token and discovery endpoints' JSON error shape.
type errorBody struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description"`
	ErrorCodes       []int  `json:"error_codes"`
	Timestamp        string `json:"timestamp"`
	TraceID          string `json:"trace_id"`
	CorrelationID    string `json:"correlation_id"`
	ErrorURI         string `json:"error_uri"`
}

// writeJSONError writes e as Microsoft's token endpoint does.
func (s *Server) writeJSONError(w http.ResponseWriter, r *http.Request, e *stsError) {
	t := s.trace(r)
	body := errorBody{
		Error:            e.Err,
		ErrorDescription: e.description(t),
		ErrorCodes:       []int{e.Code},
		Timestamp:        stamp(t.At),
		TraceID:          t.TraceID,
		CorrelationID:    t.CorrelationID,
		ErrorURI:         errorURI(e.Code),
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store, no-cache")
	h.Set("Pragma", "no-cache")
	h.Set("x-ms-request-id", t.TraceID)
	h.Set("client-request-id", t.CorrelationID)
	writeJSON(w, e.Status, body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// redirectError sends the browser back to the app with the error, as
// Microsoft does once client and redirect URI are trusted.
func (s *Server) redirectError(w http.ResponseWriter, r *http.Request, redirectURI, mode, state string, e *stsError) {
	t := s.trace(r)
	v := url.Values{}
	v.Set("error", e.Err)
	v.Set("error_description", e.description(t))
	if e.Subcode != "" {
		v.Set("error_subcode", e.Subcode)
	}
	if e.Code != 0 {
		v.Set("error_uri", errorURI(e.Code))
	}
	if state != "" {
		v.Set("state", state)
	}
	s.respondTo(w, redirectURI, mode, v)
}

// respondTo delivers params to the redirect URI by response_mode: query
// (302 with a query), fragment (302 with a fragment) or form_post (an HTML
// form that posts itself).
func (s *Server) respondTo(w http.ResponseWriter, redirectURI, mode string, v url.Values) {
	w.Header().Set("Cache-Control", "no-store, no-cache")
	switch mode {
	case "form_post":
		var b strings.Builder
		b.WriteString(`<html><head><title>Working...</title></head><body><form method="POST" name="hiddenform" action="`)
		b.WriteString(html.EscapeString(redirectURI))
		b.WriteString(`">`)
		for _, k := range sortedKeys(v) {
			fmt.Fprintf(&b, `<input type="hidden" name="%s" value="%s" />`, html.EscapeString(k), html.EscapeString(v.Get(k)))
		}
		b.WriteString(`<noscript><p>Script is disabled. Click Submit to continue.</p><input type="submit" value="Submit" /></noscript></form><script language="javascript">document.forms[0].submit();</script></body></html>`)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte(b.String()))
	case "fragment":
		w.Header().Set("Location", redirectURI+"#"+v.Encode())
		w.WriteHeader(http.StatusFound)
	default:
		sep := "?"
		if strings.Contains(redirectURI, "?") {
			sep = "&"
		}
		w.Header().Set("Location", redirectURI+sep+v.Encode())
		w.WriteHeader(http.StatusFound)
	}
}

var guidRE = flow.LazyRE(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

func isGUID(s string) bool { return guidRE().MatchString(s) }

func sortedKeys(v url.Values) []string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	// small maps: insertion sort keeps this dependency-free and stable
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// Error constructors, one per AADSTS code the simulator produces. The
// texts follow Microsoft's (reference-error-codes and real error bodies).

func errMissing(param string) *stsError {
	return newErr(400, "invalid_request", 900144, "The request body must contain the following parameter: '%s'.", param)
}

func errMalformed() *stsError {
	return newErr(400, "invalid_request", 9002313, "Invalid request. Request is malformed or invalid.")
}

func errTenantNotFound(t string) *stsError {
	return newErr(400, "invalid_request", 90002, "Tenant '%s' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.", t)
}

func errAppNotFound(clientID, directory string) *stsError {
	return newErr(400, "unauthorized_client", 700016, "Application with identifier '%s' was not found in the directory '%s'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.", clientID, directory)
}

func errRedirectMismatch(uri, clientID string) *stsError {
	return newErr(400, "invalid_request", 50011, "The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this.", uri, clientID)
}

func errNoReplyAddress() *stsError {
	return newErr(400, "invalid_request", 500113, "No reply address is registered for the application.")
}

func errNotMultiTenant(a *App) *stsError {
	return newErr(400, "invalid_request", 50194, "Application '%s'(%s) is not configured as a multi-tenant application. Usage of the /common endpoint is not supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the application to be multi-tenant.", a.ClientID, a.DisplayName)
}

func errEntraOnly(a *App) *stsError {
	return newErr(400, "invalid_request", 9002332, "Application '%s'(%s) is configured for use by Azure Active Directory users only. Please do not use the /consumers endpoint to serve this request.", a.ClientID, a.DisplayName)
}

func errMSAOnly(a *App) *stsError {
	return newErr(400, "invalid_request", 9002331, "Application '%s'(%s) is configured for use by Microsoft Account users only. Please use the /consumers endpoint to serve this request.", a.ClientID, a.DisplayName)
}

// errNotEnabledForConsumers is what login.live.com shows when a personal
// account signs in to an app whose audience excludes personal accounts
// (or a client ID it doesn't know): no AADSTS code.
func errNotEnabledForConsumers() *stsError {
	return newErr(400, "unauthorized_client", 0, "The client does not exist or is not enabled for consumers. If you are the application developer, configure a new application through the App Registrations in the Azure Portal at https://go.microsoft.com/fwlink/?linkid=2083908.")
}

func errUserNotInTenant(u *User, idp, tenantName string, a *App) *stsError {
	return newErr(400, "invalid_request", 50020, "User account '%s' from identity provider '%s' does not exist in tenant '%s' and cannot access the application '%s'(%s) in that tenant. The account needs to be added as an external user in the tenant first. Sign out and sign in again with a different Azure Active Directory user account.", u.UPN, idp, tenantName, a.ClientID, a.DisplayName)
}

func errPersonalNotSupported(u *User) *stsError {
	return newErr(400, "invalid_request", 500200, "User account '%s' is a personal Microsoft account. Personal Microsoft accounts are not supported for this application unless explicitly invited to an organization. Try signing out and signing back into an organizational account.", u.UPN)
}

func errUserNotFound() *stsError {
	return newErr(400, "invalid_request", 50034, "The user account does not exist in the directory. To sign into this application, the account must be added to the directory.")
}

func errBadPassword() *stsError {
	return newErr(400, "invalid_request", 50126, "Error validating credentials due to invalid username or password.")
}

func errInvalidScope(scope string) *stsError {
	return newErr(400, "invalid_scope", 70011, "The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope '%s' is not valid.", scope)
}

func errDeclined() *stsError {
	e := newErr(400, "access_denied", 65004, "User declined to consent to access the app.")
	e.Subcode = "cancel"
	return e
}

func errAdminApproval() *stsError {
	return newErr(400, "access_denied", 90094, "The grant requires admin permission.")
}

func errNoConsent(a *App) *stsError {
	return newErr(400, "invalid_grant", 65001, "The user or administrator has not consented to use the application with ID '%s' named '%s'. Send an interactive authorization request for this user and resource.", a.ClientID, a.DisplayName)
}

func errLoginRequired() *stsError {
	return newErr(400, "login_required", 50058, "A silent sign-in request was sent but no user is signed in.")
}

func errSecretMissing() *stsError {
	return newErr(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.")
}

func errSecretInvalid(clientID string) *stsError {
	return newErr(401, "invalid_client", 7000215, "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '%s'.", clientID)
}

func errSecretExpired(clientID string) *stsError {
	return newErr(401, "invalid_client", 7000222, "The provided client secret keys for app '%s' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds.", clientID)
}

func errPublicClientSecret() *stsError {
	return newErr(401, "invalid_client", 700025, "Client is public so neither 'client_assertion' nor 'client_secret' should be presented.")
}

func errNoServicePrincipal(clientID, tenantID string) *stsError {
	return newErr(401, "invalid_client", 7000229, "The client application %s is missing service principal in the tenant %s. See instructions here: https://go.microsoft.com/fwlink/?linkid=2225119", clientID, tenantID)
}
