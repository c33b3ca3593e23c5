// Package compat_test proves pysock against CPython: every scenario in
// scenarios/ has a transcript that CPython produced (golden/) and a Go port
// (ports/) that must print the same transcript.
package compat_test

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/pysock/pysock/internal/oracle"
	"github.com/pysock/pysock/internal/ports"
)

func scenarioNames(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("scenarios/*.py")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		base := strings.TrimSuffix(filepath.Base(f), ".py")
		if !strings.HasPrefix(base, "_") {
			names = append(names, base)
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		t.Fatal("no scenarios")
	}
	return names
}

// TestGoldens runs every Go port and compares its transcript with CPython's.
func TestGoldens(t *testing.T) {
	for _, name := range scenarioNames(t) {
		t.Run(name, func(t *testing.T) {
			port, ok := ports.All[name]
			if !ok {
				t.Fatalf("scenario %s has no Go port in ports/", name)
			}
			want, err := os.ReadFile(filepath.Join("golden", name+".txt"))
			if err != nil {
				t.Fatalf("no golden for %s (run python3 compat_test/generate.py %s): %v", name, name, err)
			}
			before := openFDs(t)
			var got lockedBuffer
			done := make(chan error, 1)
			go func() { done <- port(ports.New(&got)) }()
			select {
			case err := <-done:
				if err != nil {
					t.Fatalf("port failed: %v\ntranscript so far:\n%s", err, got.String())
				}
			case <-time.After(portWatchdog):
				// A call CPython returns from waits for ever here.
				t.Fatalf("%s: the port has not finished after %v\ntranscript so far:\n%s", name, portWatchdog, got.String())
			}
			if diff := cmp.Diff(lines(want), lines(got.Bytes())); diff != "" {
				t.Errorf("%s: CPython (-) vs pysock (+):\n%s", name, diff)
			}
			if after := openFDs(t); after != before {
				t.Errorf("%s: fd count %d before, %d after: the port leaked fds", name, before, after)
			}
		})
	}
}

// portWatchdog bounds one port's run (the longest takes about 10 s).
const portWatchdog = 2 * time.Minute

// lockedBuffer is the transcript a port writes while the watchdog may read
// it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *lockedBuffer) Bytes() []byte { return []byte(b.String()) }

// TestLiveOracle reruns every scenario under CPython and fails if a
// checked-in golden is stale.
func TestLiveOracle(t *testing.T) {
	oracle.Python(t)
	for _, name := range scenarioNames(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			fresh := oracle.Run(t, "scenarios", 2*time.Minute, name+".py")
			stored, err := os.ReadFile(filepath.Join("golden", name+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(lines(stored), lines(fresh)); diff != "" {
				t.Errorf("golden/%s.txt is stale; regenerate with python3 compat_test/generate.py %s (-stored +CPython):\n%s", name, name, diff)
			}
		})
	}
}

func lines(b []byte) []string { return strings.Split(strings.TrimRight(string(b), "\n"), "\n") }

func openFDs(t *testing.T) int {
	t.Helper()
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}
