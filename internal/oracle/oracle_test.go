package oracle

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// fakeTB records how require ends a test.
type fakeTB struct {
	testing.TB
	skipped, failed string
}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Skipf(format string, args ...any) {
	f.skipped = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
func (f *fakeTB) Fatalf(format string, args ...any) {
	f.failed = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// outcome runs require in its own goroutine, as the testing package runs a
// test, so that Skipf and Fatalf can end it.
func outcome(p string, err error) *fakeTB {
	f := &fakeTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		require(f, p, err)
	}()
	<-done
	return f
}

func TestRequireSkipsOutsideCIAndFailsInCI(t *testing.T) {
	wrong := checkVersion("/usr/bin/python3", "CPython 3.12")
	t.Setenv("CI", "")
	if f := outcome("/usr/bin/python3", wrong); f.skipped == "" || f.failed != "" {
		t.Errorf("outside CI, another version: skipped %q, failed %q; want a skip", f.skipped, f.failed)
	}
	t.Setenv("CI", "true")
	if f := outcome("/usr/bin/python3", wrong); f.failed == "" || f.skipped != "" {
		t.Errorf("under CI=true, another version: skipped %q, failed %q; want a failure", f.skipped, f.failed)
	} else if !strings.Contains(f.failed, "CPython 3.12") || !strings.Contains(f.failed, "CPython "+Version) {
		t.Errorf("the failure does not say what was found and what is needed: %q", f.failed)
	}
	if f := outcome("/usr/bin/python3", nil); f.failed != "" || f.skipped != "" {
		t.Errorf("the right version: skipped %q, failed %q", f.skipped, f.failed)
	}
}

func TestFindChecksTheVersion(t *testing.T) {
	dir := t.TempDir()
	for i, tc := range []struct{ reports, wantErr string }{
		{"CPython " + Version, ""},
		{"CPython 3.12", "is CPython 3.12, but the oracle must be CPython " + Version},
		{"PyPy " + Version, "is PyPy " + Version},
	} {
		fake := filepath.Join(dir, fmt.Sprintf("python%d", i))
		script := "#!/bin/sh\necho '" + tc.reports + "'\n"
		if err := os.WriteFile(fake, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		t.Setenv(EnvPython, fake)
		_, err := Find()
		switch {
		case tc.wantErr == "" && err != nil:
			t.Errorf("%s: %v", tc.reports, err)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: error %v, want one containing %q", tc.reports, err, tc.wantErr)
		}
	}
	t.Setenv(EnvPython, filepath.Join(dir, "missing"))
	if _, err := Find(); err == nil || !strings.Contains(err.Error(), "not found") {
		t.Errorf("a missing interpreter: %v", err)
	}
}
