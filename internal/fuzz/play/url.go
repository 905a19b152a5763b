package play

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// ServerURL plays s (finished: see script.Script.Finished) against the
// WebSocket server at a ws:// URL over TCP, the fuzzer as the client. An
// error means the run could not start: the URL is bad, the dial failed or
// the server refused the opening handshake. A server in another process
// cannot be watched for panics or for returning, so those rules stay
// unchecked.
func ServerURL(ctx context.Context, rawURL string, s script.Script, bound time.Duration) (Result, error) {
	res := Result{Log: &WireLog{}}
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "ws" || u.Host == "" {
		return res, fmt.Errorf("play: server URL %q: want ws://host:port/path", rawURL)
	}
	var d net.Dialer
	dctx, cancel := context.WithTimeout(ctx, 10*bound)
	defer cancel()
	conn, err := d.DialContext(dctx, "tcp", u.Host)
	if err != nil {
		return res, fmt.Errorf("play: dial %s: %w", u.Host, err)
	}
	path := u.RequestURI()
	req := "GET " + path + " HTTP/1.1\r\nHost: " + u.Host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
		"Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n"
	conn.SetDeadline(time.Now().Add(10 * bound))
	if _, err := conn.Write([]byte(req)); err != nil {
		conn.Close()
		return res, fmt.Errorf("play: send the opening handshake to %s: %w", u.Host, err)
	}
	br := newReader(conn)
	if err := readUpgrade(br); err != nil {
		conn.Close()
		return res, fmt.Errorf("play: %s: %w", u.Host, err)
	}
	conn.SetDeadline(time.Time{})
	res.Obs, _ = exchange(conn, br, s, true, bound, nil, res.Log)
	return res, nil
}
