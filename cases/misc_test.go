package cases

import "testing"

// TestAutoFragmentCase checks that 10.1.1 fragments its message
// automatically (not with a fragment size of its own), before sending it.
func TestAutoFragmentCase(t *testing.T) {
	c, ok := ByID("10.1.1")
	if !ok {
		t.Fatal("10.1.1 is not registered")
	}
	if len(c.Steps) != 3 || c.Steps[0].Action != AutoFragment || c.Steps[0].Length != 1300 ||
		c.Steps[1].Action != SendMessage || c.Steps[1].FragSize != 0 || len(c.Steps[1].Payload) != 65536 {
		t.Errorf("10.1.1 steps %+v", c.Steps)
	}
	if c.Judge != FrameCount {
		t.Errorf("10.1.1 rule %d, want FrameCount", c.Judge)
	}
}
