package cpython

import (
	"testing"

	"github.com/pysock/pysock/internal/leakcheck"
)

// TestMain fails the run if the ports leave fds or goroutines behind.
func TestMain(m *testing.M) { leakcheck.Main(m) }
