// Package libs holds, in its tests, fuzz targets for the echo peers of real
// Go WebSocket libraries (gorilla, coder, gws, gobwas; both roles), run by
// hand:
//
//	AUTOBAHN_FUZZ_LIB=gws-server go test ./internal/fuzz/libs -run '^$' -fuzz FuzzLib -fuzztime 5m -fuzzminimizetime 1s
//
// Without $AUTOBAHN_FUZZ_LIB the target skips; with it and without -fuzz
// it plays the seeds. The peers check UTF-8 where the library leaves it to
// the application, as the catalog's reference runs do not: a missing check
// is a known finding, not a new one.
//
// The gobwas client waits for the server to close TCP after the closing
// handshake (RFC 6455 7.1.1), which gobwas leaves to the application:
// closing at once with unread octets makes the kernel reset the connection,
// which can discard the close reply before the fuzzer reads it.
//
// The libraries' own findings, each breaking a MUST of RFC 6455 on a seed
// of the catalog or on an input go test -fuzz found (kept under
// testdata/fuzz/FuzzLib, where every peer replays them), are declared
// with autobahntest.KnownFinding so that fuzzing goes on past them;
// TestFindings plays the minimal script of each:
//
//   - coder/websocket v1.8.15, both roles: a close frame whose reason is not
//     UTF-8 is answered with a close echoing that reason (seed 7.5.1; RFC
//     6455 5.5.1, 8.1: rule close-body).
//   - coder/websocket v1.8.15, both roles: a fragmented message cut short
//     by the end of the connection (a text frame without FIN, then TCP FIN)
//     is delivered, and echoed, as a whole message: msgReader.Read turns
//     the io.EOF of reading the next frame's header into the message's end
//     (RFC 6455 6.2: a fragmented message has been received when its final
//     fragment is; 5.4: rule unfinished). Found by go test -fuzz from the
//     catalog's seeds within seconds; minimal script: text frame not-FIN
//     "***" (3 octets), then half-close; the server answers 81 03 2a 2a 2a.
//   - coder/websocket v1.8.15, client: a masked frame from the server is
//     accepted, its payload delivered still masked: readLoop checks the
//     mask bit only as a server, and msgReader unmasks only as a server
//     (RFC 6455 5.1: a client MUST close the connection on a masked frame;
//     7.1.7: rule no-echo-after). Found by go test -fuzz (baseline of the
//     corpus); minimal script: binary frame FIN "***" masked with key
//     37fa213d; the client answers a masked binary frame of 1d d0 0b.
//   - gobwas/ws v1.4.0 (and v1.5.0), both roles: wsutil.ControlHandler
//     answers a close with code 5000-65535 with a close of the same code
//     (seeds 7.13.1, 7.13.2; RFC 6455 5.5.1: the code is one "defined in
//     Section 7.4", whose ranges end at 4999: rule close-body).
//     ws.CheckCloseFrameData checks 0-2999 only.
//   - gobwas/ws v1.4.0 (and v1.5.0), client: a close frame with an invalid
//     body (a code not to be sent, a reason not UTF-8, one octet) is
//     answered by wsutil.ControlHandler.closeWithProtocolError, which calls
//     ws.MaskFrameInPlace and drops the frame it returns: the payload is
//     masked in place but the header says unmasked, so the client sends an
//     unmasked close whose body is garbled (seeds 7.3.2, 7.5.1, 7.9.1-7.9.9;
//     RFC 6455 5.1, 5.3: rules masking and close-body).
package libs
