// Package oracle runs CPython, the reference implementation, from tests: the
// live-oracle checks that regenerate goldens and compare them with the
// checked-in copies.
package oracle

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
	"time"
)

// Python returns the path of python3. Where it is missing the test is
// skipped with a clear message, except under CI (CI=true), where the oracle
// is mandatory and the test fails.
func Python(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("python3")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("python3 not found: the live CPython oracle is mandatory in CI: %v", err)
		}
		t.Skipf("python3 not found; skipping the live CPython oracle (checked-in goldens are still compared): %v", err)
	}
	return p
}

// Run runs python3 with args (a script and its arguments) in dir with a
// bounded time, and returns its standard output. It fails the test on any
// error, showing standard error.
func Run(t testing.TB, dir string, timeout time.Duration, args ...string) []byte {
	t.Helper()
	py := Python(t)
	cmd := exec.Command(py, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.Env = append(os.Environ(), "PYTHONHASHSEED=0", "PYTHONIOENCODING=utf-8")
	if err := cmd.Start(); err != nil {
		t.Fatalf("python3 %v: %v", args, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("python3 %v: %v\nstderr:\n%s", args, err, stderr.String())
		}
	case <-time.After(timeout):
		_ = cmd.Process.Kill()
		<-done
		t.Fatalf("python3 %v: no result after %v\nstderr:\n%s", args, timeout, stderr.String())
	}
	return stdout.Bytes()
}
