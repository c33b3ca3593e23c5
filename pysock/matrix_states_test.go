package pysock_test

// State builders of the differential matrix (see matrix_test.go): every
// state is built by the same steps twice, once on a raw fd (the reference:
// x/sys/unix, kernel flag blocking) and once on a pysock Socket (blocking
// mode). The peers, listeners and sinks around the subject are raw fds in
// both worlds; only the subject differs. This file has the kinds, the
// states and the two subjects; mxEnv and the build steps are in
// matrix_build_test.go.

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
	"unsafe"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// mxKind is a (family, type) pair; its name is the matrix's "family".
type mxKind struct {
	name   string
	family int
	typ    int
}

func (k mxKind) stream() bool { return k.typ != unix.SOCK_DGRAM }

var mxKinds = []mxKind{
	{"tcp4", unix.AF_INET, unix.SOCK_STREAM},
	{"tcp6", unix.AF_INET6, unix.SOCK_STREAM},
	{"unix-stream", unix.AF_UNIX, unix.SOCK_STREAM},
	{"unix-seqpacket", unix.AF_UNIX, unix.SOCK_SEQPACKET},
	{"udp4", unix.AF_INET, unix.SOCK_DGRAM},
	{"udp6", unix.AF_INET6, unix.SOCK_DGRAM},
	{"unix-dgram", unix.AF_UNIX, unix.SOCK_DGRAM},
}

// Connection-oriented states (stream and seqpacket).
var mxStreamStates = []string{
	"closed", "fresh", "bound", "listening", "listen_pending",
	"conn_nodata", "conn_data", "conn_full", "peer_fin", "peer_rst",
	"shut_rd", "shut_wr", "shut_rdwr",
}

// Datagram states. "listening" is left out (listen(2) on a datagram socket
// fails, so the state cannot be built); "full" only for AF_UNIX, because
// UDP applies no back-pressure to a sender on loopback (it drops), so a
// filled UDP socket does not exist.
var mxDgramStates = []string{
	"closed", "fresh", "bound", "bound_data", "bound_shut_rdwr",
	"connected", "connected_data", "peer_closed",
	"shut_rd", "shut_wr", "shut_rdwr", "full",
}

func mxStates(k mxKind) []string {
	if k.stream() {
		return mxStreamStates
	}
	if k.family != unix.AF_UNIX {
		return mxDgramStates[:len(mxDgramStates)-1]
	}
	return mxDgramStates
}

// Payloads: a stream peer sends 5 bytes (less than the 64-byte receive
// buffer, so MSG_WAITALL must wait); a datagram peer sends 100 bytes (more
// than the buffer, so truncation shows).
var (
	mxStreamPayload = []byte("hello")
	mxDgramPayload  = []byte(strings.Repeat("d", 100))
	mxSendPayload   = []byte("world")
)

const mxBufSize = 64

// mxSubj is the socket under test in one world.
type mxSubj interface {
	bind(sa unix.Sockaddr) error
	listen() error
	connect(sa unix.Sockaddr) error
	shutdown(how int) error
	setInt(level, opt, v int) error
	sendNB(p []byte) (int, error) // MSG_DONTWAIT send, to fill buffers
	fd() int                      // for settle polls and getsockname only
	close() error
}

// refSubj is the reference: a raw fd with the kernel flag blocking.
type refSubj struct{ f int }

func newRefSubj(k mxKind) (*refSubj, error) {
	fd, err := unix.Socket(k.family, k.typ|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return &refSubj{f: fd}, nil
}

func (r *refSubj) bind(sa unix.Sockaddr) error    { return unix.Bind(r.f, sa) }
func (r *refSubj) listen() error                  { return unix.Listen(r.f, 128) }
func (r *refSubj) connect(sa unix.Sockaddr) error { return unix.Connect(r.f, sa) }
func (r *refSubj) shutdown(how int) error         { return unix.Shutdown(r.f, how) }
func (r *refSubj) setInt(l, o, v int) error       { return unix.SetsockoptInt(r.f, l, o, v) }
func (r *refSubj) sendNB(p []byte) (int, error) {
	n, _, e := unix.Syscall6(unix.SYS_SENDTO, uintptr(r.f), uintptr(unsafe.Pointer(&p[0])), uintptr(len(p)),
		unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL, 0, 0)
	if e != 0 {
		return 0, e
	}
	return int(n), nil
}
func (r *refSubj) fd() int { return r.f }
func (r *refSubj) close() error {
	if r.f < 0 {
		return nil
	}
	err := unix.Close(r.f)
	r.f = -1 // CPython's closed socket calls with fd -1 (INVALID_SOCKET)
	return err
}

// pySubj is a pysock Socket in blocking mode.
type pySubj struct{ s *pysock.Socket }

func newPySubj(k mxKind) (*pySubj, error) {
	s, err := pysock.NewSocket(pysock.AddressFamily(k.family), pysock.SocketKind(k.typ), 0)
	if err != nil {
		return nil, err
	}
	return &pySubj{s: s}, nil
}

func (p *pySubj) bind(sa unix.Sockaddr) error    { return p.s.Bind(mxPyAddr(sa)) }
func (p *pySubj) listen() error                  { return p.s.Listen(128) }
func (p *pySubj) connect(sa unix.Sockaddr) error { return p.s.Connect(mxPyAddr(sa)) }
func (p *pySubj) shutdown(how int) error         { return p.s.Shutdown(how) }
func (p *pySubj) setInt(l, o, v int) error       { return p.s.SetSockOpt(l, o, v) }
func (p *pySubj) sendNB(b []byte) (int, error)   { return p.s.Send(b, unix.MSG_DONTWAIT) }
func (p *pySubj) fd() int                        { return p.s.Fileno() }
func (p *pySubj) close() error                   { return p.s.Close() }

// mxPyAddr is the Python address for a raw one.
func mxPyAddr(sa unix.Sockaddr) any {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		return pysock.Tuple{fmt.Sprintf("%d.%d.%d.%d", a.Addr[0], a.Addr[1], a.Addr[2], a.Addr[3]), a.Port}
	case *unix.SockaddrInet6:
		return pysock.Tuple{"::1", a.Port}
	case *unix.SockaddrUnix:
		if strings.HasPrefix(a.Name, "@") {
			return "\x00" + a.Name[1:]
		}
		return a.Name
	}
	panic(fmt.Sprintf("mxPyAddr: %T", sa))
}

// mxLoopback is the wildcard-port loopback address of k (autobind for
// AF_UNIX: an empty name).
func mxLoopback(k mxKind) unix.Sockaddr {
	switch k.family {
	case unix.AF_INET:
		return &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}
	case unix.AF_INET6:
		return &unix.SockaddrInet6{Addr: [16]byte{15: 1}}
	}
	return &unix.SockaddrUnix{}
}

// mxErrno is the errno of a pysock or raw error, or -1.
func mxErrno(err error) int {
	var en syscall.Errno
	if errors.As(err, &en) {
		return int(en)
	}
	if oe := mxOSError(err); oe != nil && oe.HasErrno {
		return oe.Errno
	}
	return -1
}
