package tlsconf

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
)

// ServerFiles is a TLS server configuration from a PEM certificate (chain)
// file and its PEM private key file.
func ServerFiles(certFile, keyFile string) (*tls.Config, error) {
	switch {
	case certFile == "" && keyFile == "":
		return nil, fmt.Errorf("tlsconf: no certificate and key given")
	case certFile == "":
		return nil, fmt.Errorf("tlsconf: key %q given without a certificate", keyFile)
	case keyFile == "":
		return nil, fmt.Errorf("tlsconf: certificate %q given without a key", certFile)
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("tlsconf: certificate %q with key %q: %w", certFile, keyFile, err)
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}}, nil
}

// ClientCA is a TLS client configuration trusting the PEM certificates in
// caFile (and nothing else).
func ClientCA(caFile string) (*tls.Config, error) {
	b, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("tlsconf: CA file: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(b) {
		return nil, fmt.Errorf("tlsconf: CA file %q: no PEM certificate in it", caFile)
	}
	return &tls.Config{RootCAs: pool}, nil
}
