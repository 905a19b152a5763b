// Package baseline is a suite the suite package's tests run through the
// ginkgo CLI: gorilla's echo server on three 6.x cases, judged against the
// baseline file $BASELINE. $SERVER picks the server: "plain" (gorilla
// without a UTF-8 check), "utf8" (with one) or "binary" (a deliberate
// regression: every message echoed as binary).
package baseline

import (
	"net/http"
	"os"
	"testing"

	. "github.com/onsi/ginkgo/v2"
	. "github.com/onsi/gomega"

	"github.com/wsfuzz/autobahn/internal/echopeer"
	"github.com/wsfuzz/autobahn/suite"
)

func TestBaseline(t *testing.T) {
	RegisterFailHandler(Fail)
	RunSpecs(t, "Baseline")
}

var servers = map[string]http.HandlerFunc{
	"plain":  echopeer.GorillaServer,
	"utf8":   echopeer.GorillaServerUTF8,
	"binary": echopeer.GorillaServerAsBinary,
}

var _ = suite.Server("gorilla", suite.Handler(servers[os.Getenv("SERVER")]),
	suite.Cases("6.2.1", "6.3.1", "6.3.2"), suite.Baseline(os.Getenv("BASELINE")), suite.ReportDir(os.Getenv("REPORTS")))
