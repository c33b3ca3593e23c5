package pysock_test

// Outside review of f648ddb (MSG_ERRQUEUE by SO_DOMAIN, netIPHost,
// fromNetConnErr) and ad5e275 (abstract AF_UNIX names in the adapters'
// net.Addr), and of the adapters against Go's net contracts, 2026-12-03.
// Each test here failed on the code reviewed (ad5e275). CPython 3.11.7 (Linux 6.18,
// as root) is quoted for the Python API; for the Go adapters Go's own net
// type is run in the test beside pysock's as the reference.

import (
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
)

// f648ddb made MSG_ERRQUEUE follow the fd's own family (SO_DOMAIN), since
// fromfd takes the caller's word for the family; recvFlags' other rule,
// right above it, still reads the declared family: MSG_WAITALL is dropped
// from MSG_PEEK only "on an AF_UNIX stream socket", and the kernel decides
// that by the fd, as for MSG_ERRQUEUE:
//
//	>>> a, b = socket.socketpair()
//	>>> g = socket.fromfd(a.fileno(), socket.AF_INET, socket.SOCK_STREAM)
//	>>> b.send(b"abc")
//	>>> g.recv(10, socket.MSG_PEEK|socket.MSG_WAITALL)   # blocking mode
//	b'abc'                                               # at once (4e-05 s)
//
//	>>> # a TCP fd (3 bytes queued) declared AF_UNIX
//	>>> g = socket.fromfd(s.fileno(), socket.AF_UNIX, socket.SOCK_STREAM)
//	>>> g.recv(10, socket.MSG_PEEK|socket.MSG_WAITALL)
//	(waits for 10 bytes; signal.alarm(1) cut it short after 1.0 s)
//
// pysock did: the AF_UNIX fd declared AF_INET keeps MSG_WAITALL and its
// blocking recv waits for 10 bytes that never come (a hang, until closed);
// the TCP fd declared AF_UNIX drops it and returns b'abc' at once.
func TestAdaptersPeekWaitAllFollowsFd(t *testing.T) {
	t.Run("unix fd declared AF_INET", func(t *testing.T) {
		a, b, err := pysock.SocketPair(pysock.AF_UNIX, pysock.SOCK_STREAM, 0)
		if err != nil {
			t.Fatal(err)
		}
		defer a.Close()
		defer b.Close()
		g, err := pysock.FromFd(a.Fileno(), pysock.AF_INET, pysock.SOCK_STREAM)
		if err != nil {
			t.Fatal(err)
		}
		defer g.Close()
		if _, err := b.Send([]byte("abc")); err != nil {
			t.Fatal(err)
		}
		var d []byte
		ok := lateWithin(2*time.Second, func() { d, err = g.Recv(10, pysock.MSG_PEEK|pysock.MSG_WAITALL) }, func() { g.Close() })
		if !ok {
			t.Fatalf("recv(10, MSG_PEEK|MSG_WAITALL) on an AF_UNIX fd adopted as AF_INET: still waiting after 2 s (hang); CPython: b'abc' at once")
		}
		if err != nil || string(d) != "abc" {
			t.Errorf("recv(10, MSG_PEEK|MSG_WAITALL) = %q, %s; CPython: b'abc'", d, excString(err))
		}
	})
	t.Run("tcp fd declared AF_UNIX", func(t *testing.T) {
		l := revSocket(t, pysock.AF_INET, pysock.SOCK_STREAM, 0)
		if err := l.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
			t.Fatal(err)
		}
		if err := l.Listen(); err != nil {
			t.Fatal(err)
		}
		c, err := net.Dial("tcp", l.NetListener().Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		s, _, err := l.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		g, err := pysock.FromFd(s.Fileno(), pysock.AF_UNIX, pysock.SOCK_STREAM)
		if err != nil {
			t.Fatal(err)
		}
		defer g.Close()
		if _, err := c.Write([]byte("abc")); err != nil {
			t.Fatal(err)
		}
		time.Sleep(50 * time.Millisecond)
		go func() {
			time.Sleep(300 * time.Millisecond)
			c.Write([]byte("defghij"))
		}()
		var d []byte
		ok := lateWithin(5*time.Second, func() { d, err = g.Recv(10, pysock.MSG_PEEK|pysock.MSG_WAITALL) }, func() { g.Close() })
		if !ok {
			t.Fatalf("recv(10, MSG_PEEK|MSG_WAITALL): still waiting 5 s after 10 bytes were sent")
		}
		if err != nil || string(d) != "abcdefghij" {
			t.Errorf("recv(10, MSG_PEEK|MSG_WAITALL) on a TCP fd adopted as AF_UNIX = %q, %s; "+
				"CPython waits for the 10 bytes (TCP's MSG_PEEK|MSG_WAITALL): b'abcdefghij'", d, excString(err))
		}
	})
}

// Go's net: WriteTo with a typed nil address is an error, never a panic
// (UDPConn.writeTo: "if addr == nil { return 0, errMissingAddress }";
// a *net.TCPAddr on a UDPConn is EINVAL):
//
//	write udp 127.0.0.1:51534: missing address
//	write unixgram @name: missing address
//
// pysock did: fromNetAddr reads x.IP / x.Name of the nil pointer: the
// caller's goroutine panics (nil pointer dereference).
func TestAdaptersWriteToTypedNilAddr(t *testing.T) {
	u := revSocket(t, pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	if err := u.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
		t.Fatal(err)
	}
	g := revSocket(t, pysock.AF_UNIX, pysock.SOCK_DGRAM, 0)
	goU, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer goU.Close()
	goG, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: fmt.Sprintf("@pysock-rev30-%d", time.Now().UnixNano()), Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer goG.Close()
	for _, tc := range []struct {
		name string
		pc   *pysock.PacketConn
		goPC net.PacketConn
		addr net.Addr
	}{
		{"nil *net.UDPAddr", u.NetPacketConn(), goU, (*net.UDPAddr)(nil)},
		{"nil *net.TCPAddr", u.NetPacketConn(), goU, (*net.TCPAddr)(nil)},
		{"nil *net.UnixAddr", g.NetPacketConn(), goG, (*net.UnixAddr)(nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, goErr := tc.goPC.WriteTo([]byte("x"), tc.addr)
			var p any
			func() {
				defer func() { p = recover() }()
				_, err = tc.pc.WriteTo([]byte("x"), tc.addr)
			}()
			if p != nil {
				t.Errorf("PacketConn.WriteTo(b, %s) panicked: %v; Go's net returns an error: %v", tc.name, p, goErr)
			} else if err == nil {
				t.Errorf("PacketConn.WriteTo(b, %s) = nil error; Go's net: %v", tc.name, goErr)
			}
		})
	}
}

// Go's net takes a connection's remote address from accept(2), and keeps
// it: RemoteAddr of an accepted TCP conn is the peer's address even when
// the peer has reset it before Accept, and a read error names it
// ("read tcp 127.0.0.1:p->127.0.0.1:q: read: connection reset by peer").
// CPython's accept() also returns the address from accept(2).
//
// pysock did: the adapter asks getpeername(2) on each call, which is ENOTCONN
// once the connection is reset (TCP_CLOSE): RemoteAddr() is nil for an
// open, accepted conn (net/http leaves Request.RemoteAddr empty; code
// doing c.RemoteAddr().String() panics), and the read error has no peer.
func TestAdaptersAcceptedResetRemoteAddr(t *testing.T) {
	resetBeforeAccept := func(t *testing.T, addr string) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		c.(*net.TCPConn).SetLinger(0)
		c.Close() // RST
		time.Sleep(100 * time.Millisecond)
	}
	goLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer goLn.Close()
	resetBeforeAccept(t, goLn.Addr().String())
	goC, err := goLn.Accept()
	if err != nil {
		t.Fatal(err)
	}
	goRemote := goC.RemoteAddr()
	goC.Close()

	l := revSocket(t, pysock.AF_INET, pysock.SOCK_STREAM, 0)
	if err := l.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
		t.Fatal(err)
	}
	if err := l.Listen(); err != nil {
		t.Fatal(err)
	}
	ln := l.NetListener()
	resetBeforeAccept(t, ln.Addr().String())
	var c net.Conn
	if !lateWithin(5*time.Second, func() { c, err = ln.Accept() }, func() { l.Close() }) {
		t.Fatal("Accept: still waiting after 5 s")
	}
	if err != nil {
		t.Fatalf("Accept: %v (Go's net accepted it, remote %v)", err, goRemote)
	}
	defer c.Close()
	if ra := c.RemoteAddr(); ra == nil {
		t.Errorf("RemoteAddr() of an accepted conn the peer reset = nil; Go's net.TCPListener gives the peer's address (%v here)", goRemote)
	}
	if _, err := c.Read(make([]byte, 8)); err == nil || !strings.Contains(err.Error(), "->127.0.0.1:") {
		t.Errorf("Read error = %v; Go's net names both ends: read tcp 127.0.0.1:p->127.0.0.1:q: ... connection reset by peer", err)
	}
}

// Go's net keeps a conn's and a listener's addresses after Close
// (conn.LocalAddr returns c.fd.laddr; TCPListener.Addr l.fd.laddr):
//
//	tcp after close: 127.0.0.1:59566 127.0.0.1:33709
//	tcp ln after close: 127.0.0.1:33709
//
// pysock did: getsockname/getpeername on the closed socket fail, so
// LocalAddr, RemoteAddr and Listener.Addr are nil after Close (a log
// line or a deferred l.Addr().String() after Close panics).
func TestAdaptersAddrsAfterClose(t *testing.T) {
	l := revSocket(t, pysock.AF_INET, pysock.SOCK_STREAM, 0)
	if err := l.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
		t.Fatal(err)
	}
	if err := l.Listen(); err != nil {
		t.Fatal(err)
	}
	ln := l.NetListener()
	want := ln.Addr()
	c := revSocket(t, pysock.AF_INET, pysock.SOCK_STREAM, 0)
	if err := c.Connect(pysock.Tuple{"127.0.0.1", want.(*net.TCPAddr).Port}); err != nil {
		t.Fatal(err)
	}
	nc := c.NetConn()
	wantLocal := nc.LocalAddr()
	nc.Close()
	ln.Close()
	if a := ln.Addr(); a == nil || a.String() != want.String() {
		t.Errorf("Listener.Addr() after Close = %v; Go's net.TCPListener keeps %v", a, want)
	}
	if a := nc.LocalAddr(); a == nil || a.String() != wantLocal.String() {
		t.Errorf("Conn.LocalAddr() after Close = %v; Go's net.TCPConn keeps %v", a, wantLocal)
	}
	if a := nc.RemoteAddr(); a == nil || a.String() != want.String() {
		t.Errorf("Conn.RemoteAddr() after Close = %v; Go's net.TCPConn keeps %v", a, want)
	}
}

// Go's net for a raw IP socket (net.ListenIP("ip4:253", ...), an
// *net.IPConn, whose network name is "ip" as pysock's netName says):
// ReadFrom gives *net.IPAddr, and WriteTo takes one.
//
// pysock did: netAddr gives every non-SOCK_DGRAM inet address as *net.TCPAddr
// (&net.TCPAddr{IP: 127.0.0.1, Port: 0} from a raw ReadFrom), and WriteTo
// with *net.IPAddr is "TypeError: sendto(): AF_INET address must be tuple,
// not IPAddr".
func TestAdaptersRawIPAddrs(t *testing.T) {
	goR, err := net.ListenIP("ip4:253", &net.IPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Skipf("raw IP socket: %v", err)
	}
	defer goR.Close()
	r := revSocket(t, pysock.AF_INET, pysock.SOCK_RAW, 253)
	if err := r.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
		t.Fatal(err)
	}
	w := revSocket(t, pysock.AF_INET, pysock.SOCK_RAW, 253)
	wpc := w.NetPacketConn()
	dst := &net.IPAddr{IP: net.IPv4(127, 0, 0, 1)}
	if _, err := wpc.WriteTo([]byte("hi"), dst); err != nil {
		t.Errorf("raw PacketConn.WriteTo(b, %#v) = %v; Go's net.IPConn takes a *net.IPAddr", dst, err)
		if _, err := w.SendTo([]byte("hi"), pysock.Tuple{"127.0.0.1", 0}); err != nil {
			t.Fatal(err)
		}
	}
	goR.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, goFrom, goErr := goR.ReadFrom(make([]byte, 100))
	rpc := r.NetPacketConn()
	rpc.SetReadDeadline(time.Now().Add(2 * time.Second))
	_, from, err := rpc.ReadFrom(make([]byte, 100))
	if err != nil {
		t.Fatalf("raw ReadFrom: %v", err)
	}
	if _, ok := from.(*net.IPAddr); !ok {
		t.Errorf("raw PacketConn.ReadFrom address = %T %v; Go's net.IPConn gives %T %v (%v)", from, from, goFrom, goFrom, goErr)
	}
}

// Go's net sends to an IPv6 address with its zone (ipToSockaddr:
// ZoneId = zoneCache.index(zone)): to the host's own link-local address
// with Zone "lo" (the wrong interface) Go's UDPConn.WriteTo fails,
//
//	write udp6 [::]:39154->[fe80::fc:ff:fe00:1%lo]:49465: sendto: network is unreachable
//
// as CPython's sendto(b, (host, port, 0, if_nametoindex('lo'))) does.
// pysock did: fromNetAddr/netIPHost drop UDPAddr.Zone (and TCPAddr.Zone), so
// the datagram goes out with scope_id 0: here it is delivered, on a
// multi-homed host a link-local datagram leaves by whichever interface
// the kernel picks.
func TestAdaptersWriteToKeepsZone(t *testing.T) {
	var ll net.IP
	var ifname string
	ifs, _ := net.Interfaces()
	for _, ifi := range ifs {
		if ifi.Flags&net.FlagLoopback != 0 || ifi.Flags&net.FlagUp == 0 {
			continue
		}
		addrs, _ := ifi.Addrs()
		for _, a := range addrs {
			if n, ok := a.(*net.IPNet); ok && n.IP.To4() == nil && n.IP.IsLinkLocalUnicast() {
				ll, ifname = n.IP, ifi.Name
				break
			}
		}
		if ll != nil {
			break
		}
	}
	if ll == nil {
		t.Skip("no IPv6 link-local address on this host")
	}
	r, err := net.ListenUDP("udp6", &net.UDPAddr{IP: ll, Zone: ifname})
	if err != nil {
		t.Skip(err)
	}
	defer r.Close()
	port := r.LocalAddr().(*net.UDPAddr).Port
	goS, err := net.ListenUDP("udp6", &net.UDPAddr{})
	if err != nil {
		t.Skip(err)
	}
	defer goS.Close()
	dst := &net.UDPAddr{IP: ll, Port: port, Zone: "lo"}
	_, goErr := goS.WriteTo([]byte("go"), dst)
	if goErr == nil {
		t.Skipf("Go's net delivered to %v too; no reference here", dst)
	}
	s := revSocket(t, pysock.AF_INET6, pysock.SOCK_DGRAM, 0)
	if err := s.Bind(pysock.Tuple{"::", 0}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.NetPacketConn().WriteTo([]byte("pysock"), dst); err == nil {
		t.Errorf("PacketConn.WriteTo(b, %v) = nil error (Zone dropped, sent with scope_id 0); Go's net: %v", dst, goErr)
	} else if !errors.Is(err, syscall.ENETUNREACH) {
		t.Logf("WriteTo error %v; Go's net: %v", err, goErr)
	}
}

// Go's net: the zero value of a connection type is a nil connection,
// every method returns syscall.EINVAL (conn.ok(): c != nil && c.fd !=
// nil), never a panic:
//
//	var c net.TCPConn; c.Read(b)        // 0, invalid argument
//	var l net.TCPListener; l.Accept()   // nil, invalid argument
//	var p net.UDPConn; p.ReadFrom(b)    // 0, nil, invalid argument
//
// pysock guards a nil *Conn, *PacketConn and *Listener the same way, but
// not their zero values (c.s == nil): Read, Write, ReadFrom, WriteTo and
// Accept panic (nil pointer dereference). (Their Close returns nil where
// Go's gives EINVAL; not asserted here.)
func TestAdaptersZeroValues(t *testing.T) {
	var goC net.TCPConn
	_, goErr := goC.Read(make([]byte, 1))
	for name, f := range map[string]func() error{
		"Conn.Read":  func() error { var c pysock.Conn; _, err := c.Read(make([]byte, 1)); return err },
		"Conn.Write": func() error { var c pysock.Conn; _, err := c.Write([]byte("x")); return err },
		"Conn.SetDeadline": func() error {
			var c pysock.Conn
			return c.SetDeadline(time.Now())
		},
		"PacketConn.ReadFrom": func() error { var c pysock.PacketConn; _, _, err := c.ReadFrom(make([]byte, 1)); return err },
		"PacketConn.WriteTo":  func() error { var c pysock.PacketConn; _, err := c.WriteTo([]byte("x"), &net.UDPAddr{}); return err },
		"Listener.Accept":     func() error { var l pysock.Listener; _, err := l.Accept(); return err },
	} {
		var p any
		var err error
		func() {
			defer func() { p = recover() }()
			err = f()
		}()
		if p != nil {
			t.Errorf("zero %s panicked: %v; Go's net: %v", name, p, goErr)
		} else if err == nil {
			t.Errorf("zero %s = nil error; Go's net: %v", name, goErr)
		}
	}
}
