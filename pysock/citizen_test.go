package pysock_test

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// TestAddressAccessors: addr[0]/addr[1] and netip forms of every family's
// address, without a type assertion that would panic on IPv6.
func TestAddressAccessors(t *testing.T) {
	for _, c := range []struct {
		addr       pysock.Address
		host       string
		port       int
		ok         bool
		ap         string
		apOK       bool
		familyName string
	}{
		{pysock.InetAddr{Host: "127.0.0.1", Port: 80}, "127.0.0.1", 80, true, "127.0.0.1:80", true, "inet"},
		{pysock.InetAddr{Host: "localhost", Port: 80}, "localhost", 80, true, "", false, "inet name"},
		{pysock.Inet6Addr{Host: "::1", Port: 8080}, "::1", 8080, true, "[::1]:8080", true, "inet6"},
		{pysock.Inet6Addr{Host: "fe80::1", Port: 1, ScopeID: 2}, "fe80::1", 1, true, "[fe80::1%2]:1", true, "inet6 scope"},
		{pysock.UnixAddr("/tmp/x"), "", 0, false, "", false, "unix"},
	} {
		h, p, ok := c.addr.HostPort()
		if h != c.host || p != c.port || ok != c.ok {
			t.Errorf("%s: HostPort = %q, %d, %v", c.familyName, h, p, ok)
		}
		ap, apOK := c.addr.AddrPort()
		if apOK != c.apOK || apOK && ap != netip.MustParseAddrPort(c.ap) {
			t.Errorf("%s: AddrPort = %v, %v, want %s", c.familyName, ap, apOK, c.ap)
		}
	}
	s, err := pysock.NewSocket(pysock.AF_INET6, pysock.SOCK_STREAM, 0)
	if err != nil {
		t.Skip("no IPv6:", err)
	}
	defer s.Close()
	if err := s.Bind(pysock.Tuple{"::1", 0}); err != nil {
		t.Skip("no IPv6 loopback:", err)
	}
	a, _ := s.GetSockName()
	if _, port, ok := a.HostPort(); !ok || port == 0 {
		t.Errorf("getsockname()[1] of an IPv6 socket: %d, %v", port, ok)
	}
}

// TestGetSockOptTyped: the typed getsockopt forms return what GetSockOpt
// returns as any, with CPython's buflen errors.
func TestGetSockOptTyped(t *testing.T) {
	checkFDs(t)
	s, _ := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
	defer s.Close()
	if v, err := s.GetSockOptInt(pysock.SOL_SOCKET, pysock.SO_TYPE); err != nil || v != int(pysock.SOCK_STREAM) {
		t.Errorf("GetSockOptInt(SO_TYPE) = %v, %v", v, err)
	}
	if b, err := s.GetSockOptBytes(pysock.SOL_SOCKET, pysock.SO_TYPE, 4); err != nil || len(b) != 4 || b[0] != 1 {
		t.Errorf("GetSockOptBytes(SO_TYPE, 4) = %v, %v", b, err)
	}
	for _, n := range []int{0, -1, 1025} {
		if _, err := s.GetSockOptBytes(pysock.SOL_SOCKET, pysock.SO_TYPE, n); err == nil || err.Error() != "getsockopt buflen out of range" {
			t.Errorf("GetSockOptBytes(buflen=%d) = %v", n, err)
		}
	}
}

// TestIsInstanceWrapped: isinstance looks through wrapping, as errors.As
// does.
func TestIsInstanceWrapped(t *testing.T) {
	err := fmt.Errorf("context: %w", pyerr.NewSocketTimeout())
	if !pyerr.IsInstance(err, "TimeoutError") || !pyerr.IsInstance(err, "OSError") || pyerr.IsInstance(err, "ValueError") {
		t.Errorf("IsInstance through a wrapper: wrong answers for %v", err)
	}
	if pyerr.IsInstance(errors.New("plain"), "Exception") {
		t.Error("a plain Go error is not a Python exception")
	}
}

// TestAdapterErrorsAreOpErrors: the net adapters' errors are *net.OpError
// as Go's net gives them, with the Python exception inside.
func TestAdapterErrorsAreOpErrors(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer b.Close()
	c := a.NetConn()
	c.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
	_, err := c.Read(make([]byte, 1))
	var oe *net.OpError
	var ne net.Error
	var te *pyerr.TimeoutError
	if !errors.As(err, &oe) || oe.Op != "read" || oe.Net != "unix" || !errors.As(err, &ne) || !ne.Timeout() ||
		!errors.Is(err, os.ErrDeadlineExceeded) || !errors.As(err, &te) {
		t.Errorf("Read past the deadline = %#v", err)
	}
	c.Close()
	_, err = c.Write([]byte("x"))
	var pe *pyerr.OSError
	if !errors.As(err, &oe) || oe.Op != "write" || !errors.Is(err, net.ErrClosed) || !errors.As(err, &pe) || pe.Errno != 9 {
		t.Errorf("Write after Close = %#v", err)
	}
	b.Close()
	if _, err := b.NetConn().Read(make([]byte, 1)); !errors.Is(err, net.ErrClosed) {
		t.Errorf("Read after Close = %v", err)
	}
	srv, _ := listener(t)
	ln := srv.NetListener()
	ln.Close()
	if _, err := ln.Accept(); !errors.As(err, &oe) || oe.Op != "accept" || !errors.Is(err, net.ErrClosed) {
		t.Errorf("Accept after Close = %#v", err)
	}
}
