package pysock

import (
	"context"
	"errors"
	"math"
	"os"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
	"unsafe"

	pyerr "github.com/pysock/pysock/errors"
	"golang.org/x/sys/unix"
)

// I/O operations run by doRead / doWrite.
const (
	opRecv uint8 = iota
	opRecvFrom
	opAccept
	opPollIn // wait until readable (recvfrom(0) in timeout mode polls first, as CPython)
	opSend
	opSendTo
	opSendAll
	opConnectFinish // blocking mode: complete an in-progress connect with connect(2)
	opConnectWait   // timeout mode: wait writable, then read SO_ERROR
	opRecvMsg       // recvmsg(2) with st.x.msg
	opSendMsg       // sendmsg(2) with st.x.msg
	opSendFile      // sendfile(2) from st.x.fileFd at st.x.offset
)

// ioState is the per-call state of one read or one write: kept in the
// Socket (guarded by rmu / wmu) so that the RawConn callbacks are built once
// and calls allocate nothing. It is packed (80 bytes) because every
// connection holds two: at 10 000 connections each byte a socket is 10 kB
// of the server's memory.
type ioState struct {
	op       uint8
	wait     bool        // on EAGAIN, park on the poller (blocking / timeout mode)
	timed    bool        // timeout mode: deadline applies
	timedOut bool        // sendall found its deadline passed between chunks
	cancel   bool        // a context was cancelled: the deadline stays in the past (under dlmu)
	adapter  bool        // a net.Conn call is in progress: SetDeadline applies to it (under dlmu)
	errno    uint16      // the call's errno (a syscall.Errno), 0 if none
	armed    atomic.Bool // the poller deadline was set for this call (written under dlmu)
	flags    int32       // the caller's MSG_* flags (a C int)
	h        *handle
	deadline int64 // monotonic, see monoNow
	buf      []byte
	n        int
	x        *ioExtra   // the rarer calls' arguments; see extra
	dlmu     sync.Mutex // orders deadline changes of arm/disarm and cancellation
}

// ioExtra holds what only some calls need, allocated on a side's first such
// call: most stream sockets never need it.
type ioExtra struct {
	sa     rawAddr      // recvfrom/accept (read side), sendto/connect (write side)
	msg    *unix.Msghdr // opRecvMsg, opSendMsg
	fileFd int          // opSendFile
	offset int64        // opSendFile
	count  int          // opSendFile
}

// extra is the side's ioExtra. Callers hold the side's mutex.
func (st *ioState) extra() *ioExtra {
	if st.x == nil {
		st.x = new(ioExtra)
	}
	return st.x
}

// sockaddr is the side's sockaddr buffer. Callers hold the side's mutex.
func (st *ioState) sockaddr() *rawAddr { return &st.extra().sa }

// monoBase anchors the monotonic deadlines kept in ioState (8 bytes where a
// time.Time takes 24); monoTime turns one back into a time.Time that still
// carries the monotonic reading.
var monoBase = time.Now()

func monoNow() int64 { return int64(time.Since(monoBase)) }

func monoTime(d int64) time.Time { return monoBase.Add(time.Duration(d)) }

// monoAfter is monoNow()+ns, saturating instead of wrapping.
func monoAfter(ns int64) int64 {
	now := monoNow()
	if ns > math.MaxInt64-now {
		return math.MaxInt64
	}
	return now + ns
}

// errnoOf is the call's errno as a syscall.Errno.
func (st *ioState) errnoOf() syscall.Errno { return syscall.Errno(st.errno) }

func bufPtr(b []byte) uintptr { return uintptr(unsafe.Pointer(unsafe.SliceData(b))) }

// prepare sets the mode fields of st for a call starting now. userNB is true
// when the caller passed MSG_DONTWAIT, which makes any mode non-blocking for
// this call; kernelNB is set for an fd CPython would find non-blocking in
// blocking mode (adopted with O_NONBLOCK), where EAGAIN must surface too.
func (s *Socket) prepare(st *ioState, h *handle, userNB bool) {
	s.prepareOpts(st, h, userNB, nil)
}

// arm sets the call's deadline on the poller (once per call, timeout mode
// only) just before the RawConn parks the goroutine, so that calls which
// find data ready make no timer update. A cancelled context's past
// deadline is left in place.
//
// The cost of arming here: the runtime's timer code runs at the bottom of
// the callback's stack, and a goroutine parked in a timeout-mode recv
// holds a 4 KiB stack instead of 2 KiB (20 MB at 10 000 connections).
// Arming before the call, a few frames from the caller, was measured too:
// the timer code alone (os, internal/poll and runtime frames, about 1 KiB)
// still overflows the 2 KiB stack, so that only added timer updates.
func (st *ioState) arm(read bool) {
	if !st.timed || st.armed.Load() {
		return
	}
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	st.armed.Store(true)
	if st.cancel {
		return
	}
	st.setDeadline(read, monoTime(st.deadline))
}

func (st *ioState) disarm(read bool) {
	if !st.armed.Load() {
		return
	}
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	st.armed.Store(false)
	st.setDeadline(read, time.Time{})
}

func (st *ioState) setDeadline(read bool, t time.Time) {
	if read {
		st.h.file.SetReadDeadline(t)
	} else {
		st.h.file.SetWriteDeadline(t)
	}
}

// cancelNow wakes the call parked on the poller: its deadline goes to the
// past (from a context's AfterFunc).
func (st *ioState) cancelNow(read bool) {
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	st.cancel = true
	st.armed.Store(true)
	st.setDeadline(read, time.Unix(1, 0))
}

// adapterDeadline applies a net.Conn SetDeadline to the call in progress,
// if an adapter call is waiting.
func (st *ioState) adapterDeadline(read bool, t time.Time) {
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	if !st.adapter || st.h == nil {
		return
	}
	st.armed.Store(true)
	st.setDeadline(read, t)
}

// callOpts are the extras of the context-aware and net.Conn calls; plain
// calls pass nil.
type callOpts struct {
	ctx      context.Context // cancellation (RecvContext…): the socket's mode is kept
	deadline time.Time       // adapter calls: Go's absolute deadline
	adapter  bool            // adapter calls: wait (no deadline if zero) whatever the mode
}

// prepareOpts is prepare for a call with options (nil for none).
func (s *Socket) prepareOpts(st *ioState, h *handle, userNB bool, o *callOpts) {
	ns := s.timeout.Load()
	st.h = h
	st.wait = ns != 0 && !userNB
	if ns < 0 && st.wait && h.nbFast() {
		st.wait = false
	}
	st.timed = ns > 0 && st.wait
	if st.timed {
		st.deadline = monoAfter(ns)
	}
	if o != nil && o.adapter {
		st.wait = !userNB
		st.timed = st.wait && !o.deadline.IsZero()
		st.deadline = int64(o.deadline.Sub(monoBase))
	}
	st.armed.Store(false)
	st.timedOut = false
	st.n, st.errno = 0, 0
}

// errPastDeadline is what an adapter call returns when its deadline has
// already passed, before trying (as Go's net does).
func pastDeadline(o *callOpts) bool {
	return o != nil && o.adapter && !o.deadline.IsZero() && !time.Now().Before(o.deadline)
}

// withCtx runs op (a read or write on st) so that cancelling o.ctx wakes
// it; the context's error replaces op's failure if the context fired.
func withCtx(o *callOpts, st *ioState, read bool, op func() error) error {
	if o != nil && o.adapter {
		st.dlmu.Lock()
		st.adapter = true
		st.dlmu.Unlock()
		defer func() {
			st.dlmu.Lock()
			st.adapter = false
			st.dlmu.Unlock()
		}()
	}
	if o == nil || o.ctx == nil || o.ctx.Done() == nil {
		return op()
	}
	if err := o.ctx.Err(); err != nil {
		return err
	}
	st.dlmu.Lock()
	st.cancel = false
	st.dlmu.Unlock()
	fired := make(chan struct{})
	stop := context.AfterFunc(o.ctx, func() {
		st.cancelNow(read)
		close(fired)
	})
	err := op()
	if !stop() {
		<-fired
		st.disarm(read)
		st.dlmu.Lock()
		st.cancel = false
		st.dlmu.Unlock()
		if err != nil {
			return o.ctx.Err()
		}
	}
	return err
}

func pollNow(fd uintptr, events int16) bool {
	pfd := [1]unix.PollFd{{Fd: int32(fd), Events: events}}
	for {
		n, err := unix.Poll(pfd[:], 0)
		if err == syscall.EINTR {
			continue
		}
		return n > 0
	}
}

// The data calls below (recvfrom, recvmsg, sendto, sendmsg) carry
// MSG_DONTWAIT, so the kernel never sleeps in them: they go through
// RawSyscall, which skips the runtime's entersyscall/exitsyscall. With
// Syscall, a call that outlasts a sysmon tick (20 µs; most loopback sends
// in a sandboxed kernel do) can have its P handed to another thread, which
// wakes only to find nothing to do: measured on the 10 000-connection
// selectors server, futex calls fell from 45 000 to 2 200 and nanosleep
// from 39 000 to 2 500 for the same work, and CPU per request by 10 %.
// accept4, connect and sendfile have no MSG_DONTWAIT and stay on Syscall.

// doRead is the RawConn read callback: one attempt (retrying EINTR); true
// when the call is done, false to park on the poller.
func (s *Socket) doRead(fd uintptr) bool {
	st := &s.r
	for {
		var n uintptr
		var e syscall.Errno
		switch st.op {
		case opRecv:
			n, _, e = unix.RawSyscall6(unix.SYS_RECVFROM, fd, bufPtr(st.buf), uintptr(len(st.buf)), uintptr(st.flags|unix.MSG_DONTWAIT), 0, 0)
		case opRecvFrom:
			sa := &st.x.sa
			sa.len = unix.SizeofSockaddrAny
			n, _, e = unix.RawSyscall6(unix.SYS_RECVFROM, fd, bufPtr(st.buf), uintptr(len(st.buf)), uintptr(st.flags|unix.MSG_DONTWAIT),
				uintptr(sa.ptr()), uintptr(unsafe.Pointer(&sa.len)))
		case opPollIn:
			if pollNow(fd, unix.POLLIN|unix.POLLERR) {
				return true
			}
			e = syscall.EAGAIN
		case opRecvMsg:
			n, _, e = unix.RawSyscall(unix.SYS_RECVMSG, fd, uintptr(unsafe.Pointer(st.x.msg)), uintptr(st.flags|unix.MSG_DONTWAIT))
		case opAccept:
			// accept4 has no MSG_DONTWAIT: on a listener whose kernel flag is
			// blocking, look before leaping so the thread never sleeps.
			if !st.h.nbFast() && !pollNow(fd, unix.POLLIN) {
				e = syscall.EAGAIN
				break
			}
			sa := &st.x.sa
			sa.len = unix.SizeofSockaddrAny
			n, _, e = unix.Syscall6(unix.SYS_ACCEPT4, fd, uintptr(sa.ptr()), uintptr(unsafe.Pointer(&sa.len)),
				unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, 0, 0)
		}
		if e == syscall.EINTR {
			continue
		}
		if e == syscall.EAGAIN && st.wait {
			st.arm(true)
			return false
		}
		st.n, st.errno = int(n), uint16(e)
		return true
	}
}

// doWrite is the RawConn write callback.
func (s *Socket) doWrite(fd uintptr) bool {
	st := &s.w
	for {
		var n uintptr
		var e syscall.Errno
		switch st.op {
		case opSend, opSendAll:
			n, _, e = unix.RawSyscall6(unix.SYS_SENDTO, fd, bufPtr(st.buf[st.n:]), uintptr(len(st.buf)-st.n), uintptr(st.flags|unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL), 0, 0)
		case opSendTo:
			n, _, e = unix.RawSyscall6(unix.SYS_SENDTO, fd, bufPtr(st.buf), uintptr(len(st.buf)), uintptr(st.flags|unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL),
				uintptr(st.x.sa.ptr()), uintptr(st.x.sa.len))
		case opSendMsg:
			n, _, e = unix.RawSyscall(unix.SYS_SENDMSG, fd, uintptr(unsafe.Pointer(st.x.msg)), uintptr(st.flags|unix.MSG_DONTWAIT|unix.MSG_NOSIGNAL))
		case opSendFile:
			// sendfile(2) has no MSG_DONTWAIT: with the kernel flag clear
			// (blocking mode) it may hold this thread until the data fits.
			n, _, e = unix.Syscall6(unix.SYS_SENDFILE, fd, uintptr(st.x.fileFd), uintptr(unsafe.Pointer(&st.x.offset)), uintptr(st.x.count), 0, 0)
		case opConnectFinish:
			// With the kernel flag clear (blocking mode) connect(2) would
			// sleep until the handshake ends: look first, so that the
			// goroutine parks on the poller (and Close can wake it).
			if !st.h.nbFast() && !pollNow(fd, unix.POLLOUT|unix.POLLERR) {
				e = syscall.EAGAIN
				break
			}
			_, _, e = unix.Syscall(unix.SYS_CONNECT, fd, uintptr(st.x.sa.ptr()), uintptr(st.x.sa.len))
			if e == syscall.EALREADY || e == syscall.EINPROGRESS {
				e = syscall.EAGAIN
			}
		case opConnectWait:
			if !pollNow(fd, unix.POLLOUT|unix.POLLERR) {
				e = syscall.EAGAIN
				break
			}
			v, err := unix.GetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_ERROR)
			if err != nil {
				e = err.(syscall.Errno)
			} else if v != 0 && syscall.Errno(v) != syscall.EISCONN {
				e = syscall.Errno(v)
			}
		}
		if e == syscall.EINTR {
			continue
		}
		if e == syscall.EAGAIN && st.wait {
			st.arm(false)
			return false
		}
		if e != 0 {
			st.errno = uint16(e)
			return true
		}
		if st.op != opSendAll {
			st.n = int(n)
			return true
		}
		st.n += int(n)
		if st.n >= len(st.buf) {
			return true
		}
		// sendall's timeout bounds the whole call, checked between chunks
		// as CPython's sock_sendall does.
		if st.timed && monoNow() >= st.deadline {
			st.timedOut = true
			return true
		}
	}
}

// read runs st's operation through the poller; the result is in s.r.
// Callers hold s.rmu.
func (s *Socket) read(h *handle) error {
	err := h.rc.Read(s.readFn)
	s.r.disarm(true)
	if err != nil {
		return h.mapPollError(err)
	}
	if s.r.errno != 0 {
		return pyerr.FromErrno(s.r.errnoOf())
	}
	return nil
}

// write runs st's operation through the poller; the result is in s.w.
// Callers hold s.wmu.
func (s *Socket) write(h *handle) error {
	err := h.rc.Write(s.writeFn)
	s.w.disarm(false)
	if err != nil {
		return h.mapPollError(err)
	}
	if s.w.timedOut {
		return pyerr.NewSocketTimeout()
	}
	if s.w.errno != 0 {
		return pyerr.FromErrno(s.w.errnoOf())
	}
	return nil
}

func optFlags(caller string, flags []int) (int, error) {
	switch len(flags) {
	case 0:
		return 0, nil
	case 1:
		return cInt(flags[0])
	}
	return 0, pyerr.NewTypeError(caller + "() takes at most 2 arguments")
}

// Recv is socket.recv(bufsize[, flags]): at most bufsize bytes; an empty
// result means end of stream (never an error). Non-blocking mode: not ready
// → BlockingIOError(11). Timeout mode: TimeoutError('timed out') after the
// timeout. Blocking mode parks the goroutine on the runtime poller.
func (s *Socket) Recv(bufsize int, flags ...int) ([]byte, error) {
	fl, err := optFlags("recv", flags)
	if err != nil {
		return nil, err
	}
	if bufsize < 0 {
		return nil, pyerr.NewValueError("negative buffersize in recv")
	}
	if bufsize == 0 {
		return []byte{}, nil
	}
	if err := checkAlloc(bufsize); err != nil {
		return nil, err
	}
	buf := make([]byte, bufsize)
	n, err := s.recvInto(buf, fl)
	if err != nil {
		return nil, err
	}
	return truncResult(buf, n), nil
}

// truncResult is the bytes CPython returns for a receive of n bytes into
// buf: with MSG_TRUNC the kernel reports a datagram's full length, which
// may exceed the buffer; CPython then returns that many bytes (the rest
// unset; zeros here).
func truncResult(buf []byte, n int) []byte {
	if n <= len(buf) {
		return buf[:n]
	}
	out := make([]byte, n)
	copy(out, buf)
	return out
}

// RecvInto is socket.recv_into(buffer[, nbytes[, flags]]): it reads into
// buf and returns the count. nbytes 0 (the default) means len(buf). It
// allocates nothing. With MSG_TRUNC on a datagram socket the count is the
// datagram's full length and can exceed len(buf), as in CPython.
func (s *Socket) RecvInto(buf []byte, args ...int) (int, error) {
	nbytes, fl := 0, 0
	if len(args) > 0 {
		nbytes = args[0]
	}
	if len(args) > 1 {
		fl = args[1]
	}
	if len(args) > 2 {
		return 0, pyerr.NewTypeError("recv_into() takes at most 3 arguments")
	}
	if _, err := cInt(fl); err != nil {
		return 0, err
	}
	if nbytes < 0 {
		return 0, pyerr.NewValueError("negative buffersize in recv_into")
	}
	if nbytes > len(buf) {
		return 0, pyerr.NewValueError("buffer too small for requested bytes")
	}
	if nbytes == 0 {
		nbytes = len(buf)
	}
	if nbytes == 0 {
		return 0, nil
	}
	return s.recvInto(buf[:nbytes], fl)
}

func (s *Socket) recvInto(buf []byte, flags int) (int, error) { return s.recvIntoOpts(buf, flags, nil) }

func (s *Socket) recvIntoOpts(buf []byte, flags int, o *callOpts) (int, error) {
	h, err := s.handle()
	if err != nil {
		return 0, err
	}
	if pastDeadline(o) {
		return 0, pyerr.NewSocketTimeout()
	}
	s.rmu.Lock()
	defer s.rmu.Unlock()
	st := &s.r
	s.prepareOpts(st, h, flags&unix.MSG_DONTWAIT != 0, o)
	st.op, st.buf, st.flags = opRecv, buf, int32(flags)
	err = withCtx(o, st, true, func() error { return s.read(h) })
	st.buf = nil
	return st.n, err
}

// RecvFrom is socket.recvfrom(bufsize[, flags]) → (bytes, address). The
// address is nil (Python's None) where the kernel gives none (TCP).
func (s *Socket) RecvFrom(bufsize int, flags ...int) ([]byte, Address, error) {
	fl, err := optFlags("recvfrom", flags)
	if err != nil {
		return nil, nil, err
	}
	if bufsize < 0 {
		return nil, nil, pyerr.NewValueError("negative buffersize in recvfrom")
	}
	if err := checkAlloc(bufsize); err != nil {
		return nil, nil, err
	}
	buf := make([]byte, bufsize)
	n, addr, err := s.recvFromInto(buf, fl)
	if err != nil {
		return nil, nil, err
	}
	return truncResult(buf, n), addr, nil
}

// RecvFromInto is socket.recvfrom_into(buffer[, nbytes[, flags]]) →
// (nbytes, address).
func (s *Socket) RecvFromInto(buf []byte, args ...int) (int, Address, error) {
	nbytes, fl := 0, 0
	if len(args) > 0 {
		nbytes = args[0]
	}
	if len(args) > 1 {
		fl = args[1]
	}
	if _, err := cInt(fl); err != nil {
		return 0, nil, err
	}
	if nbytes < 0 {
		return 0, nil, pyerr.NewValueError("negative buffersize in recvfrom_into")
	}
	if nbytes > len(buf) {
		return 0, nil, pyerr.NewValueError("nbytes is greater than the length of the buffer")
	}
	if nbytes == 0 {
		nbytes = len(buf)
	}
	return s.recvFromInto(buf[:nbytes], fl)
}

func (s *Socket) recvFromInto(buf []byte, flags int) (int, Address, error) {
	return s.recvFromIntoOpts(buf, flags, nil)
}

func (s *Socket) recvFromIntoOpts(buf []byte, flags int, o *callOpts) (int, Address, error) {
	h, err := s.handle()
	if err != nil {
		return 0, nil, err
	}
	if pastDeadline(o) {
		return 0, nil, pyerr.NewSocketTimeout()
	}
	s.rmu.Lock()
	defer s.rmu.Unlock()
	st := &s.r
	s.prepareOpts(st, h, flags&unix.MSG_DONTWAIT != 0, o)
	if len(buf) == 0 && st.timed {
		// CPython polls before recvfrom in timeout mode; with a zero-length
		// buffer the syscall alone would return at once, so poll first too.
		st.op = opPollIn
		if err := s.read(h); err != nil {
			return 0, nil, err
		}
	}
	st.op, st.buf, st.flags = opRecvFrom, buf, int32(flags)
	sa := st.sockaddr()
	err = withCtx(o, st, true, func() error { return s.read(h) })
	st.buf = nil
	if err != nil {
		return 0, nil, err
	}
	return st.n, decodeAddr(&sa.sa, sa.len), nil
}

// Send is socket.send(data[, flags]): one attempt, returning how many bytes
// the kernel took (possibly fewer than len(data)). It allocates nothing and
// never raises SIGPIPE: a broken connection is BrokenPipeError(32).
func (s *Socket) Send(data []byte, flags ...int) (int, error) {
	fl, err := optFlags("send", flags)
	if err != nil {
		return 0, err
	}
	return s.send(opSend, data, fl)
}

// SendAll is socket.sendall(data[, flags]): it sends everything or returns
// the error. In timeout mode the timeout bounds the whole call, and how
// much was sent before an error is not reported, as in CPython.
func (s *Socket) SendAll(data []byte, flags ...int) error {
	fl, err := optFlags("sendall", flags)
	if err != nil {
		return err
	}
	_, err = s.send(opSendAll, data, fl)
	return err
}

func (s *Socket) send(op uint8, data []byte, flags int) (int, error) {
	return s.sendOpts(op, data, flags, nil)
}

func (s *Socket) sendOpts(op uint8, data []byte, flags int, o *callOpts) (int, error) {
	h, err := s.handle()
	if err != nil {
		return 0, err
	}
	if pastDeadline(o) {
		return 0, pyerr.NewSocketTimeout()
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	st := &s.w
	s.prepareOpts(st, h, flags&unix.MSG_DONTWAIT != 0, o)
	st.op, st.buf, st.flags = op, data, int32(flags)
	err = withCtx(o, st, false, func() error { return s.write(h) })
	st.buf = nil
	return st.n, err
}

// SendTo is socket.sendto(data, address) / sendto(data, flags, address).
// Pass flags as the optional middle argument: SendTo(data, addr) or
// SendTo(data, flags, addr).
func (s *Socket) SendTo(data []byte, args ...any) (int, error) {
	var addr any
	flags := 0
	switch len(args) {
	case 1:
		addr = args[0]
	case 2:
		f, err := asCInt(args[0])
		if err != nil {
			return 0, err
		}
		flags, addr = f, args[1]
	default:
		return 0, pyerr.NewTypeError("sendto() takes 2 or 3 arguments (" + itoa(len(args)+1) + " given)")
	}
	return s.sendToOpts(data, flags, addr, nil)
}

func (s *Socket) sendToOpts(data []byte, flags int, addr any, o *callOpts) (int, error) {
	h, err := s.handle()
	if err != nil {
		return 0, err
	}
	if pastDeadline(o) {
		return 0, pyerr.NewSocketTimeout()
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	st := &s.w
	if err := encodeAddr(int(s.family), addr, "sendto", st.sockaddr()); err != nil {
		return 0, err
	}
	s.prepareOpts(st, h, flags&unix.MSG_DONTWAIT != 0, o)
	st.op, st.buf, st.flags = opSendTo, data, int32(flags)
	err = withCtx(o, st, false, func() error { return s.write(h) })
	st.buf = nil
	return st.n, err
}

// Accept is socket.accept() → (socket, address). As in CPython the new
// socket takes getdefaulttimeout(), not the listener's mode: it is blocking
// unless a default timeout is set.
func (s *Socket) Accept() (*Socket, Address, error) { return s.acceptOpts(nil) }

func (s *Socket) acceptOpts(o *callOpts) (*Socket, Address, error) {
	h, err := s.handle()
	if err != nil {
		return nil, nil, err
	}
	if pastDeadline(o) {
		return nil, nil, pyerr.NewSocketTimeout()
	}
	s.rmu.Lock()
	st := &s.r
	s.prepareOpts(st, h, false, o)
	st.op = opAccept
	sa := st.sockaddr()
	err = withCtx(o, st, true, func() error { return s.read(h) })
	fd, addr := st.n, decodeAddr(&sa.sa, sa.len)
	s.rmu.Unlock()
	if err != nil {
		return nil, nil, err
	}
	ns := defaultTimeout.Load()
	nh, err := newHandle(fd, ns >= 0)
	if err != nil {
		return nil, nil, err
	}
	return newSocketObject(nh, int(s.family), int(s.typ), int(s.proto), ns), addr, nil
}

// Connect is socket.connect(address). Blocking mode waits for the
// connection on the runtime poller and reports the kernel's result as a
// blocking connect(2) would; non-blocking mode returns BlockingIOError(115)
// while in progress; timeout mode waits at most the timeout, then
// TimeoutError('timed out').
func (s *Socket) Connect(address any) error { return s.connectOpts(address, nil) }

func (s *Socket) connectOpts(address any, o *callOpts) error {
	errno, timedOut, err := s.connect(address, "connect", o)
	switch {
	case err != nil:
		return err
	case timedOut:
		return pyerr.NewSocketTimeout()
	case errno == syscall.EBADF:
		return errClosed()
	case errno != 0:
		return pyerr.FromErrno(errno)
	}
	return nil
}

// ConnectEx is socket.connect_ex(address): like Connect, but a failure of
// the connect itself is returned as the errno (0 on success, 115, 111, and
// 11 when a timeout-mode connect times out). Address errors (TypeError,
// OverflowError, gaierror) are still returned as errors, as in CPython.
func (s *Socket) ConnectEx(address any) (int, error) {
	errno, timedOut, err := s.connect(address, "connect_ex", nil)
	switch {
	case err != nil:
		return 0, err
	case timedOut:
		return int(syscall.EWOULDBLOCK), nil
	}
	return int(errno), nil
}

// connect returns the errno of a failed connect (EBADF for a closed
// socket), whether a timeout-mode connect timed out, or an error for what
// CPython raises even from connect_ex (a bad address).
func (s *Socket) connect(address any, caller string, o *callOpts) (errno syscall.Errno, timedOut bool, err error) {
	var ra rawAddr
	if err := encodeAddr(int(s.family), address, caller, &ra); err != nil {
		return 0, false, err
	}
	h := s.h.Load()
	if h == nil {
		return syscall.EBADF, false, nil
	}
	ns := s.timeout.Load()
	var e syscall.Errno
	connectOnce := func(fd int) error {
		for {
			_, _, e = unix.Syscall(unix.SYS_CONNECT, uintptr(fd), uintptr(ra.ptr()), uintptr(ra.len))
			if e != syscall.EINTR {
				return nil
			}
		}
	}
	blockingEmulated := ns < 0 && !h.nbFast()
	if blockingEmulated {
		// connect(2) cannot be told MSG_DONTWAIT: start it with O_NONBLOCK
		// set for the one syscall, then finish it below with a second
		// connect(2), which leaves the kernel in the state a blocking
		// connect would have (a refused socket can connect again, a
		// connected one then reports EISCONN).
		h.mu.Lock()
		err = h.control(func(fd int) error {
			if !h.nb.Load() {
				if err := unix.IoctlSetPointerInt(fd, fionbio, 1); err != nil {
					return err
				}
				defer unix.IoctlSetPointerInt(fd, fionbio, 0)
			}
			return connectOnce(fd)
		})
		h.mu.Unlock()
	} else {
		err = h.control(connectOnce)
	}
	if err != nil {
		return closedErrno(err)
	}
	switch {
	case e == 0:
		return 0, false, nil
	case blockingEmulated && e == syscall.EAGAIN && s.family == AF_UNIX:
		// A full AF_UNIX backlog: only a real blocking connect waits for
		// room (this one call occupies an OS thread while it waits).
		if err := h.control(connectOnce); err != nil {
			return closedErrno(err)
		}
		return e, false, nil
	case e != syscall.EINPROGRESS || ns == 0 || (ns < 0 && !blockingEmulated):
		return e, false, nil
	}
	s.wmu.Lock()
	defer s.wmu.Unlock()
	st := &s.w
	s.prepareOpts(st, h, false, o)
	st.wait = true
	*st.sockaddr() = ra
	st.op = opConnectFinish
	if ns > 0 || st.timed {
		st.op = opConnectWait
	}
	var ctxErr error
	err = withCtx(o, st, false, func() error {
		e := h.rc.Write(s.writeFn)
		st.disarm(false)
		if e != nil && o != nil && o.ctx != nil && o.ctx.Err() != nil {
			ctxErr = o.ctx.Err()
		}
		return e
	})
	if ctxErr != nil {
		return 0, false, ctxErr
	}
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return 0, true, nil
		}
		return closedErrno(err)
	}
	return st.errnoOf(), false, nil
}

// closedErrno maps a RawConn failure during connect to connect's results.
func closedErrno(err error) (syscall.Errno, bool, error) {
	var errno syscall.Errno
	if errors.As(err, &errno) {
		return errno, false, nil
	}
	return syscall.EBADF, false, nil
}
