package sim

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"strings"
	"time"
)

// TLSIdentity is what `byok simulate --tls` serves with when no
// certificate of the user's own is given: a throw-away certificate
// authority made for this run and a server certificate it signed.
// Clients trust the run by trusting CAPEM (NODE_EXTRA_CA_CERTS,
// SSL_CERT_FILE, REQUESTS_CA_BUNDLE); the CA's private key is never kept,
// so the CA can sign nothing else.
//
// MSAL accepts only https authorities (msal-common
// ClientConfigurationErrorCodes.authorityUriInsecure), which is why the
// simulator can serve TLS at all.
type TLSIdentity struct {
	// CAPEM is the CA certificate, PEM-encoded.
	CAPEM []byte
	// Certificate is the server's certificate chain and key.
	Certificate tls.Certificate
}

// DefaultTLSHosts are the names every generated server certificate is
// valid for: the loopback addresses and localhost.
var DefaultTLSHosts = []string{"127.0.0.1", "::1", "localhost"}

// NewTLSIdentity makes a CA and a server certificate for hosts (IP
// addresses or DNS names) plus DefaultTLSHosts, valid from an hour before
// now for 30 days. random supplies the keys' and serial numbers' entropy.
func NewTLSIdentity(now time.Time, random io.Reader, hosts ...string) (*TLSIdentity, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), random)
	if err != nil {
		return nil, fmt.Errorf("generate CA key: %w", err)
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), random)
	if err != nil {
		return nil, fmt.Errorf("generate server key: %w", err)
	}
	notBefore, notAfter := now.Add(-time.Hour), now.Add(30*24*time.Hour)
	caSerial, err := serial(random)
	if err != nil {
		return nil, err
	}
	ca := &x509.Certificate{
		SerialNumber:          caSerial,
		Subject:               pkix.Name{CommonName: "byok simulate CA (throw-away, this run only)", Organization: []string{"byok simulator"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	caDER, err := x509.CreateCertificate(random, ca, ca, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("sign CA certificate: %w", err)
	}
	ca, err = x509.ParseCertificate(caDER)
	if err != nil {
		return nil, fmt.Errorf("parse CA certificate: %w", err)
	}
	leafSerial, err := serial(random)
	if err != nil {
		return nil, err
	}
	leaf := &x509.Certificate{
		SerialNumber: leafSerial,
		Subject:      pkix.Name{CommonName: "byok simulate", Organization: []string{"byok simulator"}},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	seen := map[string]bool{}
	for _, h := range append(append([]string{}, DefaultTLSHosts...), hosts...) {
		h = strings.Trim(strings.TrimSpace(h), "[]")
		if h == "" || seen[strings.ToLower(h)] {
			continue
		}
		seen[strings.ToLower(h)] = true
		if ip := net.ParseIP(h); ip != nil {
			if !ip.IsUnspecified() { // 0.0.0.0 and :: name no host
				leaf.IPAddresses = append(leaf.IPAddresses, ip)
			}
		} else {
			leaf.DNSNames = append(leaf.DNSNames, h)
		}
	}
	leafDER, err := x509.CreateCertificate(random, leaf, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, fmt.Errorf("sign server certificate: %w", err)
	}
	return &TLSIdentity{
		CAPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: caDER}),
		Certificate: tls.Certificate{
			Certificate: [][]byte{leafDER, caDER},
			PrivateKey:  leafKey,
		},
	}, nil
}

// serial is a random positive 128-bit certificate serial number.
func serial(random io.Reader) (*big.Int, error) {
	b := make([]byte, 16)
	if _, err := io.ReadFull(random, b); err != nil {
		return nil, fmt.Errorf("read random serial: %w", err)
	}
	b[0] &= 0x7f
	b[0] |= 0x01
	return new(big.Int).SetBytes(b), nil
}
