package pysock_test

import (
	"errors"
	"net"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// A host name with a NUL is refused by the argument conversion, before
// any resolver call: gethostbyname/gethostbyname_ex/gethostbyaddr parse
// it with "et" (TypeError), getnameinfo's sockaddr with "s" (ValueError),
// if_nametoindex with PyUnicode_FSConverter (ValueError).
//
//	>>> socket.gethostbyname('a\x00b')
//	TypeError: gethostbyname() argument 1 must be encoded string without null bytes, not str
//	>>> socket.getnameinfo(('a\x00b', 80), 0)
//	ValueError: embedded null character
//	>>> socket.if_nametoindex('lo\x00')
//	ValueError: embedded null byte
func TestNulInHostNames(t *testing.T) {
	first := func(_ any, err error) (any, error) { return nil, err }
	rows := []struct {
		py  string
		got func() (any, error)
	}{
		{`socket.gethostbyname('a\x00b')`, func() (any, error) { return first(pysock.GetHostByName("a\x00b")) }},
		{`socket.gethostbyname(b'a\x00b')`, func() (any, error) { return first(pysock.GetHostByName([]byte("a\x00b"))) }},
		{`socket.gethostbyname_ex('a\x00b')`, func() (any, error) { return first(pysock.GetHostByNameEx("a\x00b")) }},
		{`socket.gethostbyaddr('a\x00b')`, func() (any, error) { return first(pysock.GetHostByAddr("a\x00b")) }},
		{`socket.getnameinfo(('a\x00b', 80), 0)`, func() (any, error) {
			_, _, err := pysock.GetNameInfo(pysock.Tuple{"a\x00b", 80}, 0)
			return nil, err
		}},
		{`socket.if_nametoindex('lo\x00')`, func() (any, error) { return first(pysock.IfNameToIndex("lo\x00")) }},
	}
	for _, r := range rows {
		want := cpython(t, r.py)
		got := watchdog(t, 30*time.Second, r.py, func() string { return outcomeOf(r.got()) })
		if got != want {
			t.Errorf("pysock did: %s -> %s; CPython: %s", r.py, got, want)
		}
	}
}

// The net adapters return *net.OpError for every failure, as Go's net does:
// on a closed *net.TCPConn, SetDeadline fails with &OpError{Op: "set",
// Err: net.ErrClosed} and CloseWrite/CloseRead with &OpError{Op: "close",
// ...}; on a closed *net.UDPConn SetDeadline likewise. (The reference is
// computed below from Go's own net.) pysock's Read/Write/Accept/ReadFrom
// already wrap; these return the bare Python exception.
func TestAdapterSetAndCloseErrorsAreOpErrors(t *testing.T) {
	// Go's reference.
	goTCP, sc := goNetPair(t)
	sc.Close()
	goTCP.Close()
	gu, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	gu.Close()
	ref := map[string]error{
		"Conn.SetDeadline":       goTCP.SetDeadline(time.Now()),
		"Conn.SetReadDeadline":   goTCP.SetReadDeadline(time.Now()),
		"Conn.SetWriteDeadline":  goTCP.SetWriteDeadline(time.Now()),
		"Conn.CloseWrite":        goTCP.CloseWrite(),
		"Conn.CloseRead":         goTCP.CloseRead(),
		"PacketConn.SetDeadline": gu.SetDeadline(time.Now()),
	}

	a, b := tcpPair(t)
	defer b.Close()
	c := a.NetConn()
	c.Close()
	u, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	pc := u.NetPacketConn()
	pc.Close()
	got := map[string]func() error{
		"Conn.SetDeadline":       func() error { return c.SetDeadline(time.Now()) },
		"Conn.SetReadDeadline":   func() error { return c.SetReadDeadline(time.Now()) },
		"Conn.SetWriteDeadline":  func() error { return c.SetWriteDeadline(time.Now()) },
		"Conn.CloseWrite":        func() error { return c.CloseWrite() },
		"Conn.CloseRead":         func() error { return c.CloseRead() },
		"PacketConn.SetDeadline": func() error { return pc.SetDeadline(time.Now()) },
	}
	for name, f := range got {
		want := ref[name]
		var wop *net.OpError
		if !errors.As(want, &wop) {
			t.Fatalf("Go's reference changed: %s on a closed conn = %#v", name, want)
		}
		err := watchdog(t, 10*time.Second, name, f)
		op, ok := err.(*net.OpError)
		switch {
		case !ok:
			t.Errorf("pysock did: %s on a closed conn = %T %v; Go's net returns *net.OpError{Op: %q} (%v)", name, err, err, wop.Op, want)
		case op.Op != wop.Op || !errors.Is(err, net.ErrClosed):
			t.Errorf("pysock did: %s on a closed conn = OpError{Op: %q} %v; Go's net: OpError{Op: %q} matching net.ErrClosed", name, op.Op, err, wop.Op)
		}
	}
}
