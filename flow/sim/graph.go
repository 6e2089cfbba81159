package sim

import (
	"net/http"
	"strconv"
	"strings"
)

// graphError writes Microsoft Graph's error shape:
// {"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}.
func (s *Server) graphError(w http.ResponseWriter, r *http.Request, status int, code, msg string) {
	rid := s.guid()
	crid := r.Header.Get("client-request-id")
	if crid == "" {
		crid = rid
	}
	w.Header().Set("request-id", rid)
	w.Header().Set("client-request-id", crid)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`)
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

// serveGraph answers the Graph calls byok makes.
func (s *Server) serveGraph(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimSuffix(r.URL.Path, "/")
	switch path {
	case "/v1.0/me", "/v1.0/me/mailFolders", "/v1.0/me/calendars":
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
	switch path {
	case "/v1.0/me":
		if !at.Graph.hasAny("User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "Directory.Read.All") {
			s.graphError(w, r, http.StatusForbidden, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.")
			return
		}
		s.writeMe(w, base, u)
	case "/v1.0/me/mailFolders":
		if !at.Graph.hasAny("Mail.Read", "Mail.ReadBasic", "Mail.ReadWrite", "Mail.Read.Shared", "Mail.ReadWrite.Shared") {
			s.graphError(w, r, http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
			return
		}
		if u.Mail == "" && !u.Personal {
			s.graphError(w, r, http.StatusNotFound, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.")
			return
		}
		folders := []map[string]any{
			folder(s, "Archive", 0, 0),
			folder(s, "Deleted Items", 0, 3),
			folder(s, "Drafts", 0, 1),
			folder(s, "Inbox", 2, 42),
			folder(s, "Junk Email", 0, 0),
			folder(s, "Outbox", 0, 0),
			folder(s, "Sent Items", 0, 17),
		}
		s.writeList(w, r, base+"/v1.0/$metadata#users('"+u.ID+"')/mailFolders", base+"/v1.0/me/mailFolders", folders)
	case "/v1.0/me/calendars":
		if !at.Graph.hasAny("Calendars.Read", "Calendars.ReadWrite", "Calendars.Read.Shared", "Calendars.ReadWrite.Shared", "Calendars.ReadBasic") {
			s.graphError(w, r, http.StatusForbidden, "ErrorAccessDenied", "Access is denied. Check credentials and try again.")
			return
		}
		if u.Mail == "" && !u.Personal {
			s.graphError(w, r, http.StatusNotFound, "MailboxNotEnabledForRESTAPI", "The mailbox is either inactive, soft-deleted, or is hosted on-premise.")
			return
		}
		addr := u.Mail
		if addr == "" {
			addr = u.UPN
		}
		cals := []map[string]any{{
			"id": "AAMk" + s.token(30), "name": "Calendar", "color": "auto", "hexColor": "",
			"isDefaultCalendar": true, "changeKey": s.token(12), "canShare": true,
			"canViewPrivateItems": true, "canEdit": true, "allowedOnlineMeetingProviders": []string{"teamsForBusiness"},
			"defaultOnlineMeetingProvider": "teamsForBusiness", "isTallyingResponses": true, "isRemovable": false,
			"owner": map[string]any{"name": u.DisplayName, "address": addr},
		}}
		s.writeList(w, r, base+"/v1.0/$metadata#users('"+u.ID+"')/calendars", base+"/v1.0/me/calendars", cals)
	}
}

func lastSegment(p string) string {
	if i := strings.LastIndex(p, "/"); i >= 0 {
		return p[i+1:]
	}
	return p
}

func folder(s *Server, name string, unread, total int) map[string]any {
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
