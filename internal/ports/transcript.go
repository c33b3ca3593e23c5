// Package ports holds the Go twins of the CPython scenarios in
// compat_test/scenarios: each port drives pysock exactly as its scenario
// drives CPython's socket module and prints the same transcript (the helpers
// here mirror scenarios/_transcript.py line for line).
package ports

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyrepr"
)

// T is the timeout every timing scenario uses, as in _transcript.py.
const T = 300 * time.Millisecond

// Transcript collects a scenario's lines.
type Transcript struct {
	w         io.Writer
	subs      [][2]string
	keepPorts bool
}

// KeepPorts prints port numbers as they are (_transcript.keep_ports).
func (t *Transcript) KeepPorts() { t.keepPorts = true }

// New returns a transcript writing to w.
func New(w io.Writer) *Transcript { return &Transcript{w: w} }

// RegisterSub replaces text with repl in every later line (temp dirs).
func (t *Transcript) RegisterSub(text, repl string) { t.subs = append(t.subs, [2]string{text, repl}) }

var (
	reFD       = regexp.MustCompile(`fd=\d+`)
	reFDFD     = regexp.MustCompile(`\b\d+ \(FD \d+\)`)
	reFDin     = regexp.MustCompile(`\(FD \d+\)`)
	rePortWord = regexp.MustCompile(`\b(localhost|127\.0\.0\.1) port \d+`)
	rePort     = regexp.MustCompile(`(\(\\?'[0-9a-f:.]+\\?', )\d+`)
	reHostPort = regexp.MustCompile(`\b(localhost|127\.0\.0\.1):\d+`)
	reThread   = regexp.MustCompile(`\bThread-\d+`)
)

func (t *Transcript) norm(s string) string {
	s = reFD.ReplaceAllString(s, "fd=<fd>")
	s = reFDFD.ReplaceAllString(s, "<fd> (FD <fd>)")
	s = reFDin.ReplaceAllString(s, "(FD <fd>)")
	s = reThread.ReplaceAllString(s, "Thread-<n>")
	if !t.keepPorts {
		s = rePortWord.ReplaceAllString(s, "$1 port <port>")
		s = rePort.ReplaceAllString(s, "${1}<port>")
		s = reHostPort.ReplaceAllString(s, "$1:<port>")
	}
	for _, sub := range t.subs {
		s = strings.ReplaceAll(s, sub[0], sub[1])
	}
	return s
}

// Out prints one line.
func (t *Transcript) Out(format string, args ...any) {
	fmt.Fprintln(t.w, t.norm(fmt.Sprintf(format, args...)))
}

// R is Python's repr() of a Go result.
func R(v any) string { return pyrepr.Repr(v) }

// ExcLine prints an exception line the way _transcript.exc_line does.
func (t *Transcript) ExcLine(label string, err error) {
	pe, ok := err.(pyerr.PyException)
	if !ok {
		t.Out("%s ! <non-Python error %T: %v>", label, err, err)
		return
	}
	var errno any
	var oe *pyerr.OSError
	isOS := pyerr.IsInstance(err, "OSError") // isinstance, not a search through a group
	if isOS && errors.As(err, &oe) && oe.HasErrno {
		errno = oe.Errno
	}
	t.Out("%s ! %s errno=%s str=%s repr=%s oserror=%s", label, pe.ClassName(), R(errno), R(pe.Error()), R(pe.Repr()), R(isOS))
}

// Show runs fn and prints its result or its error; it returns the result.
func (t *Transcript) Show(label string, fn func() (any, error)) any {
	v, err := fn()
	if err != nil {
		t.ExcLine(label, err)
		return nil
	}
	t.Out("%s = %s", label, R(v))
	return v
}

// Do is Show for calls that return only an error (Python returns None).
func (t *Transcript) Do(label string, fn func() error) error {
	err := fn()
	if err != nil {
		t.ExcLine(label, err)
		return err
	}
	t.Out("%s = None", label)
	return nil
}

// Bucket is _transcript.bucket: "~0", "≈T" or off(…).
func Bucket(elapsed, t time.Duration) string {
	switch {
	case elapsed < t/2:
		return "~0"
	case float64(elapsed) >= float64(t)*0.95 && float64(elapsed) < float64(t)*1.9:
		return "≈T"
	}
	return fmt.Sprintf("off(%.3f)", elapsed.Seconds())
}

// Timed is Show plus the elapsed-time bucket line.
func (t *Transcript) Timed(label string, fn func() (any, error)) any {
	start := time.Now()
	v := t.Show(label, fn)
	t.Out("%s elapsed %s", label, Bucket(time.Since(start), T))
	return v
}

// TimedDo is Do plus the elapsed-time bucket line.
func (t *Transcript) TimedDo(label string, fn func() error) error {
	start := time.Now()
	err := t.Do(label, fn)
	t.Out("%s elapsed %s", label, Bucket(time.Since(start), T))
	return err
}

// Scenario is a Go port: it writes the transcript of its CPython twin.
type Scenario func(t *Transcript) error

// All maps scenario names (the .py file names without extension) to ports.
var All = map[string]Scenario{}
