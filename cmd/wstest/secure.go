package main

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/wsfuzz/autobahn/internal/engine"
	"github.com/wsfuzz/autobahn/internal/spec"
	"github.com/wsfuzz/autobahn/internal/tlsconf"
	"github.com/wsfuzz/autobahn/internal/wirelog"
	"github.com/wsfuzz/autobahn/report"
)

// tlsFlags are the command line's TLS settings.
type tlsFlags struct {
	key, cert    string // fuzzingserver: as the spec's "key" and "cert"
	selfSignedCA string // fuzzingserver: make a certificate, write its CA here
	caFile       string // fuzzingclient: the CA to trust instead of the system's
	insecure     bool   // fuzzingclient: verify no certificate
}

func (t *tlsFlags) register(fs *flag.FlagSet) {
	for _, name := range []string{"k", "key"} {
		fs.StringVar(&t.key, name, "", "fuzzingserver: PEM private key file for a wss:// url (overrides the spec's \"key\")")
	}
	for _, name := range []string{"c", "cert"} {
		fs.StringVar(&t.cert, name, "", "fuzzingserver: PEM certificate file for a wss:// url (overrides the spec's \"cert\")")
	}
	fs.StringVar(&t.selfSignedCA, "self-signed-ca", "", "fuzzingserver: for a wss:// url without key and cert, make a self-signed certificate for localhost/127.0.0.1 and write it (the CA clients must trust) to this file")
	fs.StringVar(&t.caFile, "cafile", "", "fuzzingclient: PEM file of the CA(s) to trust for wss:// servers instead of the system roots")
	fs.BoolVar(&t.insecure, "insecure", false, "fuzzingclient: do not verify wss:// servers' certificates (self-signed test servers)")
}

// serverTLS is the fuzzing server's TLS configuration for spec s: nil for
// a ws:// url, else from key and cert or a self-signed certificate.
func serverTLS(t tlsFlags, s *spec.Spec, out io.Writer) (*tls.Config, error) {
	key, cert := s.Key, s.Cert
	if t.key != "" {
		key = t.key
	}
	if t.cert != "" {
		cert = t.cert
	}
	given := key != "" || cert != ""
	if !strings.HasPrefix(s.URL, "wss://") {
		if given || t.selfSignedCA != "" {
			return nil, fmt.Errorf("spec field \"url\" %q is not wss://, but a key, certificate or flag -self-signed-ca is given", s.URL)
		}
		return nil, nil
	}
	switch {
	case given && t.selfSignedCA != "":
		return nil, errors.New("flag -self-signed-ca and a key/certificate (\"key\"/\"cert\", flags -k/-c) exclude each other")
	case given:
		cfg, err := tlsconf.ServerFiles(cert, key)
		if err != nil {
			return nil, fmt.Errorf("spec fields \"cert\"/\"key\" (flags -c/-k): %w", err)
		}
		return cfg, nil
	case t.selfSignedCA != "":
		c, err := tlsconf.New()
		if err != nil {
			return nil, err
		}
		if err := c.WriteCA(t.selfSignedCA); err != nil {
			return nil, fmt.Errorf("flag -self-signed-ca: %w", err)
		}
		fmt.Fprintf(out, "Self-signed certificate made; clients must trust the CA in %s\n", t.selfSignedCA)
		return c.ServerConfig(), nil
	}
	return nil, fmt.Errorf("spec field \"url\" %q is wss:// but neither \"key\" and \"cert\" (flags -k/-c) nor flag -self-signed-ca is given", s.URL)
}

// clientTLS is the configuration the fuzzing client dials server srv
// with: the system roots, or the CA file, or no verification; SNI from the
// spec's "hostname", else the URL's host.
func clientTLS(t tlsFlags, srv spec.Server) (*tls.Config, error) {
	cfg := &tls.Config{}
	switch {
	case t.caFile != "" && t.insecure:
		return nil, errors.New("flags -cafile and -insecure exclude each other")
	case t.caFile != "":
		var err error
		if cfg, err = tlsconf.ClientCA(t.caFile); err != nil {
			return nil, fmt.Errorf("flag -cafile: %w", err)
		}
	case t.insecure:
		cfg.InsecureSkipVerify = true
	}
	cfg.ServerName = srv.Hostname
	return cfg, nil
}

// debugOptions switches o to debug mode: no protocol timeouts (the
// cases' own timers stay) and every frame printed to w as it goes.
func debugOptions(o *engine.Options, role string, w io.Writer) {
	o.OpenHandshakeTimeout, o.CloseHandshakeTimeout, o.ServerConnectionDropTimeout, o.HardTimeout = 0, 0, 0, 0
	var mu sync.Mutex
	o.Trace = func(e wirelog.Entry) {
		b, err := json.Marshal(report.WireEntry(e))
		if err != nil {
			b = []byte(err.Error())
		}
		mu.Lock()
		defer mu.Unlock()
		fmt.Fprintf(w, "debug: %s %s %s\n", role, e.Kind, b)
	}
}
