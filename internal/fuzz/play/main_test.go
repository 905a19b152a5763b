package play

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no execution leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
