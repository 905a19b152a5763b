package wirelog

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTextAndHexTruncation(t *testing.T) {
	if got := Text([]byte("Hello, world!")); got != "Hello, world!" {
		t.Errorf("Text = %q", got)
	}
	long := []byte(strings.Repeat("*", 65536))
	if got := Text(long); got != strings.Repeat("*", 64)+" ..." {
		t.Errorf("Text(long) = %q", got)
	}
	if got := Text([]byte{0x03, 0xe8}); got != "0x03e8" {
		t.Errorf("Text(close 1000) = %q, want 0x03e8", got)
	}
	if got := Hex(make([]byte, 61)); !strings.HasSuffix(got, " ...") || len(got) != 122+4 {
		t.Errorf("Hex(61 octets) = %q", got)
	}
	if got := Hex(make([]byte, 60)); strings.HasSuffix(got, " ...") {
		t.Errorf("Hex(60 octets) must not be cut: %q", got)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	mask := [4]byte{0x23, 0x5d, 0xc0, 0x2c}
	one := 1
	tag := "A"
	entries := []Entry{
		RxOctetsEntry([]byte{0x81, 0x00}),
		TxOctetsEntry([]byte{0x81}, true),
		RxFrameEntry(1, true, 0, &mask, []byte("Hello, world!")),
		TxFrameEntry(1, true, 4, &mask, []byte("Hello, world!"), nil, &one, false),
		TimerEntry(Kill, 1), TimerEntry(KillFired, 0), TimerEntry(CloseTimer, 0.5), TimerEntry(CloseFired, 0),
		ContinueEntry(Continue, 1, &tag), ContinueEntry(ContinueFired, 0, nil), ModeEntry(false),
	}
	b, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	want := `[["RO",[2,"8100"]],["TO",[1,"81"],true],["RF",[13,"Hello, world!"],1,true,0,true,"235dc02c"],` +
		`["TF",[13,"Hello, world!"],1,true,4,"235dc02c",null,1,false],["KL",1],["KLE"],["TI",0.5],["TIE"],` +
		`["CT",1,"A"],["CTE",null],["WLM",false]]`
	if string(b) != want {
		t.Fatalf("JSON =\n%s\nwant\n%s", b, want)
	}
	var back []Entry
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if string(b2) != want {
		t.Fatalf("round trip =\n%s", b2)
	}
}

func TestUnmarshalRejectsGarbage(t *testing.T) {
	for _, s := range []string{`{}`, `[]`, `["XX"]`, `["RO",[1]]`, `["KL"]`, `["TO",[1,"81"],"yes"]`} {
		var e Entry
		if err := json.Unmarshal([]byte(s), &e); err == nil {
			t.Errorf("%s: want an error", s)
		}
	}
}
