// Package counting is a suite the suite package's tests run through the
// ginkgo CLI: gorilla's client, which appends the id of every case it is
// asked to play to the file $COUNTING_LOG, and at the end of the suite the
// most cases it played at once. The registration plays at most
// $COUNTING_PARALLEL cases at once; the suite has the label "counting",
// the registration the label "extra".
package counting

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"
	"go.uber.org/goleak"

	"github.com/wsfuzz/autobahn/cases"
	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/suite"
)

func TestCounting(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Autobahn", Label("counting"))
}

var (
	mu         sync.Mutex
	now, most  int
	selection  = []string{"1.*", "2.*", "3.*", "5.19", "5.20", "6.4.*", "9.1.1", "9.2.1"}
	ids, _     = cases.Resolve(selection, nil)
	bound, _   = strconv.Atoi(os.Getenv("COUNTING_PARALLEL"))
	logFile, _ = os.OpenFile(os.Getenv("COUNTING_LOG"), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
)

var _ = suite.Client("gorilla", counted, suite.Cases(selection...), suite.Parallel(max(bound, 1)), Label("extra"))

// counted logs the case, counts it in flight and runs gorilla's client.
func counted(ctx context.Context, u string) error {
	pu, err := url.Parse(u)
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(pu.Query().Get("case"))
	if err != nil || n < 1 || n > len(ids) {
		return fmt.Errorf("case number in %s: %v", u, err)
	}
	mu.Lock()
	now++
	most = max(most, now)
	fmt.Fprintf(logFile, "played %s\n", ids[n-1])
	mu.Unlock()
	defer func() {
		mu.Lock()
		now--
		mu.Unlock()
	}()
	return echopeer.GorillaClient(ctx, u)
}

// before are the goroutines that ran before any spec.
var before goleak.Option

var _ = ReportBeforeSuite(func(Report) { before = goleak.IgnoreCurrent() })

// At the end: the most cases played at once, and any goroutine a case
// left behind (package suite's ReportAfterSuite, registered with the
// registration before this one, has waited for the cases played ahead).
var _ = ReportAfterSuite("most in flight", func(Report) {
	mu.Lock()
	defer mu.Unlock()
	fmt.Fprintf(logFile, "most %d\n", most)
	// under -p, Ginkgo's output interceptor runs goroutines of its own
	const interceptor = "github.com/onsi/ginkgo/v2/internal.(*genericOutputInterceptor).ResumeIntercepting.func1"
	if err := goleak.Find(before, goleak.IgnoreAnyFunction(interceptor), goleak.IgnoreAnyFunction(interceptor+".1")); err != nil {
		fmt.Fprintf(logFile, "leaked %q\n", err.Error())
	}
})
