package pysock

import (
	"context"
	"math"
	"net"
	"net/netip"
	"testing"

	pyerr "github.com/pysock/pysock/errors"
)

// The fuzz targets feed arbitrary input to the argument parsers and check
// that each call either succeeds or returns a Python exception (never a
// panic, never a bare Go error). DNS is stubbed so that arbitrary host
// names cost nothing. CI runs each target briefly (.ci/run); run one
// longer with: go test -run '^$' -fuzz FuzzAddress -fuzztime 60s ./pysock

func noDNS(f *testing.F) {
	oldIP, oldCNAME, oldAddr := lookupNetIP, lookupCNAME, lookupAddr
	lookupNetIP = func(context.Context, string, string) ([]netip.Addr, error) {
		return nil, &net.DNSError{Err: "no such host", IsNotFound: true}
	}
	lookupCNAME = func(context.Context, string) (string, error) { return "", &net.DNSError{IsNotFound: true} }
	lookupAddr = func(context.Context, string) ([]string, error) { return nil, &net.DNSError{IsNotFound: true} }
	f.Cleanup(func() { lookupNetIP, lookupCNAME, lookupAddr = oldIP, oldCNAME, oldAddr })
}

// mustBePy fails unless err is nil or a Python exception.
func mustBePy(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	if _, ok := err.(pyerr.PyException); !ok {
		t.Fatalf("%s: non-Python error %T: %v", what, err, err)
	}
}

var fuzzFamilies = []AddressFamily{AF_INET, AF_INET6, AF_UNIX, AF_UNSPEC, AF_PACKET, -1, 1 << 20}

func FuzzAddress(f *testing.F) {
	noDNS(f)
	f.Add(uint8(0), "127.0.0.1", int64(80), int64(0), int64(0), uint8(2))
	f.Add(uint8(1), "::1%lo", int64(-1), int64(1<<20), int64(7), uint8(4))
	f.Add(uint8(0), "<broadcast>", int64(70000), int64(0), int64(0), uint8(2))
	f.Add(uint8(2), "\x00abstract", int64(0), int64(0), int64(0), uint8(0))
	f.Add(uint8(0), "0x7f.1", int64(1<<40), int64(0), int64(0), uint8(1))
	f.Fuzz(func(t *testing.T, fam uint8, host string, port, flow, scope int64, n uint8) {
		family := fuzzFamilies[int(fam)%len(fuzzFamilies)]
		var ra rawAddr
		tuple := Tuple{host, port, flow, scope}[:int(n)%5]
		mustBePy(t, "tuple", encodeAddr(nil, int(family), tuple, "bind", &ra))
		mustBePy(t, "string", encodeAddr(nil, int(family), host, "connect", &ra))
		mustBePy(t, "bytes", encodeAddr(nil, int(family), []byte(host), "sendto", &ra))
	})
}

func FuzzTimeout(f *testing.F) {
	f.Add(0.3, int64(5), "x", true)
	f.Add(math.NaN(), int64(-1), "", false)
	f.Add(math.Inf(1), int64(math.MaxInt64), "None", true)
	f.Add(-0.0, int64(1<<40), "1.5", false)
	f.Fuzz(func(t *testing.T, x float64, n int64, s string, b bool) {
		for _, v := range []any{x, n, s, b, nil, float32(x)} {
			ns, err := parseTimeout(v)
			mustBePy(t, "parseTimeout", err)
			if err == nil && ns < -1 {
				t.Fatalf("parseTimeout(%v) = %d", v, ns)
			}
			_, err = timeoutArg(v, 1e6, "timeout must be an integer or None")
			mustBePy(t, "timeoutArg", err)
			mustBePy(t, "SetDefaultTimeout", SetDefaultTimeout(v))
		}
		SetDefaultTimeout(nil)
	})
}

func FuzzInet(f *testing.F) {
	f.Add("127.0.0.1", []byte{127, 0, 0, 1}, 2, int64(1))
	f.Add("::ffff:1.2.3.4", []byte("0123456789abcdef"), 10, int64(-1))
	f.Add("1.2.3.4 x", []byte{}, 1, int64(1<<33))
	f.Fuzz(func(t *testing.T, s string, b []byte, fam int, n int64) {
		_, err := InetAton(s)
		mustBePy(t, "InetAton", err)
		_, err = InetNtoa(b)
		mustBePy(t, "InetNtoa", err)
		_, err = InetPton(AddressFamily(fam), s)
		mustBePy(t, "InetPton", err)
		_, err = InetNtop(AddressFamily(fam), b)
		mustBePy(t, "InetNtop", err)
		for _, fn := range []func(any) (int, error){Htons, Ntohs, Htonl, Ntohl} {
			_, err = fn(n)
			mustBePy(t, "hton", err)
		}
		_, err = CMSG_LEN(n)
		mustBePy(t, "CMSG_LEN", err)
		_, err = CMSG_SPACE(n)
		mustBePy(t, "CMSG_SPACE", err)
	})
}

func FuzzGetAddrInfo(f *testing.F) {
	noDNS(f)
	f.Add("127.0.0.1", "http", 0, 0, 0, 0, int64(80))
	f.Add("fe80::1%1", "-1", 10, 1, 6, int(AI_CANONNAME), int64(70000))
	f.Add("", " 80", 2, 3, 0, int(AI_PASSIVE), int64(-1))
	f.Add("x..y", "+", 999, 999, 999, 0x10000, int64(1<<40))
	f.Fuzz(func(t *testing.T, host, service string, family, typ, proto, flags int, port int64) {
		_, err := GetAddrInfo(host, service, family, typ, proto, flags)
		mustBePy(t, "GetAddrInfo", err)
		_, err = GetAddrInfo(nil, port, family, typ, proto, flags)
		mustBePy(t, "GetAddrInfo port", err)
		_, _, err = GetNameInfo(Tuple{host, port}, flags)
		mustBePy(t, "GetNameInfo", err)
		_, err = GetServByName(service, host)
		mustBePy(t, "GetServByName", err)
	})
}

func FuzzSelectArgs(f *testing.F) {
	f.Add(int64(3), int64(-1), 0.0, 1, int64(1))
	f.Add(int64(1024), int64(1<<40), math.NaN(), 0, int64(-5))
	f.Fuzz(func(t *testing.T, fd1, fd2 int64, timeout float64, events int, mask int64) {
		if timeout > 0 {
			timeout = 0 // never wait
		}
		_, _, _, err := Select([]any{fd1}, []any{fd2}, nil, timeout)
		mustBePy(t, "Select", err)
		p := Poll()
		mustBePy(t, "Register", p.Register(fd1, mask))
		mustBePy(t, "Modify", p.Modify(fd2, mask))
		if math.IsNaN(timeout) || math.IsInf(timeout, 0) {
			_, err = p.Poll(timeout) // parse errors only: these never wait
			mustBePy(t, "Poll", err)
		}
		_, err = p.Poll(0)
		mustBePy(t, "Poll", err)
		for _, sel := range []Selector{NewSelectSelector(), NewPollSelector()} {
			_, err = sel.Register(fd1, events)
			mustBePy(t, "selector Register", err)
			_, err = sel.Select(0)
			mustBePy(t, "selector Select", err)
			_, err = sel.Unregister(fd1)
			mustBePy(t, "selector Unregister", err)
			sel.Close()
		}
	})
}

func FuzzRecvArgs(f *testing.F) {
	f.Add(16, 0, 0, []byte("hello"))
	f.Add(-1, 5, int(MSG_PEEK), []byte{})
	f.Add(1<<30, -3, int(MSG_OOB|MSG_WAITALL), []byte("x"))
	f.Fuzz(func(t *testing.T, bufsize, nbytes, flags int, data []byte) {
		a, b, err := SocketPair(-1, -1, -1)
		if err != nil {
			t.Skip(err)
		}
		defer a.Close()
		defer b.Close()
		a.SetBlocking(false)
		b.SetBlocking(false)
		_, err = b.Send(data, MsgFlag(flags)&^MSG_WAITALL)
		mustBePy(t, "Send", err)
		size := bufsize
		if size > 1<<16 {
			size = 1 << 16
		}
		_, err = a.Recv(size, MsgFlag(flags))
		mustBePy(t, "Recv", err)
		buf := make([]byte, max(0, size%4096))
		_, err = a.RecvInto(buf, nbytes, flags)
		mustBePy(t, "RecvInto", err)
		_, _, err = a.RecvFromInto(buf, nbytes, flags)
		mustBePy(t, "RecvFromInto", err)
		_, err = a.RecvMsg(size, nbytes%4096, flags)
		mustBePy(t, "RecvMsg", err)
	})
}
