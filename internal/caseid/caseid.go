// Package caseid orders case ids and tells our own cases from Autobahn's,
// for the packages below the catalog (report) as for the catalog itself.
package caseid

import (
	"strconv"
	"strings"
)

// ExtendedPrefix starts the id of every case of our own catalog (section
// H).
const ExtendedPrefix = "H."

// IsExtended reports whether id names a case of our own catalog.
func IsExtended(id string) bool { return strings.HasPrefix(id, ExtendedPrefix) }

// Compare orders case ids as tuples of numbers ("2.10" after "2.9"); parts
// that are not numbers compare as strings.
func Compare(a, b string) int {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(pa) && i < len(pb); i++ {
		na, ea := strconv.Atoi(pa[i])
		nb, eb := strconv.Atoi(pb[i])
		if ea != nil || eb != nil {
			if c := strings.Compare(pa[i], pb[i]); c != 0 {
				return c
			}
			continue
		}
		if na != nb {
			if na < nb {
				return -1
			}
			return 1
		}
	}
	return len(pa) - len(pb)
}
