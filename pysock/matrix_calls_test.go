package pysock_test

// The calls of the differential matrix, twice: mxRefRun is what CPython 3.11
// does on a raw fd (Modules/socketmodule.c's sock_call_ex and
// internal_connect, Lib/socket.py's sendfile), mxPyRun the same call on a
// pysock Socket. Both describe the result as a string; equal strings agree.
// mxRefRun and its helpers are in matrix_ref_test.go.

import (
	"errors"
	"fmt"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// mxCall is one call of the matrix; flags is -1 for calls without flags.
type mxCall struct {
	name  string
	flags int
}

var mxFlags = []struct {
	name string
	v    int
}{{"0", 0}, {"PEEK", unix.MSG_PEEK}, {"WAITALL", unix.MSG_WAITALL}, {"TRUNC", unix.MSG_TRUNC}, {"DONTWAIT", unix.MSG_DONTWAIT}}

func mxFlagName(f int) string {
	if f < 0 {
		return "-"
	}
	for _, x := range mxFlags {
		if x.v == f {
			return x.name
		}
	}
	return fmt.Sprint(f)
}

// mxCalls is every call × every flag it takes. The send calls take flags
// too, so they get all five (the kernel ignores or refuses the receive
// flags there: that is a result like any other). accept, connect and
// sendfile take no flags: one cell each. connect_refused is connect to a
// bound, not listening, address.
func mxCalls() []mxCall {
	var cs []mxCall
	for _, n := range []string{"recv", "recv_into", "recvfrom", "recvfrom_into", "recvmsg", "send", "sendall", "sendto", "sendmsg"} {
		for _, f := range mxFlags {
			cs = append(cs, mxCall{n, f.v})
		}
	}
	for _, n := range []string{"accept", "connect", "connect_refused", "sendfile"} {
		cs = append(cs, mxCall{n, -1})
	}
	return cs
}

func mxOSError(err error) *pyerr.OSError {
	var oe *pyerr.OSError
	if errors.As(err, &oe) {
		return oe
	}
	return nil
}

// mxPyErr describes a pysock error as the Python exception's identity: the
// errno where there is one, "timeout" for TimeoutError('timed out').
func mxPyErr(err error) string {
	if oe := mxOSError(err); oe != nil {
		switch {
		case oe.HasErrno:
			return fmt.Sprintf("errno=%d", oe.Errno)
		case oe.Timeout():
			return "timeout"
		}
		return "OSError: " + oe.Error()
	}
	if pe, ok := err.(pyerr.PyException); ok {
		return pe.ClassName() + ": " + err.Error()
	}
	return fmt.Sprintf("go error %T: %v", err, err)
}

func mxPyAddrDesc(a pysock.Address) string {
	switch x := a.(type) {
	case nil:
		return "None"
	case pysock.InetAddr:
		return "inet"
	case pysock.Inet6Addr:
		return "inet6"
	case pysock.UnixAddr:
		if x == "" {
			return "unix"
		}
		return "unix:named"
	}
	return fmt.Sprintf("%T", a)
}

// mxRawAddrDesc is mxPyAddrDesc for a kernel-filled sockaddr.
func mxRawAddrDesc(rsa *unix.RawSockaddrAny, n uint32) string {
	if n == 0 {
		return "None"
	}
	switch rsa.Addr.Family {
	case unix.AF_INET:
		return "inet"
	case unix.AF_INET6:
		return "inet6"
	case unix.AF_UNIX:
		if n <= 2 {
			return "unix"
		}
		return "unix:named"
	}
	return fmt.Sprintf("family %d", rsa.Addr.Family)
}

// mxData is the data part of a receive result; with MSG_TRUNC the buffer
// holds nothing meaningful (CPython returns uninitialised memory there).
func mxData(flags int, b []byte) string {
	if flags >= 0 && flags&unix.MSG_TRUNC != 0 {
		return ""
	}
	return fmt.Sprintf(" %q", b)
}

// mxRecvResult formats a receive of n bytes into buf as CPython returns it.
func mxRecvResult(name string, flags, n int, buf []byte, addr string, msgFlags int) string {
	got := buf[:min(n, len(buf))]
	switch name {
	case "recv", "recv_into":
		return fmt.Sprintf("n=%d%s", n, mxData(flags, got))
	case "recvfrom", "recvfrom_into":
		return fmt.Sprintf("n=%d%s addr=%s", n, mxData(flags, got), addr)
	}
	// recvmsg: the bytes object is shrunk to n, never grown.
	return fmt.Sprintf("len=%d%s msg_flags=%#x addr=%s", len(got), mxData(flags, got), msgFlags, addr)
}

// mxPyRun makes call c on s (whatever its mode) and describes the result.
func mxPyRun(c mxCall, s *pysock.Socket, e *mxEnv) string {
	buf := make([]byte, mxBufSize)
	fl := max(c.flags, 0)
	switch c.name {
	case "recv":
		b, err := s.Recv(mxBufSize, pysock.MsgFlag(fl))
		if err != nil {
			return mxPyErr(err)
		}
		return mxRecvResult(c.name, c.flags, len(b), b, "", 0)
	case "recv_into":
		n, err := s.RecvInto(buf, 0, fl)
		if err != nil {
			return mxPyErr(err)
		}
		return mxRecvResult(c.name, c.flags, n, buf, "", 0)
	case "recvfrom":
		b, a, err := s.RecvFrom(mxBufSize, pysock.MsgFlag(fl))
		if err != nil {
			return mxPyErr(err)
		}
		return mxRecvResult(c.name, c.flags, len(b), b, mxPyAddrDesc(a), 0)
	case "recvfrom_into":
		n, a, err := s.RecvFromInto(buf, 0, fl)
		if err != nil {
			return mxPyErr(err)
		}
		return mxRecvResult(c.name, c.flags, n, buf, mxPyAddrDesc(a), 0)
	case "recvmsg":
		m, err := s.RecvMsg(mxBufSize, 0, fl)
		if err != nil {
			return mxPyErr(err)
		}
		return mxRecvResult(c.name, c.flags, len(m.Data), m.Data, mxPyAddrDesc(m.Address), m.MsgFlags)
	case "send":
		n, err := s.Send(mxSendPayload, pysock.MsgFlag(fl))
		if err != nil {
			return mxPyErr(err)
		}
		return fmt.Sprintf("n=%d", n)
	case "sendall":
		if err := s.SendAll(mxSendPayload, pysock.MsgFlag(fl)); err != nil {
			return mxPyErr(err)
		}
		return "ok"
	case "sendto":
		n, err := s.SendTo(mxSendPayload, fl, mxPyAddr(e.dst))
		if err != nil {
			return mxPyErr(err)
		}
		return fmt.Sprintf("n=%d", n)
	case "sendmsg":
		n, err := s.SendMsg([][]byte{mxSendPayload}, nil, fl)
		if err != nil {
			return mxPyErr(err)
		}
		return fmt.Sprintf("n=%d", n)
	case "accept":
		ns, a, err := s.Accept()
		if err != nil {
			return mxPyErr(err)
		}
		ns.Close()
		return "accepted " + mxPyAddrDesc(a)
	case "connect", "connect_refused":
		if err := s.Connect(mxPyAddr(e.dst)); err != nil {
			return mxPyErr(err)
		}
		return "ok"
	case "sendfile":
		n, err := s.SendFile(e.file)
		if err != nil {
			return mxPyErr(err)
		}
		return fmt.Sprintf("n=%d", n)
	}
	panic("unknown call " + c.name)
}
