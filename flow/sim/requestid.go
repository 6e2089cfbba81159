package sim

import (
	"context"
	"net/http"
	"strings"
)

// requestIDs are the identifiers of one request, the same in every header,
// error body and error page of its answer.
type requestIDs struct {
	// RequestID is Microsoft's x-ms-request-id, the "Trace ID" (or
	// "Request Id" on error pages) of the answer.
	RequestID string
	// CorrelationID is the caller's client-request-id when it sent one,
	// otherwise a fresh GUID.
	CorrelationID string
	// Echo is true when the caller sent client-request-id.
	Echo bool
}

type requestIDsKey struct{}

// clientRequestID is the caller's correlation ID: the client-request-id
// header (MSAL.NET, MSAL Java) or query parameter (msal-node 7 adds it to
// the token URL and the authorize URL through
// RequestParameterBuilder.addCorrelationId, key
// AADServerParamKeys.CLIENT_REQUEST_ID in
// AzureAD/microsoft-authentication-library-for-js lib/msal-common).
// Microsoft takes it as the correlation ID when it is a GUID; other values
// are ignored, as MSAL only ever sends GUIDs.
func clientRequestID(r *http.Request) (string, bool) {
	for _, c := range []string{r.Header.Get("client-request-id"), r.URL.Query().Get("client-request-id")} {
		if c = strings.TrimSpace(c); guidRE().MatchString(c) {
			return strings.ToLower(c), true
		}
	}
	return "", false
}

// stampRequest gives the request its identifiers and puts them on the
// response before any handler writes:
//
//   - x-ms-request-id on every answer, as login.microsoftonline.com sends
//     it; MSAL reads it into AuthenticationResult.requestId (msal-common
//     utils/Constants.ts HeaderNames.X_MS_REQUEST_ID, read by
//     AuthorizationCodeClient, RefreshTokenClient and protocol/Token.ts).
//   - client-request-id echoed when the caller sent one, as Microsoft does
//     (MSAL.NET's and MSAL Java's HTTP layers compare the echo with the ID
//     they sent and log a mismatch warning otherwise; facts table in the
//     project's Microsoft notes, §8).
func (s *Server) stampRequest(w http.ResponseWriter, r *http.Request) *http.Request {
	ids := requestIDs{RequestID: s.guid()}
	if c, ok := clientRequestID(r); ok {
		ids.CorrelationID, ids.Echo = c, true
	} else {
		ids.CorrelationID = s.guid()
	}
	h := w.Header()
	h.Set("x-ms-request-id", ids.RequestID)
	if ids.Echo {
		h.Set("client-request-id", ids.CorrelationID)
	}
	return r.WithContext(context.WithValue(r.Context(), requestIDsKey{}, ids))
}

// idsOf returns the request's identifiers; a request that did not come
// through ServeHTTP gets fresh ones.
func (s *Server) idsOf(r *http.Request) requestIDs {
	if ids, ok := r.Context().Value(requestIDsKey{}).(requestIDs); ok {
		return ids
	}
	ids := requestIDs{RequestID: s.guid()}
	if c, ok := clientRequestID(r); ok {
		ids.CorrelationID, ids.Echo = c, true
	} else {
		ids.CorrelationID = s.guid()
	}
	return ids
}

// inSession carries the authorize request's correlation ID on to the posts
// of the sign-in and consent pages, which don't send client-request-id:
// Microsoft keeps one correlation ID for the whole sign-in, so the error
// redirected to the app (a declined consent, AADSTS65004) and the error
// pages name the ID the app sent to /authorize.
func (s *Server) inSession(r *http.Request, sess *session) *http.Request {
	ids := s.idsOf(r)
	if sess.CorrelationID == "" || ids.Echo {
		return r
	}
	ids.CorrelationID = sess.CorrelationID
	return r.WithContext(context.WithValue(r.Context(), requestIDsKey{}, ids))
}
