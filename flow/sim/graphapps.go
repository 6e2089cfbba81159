package sim

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/hiveku/byok/flow"
)

// CommandLineToolsID is the application ID of "Microsoft Graph Command
// Line Tools", the multi-tenant public client Microsoft Graph PowerShell
// signs in with (http://localhost redirect and device code). byok create
// signs the admin in with it; the simulator always knows it.
const CommandLineToolsID = "14d82eec-204b-4c2f-b7e8-296a70dab67e"

// microsoftServicesTenant is the home tenant of Microsoft's first-party
// applications.
const microsoftServicesTenant = "f8cdef31-a31e-4b4a-93e4-5f571e91255a"

// Delegated permissions for the calls byok create, audit --live and
// rotate --graph make. Least privileged, from each call's Graph v1.0
// reference page ("Permissions" table):
//   - POST /applications, POST /applications/{id}/addPassword,
//     removePassword, DELETE /applications/{id}, POST /servicePrincipals:
//     Application.ReadWrite.All
//     (learn.microsoft.com/graph/api/application-post-applications,
//     …/application-addpassword)
//   - GET /applications, GET /servicePrincipals: Application.Read.All
//   - POST /oauth2PermissionGrants: DelegatedPermissionGrant.ReadWrite.All,
//     work or school accounts only
//     (learn.microsoft.com/graph/api/oauth2permissiongrant-post)
const (
	ScopeAppReadAll      = "Application.Read.All"
	ScopeAppReadWriteAll = "Application.ReadWrite.All"
	ScopeGrantReadWrite  = "DelegatedPermissionGrant.ReadWrite.All"
)

// graphPermissionIDs maps the oauth2PermissionScopes IDs of Microsoft
// Graph (the IDs in requiredResourceAccess) to their names, for the
// permissions byok offers (flow/sim may not import assets, which holds
// the same list).
var graphPermissionIDs = map[string]string{
	"7427e0e9-2fba-42fe-b0c0-848c9e6a8182": "offline_access",
	"37f7f235-527c-4136-accd-4a02d197296e": "openid",
	"14dad69e-099b-42c9-810b-d002981feec1": "profile",
	"64a6cdd6-aab1-4aaf-94b8-3cc8405e90d0": "email",
	"e1fe6dd8-ba31-4d61-89e7-88639da4683d": "User.Read",
	"b340eb25-3456-403f-be2f-af7a0d370277": "User.ReadBasic.All",
	"570282fd-fa5c-430d-a7fd-fc8dc98a9dca": "Mail.Read",
	"a4b8392a-d8d1-4954-a029-8e668a39a170": "Mail.ReadBasic",
	"024d486e-b451-40bb-833d-3e66d98c5c73": "Mail.ReadWrite",
	"e383f46e-2787-4529-855e-0e479a3ffac0": "Mail.Send",
	"7b9103a5-4610-446b-9670-80643382c1fa": "Mail.Read.Shared",
	"5df07973-7d5d-46ed-9847-1271055cbd51": "Mail.ReadWrite.Shared",
	"a367ab51-6b49-43bf-a716-a1fb06d2a174": "Mail.Send.Shared",
	"87f447af-9fa4-4c32-9dfa-4a57a73d18ce": "MailboxSettings.Read",
	"818c620a-27a9-40bd-a6a5-d96f7d610b4b": "MailboxSettings.ReadWrite",
	"465a38f9-76ea-45b9-9f34-9e8b0d4b0b42": "Calendars.Read",
	"662d75ba-a364-42ad-adee-f5f880ea4878": "Calendars.ReadBasic",
	"1ec239c2-d7c9-4623-a91a-a9775856bb36": "Calendars.ReadWrite",
	"2b9c4092-424d-4249-948d-b43879977640": "Calendars.Read.Shared",
	"12466101-c9b8-439a-8589-dd09ee67e8e9": "Calendars.ReadWrite.Shared",
	"ff74d97f-43af-4b68-9f2a-b77ee6968c5d": "Contacts.Read",
	"d56682ec-c09e-4743-aaf4-1a3aac4caa21": "Contacts.ReadWrite",
}

func permissionID(name string) string {
	for id, n := range graphPermissionIDs {
		if strings.EqualFold(n, name) {
			return id
		}
	}
	return ""
}

// directory is the Graph side of the simulated tenants: object IDs of
// applications and service principals, password metadata, permission
// grants, and what has not replicated yet.
type directory struct {
	objectOf  map[string]string // lower(appId) -> application object id
	appOf     map[string]string // application object id -> lower(appId)
	created   map[string]time.Time
	passwords map[string][]password // lower(appId) -> credentials
	sps       map[string]servicePrincipal
	grants    []permissionGrant
	// pending counts the token requests that still answer as if the
	// object were unknown: app IDs (700016) and secret key IDs (7000215).
	pending map[string]int
	// failNext makes the next Graph call of an operation fail (tests).
	failNext map[string]int
}

type password struct {
	KeyID, DisplayName, Hint string
	Start, End               time.Time
}

type servicePrincipal struct {
	ID, AppID, TenantID, DisplayName string
}

type permissionGrant struct {
	ID, ClientID, ResourceID, ConsentType, Scope string
}

// graphServicePrincipalID is Microsoft Graph's service principal object
// ID in every simulated tenant (the real one differs per tenant).
const graphServicePrincipalID = "2d1e4f6a-5b3c-4e7d-9a8b-0c1d2e3f4a5b"

func newDirectory() *directory {
	return &directory{
		objectOf: map[string]string{}, appOf: map[string]string{}, created: map[string]time.Time{},
		passwords: map[string][]password{}, sps: map[string]servicePrincipal{},
		pending: map[string]int{}, failNext: map[string]int{},
	}
}

// addCommandLineTools registers Microsoft Graph Command Line Tools unless
// the options define it: multi-tenant + personal, public client,
// http://localhost.
func (s *Server) addCommandLineTools() {
	if _, ok := s.apps[CommandLineToolsID]; ok {
		return
	}
	s.apps[CommandLineToolsID] = &App{
		DisplayName: "Microsoft Graph Command Line Tools", ClientID: CommandLineToolsID,
		HomeTenantID: microsoftServicesTenant, SignInAudience: flow.MultiTenantPersonal,
		PublicClientRedirectURIs: []string{"http://localhost"}, PublisherVerified: true,
		// what a tenant's admin consent to it covers in the simulator
		Scopes: []string{ScopeAppReadAll, ScopeAppReadWriteAll, ScopeGrantReadWrite},
	}
}

// FailNext makes the next n Graph calls of op fail with 503
// ServiceUnavailable, as a transient Graph outage does. op is one of
// createApplication, addPassword, createServicePrincipal, grant,
// removePassword, deleteApplication. For tests and demos of a
// half-finished create.
func (s *Server) FailNext(op string, n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dir.failNext[op] = n
}

// failing consumes one injected failure of op.
func (s *Server) failing(op string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir.failNext[op] > 0 {
		s.dir.failNext[op]--
		return true
	}
	return false
}

// replicating answers a token request for an app or secret that Graph
// created moments ago and the token service does not know yet: it
// consumes one pending request. Microsoft's directory replicates new
// objects over seconds to a minute ("Application and service principal
// objects in Microsoft Entra ID"; AADSTS700016 / 7000215 in the
// meantime).
func (s *Server) replicating(key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(key)
	if s.dir.pending[k] > 0 {
		s.dir.pending[k]--
		return true
	}
	return false
}

// replicationHold is the token hook: the app itself, then the secret.
func (s *Server) replicationHold(auth authority, clientID, secret string) *stsError {
	if clientID == "" {
		return nil
	}
	dir := auth.Segment
	if auth.Kind == "tenant" {
		dir = tenantName(auth.Tenant)
	}
	if s.replicating(clientID) {
		return errAppNotFound(clientID, dir)
	}
	if secret == "" {
		return nil
	}
	s.mu.Lock()
	app := s.apps[strings.ToLower(clientID)]
	var key string
	if app != nil {
		for _, sec := range app.Secrets {
			if sec.Value == secret {
				key = sec.KeyID
			}
		}
	}
	s.mu.Unlock()
	if key != "" && s.replicating(key) {
		return errSecretInvalid(clientID)
	}
	return nil
}

var (
	appByObjectRE = flow.LazyRE(`^/v1\.0/applications/([0-9a-fA-F-]{36})(/addPassword|/removePassword)?$`)
	appByAppIDRE  = flow.LazyRE(`^/v1\.0/applications\(appId='([^']*)'\)(/addPassword|/removePassword)?$`)
	spByAppIDRE   = flow.LazyRE(`^/v1\.0/servicePrincipals\(appId='([^']*)'\)$`)
	filterRE      = flow.LazyRE(`^\s*(displayName|appId)\s+eq\s+'((?:[^']|'')*)'\s*$`)
)

// serveDirectory answers the Graph application-management calls; it
// returns false for paths it does not own.
func (s *Server) serveDirectory(w http.ResponseWriter, r *http.Request) bool {
	p := strings.TrimSuffix(r.URL.Path, "/")
	switch {
	case p == "/v1.0/applications", p == "/v1.0/servicePrincipals", p == "/v1.0/oauth2PermissionGrants",
		appByObjectRE().MatchString(p), appByAppIDRE().MatchString(p), spByAppIDRE().MatchString(p):
	default:
		return false
	}
	at, ok := s.bearer(w, r)
	if !ok {
		return true
	}
	if at.User == nil {
		// app-only tokens would need application permissions byok
		// never asks for
		s.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return true
	}
	write := r.Method != http.MethodGet
	need := []string{ScopeAppReadAll, ScopeAppReadWriteAll}
	if write {
		need = []string{ScopeAppReadWriteAll}
	}
	if p == "/v1.0/oauth2PermissionGrants" {
		need = []string{ScopeGrantReadWrite}
	}
	if !at.Graph.hasAny(need...) {
		s.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return true
	}
	u := at.User
	if u.Personal && write {
		s.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "The ability to create applications outside of a directory has been deprecated. You may get a new directory by joining the M365 Developer Program or signing up for Azure.")
		return true
	}
	switch {
	case p == "/v1.0/applications" && r.Method == http.MethodPost:
		s.createApplication(w, r, u)
	case p == "/v1.0/applications" && r.Method == http.MethodGet:
		s.listApplications(w, r, u)
	case p == "/v1.0/servicePrincipals" && r.Method == http.MethodPost:
		s.createServicePrincipal(w, r, u)
	case p == "/v1.0/servicePrincipals" && r.Method == http.MethodGet:
		m := filterRE().FindStringSubmatch(r.URL.Query().Get("$filter"))
		if m == nil || m[1] != "appId" {
			s.graphError(w, r, http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property 'appId' of resource 'ServicePrincipal'.")
			return true
		}
		s.listServicePrincipals(w, r, u, strings.ReplaceAll(m[2], "''", "'"))
	case spByAppIDRE().MatchString(p) && r.Method == http.MethodGet:
		appID := spByAppIDRE().FindStringSubmatch(p)[1]
		sp, ok := s.findSP(appID, u.TenantID)
		if !ok {
			s.graphError(w, r, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+appID+"' does not exist or one of its queried reference-property objects are not present.")
			return true
		}
		body := spJSON(sp)
		body["@odata.context"] = baseURL(r) + "/v1.0/$metadata#servicePrincipals/$entity"
		writeJSON(w, http.StatusOK, body)
	case p == "/v1.0/oauth2PermissionGrants" && r.Method == http.MethodPost:
		s.createGrant(w, r, u)
	default:
		id, action, byAppID := "", "", false
		if m := appByObjectRE().FindStringSubmatch(p); m != nil {
			id, action = m[1], m[2]
		} else if m := appByAppIDRE().FindStringSubmatch(p); m != nil {
			id, action, byAppID = m[1], m[2], true
		}
		app, objID, ok := s.findApplication(id, byAppID, u.TenantID)
		if !ok {
			s.graphError(w, r, http.StatusNotFound, "Request_ResourceNotFound", "Resource '"+id+"' does not exist or one of its queried reference-property objects are not present.")
			return true
		}
		switch {
		case action == "" && r.Method == http.MethodGet:
			body := s.applicationJSON(app, objID)
			body["@odata.context"] = baseURL(r) + "/v1.0/$metadata#applications/$entity"
			writeJSON(w, http.StatusOK, body)
		case action == "" && r.Method == http.MethodDelete:
			if s.failing("deleteApplication") {
				s.unavailable(w, r)
				return true
			}
			s.deleteApplication(app)
			w.WriteHeader(http.StatusNoContent)
		case action == "/addPassword" && r.Method == http.MethodPost:
			s.addPassword(w, r, app)
		case action == "/removePassword" && r.Method == http.MethodPost:
			s.removePassword(w, r, app)
		default:
			s.graphError(w, r, http.StatusMethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
		}
	}
	return true
}

func (s *Server) unavailable(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "1")
	s.graphError(w, r, http.StatusServiceUnavailable, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later.")
}

// readBody decodes a Graph request body, refusing unknown JSON.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err == nil {
		err = json.Unmarshal(data, v)
	}
	if err != nil {
		s.graphError(w, r, http.StatusBadRequest, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")
		return false
	}
	return true
}

type applicationBody struct {
	DisplayName    string `json:"displayName"`
	SignInAudience string `json:"signInAudience"`
	Web            *struct {
		RedirectURIs []string `json:"redirectUris"`
	} `json:"web"`
	RequiredResourceAccess []struct {
		ResourceAppID  string `json:"resourceAppId"`
		ResourceAccess []struct {
			ID   string `json:"id"`
			Type string `json:"type"`
		} `json:"resourceAccess"`
	} `json:"requiredResourceAccess"`
}

// createApplication is POST /v1.0/applications.
func (s *Server) createApplication(w http.ResponseWriter, r *http.Request, u *User) {
	t := s.tenantByID(u.TenantID)
	if t != nil && t.UsersCannotRegisterApps && !u.Admin {
		// "Users can register applications" is No and the user holds
		// no Application Developer / administrator role
		s.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}
	var b applicationBody
	if !s.readBody(w, r, &b) {
		return
	}
	if strings.TrimSpace(b.DisplayName) == "" {
		s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'displayName' of resource 'Application'.")
		return
	}
	aud := flow.AccountType(b.SignInAudience)
	if b.SignInAudience == "" {
		aud = flow.SingleTenant
	}
	if !aud.Valid() {
		s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'signInAudience' of resource 'Application'.")
		return
	}
	app := App{DisplayName: b.DisplayName, HomeTenantID: u.TenantID, SignInAudience: aud}
	if b.Web != nil {
		for _, uri := range b.Web.RedirectURIs {
			if pu, err := url.Parse(uri); err != nil || !pu.IsAbs() || (pu.Scheme != "https" && !isLoopback(pu.Hostname())) {
				s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'web.redirectUris' of resource 'Application'.")
				return
			}
		}
		app.WebRedirectURIs = append([]string(nil), b.Web.RedirectURIs...)
	}
	for _, rra := range b.RequiredResourceAccess {
		if !strings.EqualFold(rra.ResourceAppID, flow.GraphAppID) {
			continue
		}
		for _, ra := range rra.ResourceAccess {
			name, ok := graphPermissionIDs[strings.ToLower(ra.ID)]
			if !ok || ra.Type != "Scope" {
				s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'resourceAccess' of resource 'Application'.")
				return
			}
			app.Scopes = append(app.Scopes, name)
		}
	}
	if s.failing("createApplication") {
		s.unavailable(w, r)
		return
	}
	app.ClientID = s.guid()
	objID := s.guid()
	s.mu.Lock()
	s.apps[strings.ToLower(app.ClientID)] = &app
	s.dir.objectOf[strings.ToLower(app.ClientID)] = objID
	s.dir.appOf[objID] = strings.ToLower(app.ClientID)
	s.dir.created[objID] = s.now()
	s.dir.pending[strings.ToLower(app.ClientID)] = s.opts.ReplicationDelay
	s.mu.Unlock()
	body := s.applicationJSON(&app, objID)
	body["@odata.context"] = baseURL(r) + "/v1.0/$metadata#applications/$entity"
	w.Header().Set("Location", baseURL(r)+"/v2/"+u.TenantID+"/directoryObjects/"+objID+"/Microsoft.DirectoryServices.Application")
	writeJSON(w, http.StatusCreated, body)
}

// findApplication finds an application of tenant tid by object ID or app
// ID. Apps from Options have object IDs made up on first use.
func (s *Server) findApplication(id string, byAppID bool, tid string) (*App, string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	clientID := strings.ToLower(id)
	if !byAppID {
		clientID = s.dir.appOf[strings.ToLower(id)]
	}
	app := s.apps[clientID]
	if app == nil || clientID == CommandLineToolsID || !strings.EqualFold(app.HomeTenantID, tid) {
		return nil, "", false
	}
	return app, s.objectIDLocked(app), true
}

// objectIDLocked returns the app's object ID, making one up for apps
// defined in Options (derived from the app ID so it is stable).
func (s *Server) objectIDLocked(app *App) string {
	k := strings.ToLower(app.ClientID)
	if id, ok := s.dir.objectOf[k]; ok {
		return id
	}
	id := derivedGUID("application|" + k)
	s.dir.objectOf[k] = id
	s.dir.appOf[id] = k
	return id
}

// derivedGUID is a stable GUID-shaped name for seed.
func derivedGUID(seed string) string {
	h := pairwiseSub("00000000-0000-0000-0000-000000000000", seed)
	b := []byte(strings.ToLower(strings.NewReplacer("-", "a", "_", "b").Replace(h)))
	hex := make([]byte, 0, 32)
	for _, c := range b {
		hex = append(hex, "0123456789abcdef"[int(c)%16])
	}
	g := string(hex[:32])
	return g[0:8] + "-" + g[8:12] + "-4" + g[13:16] + "-a" + g[17:20] + "-" + g[20:32]
}

// listApplications is GET /v1.0/applications?$filter=displayName eq '…'
// (or appId eq '…'); without a filter, every app of the tenant.
func (s *Server) listApplications(w http.ResponseWriter, r *http.Request, u *User) {
	field, value := "", ""
	if f := r.URL.Query().Get("$filter"); f != "" {
		m := filterRE().FindStringSubmatch(f)
		if m == nil {
			s.graphError(w, r, http.StatusBadRequest, "Request_UnsupportedQuery", "Unsupported or invalid query filter clause specified for property 'displayName' of resource 'Application'.")
			return
		}
		field, value = m[1], strings.ReplaceAll(m[2], "''", "'")
	}
	s.mu.Lock()
	var apps []*App
	for k, a := range s.apps {
		if k == CommandLineToolsID || !strings.EqualFold(a.HomeTenantID, u.TenantID) {
			continue
		}
		// Graph compares displayName and appId without regard to case
		if field == "displayName" && !strings.EqualFold(a.DisplayName, value) ||
			field == "appId" && !strings.EqualFold(a.ClientID, value) {
			continue
		}
		apps = append(apps, a)
	}
	sort.Slice(apps, func(i, j int) bool { return apps[i].ClientID < apps[j].ClientID })
	ids := make([]string, len(apps))
	for i, a := range apps {
		ids[i] = s.objectIDLocked(a)
	}
	s.mu.Unlock()
	items := make([]map[string]any, len(apps))
	for i, a := range apps {
		items[i] = s.applicationJSON(a, ids[i])
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": baseURL(r) + "/v1.0/$metadata#applications", "value": items})
}

// applicationJSON is the application resource as Graph returns it.
func (s *Server) applicationJSON(a *App, objID string) map[string]any {
	s.mu.Lock()
	created := s.dir.created[objID]
	pws := append([]password(nil), s.dir.passwords[strings.ToLower(a.ClientID)]...)
	secrets := append([]Secret(nil), a.Secrets...)
	s.mu.Unlock()
	if created.IsZero() {
		created = DefaultNow.AddDate(0, -1, 0)
	}
	creds := []map[string]any{}
	described := map[string]bool{}
	for _, p := range pws {
		described[p.KeyID] = true
		creds = append(creds, passwordJSON(p))
	}
	for _, sec := range secrets { // secrets from Options: no metadata
		if !described[sec.KeyID] {
			creds = append(creds, passwordJSON(password{KeyID: sec.KeyID, Hint: hint(sec.Value), Start: created, End: sec.Expires}))
		}
	}
	var access []map[string]any
	for _, sc := range a.Scopes {
		if id := permissionID(sc); id != "" {
			access = append(access, map[string]any{"id": id, "type": "Scope"})
		}
	}
	rra := []map[string]any{}
	if len(access) > 0 {
		rra = append(rra, map[string]any{"resourceAppId": flow.GraphAppID, "resourceAccess": access})
	}
	orEmpty := func(v []string) []string {
		if v == nil {
			return []string{}
		}
		return v
	}
	return map[string]any{
		"id": objID, "appId": a.ClientID, "displayName": a.DisplayName,
		"createdDateTime": created.UTC().Format(time.RFC3339), "signInAudience": string(a.SignInAudience),
		"isFallbackPublicClient": nil, "publisherDomain": "",
		"api": map[string]any{"requestedAccessTokenVersion": 2},
		"web": map[string]any{
			"redirectUris":          orEmpty(a.WebRedirectURIs),
			"implicitGrantSettings": map[string]any{"enableAccessTokenIssuance": false, "enableIdTokenIssuance": false},
		},
		"spa":                    map[string]any{"redirectUris": orEmpty(a.SPARedirectURIs)},
		"publicClient":           map[string]any{"redirectUris": orEmpty(a.PublicClientRedirectURIs)},
		"passwordCredentials":    creds,
		"requiredResourceAccess": rra,
	}
}

func passwordJSON(p password) map[string]any {
	end := any(nil)
	if !p.End.IsZero() {
		end = p.End.UTC().Format(time.RFC3339)
	}
	return map[string]any{
		"customKeyIdentifier": nil, "displayName": p.DisplayName, "endDateTime": end,
		"hint": p.Hint, "keyId": p.KeyID, "secretText": nil, "startDateTime": p.Start.UTC().Format(time.RFC3339),
	}
}

func hint(v string) string {
	r := []rune(v)
	if len(r) > 3 {
		r = r[:3]
	}
	return string(r)
}

// addPassword is POST /applications/{id}/addPassword: a new client
// secret whose value (secretText) Graph returns this once.
func (s *Server) addPassword(w http.ResponseWriter, r *http.Request, app *App) {
	var b struct {
		PasswordCredential *struct {
			DisplayName string `json:"displayName"`
			EndDateTime string `json:"endDateTime"`
		} `json:"passwordCredential"`
	}
	if !s.readBody(w, r, &b) {
		return
	}
	now := s.now()
	p := password{Start: now, End: now.AddDate(2, 0, 0)} // Graph's default: start + 2 years
	if pc := b.PasswordCredential; pc != nil {
		p.DisplayName = pc.DisplayName
		if pc.EndDateTime != "" {
			end, err := time.Parse(time.RFC3339, pc.EndDateTime)
			if err != nil || !end.After(now) {
				s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'endDateTime' of resource 'PasswordCredential'.")
				return
			}
			p.End = end
		}
	}
	s.mu.Lock()
	n := len(app.Secrets)
	s.mu.Unlock()
	if n >= 2 && (app.SignInAudience == flow.MultiTenantPersonal || app.SignInAudience == flow.PersonalOnly) {
		// supported-accounts-validation: at most 2 client secrets for
		// apps that sign in personal accounts
		s.graphError(w, r, http.StatusBadRequest, "TooManyAppPasswords", "The application already has the maximum number of client secrets (2) allowed for apps that support personal Microsoft accounts.")
		return
	}
	if s.failing("addPassword") {
		s.unavailable(w, r)
		return
	}
	value := s.secretText()
	p.KeyID = s.guid()
	p.Hint = hint(value)
	s.mu.Lock()
	k := strings.ToLower(app.ClientID)
	secrets := append(append([]Secret(nil), app.Secrets...), Secret{KeyID: p.KeyID, Value: value, Expires: p.End})
	app.Secrets = secrets
	s.dir.passwords[k] = append(s.dir.passwords[k], p)
	s.dir.pending[strings.ToLower(p.KeyID)] = s.opts.ReplicationDelay
	s.mu.Unlock()
	body := passwordJSON(p)
	body["secretText"] = value
	body["@odata.context"] = baseURL(r) + "/v1.0/$metadata#microsoft.graph.passwordCredential"
	writeJSON(w, http.StatusOK, body)
}

// secretText is a client secret value in Microsoft's shape: 40
// characters with a tilde at position 4 ("abC8Q~…").
func (s *Server) secretText() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-."
	b := s.randBytes(40)
	out := make([]byte, 40)
	for i, c := range b {
		out[i] = alphabet[int(c)%len(alphabet)]
	}
	out[4] = '~'
	return string(out)
}

// removePassword is POST /applications/{id}/removePassword {keyId}.
func (s *Server) removePassword(w http.ResponseWriter, r *http.Request, app *App) {
	var b struct {
		KeyID string `json:"keyId"`
	}
	if !s.readBody(w, r, &b) {
		return
	}
	if s.failing("removePassword") {
		s.unavailable(w, r)
		return
	}
	s.mu.Lock()
	k := strings.ToLower(app.ClientID)
	found := false
	var keep []Secret
	for _, sec := range app.Secrets {
		if strings.EqualFold(sec.KeyID, b.KeyID) {
			found = true
			continue
		}
		keep = append(keep, sec)
	}
	app.Secrets = keep
	var pws []password
	for _, p := range s.dir.passwords[k] {
		if !strings.EqualFold(p.KeyID, b.KeyID) {
			pws = append(pws, p)
		}
	}
	s.dir.passwords[k] = pws
	s.mu.Unlock()
	if !found {
		s.graphError(w, r, http.StatusNotFound, "Request_ResourceNotFound", "No password credential found with keyId "+b.KeyID+".")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// deleteApplication removes an app and its service principals (Graph
// moves it to deleted items; the simulator forgets it).
func (s *Server) deleteApplication(app *App) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := strings.ToLower(app.ClientID)
	delete(s.apps, k)
	if id, ok := s.dir.objectOf[k]; ok {
		delete(s.dir.appOf, id)
	}
	delete(s.dir.objectOf, k)
	delete(s.dir.passwords, k)
	for id, sp := range s.dir.sps {
		if strings.EqualFold(sp.AppID, app.ClientID) {
			delete(s.dir.sps, id)
		}
	}
}

// createServicePrincipal is POST /v1.0/servicePrincipals {appId}.
func (s *Server) createServicePrincipal(w http.ResponseWriter, r *http.Request, u *User) {
	var b struct {
		AppID string `json:"appId"`
	}
	if !s.readBody(w, r, &b) {
		return
	}
	s.mu.Lock()
	app := s.apps[strings.ToLower(b.AppID)]
	s.mu.Unlock()
	if app == nil {
		s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "The appId '"+b.AppID+"' of the service principal does not reference a valid application object.")
		return
	}
	if _, ok := s.findSP(b.AppID, u.TenantID); ok {
		s.graphError(w, r, http.StatusConflict, "Request_MultipleObjectsWithSameKeyValue", "The service principal cannot be created, updated, or restored because the service principal appId "+b.AppID+" is already in use.")
		return
	}
	if s.failing("createServicePrincipal") {
		s.unavailable(w, r)
		return
	}
	sp := servicePrincipal{ID: s.guid(), AppID: app.ClientID, TenantID: u.TenantID, DisplayName: app.DisplayName}
	s.mu.Lock()
	s.dir.sps[sp.ID] = sp
	s.mu.Unlock()
	body := spJSON(sp)
	body["@odata.context"] = baseURL(r) + "/v1.0/$metadata#servicePrincipals/$entity"
	writeJSON(w, http.StatusCreated, body)
}

// findSP finds the service principal of appID in tenant tid; Microsoft
// Graph's own exists in every tenant.
func (s *Server) findSP(appID, tid string) (servicePrincipal, bool) {
	if strings.EqualFold(appID, flow.GraphAppID) {
		return servicePrincipal{ID: graphServicePrincipalID, AppID: flow.GraphAppID, TenantID: tid, DisplayName: "Microsoft Graph"}, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, sp := range s.dir.sps {
		if strings.EqualFold(sp.AppID, appID) && strings.EqualFold(sp.TenantID, tid) {
			return sp, true
		}
	}
	return servicePrincipal{}, false
}

func (s *Server) listServicePrincipals(w http.ResponseWriter, r *http.Request, u *User, appID string) {
	items := []map[string]any{}
	if sp, ok := s.findSP(appID, u.TenantID); ok {
		items = append(items, spJSON(sp))
	}
	writeJSON(w, http.StatusOK, map[string]any{"@odata.context": baseURL(r) + "/v1.0/$metadata#servicePrincipals", "value": items})
}

func spJSON(sp servicePrincipal) map[string]any {
	return map[string]any{
		"id": sp.ID, "appId": sp.AppID, "displayName": sp.DisplayName,
		"servicePrincipalType": "Application", "appOwnerOrganizationId": sp.TenantID,
		"accountEnabled": true,
	}
}

// createGrant is POST /v1.0/oauth2PermissionGrants: tenant-wide consent
// (consentType AllPrincipals) from the client's service principal to
// Microsoft Graph's.
func (s *Server) createGrant(w http.ResponseWriter, r *http.Request, u *User) {
	if !u.Admin {
		// granting tenant-wide consent to Graph needs the Privileged Role
		// Administrator, Cloud Application Administrator or Application
		// Administrator role
		s.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		return
	}
	var b struct {
		ClientID    string `json:"clientId"`
		ConsentType string `json:"consentType"`
		ResourceID  string `json:"resourceId"`
		Scope       string `json:"scope"`
		PrincipalID string `json:"principalId"`
	}
	if !s.readBody(w, r, &b) {
		return
	}
	s.mu.Lock()
	sp, ok := s.dir.sps[strings.ToLower(b.ClientID)]
	s.mu.Unlock()
	switch {
	case !ok:
		s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'clientId' of resource 'OAuth2PermissionGrant'.")
		return
	case b.ResourceID != graphServicePrincipalID:
		s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'resourceId' of resource 'OAuth2PermissionGrant'.")
		return
	case b.ConsentType != "AllPrincipals" && b.ConsentType != "Principal":
		s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'consentType' of resource 'OAuth2PermissionGrant'.")
		return
	}
	var scopes []string
	for _, sc := range strings.Fields(b.Scope) {
		if g, ok := findGraphScope(sc); ok {
			scopes = append(scopes, g.Name)
		} else if _, ok := oidcScopes[strings.ToLower(sc)]; !ok {
			s.graphError(w, r, http.StatusBadRequest, "Request_BadRequest", "Invalid value specified for property 'scope' of resource 'OAuth2PermissionGrant'.")
			return
		}
	}
	if s.failing("grant") {
		s.unavailable(w, r)
		return
	}
	g := permissionGrant{ID: s.token(43), ClientID: sp.ID, ResourceID: b.ResourceID, ConsentType: b.ConsentType, Scope: b.Scope}
	s.mu.Lock()
	s.dir.grants = append(s.dir.grants, g)
	if b.ConsentType == "AllPrincipals" {
		s.grantAdmin(sp.AppID, sp.TenantID, scopes)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{
		"@odata.context": baseURL(r) + "/v1.0/$metadata#oauth2PermissionGrants/$entity",
		"clientId":       g.ClientID, "consentType": g.ConsentType, "id": g.ID,
		"principalId": nil, "resourceId": g.ResourceID, "scope": g.Scope,
	})
}

// ServicePrincipal reports whether appID has a service principal in
// tenant tid (for tests).
func (s *Server) ServicePrincipal(appID, tid string) bool {
	_, ok := s.findSP(appID, tid)
	return ok
}

// AppsNamed returns the registrations with displayName name in tenant
// tid, however they were made (for tests).
func (s *Server) AppsNamed(name, tid string) []App {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []App
	for k, a := range s.apps {
		if k != CommandLineToolsID && strings.EqualFold(a.DisplayName, name) && strings.EqualFold(a.HomeTenantID, tid) {
			out = append(out, *a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ClientID < out[j].ClientID })
	return out
}

// CreateOptions is the world of `byok create` demos and tests: the happy
// world (Contoso with Megan, an administrator, and Alex, a user), where
// new apps take two token requests to replicate.
func CreateOptions(now time.Time) Options {
	o := baseOptions(now)
	o.ReplicationDelay = 2
	return o
}
