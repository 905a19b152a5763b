package report

import (
	"encoding/json"
	"testing"

	"github.com/wsfuzz/autobahn/internal/wirelog"
)

// wireEntries are the engine's entries as the report's.
func wireEntries(es []wirelog.Entry) []WireEntry {
	out := make([]WireEntry, len(es))
	for i, e := range es {
		out[i] = WireEntry(e)
	}
	return out
}

// The wire log is written and read in the array form of Autobahn reports.
func TestWireEntryJSON(t *testing.T) {
	mask := [4]byte{0x23, 0x5d, 0xc0, 0x2c}
	one := 1
	tag := "A"
	entries := []wirelog.Entry{
		wirelog.RxOctetsEntry([]byte{0x81, 0x00}),
		wirelog.TxOctetsEntry([]byte{0x81}, true),
		wirelog.RxFrameEntry(1, true, 0, &mask, []byte("Hello, world!")),
		wirelog.TxFrameEntry(1, true, 4, &mask, []byte("Hello, world!"), nil, &one, false),
		wirelog.TimerEntry(wirelog.Kill, 1), wirelog.TimerEntry(wirelog.KillFired, 0), wirelog.TimerEntry(wirelog.CloseTimer, 0.5), wirelog.TimerEntry(wirelog.CloseFired, 0),
		wirelog.ContinueEntry(wirelog.Continue, 1, &tag), wirelog.ContinueEntry(wirelog.ContinueFired, 0, nil), wirelog.ModeEntry(false),
	}
	b, err := json.Marshal(wireEntries(entries))
	if err != nil {
		t.Fatal(err)
	}
	want := `[["RO",[2,"8100"]],["TO",[1,"81"],true],["RF",[13,"Hello, world!"],1,true,0,true,"235dc02c"],` +
		`["TF",[13,"Hello, world!"],1,true,4,"235dc02c",null,1,false],["KL",1],["KLE"],["TI",0.5],["TIE"],` +
		`["CT",1,"A"],["CTE",null],["WLM",false]]`
	if string(b) != want {
		t.Fatalf("JSON =\n%s\nwant\n%s", b, want)
	}
	var back []WireEntry
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	b2, _ := json.Marshal(back)
	if string(b2) != want {
		t.Fatalf("round trip =\n%s", b2)
	}
}

func TestWireEntryRejectsGarbage(t *testing.T) {
	for _, s := range []string{`{}`, `[]`, `["XX"]`, `["RO",[1]]`, `["KL"]`, `["TO",[1,"81"],"yes"]`} {
		var e WireEntry
		if err := json.Unmarshal([]byte(s), &e); err == nil {
			t.Errorf("%s: want an error", s)
		}
	}
}
