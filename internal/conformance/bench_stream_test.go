package conformance

import (
	"bufio"
	"context"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"io"
	"net"
	"net/textproto"
	"sync"
	"testing"

	"github.com/wsfuzz/autobahn/fakeclient"
	"github.com/wsfuzz/autobahn/internal/frame"
)

// BenchmarkCompressionStream runs compression cases against a raw echo
// peer that sends every frame back as it came (unmasked), so that nearly
// all the work measured is the fuzzer's own: cutting, compressing,
// framing, reading, decompressing, validating and checking every echo.
// With -benchmem, allocs/op is per case of 1000 messages.
//
//	go test ./internal/conformance -run '^$' -bench CompressionStream -benchmem
func BenchmarkCompressionStream(b *testing.B) {
	url := rawDeflateEcho(b)
	for _, id := range []string{"12.1.3", "12.4.10", "12.1.15"} {
		b.Run(id, func(b *testing.B) {
			for b.Loop() {
				r, err := fakeclient.RunCase(context.Background(), url, "raw", id, nil)
				if err != nil {
					b.Fatal(err)
				}
				if r.Behavior != "OK" || r.BehaviorClose != "OK" {
					b.Fatalf("case %s: %s/%s (%s)", id, r.Behavior, r.BehaviorClose, r.Result)
				}
			}
		})
	}
}

// rawDeflateEcho serves, until the benchmark ends, a WebSocket server that
// accepts permessage-deflate with its defaults (context takeover and 2^15
// windows both ways) and echoes every frame's octets unchanged: with the
// same settings both ways, the fuzzer's own compressed stream decompresses
// on its way back.
func rawDeflateEcho(b *testing.B) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer nc.Close()
				rawEcho(nc)
			}()
		}
	}()
	b.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	return "ws://" + ln.Addr().String() + "/"
}

// rawEcho answers the opening handshake and echoes frames until a close.
func rawEcho(nc net.Conn) {
	rd := bufio.NewReaderSize(nc, 1<<16)
	tp := textproto.NewReader(rd)
	if _, err := tp.ReadLine(); err != nil {
		return
	}
	hdr, err := tp.ReadMIMEHeader()
	if err != nil {
		return
	}
	sum := sha1.Sum([]byte(hdr.Get("Sec-WebSocket-Key") + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if _, err := io.WriteString(nc, "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Accept: "+base64.StdEncoding.EncodeToString(sum[:])+"\r\n"+
		"Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"); err != nil {
		return
	}
	var head [14]byte
	var key [4]byte
	var out, payload []byte
	for {
		if _, err := io.ReadFull(rd, head[:2]); err != nil {
			return
		}
		n := uint64(head[1] & 0x7f)
		switch n {
		case 126:
			if _, err := io.ReadFull(rd, head[2:4]); err != nil {
				return
			}
			n = uint64(binary.BigEndian.Uint16(head[2:4]))
		case 127:
			if _, err := io.ReadFull(rd, head[2:10]); err != nil {
				return
			}
			n = binary.BigEndian.Uint64(head[2:10])
		}
		masked := head[1]&0x80 != 0
		if masked {
			if _, err := io.ReadFull(rd, key[:]); err != nil {
				return
			}
		}
		if uint64(cap(payload)) < n {
			payload = make([]byte, n)
		}
		payload = payload[:n]
		if _, err := io.ReadFull(rd, payload); err != nil {
			return
		}
		if masked {
			frame.Mask(key, 0, payload)
		}
		h := frame.Header{Opcode: head[0] & 0x0f, Fin: head[0]&0x80 != 0, RSV: (head[0] >> 4) & 7, Length: n}
		out = append(frame.AppendHeader(out[:0], h), payload...)
		if _, err := nc.Write(out); err != nil || h.Opcode == frame.OpClose {
			return
		}
	}
}
