package deflatetest

import (
	"bytes"
	"compress/flate"
	"io"
	"testing"

	"github.com/wsfuzz/autobahn/internal/corpus"
)

// TestInspectorDecodesLibraryOutput checks the token decoder against the
// standard library's compressor, message after message with shared history.
func TestInspectorDecodesLibraryOutput(t *testing.T) {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	var in Inspector
	data := corpus.HTML.Data()
	for i := 0; i+5000 <= 60000; i += 5000 {
		msg := data[i : i+5000]
		buf.Reset()
		w.Write(msg)
		w.Flush()
		p := buf.Bytes()[:buf.Len()-4]
		got, err := in.Message(p)
		if err != nil {
			t.Fatalf("message at %d: %v", i, err)
		}
		if !bytes.Equal(got, msg) {
			t.Fatalf("message at %d decoded wrongly", i)
		}
	}
	if in.MaxDistance <= 5000 {
		t.Errorf("max distance %d: expected references into earlier messages", in.MaxDistance)
	}
}

// TestMessageWritesChosenReferences checks that a hand-written message
// decodes (by the standard library) to what its tokens say.
func TestMessageWritesChosenReferences(t *testing.T) {
	toks := append(Literals([]byte("abcdefgh")), Token{Length: 5, Distance: 8}, Token{Length: 258, Distance: 1})
	p, err := Message(toks)
	if err != nil {
		t.Fatal(err)
	}
	r := flate.NewReader(io.MultiReader(bytes.NewReader(p), bytes.NewReader([]byte{0, 0, 0xff, 0xff, 1, 0, 0, 0xff, 0xff})))
	got, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	want := "abcdefghabcde" + string(bytes.Repeat([]byte("e"), 258))
	if string(got) != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var in Inspector
	if _, err := in.Message(p); err != nil || in.MaxDistance != 8 {
		t.Errorf("inspector: max distance %d, err %v; want 8, nil", in.MaxDistance, err)
	}
	if _, err := Message([]Token{{Length: 2, Distance: 1}}); err == nil {
		t.Error("a copy of 2 octets was accepted")
	}
}
