package deflate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/corpus"
	"github.com/wsfuzz/autobahn/internal/deflatetest"
)

// messages cuts data into n messages of the given size, walking around it.
func messages(data []byte, size, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		from := (i * size) % (len(data) - size)
		out[i] = data[from : from+size]
	}
	return out
}

// pair is a server and a client codec with the same settings.
func pair(t *testing.T, s Settings) (server, client *Codec) {
	t.Helper()
	server, err := NewCodec(true, s)
	if err != nil {
		t.Fatal(err)
	}
	client, err = NewCodec(false, s)
	if err != nil {
		t.Fatal(err)
	}
	return server, client
}

func decompress(c *Codec, p []byte, pieces int) ([]byte, error) {
	c.StartDecompressMessage()
	for i := 0; i < pieces; i++ {
		part := p[i*len(p)/pieces : (i+1)*len(p)/pieces]
		if out, err := c.DecompressMessageData(part); err != nil || len(out) != 0 {
			return nil, fmt.Errorf("piece %d: %d octets early, %v", i, len(out), err)
		}
	}
	return c.EndDecompressMessage()
}

// TestRoundTripAndWindow sends messages of every data set from server to
// client and back for windows 2^8 to 2^15, with and without context
// takeover. Each compressed stream is also decoded token by token: it must
// never refer further back than its window, and without context takeover
// never into an earlier message.
func TestRoundTripAndWindow(t *testing.T) {
	for _, bits := range []int{8, 9, 12, 15} {
		for _, noCtx := range []bool{false, true} {
			for _, c := range corpus.All() {
				name := fmt.Sprintf("bits=%d/noctx=%v/%s", bits, noCtx, c.Key)
				t.Run(name, func(t *testing.T) {
					server, client := pair(t, Settings{ServerNoContextTakeover: noCtx, ClientNoContextTakeover: noCtx,
						ServerMaxWindowBits: bits, ClientMaxWindowBits: bits})
					var inspect [2]deflatetest.Inspector
					var wire, plain int
					for i, msg := range messages(c.Data(), 3000, 60) {
						from, to := server, client
						if i%2 == 1 {
							from, to = client, server
						}
						p, err := from.CompressMessage(msg)
						if err != nil {
							t.Fatal(err)
						}
						got, err := decompress(to, p, 1+i%4)
						if err != nil {
							t.Fatalf("message %d: %v", i, err)
						}
						if !bytes.Equal(got, msg) {
							t.Fatalf("message %d came back different", i)
						}
						in := &inspect[i%2]
						if noCtx {
							in.Reset()
						}
						if got, err := in.Message(p); err != nil || !bytes.Equal(got, msg) {
							t.Fatalf("message %d: token decoder: %v", i, err)
						}
						wire += len(p)
						plain += len(msg)
					}
					for i, in := range inspect {
						if in.MaxDistance > 1<<bits {
							t.Errorf("direction %d refers %d octets back, window is %d", i, in.MaxDistance, 1<<bits)
						}
					}
					t.Logf("ratio %.3f, longest references %d and %d", float64(wire)/float64(plain), inspect[0].MaxDistance, inspect[1].MaxDistance)
				})
			}
		}
	}
}

// TestWindow9CompressorStaysWithin512 is the guarantee a peer with a 2^9
// window relies on: across a long run of messages with context takeover, in
// text that repeats itself far and near, no reference of our compressor
// reaches more than 512 octets back.
func TestWindow9CompressorStaysWithin512(t *testing.T) {
	c, err := NewCodec(false, Settings{ClientMaxWindowBits: 9})
	if err != nil {
		t.Fatal(err)
	}
	var in deflatetest.Inspector
	data := append(append([]byte(nil), corpus.JSON.Data()...), corpus.HTML.Data()...)
	for _, size := range []int{16, 64, 256, 1024, 4096, 65536} {
		for i, msg := range messages(data, size, 40) {
			p, err := c.CompressMessage(msg)
			if err != nil {
				t.Fatal(err)
			}
			if got, err := in.Message(p); err != nil || !bytes.Equal(got, msg) {
				t.Fatalf("size %d message %d: %v", size, i, err)
			}
		}
	}
	if in.MaxDistance > 512 {
		t.Fatalf("a reference reaches %d octets back", in.MaxDistance)
	}
	if in.MaxDistance < 256 {
		t.Errorf("longest reference %d: the window is hardly used", in.MaxDistance)
	}
}

// TestDecompressorEnforcesWindowAcrossMessages: with context takeover, only
// the window of the previous messages is kept, so a peer referring further
// back across messages is caught (as zlib catches it); without takeover no
// reference may reach into an earlier message at all.
func TestDecompressorEnforcesWindowAcrossMessages(t *testing.T) {
	first := []byte(strings.Repeat("0123456789", 100)) // 1000 octets
	m1, err := deflatetest.Message(deflatetest.Literals(first))
	if err != nil {
		t.Fatal(err)
	}
	reach := func(d int) []byte {
		p, err := deflatetest.Message([]deflatetest.Token{{Length: 10, Distance: d}})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		noCtx bool
		dist  int
		ok    bool
	}{{false, 500, true}, {false, 512, true}, {false, 520, false}, {true, 10, false}} {
		c, err := NewCodec(false, Settings{ServerMaxWindowBits: 9, ServerNoContextTakeover: tc.noCtx})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := decompress(c, m1, 1); err != nil || !bytes.Equal(got, first) {
			t.Fatalf("first message: %v", err)
		}
		got, err := decompress(c, reach(tc.dist), 2)
		if tc.ok {
			if err != nil || string(got) != string(first[1000-tc.dist:1010-tc.dist]) {
				t.Errorf("noctx=%v distance %d: %q, %v", tc.noCtx, tc.dist, got, err)
			}
		} else if err == nil {
			t.Errorf("noctx=%v distance %d beyond the window was accepted", tc.noCtx, tc.dist)
		}
	}
}

func TestDecompressorRefusesCorruptAndHuge(t *testing.T) {
	c, err := NewCodec(true, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := decompress(c, []byte{0xff, 0xff, 0xff, 0x00}, 1); err == nil {
		t.Error("garbage decompressed")
	}
	sender, _ := NewCodec(false, Settings{})
	p, err := sender.CompressMessage(make([]byte, 1<<20))
	if err != nil {
		t.Fatal(err)
	}
	c, _ = NewCodec(true, Settings{})
	c.Limit = 1 << 19
	if _, err := decompress(c, p, 1); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("a message beyond the limit: %v", err)
	}
	c.Limit = 1 << 20
	if got, err := decompress(c, p, 3); err != nil || len(got) != 1<<20 {
		t.Errorf("a message at the limit: %d octets, %v", len(got), err)
	}
}

func TestNewCodecRefusesBadWindows(t *testing.T) {
	for _, s := range []Settings{{ServerMaxWindowBits: 7}, {ClientMaxWindowBits: 16}} {
		if _, err := NewCodec(true, s); err == nil {
			t.Errorf("%+v accepted", s)
		}
	}
}

func TestEmptyMessage(t *testing.T) {
	server, client := pair(t, Settings{})
	for i := 0; i < 3; i++ {
		p, err := server.CompressMessage(nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decompress(client, p, 1)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("empty message %d: %q %v", i, got, err)
		}
	}
}

// TestCompressedOctetsUnchanged pins what the compressor sends: the SHA-256
// of the compressed messages of every data set, cut as the compression
// cases cut them, for each window and takeover rule the cases negotiate.
// The digests were taken before the compressor reused its buffers; a
// change of level, window handling or flushing changes the frames on the
// wire (and the reported compression ratios) and fails here.
func TestCompressedOctetsUnchanged(t *testing.T) {
	want := map[string]string{
		"bits=9/noctx=false":  "abbb0a8706a407eba76edb8c1498b1f3870fc671df594bca664849168c60f00b",
		"bits=9/noctx=true":   "a8403207ff28e4b526f707e7e4e61a0eed1e13ad991240c48135d21f354969f6",
		"bits=15/noctx=false": "2f20e99c49a40860dd85aa572a92b3a6327be20d6272671ef8bb2c8f0a333cf3",
		"bits=15/noctx=true":  "fbc0e680e216517971cc7ebca375d9316437652abf90e297a5f0cb0a91487846",
	}
	for _, bits := range []int{9, 15} {
		for _, noCtx := range []bool{false, true} {
			name := fmt.Sprintf("bits=%d/noctx=%v", bits, noCtx)
			c, err := NewCodec(false, Settings{ClientMaxWindowBits: bits, ClientNoContextTakeover: noCtx})
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.New()
			for _, data := range corpus.All() {
				for _, size := range []int{16, 1024, 65536, 131072} {
					for _, msg := range messages(data.Data(), size, 12) {
						p, err := c.CompressMessage(msg)
						if err != nil {
							t.Fatal(err)
						}
						fmt.Fprintf(h, "%d:", len(p))
						h.Write(p)
					}
				}
			}
			if got := hex.EncodeToString(h.Sum(nil)); got != want[name] {
				t.Errorf("%s: compressed octets have SHA-256 %s, want %s", name, got, want[name])
			}
		}
	}
}
