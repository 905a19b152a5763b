package cases

import (
	"strings"
	"testing"
)

// The heavy cases are those that send large, many or compressed messages:
// sections 9 (large messages), 12 and 13 (permessage-deflate), and no other.
func TestHeavy(t *testing.T) {
	n := 0
	for _, c := range All() {
		id := c.ID
		section := strings.Split(id, ".")[0]
		want := section == "9" || section == "12" || section == "13"
		if c.Heavy() != want {
			t.Errorf("case %s: Heavy() = %v, want %v", id, c.Heavy(), want)
		}
		if want {
			n++
		}
	}
	if n == 0 {
		t.Fatal("no heavy case in the catalog")
	}
}
