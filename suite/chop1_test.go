package suite

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/harness"
)

// chopOneDiffers are the cases whose verdicts for gorilla may change when
// every frame is written octet by octet, with the reason.
var chopOneDiffers = map[string]string{}

// octetWiseLimit is the most a case may send to run octet-wise by default:
// every octet is a write of its own and a 10µs gap, about 14µs in all, so
// 64 KiB take a second and 9.1.6's 16 MiB four minutes.
const octetWiseLimit = 64 << 10

// sentOctets is about how many payload octets a case sends.
func sentOctets(c *cases.Case) int {
	n := 0
	for _, s := range c.Steps {
		if s.RepeatLen != nil {
			n += *s.RepeatLen
		} else {
			n += len(s.Payload)
		}
	}
	if rt := c.RoundTrip; rt != nil {
		n += rt.Length * rt.Count
	}
	return n
}

// TestChopOneKeepsVerdicts runs gorilla's client and server through sections
// 1-10 twice: with the cases' own chopping and with every frame written
// octet by octet. The verdicts must stay the same. The 9.x cases that send
// more than octetWiseLimit (all but 9.1.1, 9.2.1, 9.7.1-3 and 9.8.1-3) are
// left out unless SUITE_CHOP1_SLOW is set, which takes hours.
func TestChopOneKeepsVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every case of 1.x-10.x four times")
	}
	var ids []string
	for _, c := range cases.All() {
		section := strings.Split(c.ID, ".")[0]
		switch section {
		case "1", "2", "3", "4", "5", "6", "7", "8", "10":
		case "9":
			if sentOctets(c) > octetWiseLimit && os.Getenv("SUITE_CHOP1_SLOW") == "" {
				continue
			}
		default:
			continue
		}
		ids = append(ids, c.ID)
	}
	type job struct {
		reg *harness.Runner
		id  string
	}
	regs := map[string][2]*harness.Runner{
		RoleClient: {newClient(t, "gorilla", gorillaClient), newClient(t, "gorilla", gorillaClient, ChopEvery(1))},
		RoleServer: {newServer(t, "gorilla", Handler(gorillaServer)), newServer(t, "gorilla", Handler(gorillaServer), ChopEvery(1))},
	}
	verdicts := map[*harness.Runner]map[string]string{}
	var jobs []job
	for _, pair := range regs {
		for _, r := range pair {
			verdicts[r] = map[string]string{}
			for _, id := range ids {
				jobs = append(jobs, job{r, id})
			}
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	queue := make(chan job)
	for range 4 {
		wg.Go(func() {
			for j := range queue {
				res, _, err := play(context.Background(), j.reg, j.id)
				v := "error: " + errString(err)
				if err == nil {
					v = string(res.Behavior + "/" + res.BehaviorClose)
				}
				mu.Lock()
				verdicts[j.reg][j.id] = v
				mu.Unlock()
			}
		})
	}
	for _, j := range jobs {
		queue <- j
	}
	close(queue)
	wg.Wait()
	for role, pair := range regs {
		same := 0
		for _, id := range ids {
			own, one := verdicts[pair[0]][id], verdicts[pair[1]][id]
			switch {
			case own == one:
				same++
			case chopOneDiffers[id] != "":
				t.Logf("%s %s: %s with its own chopping, %s octet-wise (%s)", role, id, own, one, chopOneDiffers[id])
			default:
				t.Errorf("%s %s: %s with its own chopping, %s octet-wise", role, id, own, one)
			}
		}
		t.Logf("%s: %d of %d cases keep their verdicts octet-wise", role, same, len(ids))
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
