package pysock_test

// The worlds of the differential matrix (see matrix_states_test.go): mxEnv
// holds one world's built state (the subject and the raw peers, listeners
// and sinks around it), and its build steps put the subject into each
// state of mxStreamStates and mxDgramStates.

import (
	"errors"
	"fmt"
	"os"
	"time"

	"golang.org/x/sys/unix"
)

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
