package sim

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"strings"
)

// authority is a resolved {tenant} path segment.
type authority struct {
	Segment string  // as sent: common, organizations, consumers, GUID, domain
	Kind    string  // "common", "organizations", "consumers" or "tenant"
	Tenant  *Tenant // for Kind "tenant"
}

// resolve maps a {tenant} segment. ok is false for an unknown tenant.
func (s *Server) resolve(seg string) (authority, bool) {
	l := strings.ToLower(seg)
	switch l {
	case "common", "organizations", "consumers":
		return authority{Segment: seg, Kind: l}, true
	case ConsumersTenantID:
		return authority{Segment: seg, Kind: "consumers"}, true
	}
	for _, t := range s.tenants {
		if strings.EqualFold(t.ID, seg) {
			return authority{Segment: seg, Kind: "tenant", Tenant: t}, true
		}
		for _, d := range t.Domains {
			if strings.EqualFold(d, seg) {
				return authority{Segment: seg, Kind: "tenant", Tenant: t}, true
			}
		}
	}
	return authority{Segment: seg}, false
}

func (s *Server) tenantByID(id string) *Tenant {
	for _, t := range s.tenants {
		if strings.EqualFold(t.ID, id) {
			return t
		}
	}
	return nil
}

func tenantName(t *Tenant) string {
	if t == nil {
		return ""
	}
	if t.Name != "" {
		return t.Name
	}
	if len(t.Domains) > 0 {
		return t.Domains[0]
	}
	return t.ID
}

// serveDiscovery answers /{tenant}/v2.0/.well-known/openid-configuration.
func (s *Server) serveDiscovery(w http.ResponseWriter, r *http.Request, seg string) {
	a, ok := s.resolve(seg)
	if !ok {
		e := errTenantNotFound(seg)
		e.Err = "invalid_tenant"
		s.writeJSONError(w, r, e)
		return
	}
	base := baseURL(r)
	// Tenant-specific documents name the tenant by GUID, as Microsoft
	// does for a domain; common/organizations/consumers keep the segment.
	pathSeg := a.Segment
	issuerTID := "{tenantid}"
	region := any(nil)
	switch a.Kind {
	case "tenant":
		pathSeg = a.Tenant.ID
		issuerTID = a.Tenant.ID
		region = "WW"
	case "consumers":
		issuerTID = ConsumersTenantID
	}
	doc := map[string]any{
		"token_endpoint":                        base + "/" + pathSeg + "/oauth2/v2.0/token",
		"token_endpoint_auth_methods_supported": []string{"client_secret_post", "private_key_jwt", "client_secret_basic"},
		"jwks_uri":                              base + "/" + pathSeg + "/discovery/v2.0/keys",
		"response_modes_supported":              []string{"query", "fragment", "form_post"},
		"subject_types_supported":               []string{"pairwise"},
		"id_token_signing_alg_values_supported": []string{"RS256"},
		"response_types_supported":              []string{"code", "id_token", "code id_token", "id_token token"},
		"scopes_supported":                      []string{"openid", "profile", "email", "offline_access"},
		"issuer":                                base + "/" + issuerTID + "/v2.0",
		"request_uri_parameter_supported":       false,
		"userinfo_endpoint":                     base + "/oidc/userinfo",
		"authorization_endpoint":                base + "/" + pathSeg + "/oauth2/v2.0/authorize",
		"device_authorization_endpoint":         base + "/" + pathSeg + "/oauth2/v2.0/devicecode",
		"http_logout_supported":                 true,
		"frontchannel_logout_supported":         true,
		"end_session_endpoint":                  base + "/" + pathSeg + "/oauth2/v2.0/logout",
		"claims_supported":                      []string{"sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"},
		"kerberos_endpoint":                     base + "/" + pathSeg + "/kerberos",
		"tenant_region_scope":                   region,
		"cloud_instance_name":                   "microsoftonline.com",
		"cloud_graph_host_name":                 "graph.windows.net",
		"msgraph_host":                          "graph.microsoft.com",
		"rbac_url":                              "https://pas.windows.net",
	}
	h := w.Header()
	h.Set("Cache-Control", "max-age=86400, private")
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Methods", "GET, OPTIONS")
	writeJSON(w, http.StatusOK, doc)
}

// serveKeys answers /{tenant}/discovery/v2.0/keys with the signing key.
func (s *Server) serveKeys(w http.ResponseWriter, r *http.Request) {
	pub := &s.key.PublicKey
	jwk := map[string]any{
		"kty": "RSA",
		"use": "sig",
		"kid": s.kid,
		"x5t": s.kid,
		"n":   base64.RawURLEncoding.EncodeToString(pub.N.Bytes()),
		"e":   base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
	}
	w.Header().Set("Cache-Control", "max-age=86400, private")
	w.Header().Set("Access-Control-Allow-Origin", "*")
	writeJSON(w, http.StatusOK, map[string]any{"keys": []any{jwk}})
}

// keyID derives a stable kid (Microsoft uses the certificate's SHA-1
// thumbprint in base64url, 27 characters).
func keyID(pub *rsa.PublicKey) string {
	sum := sha1.Sum(pub.N.Bytes())
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// signJWT returns a compact RS256 JWT of claims.
func (s *Server) signJWT(claims map[string]any) string {
	header := map[string]any{"typ": "JWT", "alg": "RS256", "kid": s.kid}
	hb, _ := json.Marshal(header)
	cb, _ := json.Marshal(claims)
	signing := base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(cb)
	sum := sha256.Sum256([]byte(signing))
	sig, err := rsa.SignPKCS1v15(nil, s.key, crypto.SHA256, sum[:])
	if err != nil {
		panic("sim: sign id_token: " + err.Error())
	}
	return signing + "." + base64.RawURLEncoding.EncodeToString(sig)
}

// PublicKey returns the key that signs id_tokens (also served as JWKS).
func (s *Server) PublicKey() *rsa.PublicKey { return &s.key.PublicKey }
