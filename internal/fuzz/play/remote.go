package play

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/wsfuzz/autobahn/internal/frame"
	"github.com/wsfuzz/autobahn/internal/fuzz/oracle"
	"github.com/wsfuzz/autobahn/internal/fuzz/script"
)

// ClientConn plays s (finished: see script.Script.Finished) against a
// client in another process that connected on conn and sent req (read
// through br, which holds what followed it): it accepts the upgrade and
// plays the script, the fuzzer as the server. A client in another process
// cannot be watched for panics or for returning, so those rules stay
// unchecked. conn is closed on return. An error means the run could not
// start: the upgrade request was no WebSocket one, or the answer failed.
func ClientConn(conn net.Conn, br *bufio.Reader, req *http.Request, s script.Script, bound time.Duration) (Result, error) {
	res := Result{Log: &WireLog{}}
	if err := acceptUpgrade(conn, req); err != nil {
		conn.Close()
		return res, fmt.Errorf("play: %w", err)
	}
	res.Obs, _ = exchange(conn, br, s, false, bound, nil, res.Log)
	return res, nil
}

// Announce accepts the upgrade request req of a client on conn, sends text
// in a text frame unless it is "", and closes the WebSocket connection
// (code 1000), waiting up to bound for the client's close: the answer to an
// Autobahn client driver's /getCaseCount and /updateReports. conn is closed
// on return.
func Announce(conn net.Conn, br *bufio.Reader, req *http.Request, text string, bound time.Duration) error {
	defer conn.Close()
	if len(text) > 125 {
		return fmt.Errorf("play: announce %d octets, more than a frame of the short form holds", len(text))
	}
	if err := acceptUpgrade(conn, req); err != nil {
		return fmt.Errorf("play: %w", err)
	}
	var msg []byte
	if text != "" {
		msg = append([]byte{0x81, byte(len(text))}, text...)
	}
	msg = append(msg, 0x88, 2, 0x03, 0xe8)
	if _, err := conn.Write(msg); err != nil {
		return fmt.Errorf("play: announce to the client: %w", err)
	}
	// Read up to the client's close frame, the connection's end or the
	// bound, whichever comes first.
	conn.SetReadDeadline(time.Now().Add(bound))
	var got []byte
	buf := make([]byte, 512)
	for {
		n, err := br.Read(buf)
		got = append(got, buf[:n]...)
		for len(got) > 0 {
			op, n := oracle.NextFrame(got)
			if n == 0 {
				break
			}
			if op == frame.OpClose {
				return nil
			}
			got = got[n:]
		}
		if err != nil {
			return nil
		}
	}
}
