package verify

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// idClaims are the ID token claims byok checks.
type idClaims struct {
	Aud               audience `json:"aud"`
	Iss               string   `json:"iss"`
	Nonce             string   `json:"nonce"`
	Tid               string   `json:"tid"`
	PreferredUsername string   `json:"preferred_username"`
	Email             string   `json:"email"`
}

// audience accepts the aud claim as a string or an array of strings.
type audience []string

// UnmarshalJSON implements json.Unmarshaler.
func (a *audience) UnmarshalJSON(b []byte) error {
	var one string
	if err := json.Unmarshal(b, &one); err == nil {
		*a = audience{one}
		return nil
	}
	var many []string
	if err := json.Unmarshal(b, &many); err != nil {
		return fmt.Errorf("decode aud: %w", err)
	}
	*a = many
	return nil
}

// has reports whether the audience contains id.
func (a audience) has(id string) bool {
	for _, s := range a {
		if strings.EqualFold(s, id) {
			return true
		}
	}
	return false
}

// jwtHeader is the JOSE header of a JWS.
type jwtHeader struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// parsedJWT is a compact JWS split into its parts. The raw token is not
// kept beyond what the signature check needs.
type parsedJWT struct {
	header jwtHeader
	claims idClaims
	signed string // header.payload, the signing input
	sig    []byte
}

// parseJWT decodes a compact JWS without checking its signature. Errors
// never include the token.
func parseJWT(tok string) (parsedJWT, error) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return parsedJWT{}, errors.New("id_token is not a JWT (want three dot-separated parts)")
	}
	var p parsedJWT
	h, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil {
		return parsedJWT{}, errors.New("id_token header is not base64url")
	}
	if err := json.Unmarshal(h, &p.header); err != nil {
		return parsedJWT{}, errors.New("id_token header is not JSON")
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return parsedJWT{}, errors.New("id_token payload is not base64url")
	}
	if err := json.Unmarshal(b, &p.claims); err != nil {
		return parsedJWT{}, errors.New("id_token payload is not the expected JSON")
	}
	if p.sig, err = base64.RawURLEncoding.DecodeString(parts[2]); err != nil {
		return parsedJWT{}, errors.New("id_token signature is not base64url")
	}
	p.signed = parts[0] + "." + parts[1]
	return p, nil
}

// jwks is a JSON Web Key Set (RFC 7517), RSA keys only.
type jwks struct {
	Keys []struct {
		Kty string `json:"kty"`
		Kid string `json:"kid"`
		N   string `json:"n"`
		E   string `json:"e"`
	} `json:"keys"`
}

// key returns the RSA public key with kid.
func (s jwks) key(kid string) (*rsa.PublicKey, error) {
	for _, k := range s.Keys {
		if k.Kid != kid || k.Kty != "RSA" {
			continue
		}
		n, err := base64.RawURLEncoding.DecodeString(k.N)
		if err != nil {
			return nil, fmt.Errorf("decode key %s modulus: %w", kid, err)
		}
		e, err := base64.RawURLEncoding.DecodeString(k.E)
		if err != nil {
			return nil, fmt.Errorf("decode key %s exponent: %w", kid, err)
		}
		ei := new(big.Int).SetBytes(e)
		if !ei.IsInt64() || ei.Int64() < 3 || ei.Int64() > 1<<31 {
			return nil, fmt.Errorf("key %s has an unusable exponent", kid)
		}
		return &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(ei.Int64())}, nil
	}
	return nil, fmt.Errorf("no RSA key %q in the signing keys", kid)
}

// verifyRS256 checks p's RS256 signature against the key set.
func (p parsedJWT) verifyRS256(set jwks) error {
	if p.header.Alg != "RS256" {
		return fmt.Errorf("id_token is signed with %q, expected RS256", p.header.Alg)
	}
	pub, err := set.key(p.header.Kid)
	if err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(p.signed))
	if err := rsa.VerifyPKCS1v15(pub, crypto.SHA256, sum[:], p.sig); err != nil {
		return errors.New("id_token signature does not verify against the tenant's signing keys")
	}
	return nil
}
