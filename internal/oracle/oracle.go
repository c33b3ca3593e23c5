// Package oracle runs CPython, the reference implementation, from tests: the
// live-oracle checks that regenerate goldens and compare them with the
// checked-in copies.
//
// Every test that runs CPython goes through Python (or Run), which insists
// on the version the goldens were generated with: CPython 3.11. Class
// names, reprs and error texts change between minor versions, so another
// version would report differences that are not pysock's. Outside CI such
// a test is skipped with a message saying what was found; under CI=true a
// missing or different interpreter fails it.
package oracle

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"
)

// Version is the CPython minor version the goldens record and the live
// oracle must be.
const Version = "3.11"

// EnvPython names the environment variable that points the oracle at an
// interpreter other than python3 on the PATH (e.g. PYSOCK_PYTHON=python3.11).
const EnvPython = "PYSOCK_PYTHON"

var find = sync.OnceValues(func() (string, error) { return Find() })

// Find returns the path of the interpreter the oracle uses ($PYSOCK_PYTHON,
// else python3) if it is CPython 3.11, else an error saying what it found.
// Programs that fall back to the checked-in goldens use it; tests use
// Python.
func Find() (string, error) {
	name := "python3"
	if v := os.Getenv(EnvPython); v != "" {
		name = v
	}
	p, err := exec.LookPath(name)
	if err != nil {
		return "", fmt.Errorf("%s not found: %w", name, err)
	}
	out, err := exec.Command(p, "-c",
		"import platform, sys; print(platform.python_implementation(), '%d.%d' % sys.version_info[:2])").Output()
	if err != nil {
		return "", fmt.Errorf("%s does not run: %w", p, err)
	}
	return p, checkVersion(p, strings.TrimSpace(string(out)))
}

// checkVersion reports whether got ("CPython 3.11") is the oracle's version.
func checkVersion(path, got string) error {
	if got != "CPython "+Version {
		return fmt.Errorf("%s is %s, but the oracle must be CPython %s (set %s to a %s interpreter)",
			path, got, Version, EnvPython, Version)
	}
	return nil
}

// Python returns the path of the CPython 3.11 interpreter. Where there is
// none (python3 missing, or another version), the test is skipped with a
// clear message, except under CI (CI=true), where the oracle is mandatory
// and the test fails.
func Python(t testing.TB) string {
	t.Helper()
	p, err := find()
	return require(t, p, err)
}

// require skips or fails t if err (from Find) is not nil.
func require(t testing.TB, p string, err error) string {
	t.Helper()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the live CPython oracle is mandatory in CI: %v", err)
		}
		t.Skipf("skipping the live CPython oracle (checked-in goldens are still compared): %v", err)
	}
	return p
}

// Run runs the oracle interpreter with args (a script and its arguments) in
// dir with a bounded time, and returns its standard output. It fails the
// test on any error, showing standard error.
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
		if err := cmd.Process.Kill(); err != nil {
			t.Logf("python3 %v: kill: %v", args, err)
		}
		<-done
		t.Fatalf("python3 %v: no result after %v\nstderr:\n%s", args, timeout, stderr.String())
	}
	return stdout.Bytes()
}
