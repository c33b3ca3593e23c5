package pyrepr_test

import (
	"testing"

	"github.com/pysock/pysock/internal/leakcheck"
)

// TestMain fails the run if the package's tests leave fds or goroutines.
func TestMain(m *testing.M) { leakcheck.Main(m) }
