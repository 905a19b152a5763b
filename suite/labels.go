package suite

import (
	"strings"

	"github.com/onsi/ginkgo/v2"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/report"
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

// SpecText is the text of the spec of case c: its id first, so that
// --focus='^Autobahn 3\.4 ' selects the case, then its description, then
// its section and the section's name, so that --focus='Reserved Bits' and
// --focus='\b3\.x' select the section: "3.1 Send a small text message
// with RSV = 1. (3.x Reserved Bits)". The section is part of the spec's own text,
// not a container's, because Ginkgo puts a container's text before the
// spec's, which would break the anchored focus on the id.
func SpecText(c *cases.Case) string {
	return c.ID + " " + c.Description + " (" + sectionLabel(c.ID) + " " + report.SectionName(c.ID) + ")"
}

// labelSafe replaces what Ginkgo refuses in labels.
func labelSafe(s string) string {
	return strings.Map(func(c rune) rune {
		if strings.ContainsRune("&|!,()/:", c) {
			return '-'
		}
		return c
	}, strings.TrimSpace(s))
}
