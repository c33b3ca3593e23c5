package pysock_test

// Outside review of fa63745 (the adapters cache their addresses),
// 2026-12-03. Each test here failed on fa63745. Go's net is the reference
// for the adapters: a net.Conn's LocalAddr is the address the socket is
// bound to (Go reads getsockname once the socket is bound or connected),
// never the unspecified address of a socket not yet bound.

import (
	"net"
	"testing"

	"github.com/pysock/pysock/pysock"
)

// A Conn made with NetConn() before connect(): fa63745 reads getsockname
// at NetConn() time and keeps it. getsockname of an unbound socket does
// not fail, it gives ('0.0.0.0', 0), so that is cached for ever: after
// connect(), LocalAddr() stays 0.0.0.0:0 while getsockname (CPython:
// s.getsockname() after s.connect() is ('127.0.0.1', <ephemeral>)) and
// Go's net (net.Dial's LocalAddr) give the bound address. RemoteAddr is
// read again because getpeername failed (ENOTCONN), so it is right: the
// two addresses of the same Conn disagree.
func TestLastNetConnBeforeConnectLocalAddr(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		if c, err := ln.Accept(); err == nil {
			c.Close()
		}
	}()
	s := revSocket(t, pysock.AF_INET, pysock.SOCK_STREAM, 0)
	c := s.NetConn()
	port := ln.Addr().(*net.TCPAddr).Port
	if err := s.Connect(pysock.Tuple{"127.0.0.1", port}); err != nil {
		t.Fatal(err)
	}
	sn, err := s.GetSockName()
	if err != nil {
		t.Fatal(err)
	}
	gc, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer gc.Close()
	if ra := c.RemoteAddr(); ra == nil || ra.String() != ln.Addr().String() {
		t.Errorf("RemoteAddr() after connect = %v; want %v", ra, ln.Addr())
	}
	la := c.LocalAddr()
	if la == nil {
		t.Fatalf("LocalAddr() after connect = nil; getsockname = %v", sn)
	}
	tl, ok := la.(*net.TCPAddr)
	if !ok || tl.Port == 0 || !tl.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("LocalAddr() after connect = %v; getsockname() = %v, Go's net.Dial LocalAddr = %v (the bound address, never 0.0.0.0:0)", la, sn, gc.LocalAddr())
	}
}

// NetPacketConn() on a datagram socket, then bind(): the 0.0.0.0:0 read
// at NetPacketConn() time stays LocalAddr() for ever. A caller that
// hands the PacketConn out and binds the socket afterwards (or lets a
// first WriteTo bind it) gets a LocalAddr with port 0, which cannot be
// replied to; getsockname gives the bound port.
func TestLastNetPacketConnBindAfterLocalAddr(t *testing.T) {
	s := revSocket(t, pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	pc := s.NetPacketConn()
	if err := s.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
		t.Fatal(err)
	}
	sn, err := s.GetSockName()
	if err != nil {
		t.Fatal(err)
	}
	la, ok := pc.LocalAddr().(*net.UDPAddr)
	if !ok || la.Port == 0 || !la.IP.Equal(net.IPv4(127, 0, 0, 1)) {
		t.Errorf("LocalAddr() after bind = %v; getsockname() = %v", pc.LocalAddr(), sn)
	}

	// The same through an implicit bind: a first WriteTo on an unbound
	// socket binds it to an ephemeral port.
	u := revSocket(t, pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	upc := u.NetPacketConn()
	dst, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if _, err := upc.WriteTo([]byte("x"), dst.LocalAddr()); err != nil {
		t.Fatal(err)
	}
	usn, _ := u.GetSockName()
	if la, ok := upc.LocalAddr().(*net.UDPAddr); !ok || la.Port == 0 {
		t.Errorf("LocalAddr() after the first WriteTo = %v; getsockname() = %v (the port the peer sees)", upc.LocalAddr(), usn)
	}
}
