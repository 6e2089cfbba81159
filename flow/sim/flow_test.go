package sim

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/url"
	"strings"
	"testing"
)

// TestHappyFlow walks discovery → client credentials → authorize →
// Consent → token → /me → refresh → mailFolders → calendars.
func TestHappyFlow(t *testing.T) {
	e := newEnv(t, nil)

	st, disc := e.get("/common/v2.0/.well-known/openid-configuration", "")
	if st != 200 {
		t.Fatalf("discovery status = %d", st)
	}
	if got, want := disc["issuer"], e.srv.URL+"/{tenantid}/v2.0"; got != want {
		t.Errorf("issuer = %v, want %v", got, want)
	}
	if got, want := disc["token_endpoint"], e.srv.URL+"/common/oauth2/v2.0/token"; got != want {
		t.Errorf("token_endpoint = %v, want %v", got, want)
	}

	st, cc := e.post(ContosoTenantID, url.Values{
		"client_id": {DemoClientID}, "client_secret": {DemoSecretValue},
		"grant_type": {"client_credentials"}, "scope": {"https://graph.microsoft.com/.default"},
	})
	if st != 200 || cc["access_token"] == nil || cc["refresh_token"] != nil || cc["token_type"] != "Bearer" {
		t.Fatalf("client_credentials = %d %v", st, cc)
	}

	q, err := e.consent(e.authURL("common"), "alex@contoso.com", true)
	if err != nil {
		t.Fatalf("Consent: %v", err)
	}
	if q.Get("state") != "st-123" || q.Get("code") == "" || q.Get("session_state") == "" {
		t.Fatalf("redirect query = %v", q)
	}

	st, tok := e.post("common", codeForm(q.Get("code")))
	if st != 200 {
		t.Fatalf("token status = %d: %v", st, tok)
	}
	if got, want := tok["scope"], "Calendars.ReadWrite Mail.ReadWrite Mail.Send User.Read openid profile email"; got != want {
		t.Errorf("scope = %v, want %v", got, want)
	}
	for _, k := range []string{"access_token", "refresh_token", "id_token"} {
		if s, _ := tok[k].(string); s == "" {
			t.Errorf("token response lacks %s", k)
		}
	}
	if ei, _ := tok["expires_in"].(float64); ei < 3599 || ei > 5399 || tok["ext_expires_in"] != tok["expires_in"] {
		t.Errorf("expires_in = %v, ext_expires_in = %v", tok["expires_in"], tok["ext_expires_in"])
	}
	claims := verifyJWT(t, e, tok["id_token"].(string))
	wantClaims := map[string]any{
		"aud": DemoClientID, "iss": e.srv.URL + "/" + ContosoTenantID + "/v2.0", "tid": ContosoTenantID,
		"nonce": "nonce-456", "preferred_username": "alex@contoso.com", "name": "Alex Wilber",
		"oid": "0d6f1c2b-3a4e-4f5a-8b6c-7d8e9f0a1b2c", "email": "alex@contoso.com", "ver": "2.0",
	}
	for k, want := range wantClaims {
		if claims[k] != want {
			t.Errorf("id_token %s = %v, want %v", k, claims[k], want)
		}
	}
	if claims["iat"].(float64) != float64(testNow.Unix()) || claims["exp"].(float64) <= claims["iat"].(float64) {
		t.Errorf("iat/exp = %v/%v", claims["iat"], claims["exp"])
	}

	st, me := e.get("/v1.0/me", tok["access_token"].(string))
	if st != 200 || me["mail"] != "alex@contoso.com" || me["userPrincipalName"] != "alex@contoso.com" {
		t.Fatalf("/me = %d %v", st, me)
	}

	st, ref := e.post("common", url.Values{
		"client_id": {DemoClientID}, "client_secret": {DemoSecretValue},
		"grant_type": {"refresh_token"}, "refresh_token": {tok["refresh_token"].(string)},
	})
	if st != 200 || ref["access_token"] == nil || ref["refresh_token"] == nil || ref["refresh_token"] == tok["refresh_token"] {
		t.Fatalf("refresh = %d %v", st, ref)
	}

	st, mf := e.get("/v1.0/me/mailFolders?$top=1", ref["access_token"].(string))
	if st != 200 {
		t.Fatalf("mailFolders = %d %v", st, mf)
	}
	if v, _ := mf["value"].([]any); len(v) != 1 || mf["@odata.nextLink"] == nil {
		t.Errorf("mailFolders $top=1 = %v", mf)
	}
	st, cal := e.get("/v1.0/me/calendars?$top=1", ref["access_token"].(string))
	if v, _ := cal["value"].([]any); st != 200 || len(v) != 1 {
		t.Errorf("calendars = %d %v", st, cal)
	}
}

// verifyJWT checks the RS256 signature against the served JWKS and
// returns the claims.
func verifyJWT(t *testing.T, e *testEnv, tok string) map[string]any {
	t.Helper()
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("id_token has %d parts", len(parts))
	}
	var hdr map[string]any
	hb, _ := base64.RawURLEncoding.DecodeString(parts[0])
	_ = json.Unmarshal(hb, &hdr)
	st, jwks := e.get("/common/discovery/v2.0/keys", "")
	if st != 200 {
		t.Fatalf("keys status %d", st)
	}
	key := jwks["keys"].([]any)[0].(map[string]any)
	if hdr["alg"] != "RS256" || hdr["kid"] != key["kid"] {
		t.Fatalf("header = %v, jwk kid %v", hdr, key["kid"])
	}
	nb, _ := base64.RawURLEncoding.DecodeString(key["n"].(string))
	eb, _ := base64.RawURLEncoding.DecodeString(key["e"].(string))
	pub := &rsa.PublicKey{N: new(big.Int).SetBytes(nb), E: int(new(big.Int).SetBytes(eb).Int64())}
	sig, _ := base64.RawURLEncoding.DecodeString(parts[2])
	sum := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], sig); err != nil {
		t.Fatalf("id_token signature: %v", err)
	}
	var claims map[string]any
	cb, _ := base64.RawURLEncoding.DecodeString(parts[1])
	if err := json.Unmarshal(cb, &claims); err != nil {
		t.Fatalf("claims: %v", err)
	}
	return claims
}
