package cases

import "fmt"

// 4.x Opcodes: reserved non-control (3-7) and control (11-15) opcodes.
func init() {
	const hello = "Hello, world!"
	for sub, ops := range map[int][]byte{1: {3, 4, 5, 6, 7}, 2: {11, 12, 13, 14, 15}} {
		kind := map[int]string{1: "non-control", 2: "control"}[sub]
		for i, op := range ops {
			c := &Case{
				ID:    fmt.Sprintf("4.%d.%d", sub, i+1),
				Close: peerFailsProtocol,
			}
			switch i {
			case 0:
				c.Description = fmt.Sprintf("Send a frame with the reserved %s opcode %d and no payload.", kind, op)
				c.Steps = steps(raw(op, true, 0, ""), killAfter(1))
			case 1:
				c.Description = fmt.Sprintf("Send a frame with the reserved %s opcode %d and a payload.", kind, op)
				c.Steps = steps(raw(op, true, 0, "reserved opcode payload"), killAfter(1))
			default:
				how := func(s Step) Step { return s }
				c.Description = fmt.Sprintf("Send a small text message, a frame with the reserved %s opcode %d, then a ping.", kind, op)
				payload := ""
				if i >= 3 {
					payload = hello
					c.Description = fmt.Sprintf("Send a small text message, a frame with the reserved %s opcode %d and a payload, then a ping.", kind, op)
				}
				if i == 4 {
					how = func(s Step) Step { return s.chopped(1) }
					c.Description += " All written octet by octet."
				}
				c.Steps = steps(how(text(hello)), how(raw(op, true, 0, payload)), how(ping("")), killAfter(1))
			}
			if i < 2 {
				c.Expectation = "The peer fails the connection (1002) at once."
				c.Expected = ok()
			} else {
				c.Expectation = "The message is echoed, then the peer fails the connection (1002) at the reserved opcode; the ping is not answered. Failing before the echo is NON-STRICT."
				c.Expected = okOrNonStrict([]Event{msgText(hello)}, nil)
			}
			register(c)
		}
	}
}
