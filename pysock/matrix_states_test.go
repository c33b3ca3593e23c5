package pysock_test

// State builders of the differential matrix (see matrix_test.go): every
// state is built by the same steps twice, once on a raw fd (the reference:
// x/sys/unix, kernel flag blocking) and once on a pysock Socket (blocking
// mode). The peers, listeners and sinks around the subject are raw fds in
// both worlds; only the subject differs.

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
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
	s, err := pysock.NewSocket(k.family, k.typ, 0)
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

// mxEnv is one world's built state.
type mxEnv struct {
	subj  mxSubj
	raw   []int         // peers, listeners, sinks: closed by cleanup
	peer  int           // the connected peer's fd, -1 if none
	dst   unix.Sockaddr // sendto's and connect's target
	notes []string      // results of the subject's build steps (compared across worlds)
	file  *os.File      // sendfile's source
}

func (e *mxEnv) note(step string, err error) {
	if err != nil {
		e.notes = append(e.notes, fmt.Sprintf("%s:%d", step, mxErrno(err)))
	}
}

// closePeers closes every raw fd of the environment (also used to unblock
// a call stuck in the kernel).
func (e *mxEnv) closePeers() {
	for _, fd := range e.raw {
		unix.Close(fd)
	}
	e.raw = nil
}

func (e *mxEnv) cleanup() {
	e.closePeers()
	if e.file != nil {
		e.file.Close()
	}
}

func (e *mxEnv) rawSocket(k mxKind, nonblock bool) (int, error) {
	fl := unix.SOCK_CLOEXEC
	if nonblock {
		fl |= unix.SOCK_NONBLOCK
	}
	fd, err := unix.Socket(k.family, k.typ|fl, 0)
	if err == nil {
		e.raw = append(e.raw, fd)
	}
	return fd, err
}

// rawBound is a raw socket of k bound to loopback, and its address.
func (e *mxEnv) rawBound(k mxKind, nonblock bool) (int, unix.Sockaddr, error) {
	fd, err := e.rawSocket(k, nonblock)
	if err != nil {
		return -1, nil, err
	}
	if err := unix.Bind(fd, mxLoopback(k)); err != nil {
		return -1, nil, err
	}
	sa, err := unix.Getsockname(fd)
	return fd, sa, err
}

// rawListener is a non-blocking raw listener of k; rcvbuf > 0 sets
// SO_RCVBUF first (accepted sockets inherit it).
func (e *mxEnv) rawListener(k mxKind, rcvbuf int) (int, unix.Sockaddr, error) {
	fd, sa, err := e.rawBound(k, true)
	if err != nil {
		return -1, nil, err
	}
	if rcvbuf > 0 {
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, rcvbuf); err != nil {
			return -1, nil, err
		}
	}
	return fd, sa, unix.Listen(fd, 128)
}

// mxPoll waits up to d for events on fd; it reports whether any came.
func mxPoll(fd int, events int16, d time.Duration) bool {
	if fd < 0 {
		return false
	}
	deadline := time.Now().Add(d)
	for {
		ms := int(time.Until(deadline).Milliseconds())
		if ms < 0 {
			return false
		}
		p := []unix.PollFd{{Fd: int32(fd), Events: events}}
		n, err := unix.Poll(p, ms)
		if err == unix.EINTR {
			continue
		}
		return n > 0
	}
}

// rawAccept accepts on a non-blocking listener, waiting at most 2 s.
func (e *mxEnv) rawAccept(l int) (int, error) {
	if !mxPoll(l, unix.POLLIN, 2*time.Second) {
		return -1, errors.New("no connection to accept within 2 s")
	}
	fd, _, err := unix.Accept4(l, unix.SOCK_CLOEXEC)
	if err == nil {
		e.raw = append(e.raw, fd)
	}
	return fd, err
}

// settle waits (bounded, a measurement) for the kernel to deliver what a
// peer did: data, FIN, RST or an ICMP error.
func (e *mxEnv) settle(events int16) {
	if !mxPoll(e.subj.fd(), events, 2*time.Second) {
		e.notes = append(e.notes, "settle:timeout")
	}
}

// fill sends with MSG_DONTWAIT until the kernel refuses more, then checks
// (bounded) that no acknowledgement frees room afterwards: on TCP the
// receiver's delayed ACK (40 ms and more) frees the sender's buffer once,
// after which the filled state is stable; quiet is how long no room may
// appear for the state to count as full.
func (e *mxEnv) fill(quiet time.Duration) error {
	chunk := make([]byte, 1024)
	for total := 0; total < 64<<20; {
		n, err := e.subj.sendNB(chunk)
		total += n
		if err == nil {
			continue
		}
		if mxErrno(err) != int(unix.EAGAIN) {
			return fmt.Errorf("fill: %v", err)
		}
		if !mxPoll(e.subj.fd(), unix.POLLOUT, quiet) {
			return nil
		}
	}
	return errors.New("fill: 64 MiB sent without filling the buffer")
}

// mxBuild builds state st of kind k around subj. Errors are harness
// failures (a raw peer step failed); the subject's own step failures are
// notes, compared between the worlds.
func mxBuild(k mxKind, st string, c mxCall, subj mxSubj, srcFile string) (*mxEnv, error) {
	e := &mxEnv{subj: subj, peer: -1}
	var err error
	if c.name == "sendfile" {
		if e.file, err = os.Open(srcFile); err != nil {
			return e, err
		}
	}
	if err := e.buildState(k, st); err != nil {
		return e, err
	}
	return e, e.buildTarget(k, c)
}

func (e *mxEnv) buildTarget(k mxKind, c mxCall) error {
	var err error
	switch {
	case c.name == "connect" && k.stream():
		_, e.dst, err = e.rawListener(k, 0)
	case c.name == "connect_refused" && k.stream():
		_, e.dst, err = e.rawBound(k, true) // bound, not listening
	case c.name == "connect_refused":
		var fd int
		fd, e.dst, err = e.rawBound(k, true) // bound, then closed
		if err == nil {
			unix.Close(fd)
			e.raw = e.raw[:len(e.raw)-1]
		}
	case c.name == "connect" || c.name == "sendto" && e.peer < 0:
		_, e.dst, err = e.rawBound(k, true) // a sink
	case c.name == "sendto":
		e.dst, err = unix.Getsockname(e.peer)
	}
	return err
}

func (e *mxEnv) buildState(k mxKind, st string) error {
	s := e.subj
	switch st {
	case "closed":
		e.note("close", s.close())
		return nil
	case "fresh":
		return nil
	}
	if k.stream() {
		return e.buildStream(k, st)
	}
	return e.buildDgram(k, st)
}

func (e *mxEnv) buildStream(k mxKind, st string) error {
	s := e.subj
	switch st {
	case "bound":
		e.note("bind", s.bind(mxLoopback(k)))
		return nil
	case "listening", "listen_pending":
		e.note("bind", s.bind(mxLoopback(k)))
		e.note("listen", s.listen())
		if st == "listening" {
			return nil
		}
		sa, err := unix.Getsockname(s.fd())
		if err != nil {
			return err
		}
		c, err := e.rawSocket(k, true)
		if err != nil {
			return err
		}
		if err := unix.Connect(c, sa); err != nil && err != unix.EINPROGRESS {
			return err
		}
		e.settle(unix.POLLIN)
		return nil
	}
	full := st == "conn_full"
	rcvbuf := 0
	if full {
		rcvbuf = 4096
		e.note("sndbuf", s.setInt(unix.SOL_SOCKET, unix.SO_SNDBUF, 4096))
	}
	l, lsa, err := e.rawListener(k, rcvbuf)
	if err != nil {
		return err
	}
	e.note("connect", s.connect(lsa))
	if e.peer, err = e.rawAccept(l); err != nil {
		return err
	}
	switch st {
	case "conn_nodata":
	case "conn_data":
		if _, err := unix.SendmsgN(e.peer, mxStreamPayload, nil, nil, unix.MSG_DONTWAIT); err != nil {
			return err
		}
		e.settle(unix.POLLIN)
	case "conn_full":
		quiet := 50 * time.Millisecond
		if k.family != unix.AF_UNIX {
			quiet = 300 * time.Millisecond
		}
		return e.fill(quiet)
	case "peer_fin", "peer_rst":
		if st == "peer_rst" {
			if err := unix.SetsockoptLinger(e.peer, unix.SOL_SOCKET, unix.SO_LINGER, &unix.Linger{Onoff: 1, Linger: 0}); err != nil {
				return err
			}
		}
		e.closeRaw(e.peer)
		e.peer = -1
		e.settle(unix.POLLIN | unix.POLLRDHUP)
	case "shut_rd":
		e.note("shutdown", s.shutdown(unix.SHUT_RD))
	case "shut_wr":
		e.note("shutdown", s.shutdown(unix.SHUT_WR))
	case "shut_rdwr":
		e.note("shutdown", s.shutdown(unix.SHUT_RDWR))
	default:
		return fmt.Errorf("unknown stream state %q", st)
	}
	return nil
}

func (e *mxEnv) closeRaw(fd int) {
	for i, f := range e.raw {
		if f == fd {
			e.raw = append(e.raw[:i], e.raw[i+1:]...)
			break
		}
	}
	unix.Close(fd)
}

func (e *mxEnv) buildDgram(k mxKind, st string) error {
	s := e.subj
	e.note("bind", s.bind(mxLoopback(k)))
	if st == "bound" {
		return nil
	}
	if st == "bound_shut_rdwr" {
		// ENOTCONN on an unconnected socket, but Linux records the
		// shutdown anyway (inet_shutdown's "hack to wake up listeners").
		e.note("shutdown", s.shutdown(unix.SHUT_RDWR))
		return nil
	}
	self, err := unix.Getsockname(s.fd())
	if err != nil {
		return err
	}
	p, psa, err := e.rawBound(k, true)
	if err != nil {
		return err
	}
	e.peer = p
	if st == "bound_data" {
		if err := unix.Sendto(p, mxDgramPayload, unix.MSG_DONTWAIT, self); err != nil {
			return err
		}
		e.settle(unix.POLLIN)
		return nil
	}
	e.note("connect", s.connect(psa))
	switch st {
	case "connected":
	case "connected_data":
		if err := unix.Sendto(p, mxDgramPayload, unix.MSG_DONTWAIT, self); err != nil {
			return err
		}
		e.settle(unix.POLLIN)
	case "peer_closed":
		e.closeRaw(p)
		e.peer = -1
		if k.family != unix.AF_UNIX {
			// The ICMP port unreachable for this datagram sets the
			// connected socket's pending error (ECONNREFUSED).
			_, err := s.sendNB([]byte("x"))
			e.note("send", err)
			e.settle(unix.POLLERR)
		}
	case "shut_rd":
		e.note("shutdown", s.shutdown(unix.SHUT_RD))
	case "shut_wr":
		e.note("shutdown", s.shutdown(unix.SHUT_WR))
	case "shut_rdwr":
		e.note("shutdown", s.shutdown(unix.SHUT_RDWR))
	case "full":
		return e.fill(50 * time.Millisecond)
	default:
		return fmt.Errorf("unknown datagram state %q", st)
	}
	return nil
}
