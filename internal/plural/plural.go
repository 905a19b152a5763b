// Package plural writes counts of things in English: "1 case", "2 cases".
package plural

import "strconv"

// Count is n followed by noun, with an s appended unless n is 1.
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
