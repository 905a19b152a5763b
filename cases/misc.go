package cases

// 10.x Miscellaneous: 10.1.1 sends a 64 KiB text message that the fuzzer's
// own automatic fragmentation cuts into frames of 1300 octets; the case passes
// when the echo comes back and the fuzzer sent the frames it should have.
func init() {
	const size, fragment = 65536, 1300
	payload := repeat("*", size)
	register(&Case{
		ID:          "10.1.1",
		Description: "Send a text message of 64 KiB with automatic fragmentation at 1300 octets.",
		Expectation: "The message is echoed unchanged, the fuzzer sent 50 continuation frames after the first one; then a clean close with 1000.",
		Steps:       steps(Step{Action: AutoFragment, Length: fragment}, message(false, payload, 0), killAfter(10)),
		Expected:    ok(msgText(payload)),
		Close:       fuzzerClosesClean,
		Judge:       FrameCount,
	})
}
