package sim

import (
	"net/http"
	"strconv"
	"strings"
)

// graphError writes Microsoft Graph's error shape:
// {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
func (s *Server) graphError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	rid := s.idsOf(r).RequestID // the same ID as x-ms-request-id (requestid.go)
	crid := r.Header.Get("client-request-id")
	if crid == "" {
		crid = rid
	}
	w.Header().Set("request-id", rid)
	w.Header().Set("client-request-id", crid)
	if status == http.StatusUnauthorized {
		// authorization_uri names the simulator's login host, the one the
		// client used, as every URL the simulator hands out does (sim.go baseURL)
		w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="`+baseURL(r)+`/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
	}
	writeJSON(w, status, map[string]any{
		"error": map[string]any{
			"code":    code,
			"message": msg,
			"innerError": map[string]any{
				"date":              s.now().UTC().Format("2006-01-02T15:04:05"),
				"request-id":        rid,
				"client-request-id": crid,
			},
		},
	})
}

// bearer authenticates a Graph request; on failure it has answered.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request) (*accessToken, bool) {
	h := r.Header.Get("Authorization")
	tok := ""
	if len(h) > 7 && strings.EqualFold(h[:7], "bearer ") {
		tok = strings.TrimSpace(h[7:])
	}
	if tok == "" {
		s.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token is empty.")
		return nil, false
	}
	s.mu.Lock()
	at := s.access[tok]
	s.mu.Unlock()
	switch {
	case at == nil:
		s.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'.")
		return nil, false
	case !s.now().Before(at.Expires):
		s.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Lifetime validation failed, the token is expired.")
		return nil, false
	}
	return at, true
}

// wellKnownFolders are the mail folders every mailbox has, by their
// well-known name (usable in place of an ID) and display name.
var wellKnownFolders = []struct {
	name, display string
	unread, total int
}{
	{"archive", "Archive", 0, 0},
	{"deleteditems", "Deleted Items", 0, 3},
	{"drafts", "Drafts", 0, 1},
	{"inbox", "Inbox", 2, 42},
	{"junkemail", "Junk Email", 0, 0},
	{"outbox", "Outbox", 0, 0},
	{"sentitems", "Sent Items", 0, 17},
}

var (
	mailReadScopes = []string{"Mail.Read", "Mail.ReadBasic", "Mail.ReadWrite", "Mail.Read.Shared", "Mail.ReadWrite.Shared"}
	calReadScopes  = []string{"Calendars.Read", "Calendars.ReadWrite", "Calendars.Read.Shared", "Calendars.ReadWrite.Shared", "Calendars.ReadBasic"}
	userReadScopes = []string{"User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All"}
)

// serveGraph answers the Graph calls byok makes: /v1.0/me,
// /v1.0/me/mailFolders[/{id or well-known name}], /v1.0/me/calendars and
// /v1.0/me/calendar.
func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request) {
	if s.serveDirectory(w, r) {
		return
	}
	path := strings.TrimSuffix(r.URL.Path, "/")
	folder := ""
	route := path
	if rest, ok := strings.CutPrefix(path, "/v1.0/me/mailFolders/"); ok && rest != "" && !strings.Contains(rest, "/") {
		route, folder = "/v1.0/me/mailFolders/{id}", rest
	}
	switch route {
	case "/v1.0/me", "/v1.0/me/mailFolders", "/v1.0/me/mailFolders/{id}", "/v1.0/me/calendars", "/v1.0/me/calendar":
	default:
		s.graphError(w, r, http.StatusBadRequest, "BadRequest", "Resource not found for the segment '"+lastSegment(path)+"'.")
		return
	}
	if r.Method != http.MethodGet {
		s.graphError(w, r, http.StatusMethodNotAllowed, "Request_BadRequest", "Specified HTTP method is not allowed for the request target.")
		return
	}
	at, ok := s.bearer(w, r)
	if !ok {
		return
	}
	if at.User == nil {
		s.graphError(w, r, http.StatusBadRequest, "BadRequest", "/me request is only valid with delegated authentication flow.")
		return
	}
	u := at.User
	base := baseURL(r)
	need := userReadScopes
	switch route {
	case "/v1.0/me/mailFolders", "/v1.0/me/mailFolders/{id}":
		need = mailReadScopes
	case "/v1.0/me/calendars", "/v1.0/me/calendar":
		need = calReadScopes
	}
	if !at.Graph.hasAny(need...) {
		if route == "/v1.0/me" {
			s.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
		} else {
			s.graphError(w, r, http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
		}
		return
	}
	if route != "/v1.0/me" && u.Mail == "" && !u.Personal {
		s.graphError(w, r, http.StatusNotFound, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.")
		return
	}
	ctxBase := base + "/v1.0/$metadata#users('" + u.ID + "')"
	switch route {
	case "/v1.0/me":
		s.writeMe(w, base, u)
	case "/v1.0/me/mailFolders":
		var folders []map[string]any
		for _, f := range wellKnownFolders {
			folders = append(folders, s.folder(f.display, f.unread, f.total))
		}
		s.writeList(w, r, ctxBase+"/mailFolders", base+"/v1.0/me/mailFolders", folders)
	case "/v1.0/me/mailFolders/{id}":
		for _, f := range wellKnownFolders {
			if strings.EqualFold(f.name, folder) {
				body := s.folder(f.display, f.unread, f.total)
				body["@odata.context"] = ctxBase + "/mailFolders/$entity"
				writeJSON(w, http.StatusOK, body)
				return
			}
		}
		s.graphError(w, r, http.StatusNotFound, "ErrorItemNotFound", "The specified object was not found in the store.")
	case "/v1.0/me/calendars":
		s.writeList(w, r, ctxBase+"/calendars", base+"/v1.0/me/calendars", []map[string]any{s.calendar(u)})
	case "/v1.0/me/calendar":
		body := s.calendar(u)
		body["@odata.context"] = ctxBase + "/calendars/$entity"
		writeJSON(w, http.StatusOK, body)
	}
}

// calendar is the user's default calendar.
func (s *Server) calendar(u *User) map[string]any {
	addr := u.Mail
	if addr == "" {
		addr = u.UPN
	}
	return map[string]any{
		"id": "AAMk" + s.token(30), "name": "Calendar", "color": "auto", "hexColor": "",
		"isDefaultCalendar": true, "changeKey": s.token(12), "canShare": true,
		"canViewPrivateItems": true, "canEdit": true, "allowedOnlineMeetingProviders": []string{"teamsForBusiness"},
		"defaultOnlineMeetingProvider": "teamsForBusiness", "isTallyingResponses": true, "isRemovable": false,
		"owner": map[string]any{"name": u.DisplayName, "address": addr},
	}
}

func lastSegment(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}

// folder is one mail folder resource.
func (s *Server) folder(name string, unread, total int) map[string]any {
	return map[string]any{
		"id": "AAMk" + s.token(30), "displayName": name, "parentFolderId": "AAMkAGI2TAAA=",
		"childFolderCount": 0, "unreadItemCount": unread, "totalItemCount": total,
		"sizeInBytes": total * 20480, "isHidden": false,
	}
}

// writeList writes an OData collection, honouring $top (with a nextLink
// when items were left out, as Graph does).
func (s *Server) writeList(w http.ResponseWriter, r *http.Request, context, self string, items []map[string]any) {
	q := r.URL.Query()
	top := len(items)
	if v := q.Get("$top"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			s.graphError(w, r, http.StatusBadRequest, "BadRequest", "Invalid $top query option value '"+v+"'.")
			return
		}
		if n < top {
			top = n
		}
	}
	body := map[string]any{"@odata.context": context, "value": items[:top]}
	if top < len(items) {
		body["@odata.nextLink"] = self + "?%24top=" + strconv.Itoa(top) + "&%24skip=" + strconv.Itoa(top)
	}
	writeJSON(w, http.StatusOK, body)
}

// writeMe writes /v1.0/me's default property set.
func (s *Server) writeMe(w http.ResponseWriter, base string, u *User) {
	given, sur := splitName(u.DisplayName)
	var mail any
	if u.Mail != "" {
		mail = u.Mail
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"@odata.context":    base + "/v1.0/$metadata#users/$entity",
		"businessPhones":    []string{},
		"displayName":       u.DisplayName,
		"givenName":         given,
		"jobTitle":          nil,
		"mail":              mail,
		"mobilePhone":       nil,
		"officeLocation":    nil,
		"preferredLanguage": nil,
		"surname":           sur,
		"userPrincipalName": u.UPN,
		"id":                u.ID,
	})
}

func splitName(n string) (string, string) {
	if i := strings.LastIndex(n, " "); i > 0 {
		return n[:i], n[i+1:]
	}
	return n, ""
}

// serveUserInfo answers Graph's OIDC /oidc/userinfo.
func (s *Server) serveUserInfo(w http.ResponseWriter, r *http.Request) {
	at, ok := s.bearer(w, r)
	if !ok {
		return
	}
	if at.User == nil {
		s.graphError(w, r, http.StatusUnauthorized, "InvalidAuthenticationToken", "Access token validation failure.")
		return
	}
	given, sur := splitName(at.User.DisplayName)
	body := map[string]any{"sub": pairwiseSub(at.ClientID, at.User.ID), "name": at.User.DisplayName, "family_name": sur, "given_name": given, "picture": "https://graph.microsoft.com/v1.0/me/photo/$value"}
	if at.User.Mail != "" {
		body["email"] = at.User.Mail
	}
	writeJSON(w, http.StatusOK, body)
}
