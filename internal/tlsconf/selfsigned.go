// Package tlsconf makes the TLS configurations of the fuzzer: throwaway
// certificates for test servers on this machine (self-signed for
// localhost, 127.0.0.1 and ::1, each its own CA) and configurations from
// PEM files, with errors naming the file.
package tlsconf

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"time"
)

// Cert is a self-signed certificate with its key.
type Cert struct {
	// Certificate is for a TLS server's configuration.
	Certificate tls.Certificate
	// CertPEM and KeyPEM are the certificate (also the CA to trust) and its
	// private key, PEM encoded.
	CertPEM, KeyPEM []byte
	pool            *x509.CertPool
}

// New makes a certificate valid for a day for localhost, 127.0.0.1 and ::1.
func New() (*Cert, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("tlsconf: key: %w", err)
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		return nil, fmt.Errorf("tlsconf: serial: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{Organization: []string{"wsfuzz autobahn test CA"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, fmt.Errorf("tlsconf: certificate: %w", err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, fmt.Errorf("tlsconf: key: %w", err)
	}
	c := &Cert{
		CertPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}),
		KeyPEM:  pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}),
	}
	if c.Certificate, err = tls.X509KeyPair(c.CertPEM, c.KeyPEM); err != nil {
		return nil, fmt.Errorf("tlsconf: key pair: %w", err)
	}
	c.pool = x509.NewCertPool()
	c.pool.AppendCertsFromPEM(c.CertPEM)
	return c, nil
}

// ServerConfig is a TLS server configuration presenting the certificate.
func (c *Cert) ServerConfig() *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{c.Certificate}}
}

// ClientConfig is a TLS client configuration trusting only the certificate.
func (c *Cert) ClientConfig() *tls.Config { return &tls.Config{RootCAs: c.pool} }

// WriteCA writes the certificate, the CA a client must trust, to path.
func (c *Cert) WriteCA(path string) error {
	if err := os.WriteFile(path, c.CertPEM, 0o644); err != nil {
		return fmt.Errorf("tlsconf: write the CA: %w", err)
	}
	return nil
}
