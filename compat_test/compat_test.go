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
			var got bytes.Buffer
			if err := port(ports.New(&got)); err != nil {
				t.Fatalf("port failed: %v\ntranscript so far:\n%s", err, got.String())
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
