package assertions_test

import (
	"fmt"

	"github.com/onsi/gomega"

	"github.com/wsfuzz/autobahn/assertions"
	"github.com/wsfuzz/autobahn/report"
)

// The matchers work with Gomega outside Ginkgo too: here a Gomega that
// prints a failure instead of failing a test.
func ExamplePass() {
	g := gomega.NewGomega(func(message string, _ ...int) { fmt.Println("failed") })
	nonStrict := &report.Result{ID: "3.2", Behavior: "NON-STRICT", BehaviorClose: "OK"}
	g.Expect(nonStrict).To(assertions.Pass())
	fmt.Println("passes under the default policy")
	g.Expect(nonStrict).To(assertions.PassUnder(assertions.Strict))
	// Output:
	// passes under the default policy
	// failed
}

// Why says which verdict keeps a result from passing, with the fuzzer's
// reason and how the connection ended.
func ExampleWhy() {
	code := 1002
	r := &report.Result{
		ID:              "6.3.1",
		Behavior:        "OK",
		BehaviorClose:   "WRONG CODE",
		ResultClose:     "The close code should have been 1007 or empty",
		RemoteCloseCode: &code,
		WasClean:        true,
		Duration:        2,
		ExpectedClose:   report.ExpectedClose{Set: true, CloseCode: []int{1007}},
		TxFrameStats:    report.Stats{2: 1, 3: 1},
		RxFrameStats:    report.Stats{2: 1},
	}
	fmt.Println(assertions.Why(r, assertions.Strict))
	// Output:
	// behaviorClose WRONG CODE: The close code should have been 1007 or empty (the fuzzer did not start the closing handshake; clean)
	// observed: the peer closed TCP after a clean closing handshake, 2 ms after the opening handshake (1 frame from the peer, 2 frames from the fuzzer); extensions none, subprotocol none
}
