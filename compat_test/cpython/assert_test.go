package cpython

import (
	"errors"
	"fmt"
	"reflect"

	pyerr "github.com/pysock/pysock/errors"
)

// The unittest assertions the ports use. Each takes a short description of
// the call, like the CPython source line it ports.

// ok is the "no exception" of CPython: an unexpected error ends the test
// as it would in CPython (an error, not a failure).
func ok(t *T, err error, what string) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: unexpected %T: %v", what, err, err)
	}
}

// must returns v or ends the test on err: must(f())(t, "f()").
func must[V any](v V, err error) func(t *T, what string) V {
	return func(t *T, what string) V {
		t.Helper()
		ok(t, err, what)
		return v
	}
}

// raises is assertRaises(E, …): err must be (a subclass of) E, found with
// errors.As as the package documents. It returns the exception (cm.exception).
func raises[E error](t *T, err error, what string) E {
	t.Helper()
	var target E
	if err == nil {
		t.Errorf("%s: %T not raised", what, target)
		return target
	}
	if !errors.As(err, &target) {
		t.Errorf("%s: raised %T (%v), want %T", what, err, err, target)
	}
	return target
}

// raisesErrno is assertRaises(OSError) plus cm.exception.errno == errno.
func raisesErrno(t *T, err error, errno int, what string) {
	t.Helper()
	oe := raises[*pyerr.OSError](t, err, what)
	if oe != nil && oe.Errno != errno {
		t.Errorf("%s: errno %v, want %d (%v)", what, oe.Errno, errno, err)
	}
}

func eq(t *T, got, want any, what string) {
	t.Helper()
	if !pyEqual(got, want) {
		t.Errorf("%s: got %s, want %s", what, show(got), show(want))
	}
}

func ne(t *T, got, notWant any, what string) {
	t.Helper()
	if pyEqual(got, notWant) {
		t.Errorf("%s: got %s, want something else", what, show(got))
	}
}

// pyEqual is assertEqual's ==: deep equality, except that two integers
// are equal by value whatever their Go types, as an IntEnum member equals
// its int in Python (sock.family == 2).
func pyEqual(a, b any) bool {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	if va.IsValid() && vb.IsValid() && va.CanInt() && vb.CanInt() {
		return va.Int() == vb.Int()
	}
	return reflect.DeepEqual(a, b)
}

func truth(t *T, cond bool, what string) {
	t.Helper()
	if !cond {
		t.Errorf("%s: not true", what)
	}
}

func show(v any) string {
	if b, isBytes := v.([]byte); isBytes {
		return fmt.Sprintf("%q", b)
	}
	return fmt.Sprintf("%#v", v)
}
