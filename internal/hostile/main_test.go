package hostile

import (
	"testing"

	"go.uber.org/goleak"
)

// Besides the per-case check in each test, no goroutine may outlive the
// package's tests.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
