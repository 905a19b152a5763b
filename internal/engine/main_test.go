package engine

import (
	"testing"

	"go.uber.org/goleak"
)

// No test may leave a goroutine of a connection running.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
