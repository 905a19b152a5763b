// Command stall is a fuzzer that crashed without exiting, for the progress
// watchdog's test: it writes a banner and a Python traceback, as the real
// fuzzer does when its report writer raises, then waits, idle, until it is
// stopped.
package main

import (
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	fmt.Println("Autobahn WebSocket fuzzer stand-in that stalls; arguments:", os.Args[1:])
	fmt.Println("Traceback (most recent call last):")
	fmt.Println(`  File "/opt/port/autobahntestsuite/autobahntestsuite/fuzzing.py", line 316, in onOpen`)
	fmt.Println("TypeError: Object of type bytes is not JSON serializable")
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGTERM, syscall.SIGINT)
	<-stop
}
