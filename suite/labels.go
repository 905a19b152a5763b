package suite

import (
	"strings"

	"github.com/onsi/ginkgo/v2"
)

// Labels are the Ginkgo labels of the spec of case id for role and agent.
func Labels(role, agent, id string) ginkgo.Labels {
	l := ginkgo.Label(sectionLabel(id), "case:"+id, role, "agent:"+labelSafe(agent))
	switch strings.Split(id, ".")[0] {
	case "9":
		l = append(l, "slow")
	case "12", "13":
		l = append(l, "compression")
	}
	return l
}

func sectionLabel(id string) string { return strings.Split(id, ".")[0] + ".x" }

// labelSafe replaces what Ginkgo refuses in labels.
func labelSafe(s string) string {
	return strings.Map(func(c rune) rune {
		if strings.ContainsRune("&|!,()/:", c) {
			return '-'
		}
		return c
	}, strings.TrimSpace(s))
}
