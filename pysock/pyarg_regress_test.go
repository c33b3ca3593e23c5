package pysock_test

import (
	"math"
	"math/big"
	"strings"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/oracle"
	"github.com/pysock/pysock/pysock"
)

// cpython runs a Python statement list whose last line is an expression
// and returns what CPython gives: "ok <repr>" or "<class>: <str>". The
// expectations of the regression tests below come from here, not from
// hand-typed texts.
func cpython(t *testing.T, code string) string {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(code), "\n")
	last := lines[len(lines)-1]
	prog := "import socket, select, selectors, math\n" + strings.Join(lines[:len(lines)-1], "\n") +
		"\ntry:\n    r = " + last + "\n    print('ok', repr(r))\nexcept Exception as e:\n    print('%s: %s' % (type(e).__name__, e))\n"
	return strings.TrimSpace(string(oracle.Run(t, t.TempDir(), time.Minute, "-c", prog)))
}

// outcomeOf prints a Go result the way cpython prints CPython's.
func outcomeOf(v any, err error) string {
	if err != nil {
		if e, ok := err.(pyerr.PyException); ok {
			return e.ClassName() + ": " + err.Error()
		}
		return "Go error: " + err.Error()
	}
	return "ok " + pysock.Repr(v)
}

type port int

// lingerOpt is a caller's named byte-slice type.
type lingerOpt []byte

func TestRegressSetSockOptBytesLike(t *testing.T) {
	want := cpython(t, "s = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b'\\0' * 8)")
	for _, v := range []any{make([]byte, 8), pysock.Bytes(make([]byte, 8)), lingerOpt(make([]byte, 8))} {
		s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		if got := outcomeOf(nil, s.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_LINGER, v)); got != want {
			t.Errorf("SetSockOpt(SO_LINGER, %T) = %s, CPython: %s", v, got, want)
		}
		s.Close()
	}
}

func TestRegressNamedIntegers(t *testing.T) {
	want := cpython(t, "socket.htons(socket.AF_INET)")
	if got := outcomeOf(pysock.Htons(pysock.AddressFamily(pysock.AF_INET))); got != want {
		t.Errorf("Htons(AF_INET) = %s, CPython: %s", got, want)
	}
	want = cpython(t, "class port(int): pass\ns = socket.socket()\ns.bind(('127.0.0.1', port(0)))")
	s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := outcomeOf(nil, s.Bind(pysock.Tuple{"127.0.0.1", port(0)})); got != want {
		t.Errorf("Bind(port(0)) = %s, CPython: %s", got, want)
	}
}

func TestRegressSetBlockingBeyondCLong(t *testing.T) {
	want := cpython(t, "s = socket.socket()\ns.setblocking(2**64)")
	wantMode := cpython(t, "s = socket.socket()\ntry: s.setblocking(2**64)\nexcept OverflowError: pass\ns.getblocking()")
	s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	if got := outcomeOf(nil, s.SetBlocking(two64)); got != want {
		t.Errorf("SetBlocking(2**64) = %s, CPython: %s", got, want)
	}
	if got := outcomeOf(s.GetBlocking(), nil); got != wantMode {
		t.Errorf("GetBlocking() after SetBlocking(2**64) = %s, CPython: %s", got, wantMode)
	}
}

// bigFileno has a fileno() beyond C int.
type bigFileno struct{}

func (bigFileno) Fileno() int { return 1 << 40 }

func TestRegressFilenoBeyondCInt(t *testing.T) {
	prelude := "class F:\n    def fileno(self): return 2**40\n"
	ep, err := pysock.Epoll()
	if err != nil {
		t.Fatal(err)
	}
	defer ep.Close()
	for _, c := range []struct {
		py  string
		got error
	}{
		{"select.select([F()], [], [], 0)", func() error { _, _, _, err := pysock.Select([]any{bigFileno{}}, nil, nil, 0); return err }()},
		{"select.poll().register(F())", pysock.Poll().Register(bigFileno{})},
		{"select.epoll().register(F())", ep.Register(bigFileno{})},
	} {
		if got, want := outcomeOf(nil, c.got), cpython(t, prelude+c.py); got != want {
			t.Errorf("%s: pysock %s, CPython %s", c.py, got, want)
		}
	}
}

// withSlice is data that Go cannot compare with ==.
type withSlice struct{ v any }

func TestRegressSelectors(t *testing.T) {
	a, w := pair(t)
	_ = a
	es, err := pysock.NewEpollSelector()
	if err != nil {
		t.Fatal(err)
	}
	sels := []struct {
		name string
		sel  pysock.Selector
	}{{"SelectSelector", pysock.NewSelectSelector()}, {"PollSelector", pysock.NewPollSelector()}, {"EpollSelector", es}}
	for _, c := range sels {
		defer c.sel.Close()
		py := "s = selectors." + c.name + "()\n"
		for _, x := range []struct {
			py string
			v  float64
		}{{"inf", math.Inf(1)}, {"nan", math.NaN()}} {
			_, err := c.sel.Select(x.v)
			if got, want := outcomeOf(nil, err), cpython(t, py+"s.select(float('"+x.py+"')) and None"); got != want {
				t.Errorf("%s.Select(%s) = %s, CPython: %s", c.name, x.py, got, want)
			}
		}
		self := []any{nil}
		self[0] = self
		_, err := c.sel.Register(self, pysock.EVENT_READ)
		if got, want := outcomeOf(nil, err), cpython(t, py+"l = []\nl.append(l)\ns.register(l, 1)"); got != want {
			t.Errorf("%s.Register([[...]]) = %s, CPython: %s", c.name, got, want)
		}
		if _, err := c.sel.Register(w, pysock.EVENT_WRITE, withSlice{[]int{1}}); err != nil {
			t.Fatal(err)
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s.Modify with uncomparable data panicked: %v", c.name, r)
				}
			}()
			k, err := c.sel.Modify(w, pysock.EVENT_WRITE, withSlice{[]int{2}})
			if err != nil || pysock.Repr(k.Data) == "" {
				t.Errorf("%s.Modify: %v", c.name, err)
			}
		}()
	}
}
