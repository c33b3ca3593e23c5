package pysock_test

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// callZero calls method name of v with zero arguments (none for a variadic
// tail) and returns its last result if that is an error, or the panic.
func callZero(v reflect.Value, name string) (err error, panicked any) {
	defer func() { panicked = recover() }()
	m := v.MethodByName(name)
	ft := m.Type()
	var args []reflect.Value
	for i := range ft.NumIn() {
		if ft.IsVariadic() && i == ft.NumIn()-1 {
			break
		}
		args = append(args, reflect.Zero(ft.In(i)))
	}
	out := m.Call(args)
	if n := len(out); n > 0 && ft.Out(n-1) == reflect.TypeFor[error]() && !out[n-1].IsNil() {
		err = out[n-1].Interface().(error)
	}
	return err, nil
}

// nilCall is the outcome of calling method m of a nil pointer.
type nilCall struct {
	m        reflect.Method
	err      error
	panicked any
}

// nilMethods calls each method of v, a nil pointer, as callZero does.
func nilMethods(v any) []nilCall {
	rv := reflect.ValueOf(v)
	var calls []nilCall
	for i := range rv.Type().NumMethod() {
		m := rv.Type().Method(i)
		err, p := callZero(rv, m.Name)
		calls = append(calls, nilCall{m, err, p})
	}
	return calls
}

// returnsErr reports whether m's last result is an error.
func returnsErr(m reflect.Method) bool {
	n := m.Type.NumOut()
	return n > 0 && m.Type.Out(n-1) == reflect.TypeFor[error]()
}

// Every exported method of a nil *Socket behaves as on a closed socket
// (Go's os and net return an error from a nil file's or connection's
// methods rather than panic; a closed socket is pysock's nearest state):
// the same error where the closed socket has one, none where it has none,
// a panic only where the closed socket panics too (a nil io.Reader).
func TestNilSocketIsClosed(t *testing.T) {
	byFamily := map[string]bool{"Bind": true, "Connect": true, "ConnectContext": true, "ConnectEx": true, "SendFile": true}
	typ := reflect.TypeFor[*pysock.Socket]()
	for i := range typ.NumMethod() {
		name := typ.Method(i).Name
		closed, err := pysock.NewSocket(-1, -1, -1)
		if err != nil {
			t.Fatal(err)
		}
		closed.Close()
		wantErr, wantPanic := callZero(reflect.ValueOf(closed), name)
		gotErr, gotPanic := callZero(reflect.ValueOf((*pysock.Socket)(nil)), name)
		switch {
		case gotPanic != nil && wantPanic == nil:
			t.Errorf("nil.%s panics (%v); a closed socket's returns %v", name, gotPanic, wantErr)
		case byFamily[name]:
			// The closed socket's error is its family's or type's
			// (AF_INET, SOCK_STREAM); a nil *Socket has neither.
			if gotErr == nil || wantErr == nil {
				t.Errorf("nil.%s = %v; a closed socket's = %v; want an error from both", name, gotErr, wantErr)
			}
		case fmt.Sprint(gotErr) != fmt.Sprint(wantErr):
			t.Errorf("nil.%s = %v; a closed socket's = %v", name, gotErr, wantErr)
		}
	}
	if got := (*pysock.Socket)(nil).Fileno(); got != -1 {
		t.Errorf("nil.Fileno() = %d, want -1", got)
	}
	var s *pysock.Socket
	s.SetTimeout(1.5)
	if got := s.GetTimeout(); !got.IsNone() {
		t.Errorf("nil.GetTimeout() after nil.SetTimeout(1.5) = %v, want None: a nil *Socket has no state", got)
	}
}

// The net adapters' methods on nil return what Go's net returns for a nil
// connection or listener: syscall.EINVAL, or a nil address.
func TestNilAdapters(t *testing.T) {
	for _, v := range []any{(*pysock.Conn)(nil), (*pysock.PacketConn)(nil), (*pysock.Listener)(nil)} {
		for _, c := range nilMethods(v) {
			m, err, p := c.m, c.err, c.panicked
			switch {
			case p != nil:
				t.Errorf("(%T).%s panics: %v", v, m.Name, p)
			case returnsErr(m) && !errors.Is(err, syscall.EINVAL):
				t.Errorf("(%T).%s = %v, want EINVAL as Go's net", v, m.Name, err)
			}
		}
	}
}

// Every exported method of a nil *Socket, called from many goroutines at
// once, shares closedNil: the race detector must see no race and the
// shared stand-in must not change (a later nil call behaves the same).
func TestNilSocketConcurrent(t *testing.T) {
	var s *pysock.Socket
	typ := reflect.TypeFor[*pysock.Socket]()
	done := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range typ.NumMethod() {
				name := typ.Method((i + g) % typ.NumMethod()).Name
				callZero(reflect.ValueOf(s), name)
			}
			s.SetTimeout(1.5)
			s.SetBlocking(false)
			if f, err := s.MakeFile("rb"); err == nil {
				f.Close()
			}
			s.Close()
			s.Detach()
		}()
	}
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("hang")
	}
	if got := s.GetTimeout(); !got.IsNone() {
		t.Errorf("nil.GetTimeout() = %v, want None", got)
	}
	if got := s.Repr(); got != "<socket.socket [closed] fd=-1, family=0, type=0, proto=0>" {
		t.Logf("nil.Repr() = %q", got)
	}
}

// A nil *SocketFile behaves as a closed file, and a nil *EpollObject as
// a closed epoll object: every method returns, those with an error
// return CPython's ValueError for the closed object (Close does nothing).
func TestNilFileAndEpoll(t *testing.T) {
	for _, tc := range []struct {
		v   any
		msg string
	}{
		{(*pysock.SocketFile)(nil), "I/O operation on closed file."},
		{(*pysock.EpollObject)(nil), "I/O operation on closed epoll object"},
	} {
		for _, c := range nilMethods(tc.v) {
			m, err, p := c.m, c.err, c.panicked
			switch {
			case p != nil:
				t.Errorf("(%T).%s panics: %v", tc.v, m.Name, p)
			case m.Name == "Close":
				if err != nil {
					t.Errorf("(%T).Close = %v, want nil", tc.v, err)
				}
			case returnsErr(m) && (err == nil || err.Error() != tc.msg):
				t.Errorf("(%T).%s = %v, want ValueError(%q)", tc.v, m.Name, err, tc.msg)
			}
		}
	}
	var f *pysock.SocketFile
	for _, err := range f.Lines() {
		if err == nil || err.Error() != "I/O operation on closed file." {
			t.Errorf("nil.Lines() yields %v", err)
		}
	}
	if !f.Closed() || !(*pysock.EpollObject)(nil).Closed() {
		t.Error("a nil file or epoll object is not closed")
	}
}
