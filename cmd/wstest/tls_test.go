package main

import (
	"bytes"
	"context"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/internal/tlsconf"
	"github.com/wsfuzz/autobahn/report"
)

// tlsEchoServer is gorilla's echo server behind httptest's self-signed
// TLS; it returns the wss:// URL and a file holding the CA to trust.
func tlsEchoServer(t *testing.T) (url, caFile string) {
	t.Helper()
	srv := httptest.NewUnstartedServer(http.HandlerFunc(echopeer.GorillaServer))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	caFile = filepath.Join(t.TempDir(), "ca.pem")
	pemCA := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(caFile, pemCA, 0o644); err != nil {
		t.Fatal(err)
	}
	return "wss://" + strings.TrimPrefix(srv.URL, "https://"), caFile
}

// TestFuzzingClientAgainstSelfSignedWSS runs wstest -m fuzzingclient -w
// wss://... against a self-signed server: trusted through -cafile or
// -insecure it judges the cases as over TCP (the real fuzzer's OK for
// gorilla); with the system roots it stops with the certificate error.
func TestFuzzingClientAgainstSelfSignedWSS(t *testing.T) {
	url, ca := tlsEchoServer(t)
	for _, trust := range [][]string{{"-cafile", ca}, {"-insecure"}} {
		out := t.TempDir()
		spec := writeSpec(t, `{"outdir": "`+out+`", "cases": ["1.1.1", "2.1", "9.1.1"]}`)
		var stdout bytes.Buffer
		args := append([]string{"-m", "fuzzingclient", "-s", spec, "-w", url}, trust...)
		if err := run(context.Background(), args, &stdout, io.Discard); err != nil {
			t.Fatalf("%v: %v\n%s", trust, err, stdout.String())
		}
		idx, err := report.ReadIndex(out)
		if err != nil {
			t.Fatal(err)
		}
		got := idx[fakeclientUnknown]
		if len(got) != 3 {
			t.Fatalf("%v: index %v, want 3 cases for %s", trust, idx, fakeclientUnknown)
		}
		for id, e := range got {
			if e.Behavior != "OK" || e.BehaviorClose != "OK" {
				t.Errorf("%v: case %s: %s/%s, want OK/OK as the real fuzzer gives gorilla", trust, id, e.Behavior, e.BehaviorClose)
			}
		}
	}
	out := t.TempDir()
	spec := writeSpec(t, `{"outdir": "`+out+`", "cases": ["1.1.1"]}`)
	err := run(context.Background(), []string{"-m", "fuzzingclient", "-s", spec, "-w", url}, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "TLS handshake") || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("system roots against a self-signed server: err = %v, want the TLS certificate error", err)
	}
}

const fakeclientUnknown = "UnknownServer"

// TestCommandAgainstSelfSignedWSS builds wstest and runs it as a user
// would: wstest -m fuzzingclient -w wss://... -cafile ca.pem.
func TestCommandAgainstSelfSignedWSS(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	bin := filepath.Join(t.TempDir(), "wstest")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	url, ca := tlsEchoServer(t)
	out := t.TempDir()
	spec := writeSpec(t, `{"outdir": "`+out+`", "cases": ["1.1.1", "12.1.1"]}`)
	got, err := exec.Command(bin, "-m", "fuzzingclient", "-s", spec, "-w", url, "-cafile", ca).CombinedOutput()
	if err != nil {
		t.Fatalf("wstest: %v\n%s", err, got)
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	// OK for 1.1.1 (the oracle's verdict for gorilla); UNIMPLEMENTED for 12.1.1,
	// as the case defines it for a server that declines compression (gorilla's
	// upgrader does by default).
	if e := idx[fakeclientUnknown]; e["1.1.1"].Behavior != "OK" || e["12.1.1"].Behavior != "UNIMPLEMENTED" {
		t.Errorf("index %+v\n%s", idx, got)
	}
}

// TestFuzzingServerSelfSignedWSS runs wstest -m fuzzingserver with a
// wss:// url and -self-signed-ca: a gorilla driver trusting the written CA
// runs the cases over TLS; a plain ws:// driver is refused.
func TestFuzzingServerSelfSignedWSS(t *testing.T) {
	port := freePortNumber(t)
	out, ca := t.TempDir(), filepath.Join(t.TempDir(), "ca.pem")
	spec := writeSpec(t, `{"url": "wss://127.0.0.1:`+itoa(port)+`", "outdir": "`+out+`", "cases": ["1.1.1", "5.1"]}`)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var stdout lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-m", "fuzzingserver", "-s", spec, "-self-signed-ca", ca}, &stdout, io.Discard)
	}()
	base := "wss://127.0.0.1:" + itoa(port)
	var d websocket.Dialer
	var conn *websocket.Conn
	var err error
	for i := 0; i < 100; i++ {
		if d.TLSClientConfig, err = tlsconf.ClientCA(ca); err == nil {
			if conn, _, err = d.Dial(base+"/getCaseCount", nil); err == nil {
				break
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	if _, _, err := websocket.DefaultDialer.Dial("ws://127.0.0.1:"+itoa(port)+"/getCaseCount", nil); err == nil {
		t.Error("a plain ws:// client was served by the wss:// fuzzing server")
	}
	for n := 1; n <= 2; n++ {
		c, _, err := d.Dial(base+"/runCase?case="+itoa(n)+"&agent=gorilla", nil)
		if err != nil {
			t.Fatal(err)
		}
		for {
			mt, m, err := c.ReadMessage()
			if err != nil {
				break
			}
			c.WriteMessage(mt, m)
		}
		c.Close()
	}
	c, _, err := d.Dial(base+"/updateReports?agent=gorilla&shutdownOnComplete=true", nil)
	if err != nil {
		t.Fatal(err)
	}
	c.ReadMessage()
	c.Close()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	idx, err := report.ReadIndex(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"1.1.1", "5.1"} {
		if e := idx["gorilla"][id]; e.Behavior != "OK" {
			t.Errorf("case %s over TLS: %+v, want OK as the real fuzzer gives gorilla", id, e)
		}
	}
	if !strings.Contains(stdout.String(), "listening on wss://") {
		t.Errorf("the banner does not name the wss:// URL:\n%s", stdout.String())
	}
}

// TestBadTLSInputNamesTheProblem: missing, unreadable and mismatched key
// and certificate files, and TLS flags that contradict the url, are
// refused before anything listens or connects.
func TestBadTLSInputNamesTheProblem(t *testing.T) {
	dir := t.TempDir()
	a, err := tlsconf.New()
	if err != nil {
		t.Fatal(err)
	}
	b, err := tlsconf.New()
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	certA, keyB, garbage := write("a.pem", a.CertPEM), write("b.key", b.KeyPEM), write("garbage.pem", []byte("not PEM"))
	port := itoa(freePortNumber(t))
	wss := writeSpec(t, `{"url": "wss://127.0.0.1:`+port+`", "outdir": "`+dir+`", "cases": ["1.1.1"]}`)
	ws := writeSpec(t, `{"url": "ws://127.0.0.1:`+port+`", "outdir": "`+dir+`", "cases": ["1.1.1"]}`)
	client := writeSpec(t, `{"outdir": "`+dir+`", "cases": ["1.1.1"]}`)
	withKeys := writeSpec(t, `{"url": "wss://127.0.0.1:`+port+`", "outdir": "`+dir+`", "key": "`+keyB+`", "cert": "`+certA+`"}`)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-m", "fuzzingserver", "-s", wss}, `neither "key" and "cert"`},
		{[]string{"-m", "fuzzingserver", "-s", wss, "-k", filepath.Join(dir, "none.key"), "-c", certA}, "none.key"},
		{[]string{"-m", "fuzzingserver", "-s", wss, "-k", keyB}, "without a certificate"},
		{[]string{"-m", "fuzzingserver", "-s", withKeys}, "private key does not match public key"},
		{[]string{"-m", "fuzzingserver", "-s", wss, "-k", garbage, "-c", garbage}, "garbage.pem"},
		{[]string{"-m", "fuzzingserver", "-s", ws, "-self-signed-ca", filepath.Join(dir, "ca.pem")}, "not wss://"},
		{[]string{"-m", "fuzzingserver", "-s", withKeys, "-self-signed-ca", filepath.Join(dir, "ca.pem")}, "exclude each other"},
		{[]string{"-m", "fuzzingclient", "-s", client, "-w", "wss://127.0.0.1:" + port, "-cafile", garbage}, "no PEM certificate"},
		{[]string{"-m", "fuzzingclient", "-s", client, "-w", "wss://127.0.0.1:" + port, "-cafile", certA, "-insecure"}, "exclude each other"},
	} {
		err := run(context.Background(), tc.args, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want it to contain %q", tc.args, err, tc.want)
		}
	}
}

// freePortNumber is freePort as a number.
func freePortNumber(t *testing.T) int {
	t.Helper()
	n, err := strconv.Atoi(freePort(t))
	if err != nil {
		t.Fatal(err)
	}
	return n
}
