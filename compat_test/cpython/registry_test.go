package cpython

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"
)

// A port is the Go twin of one CPython test method.
type portDef struct {
	module, class, method string
	fn                    func(t *T) // nil for n/a
	na                    string     // n/a reason: a Python-only concept
	fail                  string     // known difference from CPython (a pysock bug), or ""
}

func (p *portDef) id() string { return p.class + "." + p.method }

var (
	registry = map[string]*portDef{} // module + "\t" + Class.method
	classes  = map[string]func(t *T) (bool, string){}
)

func key(module, id string) string { return module + "\t" + id }

// ports registers the ports of one CPython test class.
func ports(module, class string, methods map[string]func(t *T)) {
	for m, fn := range methods {
		add(&portDef{module: module, class: class, method: m, fn: fn})
	}
}

// notApplicable registers methods that test a Python-only concept.
func notApplicable(module, class, reason string, methods ...string) {
	for _, m := range methods {
		add(&portDef{module: module, class: class, method: m, na: reason})
	}
}

// knownFail marks a registered port as failing because pysock differs from
// CPython: the ledger says "fail: reason" while it fails that way, and a
// port that starts to pass changes the ledger (so CI notices).
func knownFail(module, class, method, reason string) {
	p := registry[key(module, class+"."+method)]
	if p == nil {
		panic("knownFail: no port " + class + "." + method)
	}
	p.fail = reason
}

// classSkip registers the Go twin of a CPython class-level skip condition
// (a feature probe such as _have_socket_can): when it reports skip, every
// method of the class CPython lists is skipped with that reason, found the
// same way CPython finds it.
func classSkip(class string, probe func(t *T) (bool, string)) { classes[class] = probe }

func add(p *portDef) {
	k := key(p.module, p.id())
	if registry[k] != nil {
		panic("port registered twice: " + k)
	}
	registry[k] = p
}

// T is the testing.T of a port. It records failures instead of failing the
// Go test, so that a known difference is a ledger line, not a red build;
// TestLedger turns unexpected outcomes into Go test failures. It is safe
// for concurrent use (client halves run in their own goroutine).
type T struct {
	name     string
	mu       sync.Mutex
	failed   []string
	skip     bool
	skipped  string
	cleanups []func()
	logs     []string
}

func (t *T) Helper() {}

func (t *T) Name() string { return t.name }

func (t *T) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	_, file, line, _ := runtime.Caller(1)
	for i := 2; i < 6 && strings.HasSuffix(file, "assert_test.go"); i++ {
		_, file, line, _ = runtime.Caller(i)
	}
	if j := strings.LastIndex(file, "/"); j >= 0 {
		file = file[j+1:]
	}
	t.mu.Lock()
	t.failed = append(t.failed, fmt.Sprintf("%s:%d: %s", file, line, msg))
	t.mu.Unlock()
}

func (t *T) Error(args ...any) { t.Errorf("%s", fmt.Sprint(args...)) }

// Fatalf records a failure and ends the calling goroutine (its deferred
// calls run).
func (t *T) Fatalf(format string, args ...any) {
	t.Errorf(format, args...)
	runtime.Goexit()
}

func (t *T) Fatal(args ...any) { t.Fatalf("%s", fmt.Sprint(args...)) }

func (t *T) Logf(format string, args ...any) {
	t.mu.Lock()
	t.logs = append(t.logs, fmt.Sprintf(format, args...))
	t.mu.Unlock()
}

// Skip is unittest's skipTest: the port's own twin of CPython's skip.
func (t *T) Skip(reason string) {
	t.mu.Lock()
	t.skip, t.skipped = true, reason
	t.mu.Unlock()
	runtime.Goexit()
}

// Cleanup is addCleanup: run last-in first-out after the test.
func (t *T) Cleanup(f func()) {
	t.mu.Lock()
	t.cleanups = append(t.cleanups, f)
	t.mu.Unlock()
}

func (t *T) Failed() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.failed) > 0
}

// portTimeout bounds one port (the watchdog).
const portTimeout = 30 * time.Second

// runCleanups runs the registered cleanups, last first, each once.
func (t *T) runCleanups() {
	for {
		t.mu.Lock()
		n := len(t.cleanups)
		if n == 0 {
			t.mu.Unlock()
			return
		}
		f := t.cleanups[n-1]
		t.cleanups = t.cleanups[:n-1]
		t.mu.Unlock()
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("panic in cleanup: %v", r)
				}
			}()
			f()
		}()
	}
}

// run runs fn as a port with a watchdog: a port that does not finish
// within portTimeout fails, and its cleanups run to unblock it.
func run(name string, fn func(t *T)) *T {
	t := &T{name: name}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer t.runCleanups()
		defer func() {
			if r := recover(); r != nil {
				buf := make([]byte, 4096)
				buf = buf[:runtime.Stack(buf, false)]
				t.Errorf("panic: %v\n%s", r, buf)
			}
		}()
		fn(t)
	}()
	select {
	case <-done:
	case <-time.After(portTimeout):
		t.Errorf("watchdog: no result after %v", portTimeout)
		t.runCleanups()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
		}
	}
	return t
}
