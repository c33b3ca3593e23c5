package pysock_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// A socket's kernel O_NONBLOCK flag, read through its number, is CPython's
// whatever the socket went through before the number was first asked for:
// mode changes, dup, accept, socketpair (pysock leaves the flag set until
// then; see fdesc.pinned). CPython is asked at test time.
func TestFlagBeforeFilenoMatchesCPython(t *testing.T) {
	checkFDs(t)
	want := cpython(t, `import fcntl, os
def nb(s): return bool(fcntl.fcntl(s.fileno(), fcntl.F_GETFL) & os.O_NONBLOCK)
a = socket.socket()
b = socket.socket(); b.settimeout(0); b.settimeout(None)
c = socket.socket(); c.settimeout(2.5)
d = socket.socket(); d.setblocking(False)
e = socket.socket(); e2 = e.dup()
f = socket.socket(); f.setblocking(False); f2 = f.dup()
g = socket.socket(); g.settimeout(1); g2 = g.dup(); g2.settimeout(None)
l = socket.socket(); l.bind(('127.0.0.1', 0)); l.listen()
cl = socket.create_connection(l.getsockname()); h, _ = l.accept()
p, q = socket.socketpair(); q.settimeout(0)
r = socket.socket(); r1 = nb(r); r.setblocking(False); r2 = nb(r); r.setblocking(True)
[nb(a), nb(b), nb(c), nb(d), nb(e), nb(e2), nb(f), nb(f2), nb(g), nb(g2), nb(l), nb(cl), nb(h), nb(p), nb(q), r1, r2, nb(r)]`)

	var all []*pysock.Socket
	defer func() {
		for _, s := range all {
			s.Close()
		}
	}()
	must := func(s *pysock.Socket, err error) *pysock.Socket {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, s)
		return s
	}
	sock := func() *pysock.Socket { return must(pysock.NewSocket(-1, -1, -1)) }
	nb := func(s *pysock.Socket) bool {
		fl, err := unix.FcntlInt(uintptr(s.Fileno()), unix.F_GETFL, 0)
		if err != nil {
			t.Fatal(err)
		}
		return fl&unix.O_NONBLOCK != 0
	}
	a := sock()
	b := sock()
	b.SetTimeout(0)
	b.SetTimeout(nil)
	c := sock()
	c.SetTimeout(2.5)
	d := sock()
	d.SetBlocking(false)
	e := sock()
	e2 := must(e.Dup())
	f := sock()
	f.SetBlocking(false)
	f2 := must(f.Dup())
	g := sock()
	g.SetTimeout(1)
	g2 := must(g.Dup())
	g2.SetTimeout(nil)
	l := sock()
	if err := l.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
		t.Fatal(err)
	}
	l.Listen()
	addr, _ := l.GetSockName()
	cl := must(pysock.CreateConnection(addr))
	h, _, err := l.Accept()
	h = must(h, err)
	p, q, err := pysock.SocketPair(-1, -1, -1)
	must(p, err)
	must(q, nil)
	q.SetTimeout(0)
	r := sock()
	r1 := nb(r)
	r.SetBlocking(false)
	r2 := nb(r)
	r.SetBlocking(true)
	var got []string
	for _, v := range []bool{nb(a), nb(b), nb(c), nb(d), nb(e), nb(e2), nb(f), nb(f2), nb(g), nb(g2), nb(l), nb(cl), nb(h), nb(p), nb(q), r1, r2, nb(r)} {
		got = append(got, strings.ToUpper(fmt.Sprint(v)[:1])+fmt.Sprint(v)[1:])
	}
	if s := "ok [" + strings.Join(got, ", ") + "]"; s != want {
		t.Errorf("O_NONBLOCK through the numbers:\npysock:  %s\nCPython: %s", s, want)
	}
}
