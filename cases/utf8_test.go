package cases

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wsfuzz/autobahn/internal/utf8stream"
)

// TestUTF8Validity checks, for every generated 6.x case, that the validator
// sorts its payload as the reference list does (V valid, I invalid) and that
// the case expects what that implies: the echo and the fuzzer's clean close,
// or no echo and the peer failing with 1007.
func TestUTF8Validity(t *testing.T) {
	want := map[int]string{
		5: "VVVVV", 6: "IVIIVIVIVIV", 7: "VVVV", 8: "II", 9: "VVVV", 10: "III", 11: "VVVVI",
		12: strings.Repeat("I", 8), 13: "IIIII", 14: strings.Repeat("I", 10), 15: "I", 16: "III",
		17: "IIIII", 18: "IIIII", 19: "IIIII", 20: strings.Repeat("I", 7), 21: strings.Repeat("I", 8),
		22: strings.Repeat("V", 34), 23: strings.Repeat("V", 7),
	}
	for sub := 5; sub <= 23; sub++ {
		var got strings.Builder
		for j := 1; ; j++ {
			c, ok := ByID(fmt.Sprintf("6.%d.%d", sub, j))
			if !ok {
				break
			}
			p, err := c.Steps[0].MessagePayload()
			if err != nil {
				t.Fatal(err)
			}
			valid := utf8stream.Valid(p)
			if valid {
				got.WriteByte('V')
			} else {
				got.WriteByte('I')
			}
			echo := len(c.Expected) == 1 && len(c.Expected[0].Events) == 1 && string(c.Expected[0].Events[0].Payload) == string(p)
			if echo != valid || c.Close.ClosedByMe != valid || c.Close.WrongEndpointIsFatal == valid {
				t.Errorf("%s: payload valid %v, but expects %+v and %+v", c.ID, valid, c.Expected, c.Close)
			}
		}
		if got.String() != want[sub] {
			t.Errorf("6.%d: validity %s, want %s", sub, got.String(), want[sub])
		}
	}
}

// TestUTF8FailFastParts checks that 6.4.x send the same message in three
// parts, the first valid so far and the second the one that makes it
// invalid, and that the streamed frames announce the whole length.
func TestUTF8FailFastParts(t *testing.T) {
	for i := 1; i <= 4; i++ {
		c, _ := ByID(fmt.Sprintf("6.4.%d", i))
		var parts [][]byte
		announced := -1
		for _, s := range c.Steps {
			switch s.Action {
			case SendFrame, FrameData:
				parts = append(parts, s.Payload)
			case BeginFrame:
				announced = s.Length
			}
		}
		if len(parts) != 3 {
			t.Fatalf("%s: %d parts, want 3", c.ID, len(parts))
		}
		if whole := string(parts[0]) + string(parts[1]) + string(parts[2]); whole != outOfRangeEdited {
			t.Errorf("%s: sends %x, want %x", c.ID, whole, outOfRangeEdited)
		}
		if streamed := i > 2; streamed != (announced == len(outOfRangeEdited)) {
			t.Errorf("%s: streamed %v, announced length %d", c.ID, streamed, announced)
		}
		var v utf8stream.Validator
		if !v.Write(parts[0]) || v.Write(parts[1]) {
			t.Errorf("%s: the payload must turn invalid in the second part", c.ID)
		}
	}
}
