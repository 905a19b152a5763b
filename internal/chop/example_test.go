package chop_test

import (
	"fmt"

	"github.com/wsfuzz/autobahn/internal/chop"
)

func ExampleSplit() {
	for _, c := range chop.Split([]byte("Hello, world!"), 5) {
		fmt.Printf("%q\n", c)
	}
	// Output:
	// "Hello"
	// ", wor"
	// "ld!"
}
