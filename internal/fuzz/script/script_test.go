package script

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/frame"
)

// TestDecodeTotal decodes random inputs of every length: no panic, every
// field in its range, and Encode gives an input that decodes the same.
func TestDecodeTotal(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		in := make([]byte, rng.IntN(RecordLen*(MaxActions+4)))
		for j := range in {
			in[j] = byte(rng.Uint32())
		}
		s := Decode(in)
		if want := min((len(in)+RecordLen-1)/RecordLen, MaxActions); len(s.Actions) != want {
			t.Fatalf("input %d: %d actions from %d octets, want %d", i, len(s.Actions), len(in), want)
		}
		total := 0
		for _, a := range s.Actions {
			if a.Pattern < 0 || a.Pattern >= len(Dictionary) || a.RSV > 7 || a.Opcode > 15 || a.Form > Len64 || a.Kind > HalfClose {
				t.Fatalf("input %d: action out of range: %+v", i, a)
			}
			total += len(a.Payload())
			_ = a.String()
			if a.Kind != HalfClose {
				if got, want := declaredLength(a.Encode(true)), uint64(len(a.Payload())); got != want {
					t.Fatalf("input %d: %v declares %d octets, has %d", i, a, got, want)
				}
			}
		}
		if total > MaxPayload+2*MaxActions {
			t.Fatalf("input %d: %d octets of payload, over the budget", i, total)
		}
		if again := Decode(Encode(s)); !reflect.DeepEqual(again, s) {
			t.Fatalf("input %d: Decode(Encode(s)) differs:\n%v\nwant\n%v", i, again, s)
		}
	}
}

// TestSeedsRoundTrip encodes every seed of the catalog and decodes it back.
func TestSeedsRoundTrip(t *testing.T) {
	seeds := Seeds()
	if len(seeds) < 300 {
		t.Fatalf("%d seeds, want one per case of sections 1-10 (over 300)", len(seeds))
	}
	for _, sd := range seeds {
		if len(sd.Script.Actions) == 0 {
			t.Errorf("%s: no action", sd.Name)
		}
		if got := Decode(Encode(sd.Script)); !reflect.DeepEqual(got, sd.Script) {
			t.Errorf("%s: round trip differs:\n%v\nwant\n%v", sd.Name, got, sd.Script)
		}
	}
}

// TestSeedFrames checks a few seeds against the frames their cases send.
func TestSeedFrames(t *testing.T) {
	byName := map[string]Script{}
	for _, sd := range Seeds() {
		byName[sd.Name] = sd.Script
	}
	first := func(name string) Action {
		s, ok := byName[name]
		if !ok || len(s.Actions) == 0 {
			t.Fatalf("no seed %s", name)
		}
		return s.Actions[0]
	}
	if a := first("case_1_1_2"); a.Opcode != frame.OpText || !a.Fin || a.Length != 125 || string(a.Payload()[:1]) != "*" {
		t.Errorf("1.1.2: %v, want a text frame of 125 '*'", a)
	}
	if a := first("case_3_1"); a.RSV != 1 {
		t.Errorf("3.1: %v, want RSV=1", a)
	}
	if a := first("case_5_1"); a.Opcode != frame.OpPing || a.Fin {
		t.Errorf("5.1: %v, want a ping without FIN", a)
	}
	if a := first("case_7_9_1"); a.Kind != CloseBody || a.Code != 0 {
		t.Errorf("7.9.1: %v, want a close with code 0", a)
	}
	if s := byName["case_6_2_2"]; len(s.Actions) != 3 || s.Actions[0].Fin || s.Actions[1].Opcode != frame.OpContinuation {
		t.Errorf("6.2.2: %v, want a text message in two frames", s)
	}
}

// TestDecodeStable changes one octet of an input: at most the action that
// octet belongs to changes.
func TestDecodeStable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 2000 {
		in := make([]byte, RecordLen*(1+rng.IntN(20)))
		for j := range in {
			in[j] = byte(rng.Uint32())
			if j%RecordLen == 4 {
				in[j] = 0 // payloads under the budget, so lengths do not interact
			}
		}
		before := Decode(in)
		pos := rng.IntN(len(in))
		in[pos] ^= byte(1 + rng.IntN(255))
		if pos%RecordLen == 4 {
			in[pos] = 0
		}
		after := Decode(in)
		for k := range before.Actions {
			if k != pos/RecordLen && !reflect.DeepEqual(before.Actions[k], after.Actions[k]) {
				t.Fatalf("input %d: octet %d changed action %d too:\n%v\n%v", i, pos, k+1, before.Actions[k], after.Actions[k])
			}
		}
	}
}

// TestWrites checks the octets, chopping and masking of the writes.
func TestWrites(t *testing.T) {
	s := Script{Actions: []Action{
		{Fin: true, Opcode: frame.OpText, Pattern: patternIndex["Hello, world!"], Length: 5, Chop: 2},
		{Fin: true, Opcode: frame.OpPing, Pattern: patternIndex["*"], Length: 3, Form: Len16, Join: true},
		{Kind: HalfClose},
		{Fin: true, Opcode: frame.OpText},
	}}
	ws := s.Writes(false)
	var sizes []int
	var all []byte
	for _, w := range ws {
		sizes = append(sizes, len(w.Data))
		all = append(all, w.Data...)
	}
	want := []byte("\x81\x05Hello\x89\x7e\x00\x03***")
	if !bytes.Equal(all, want) {
		t.Errorf("server writes %q, want %q", all, want)
	}
	if !reflect.DeepEqual(sizes, []int{2, 2, 2, 1 + 7, 0}) {
		t.Errorf("write sizes %v, want 2, 2, 2, 8 and the half-close", sizes)
	}
	if !ws[len(ws)-1].HalfClose {
		t.Errorf("writes %v, want the half-close last and nothing after it", ws)
	}
	if got := s.WritesLimited(false, 2); len(got) != 3 || len(got[0].Data) != 2 || len(got[1].Data) != 5+7 {
		t.Errorf("writes limited to 2 chops a frame: %v, want 2 octets, then the rest with the joined frame", got)
	}
	if !s.Actions[1].NonMinimal() || s.Actions[0].NonMinimal() {
		t.Error("NonMinimal wrong for a 16-bit length of 3 or a minimal one")
	}
	masked := s.Actions[0].Encode(true)
	if masked[1]&0x80 == 0 || len(masked) != 2+4+5 {
		t.Errorf("client frame %x: want masked, 11 octets", masked)
	}
	if got := s.Finished(); len(got.Actions) != len(s.Actions) {
		t.Error("Finished added a close after a half-close")
	}
	if got := (Script{}).Finished(); len(got.Actions) != 1 || got.Actions[0].Code != 1000 {
		t.Errorf("Finished of an empty script: %v, want a close 1000", got)
	}
	if !strings.Contains(s.String(), "half-close") {
		t.Errorf("words lack the half-close:\n%s", s)
	}
}

// FuzzDecode checks totality and the round trip under go test -fuzz too.
func FuzzDecode(f *testing.F) {
	for _, sd := range Seeds()[:20] {
		f.Add(Encode(sd.Script))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		s := Decode(in)
		if again := Decode(Encode(s)); !reflect.DeepEqual(again, s) {
			t.Fatalf("Decode(Encode(s)) differs:\n%v\nwant\n%v", again, s)
		}
		_ = s.Writes(true)
	})
}

// declaredLength reads the payload length of an encoded frame's header.
func declaredLength(f []byte) uint64 {
	switch n := f[1] & 0x7f; n {
	case 126:
		return uint64(f[2])<<8 | uint64(f[3])
	case 127:
		var v uint64
		for _, b := range f[2:10] {
			v = v<<8 | uint64(b)
		}
		return v
	default:
		return uint64(n)
	}
}
