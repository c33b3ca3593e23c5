package pysock

import (
	"bytes"
	"go/format"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pysock/pysock/internal/oracle"
)

// constantsGolden parses testdata/constants.txt ("module.NAME value").
func constantsGolden(t *testing.T, data []byte) map[string]int {
	t.Helper()
	want := map[string]int{}
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		name, val, ok := strings.Cut(line, " ")
		n, err := strconv.Atoi(val)
		if !ok || err != nil {
			t.Fatalf("bad golden line %q", line)
		}
		want[name] = n
	}
	return want
}

// TestConstants checks every constant of CPython's socket, select and
// selectors modules against pysock's, name and value.
func TestConstants(t *testing.T) {
	data, err := os.ReadFile("testdata/constants.txt")
	if err != nil {
		t.Fatal(err)
	}
	want := constantsGolden(t, data)
	if len(want) < 350 {
		t.Fatalf("golden has %d constants; expected the whole module surface", len(want))
	}
	if diff := cmp.Diff(want, constantValues); diff != "" {
		t.Errorf("constants differ (-CPython +pysock):\n%s", diff)
	}
	// Spot checks that do not go through the generated table.
	for name, got := range map[string]int{"socket.AF_INET": int(AF_INET), "socket.SOCK_STREAM": int(SOCK_STREAM),
		"select.EPOLLIN": EPOLLIN, "select.POLLNVAL": POLLNVAL, "socket.SOMAXCONN": SOMAXCONN} {
		if want[name] != got {
			t.Errorf("%s = %d, CPython %d", name, got, want[name])
		}
	}
}

// TestConstantsGoldenIsFresh regenerates the golden list with CPython.
func TestConstantsGoldenIsFresh(t *testing.T) {
	fresh := oracle.Run(t, ".", time.Minute, "testdata/gen_constants_golden.py")
	stored, err := os.ReadFile("testdata/constants.txt")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(stored), string(fresh)); diff != "" {
		t.Errorf("testdata/constants.txt is stale; regenerate it (-stored +CPython):\n%s", diff)
	}
}

// TestConstantsFileIsFresh regenerates constants_linux.go and compares.
func TestConstantsFileIsFresh(t *testing.T) {
	fresh := oracle.Run(t, ".", time.Minute, "gen_constants.py")
	formatted, err := format.Source(fresh)
	if err != nil {
		t.Fatal(err)
	}
	stored, err := os.ReadFile("constants_linux.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stored, formatted) {
		t.Errorf("constants_linux.go is stale; run go generate ./pysock\n%s", cmp.Diff(string(stored), string(formatted)))
	}
}
