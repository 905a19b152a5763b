package cases_test

import (
	"fmt"
	"log"

	"github.com/wsfuzz/autobahn/cases"
)

// Patterns select cases as Autobahn spec files do: a pattern with * is
// matched from the start of the id, any other is one case id.
func ExampleMatch() {
	ids, err := cases.Match("3.*")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ids)
	// Output: [3.1 3.2 3.3 3.4 3.5 3.6 3.7]
}

// Resolve applies spec-file "cases" and "exclude-cases" and returns the ids
// in catalog order.
func ExampleResolve() {
	ids, err := cases.Resolve([]string{"5.*"}, []string{"5.1*", "5.2"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ids)
	// Output: [5.3 5.4 5.5 5.6 5.7 5.8 5.9 5.20]
}

func ExampleByID() {
	c, ok := cases.ByID("1.1.1")
	if !ok {
		log.Fatal("no case 1.1.1")
	}
	fmt.Println(c.ID, c.Description)
	// Output: 1.1.1 Send a text message of 0 octets.
}
