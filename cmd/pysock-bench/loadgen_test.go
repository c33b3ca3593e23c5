package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pysock/pysock/internal/oracle"
)

// TestLoadgen builds the independent C load generator and runs its driver
// once, small, against a pysock server and Go net's (this test binary
// serves as pysock-bench, as in TestWorkloadsSmoke): loadgen must speak
// every role's protocol and run.py must report every cell.
func TestLoadgen(t *testing.T) {
	cc, err := exec.LookPath("cc")
	if err != nil {
		t.Skip("no C compiler")
	}
	py, err := oracle.Find()
	if err != nil {
		t.Skip(err)
	}
	watchdog := time.AfterFunc(2*time.Minute, func() { panic("TestLoadgen: watchdog expired") })
	defer watchdog.Stop()
	bin := filepath.Join(t.TempDir(), "loadgen")
	if out, err := exec.Command(cc, "-O2", "-Wall", "-Werror", "-pthread", "-o", bin, "loadgen/loadgen.c").CombinedOutput(); err != nil {
		t.Fatalf("cc: %v\n%s", err, out)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "loadgen/run.py", "--bench", exe, "--loadgen", bin, "--runs", "1",
		"--servers", "pysock-blocking,go-net", "--w1", "200", "--w2", "4", "--w4ms", "50").CombinedOutput()
	if err != nil {
		t.Fatalf("run.py: %v\n%s", err, out)
	}
	for _, want := range []string{"W1 rt/s", "W2down MiB/s", "W2up MiB/s", "W4 conn/s", "ratios of pysock-blocking"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("run.py printed no %q:\n%s", want, out)
		}
	}
	t.Logf("\n%s", out)
}
