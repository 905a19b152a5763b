package corpus

import (
	"fmt"
	"strings"
)

// jsonDocument is a test results index as a pretty-printed JSON object:
// agents, each with results for a long list of case ids. It is valid JSON of
// exactly size octets (white space pads the end).
func jsonDocument(size int) []byte {
	r := newRNG(0x15014de5)
	agents := []string{"AlphaSocket/2.1", "BetaWS/0.9.4", "CedarServer/1.0", "DeltaNet/3.2.1", "EchoKit/0.4", "FernWS/5.0",
		"GlowSocket/1.7", "HarborWS/2.0.3", "IvySocket/0.12", "JuniperWS/1.1"}
	behaviors := []string{"OK", "OK", "OK", "OK", "OK", "NON-STRICT", "FAILED", "INFORMATIONAL", "UNIMPLEMENTED"}
	closes := []string{"1000", "1000", "1000", "1002", "1007", "1001", "null"}
	ids := caseIDs(r)

	var b strings.Builder
	const closing = "\n   }\n}\n"
	b.WriteString("{")
	for ai := 0; ; ai = (ai + 1) % len(agents) {
		agent := fmt.Sprintf("%s-%d", agents[ai], b.Len()%997)
		head := fmt.Sprintf("\n   \"%s\": {", agent)
		if ai > 0 || b.Len() > 1 {
			head = "\n   }," + head
		}
		if b.Len()+len(head)+len(closing) > size {
			break
		}
		b.WriteString(head)
		file := strings.NewReplacer("/", "_", ".", "_", "-", "_").Replace(strings.ToLower(agent))
		for i, id := range ids {
			entry := fmt.Sprintf("\n      \"%s\": {\n         \"behavior\": \"%s\",\n         \"behaviorClose\": \"%s\",\n"+
				"         \"duration\": %d,\n         \"remoteCloseCode\": %s,\n         \"reportfile\": \"%s_case_%s.json\"\n      }",
				id, r.pick(behaviors), r.pick(behaviors[:6]), r.intn(r.intn(3000)+1), r.pick(closes),
				file, strings.ReplaceAll(id, ".", "_"))
			if i > 0 {
				entry = "," + entry
			}
			if b.Len()+len(entry)+len(closing) > size {
				break
			}
			b.WriteString(entry)
		}
		if b.Len()+len(closing)+200 > size {
			break
		}
	}
	b.WriteString(closing[:len(closing)-2])
	for b.Len() < size-2 {
		b.WriteByte(' ')
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// caseIDs is a catalog-like list of dotted ids with varying depth.
func caseIDs(r *rng) []string {
	var ids []string
	for major := 1; major <= 13; major++ {
		for minor := 1; minor <= 1+r.intn(9); minor++ {
			n := r.intn(20)
			if n < 3 {
				ids = append(ids, fmt.Sprintf("%d.%d", major, minor))
				continue
			}
			for k := 1; k <= n; k++ {
				ids = append(ids, fmt.Sprintf("%d.%d.%d", major, minor, k))
			}
		}
	}
	return ids
}
