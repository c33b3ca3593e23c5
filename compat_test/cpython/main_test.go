package cpython

import (
	"os"
	"testing"

	"github.com/pysock/pysock/internal/leakcheck"
)

// childEnv makes the test binary a child process of a port (CPython's
// subprocess.Popen([sys.executable, '-c', code])).
const childEnv = "PYSOCK_CPYTHON_CHILD"

// TestMain fails the run if the ports leave fds or goroutines behind.
func TestMain(m *testing.M) {
	switch os.Getenv(childEnv) {
	case "":
	case "select_test":
		childPrintTesting()
		os.Exit(0)
	default:
		os.Exit(2)
	}
	leakcheck.Main(m)
}
