package pysock

import (
	"context"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"golang.org/x/sys/unix"
)

// The receive calls. Each plain method and its context form share one
// implementation; a nil *callOpts is a plain call.

// optFlags reads the optional trailing flags argument of a call whose
// Python signature has fixed positional arguments before it (fixed of
// them): a C int, and CPython's TypeError for too many arguments.
func optFlags(caller string, fixed int, flags []MsgFlag) (int, error) {
	switch len(flags) {
	case 0:
		return 0, nil
	case 1:
		return cInt(int(flags[0]))
	}
	return 0, errTooManyArgs(caller, fixed+1, fixed+len(flags))
}

// intoArgs reads recv_into's and recvfrom_into's optional (nbytes, flags)
// and checks them against buf as CPython does; it returns the buffer to
// receive into.
// nFlagArgs converts the optional "|ni" arguments of recv_into,
// recvfrom_into, recvmsg and recvmsg_into (a Py_ssize_t, then the C-int
// flags, ints or MsgFlags) into out. More than two arguments are left to
// the caller's count check, which CPython makes first.
func nFlagArgs(args []any, out *[2]int) ([]int, error) {
	if len(args) > 2 {
		return make([]int, len(args)), nil
	}
	for i, v := range args {
		var err error
		if i == 0 {
			out[0], err = pyarg.SsizeT(v)
		} else {
			out[1], err = pyarg.CInt(v)
		}
		if err != nil {
			return nil, err
		}
	}
	return out[:len(args)], nil
}

func intoArgs(caller string, buf []byte, args []int) ([]byte, int, error) {
	if len(args) > 2 {
		return nil, 0, errTooManyArgs(caller, 3, 1+len(args))
	}
	nbytes, fl := 0, 0
	if len(args) > 0 {
		nbytes = args[0]
	}
	if len(args) > 1 {
		fl = args[1]
	}
	if _, err := cInt(fl); err != nil {
		return nil, 0, err
	}
	if nbytes < 0 {
		return nil, 0, pyerr.NewValueError("negative buffersize in " + caller)
	}
	if nbytes > len(buf) {
		if caller == "recv_into" {
			return nil, 0, pyerr.NewValueError("buffer too small for requested bytes")
		}
		return nil, 0, pyerr.NewValueError("nbytes is greater than the length of the buffer")
	}
	if nbytes == 0 {
		nbytes = len(buf)
	}
	return buf[:nbytes], fl, nil
}

// Recv is socket.recv(bufsize[, flags]): at most bufsize bytes; an empty
// result means end of stream (never an error). Non-blocking mode: not ready
// → BlockingIOError(11). Timeout mode: TimeoutError('timed out') after the
// timeout. Blocking mode parks the goroutine on the runtime poller and
// returns what the kernel's blocking recv would (MSG_WAITALL included).
// The result holds only the bytes received, whatever bufsize was.
func (s *Socket) Recv(bufsize int, flags ...MsgFlag) ([]byte, error) {
	b, _, err := s.recvNew(opRecvNew, bufsize, flags, nil)
	return b, err
}

// RecvContext is Recv that ctx can cancel.
func (s *Socket) RecvContext(ctx context.Context, bufsize int, flags ...MsgFlag) ([]byte, error) {
	b, _, err := s.recvNew(opRecvNew, bufsize, flags, &callOpts{ctx: ctx})
	return b, err
}

// RecvFrom is socket.recvfrom(bufsize[, flags]) → (bytes, address). The
// address is nil (Python's None) where the kernel gives none (TCP).
func (s *Socket) RecvFrom(bufsize int, flags ...MsgFlag) ([]byte, Address, error) {
	return s.recvNew(opRecvFromNew, bufsize, flags, nil)
}

// RecvFromContext is RecvFrom that ctx can cancel.
func (s *Socket) RecvFromContext(ctx context.Context, bufsize int, flags ...MsgFlag) ([]byte, Address, error) {
	return s.recvNew(opRecvFromNew, bufsize, flags, &callOpts{ctx: ctx})
}

// recvNew runs recv (opRecvNew) and recvfrom (opRecvFromNew) into a result
// sized by what arrived (see recvsize.go). Recv and RecvFrom inline into
// their callers and call it directly; the rarer parts are calls of their
// own, and it ends the call on each path rather than with a deferred call
// (run does not panic): a goroutine parked in it holds its stack, and
// every byte of this frame counts towards the 2 KiB a goroutine starts
// with (TestParkedStackSize's recv mode). A nil s fails in handle, as a
// closed socket's call does, after the same argument checks.
func (s *Socket) recvNew(op uint8, bufsize int, flags []MsgFlag, o *callOpts) ([]byte, Address, error) {
	fl := 0
	if len(flags) > 0 || bufsize <= 0 {
		b, f, done, err := recvNewArgs(op, bufsize, flags)
		if done || err != nil {
			return b, nil, err
		}
		fl = f
	}
	if err := checkAlloc(bufsize); err != nil {
		return nil, nil, err
	}
	fl = s.recvFlags(fl)
	h, err := s.handle()
	if err != nil {
		return nil, nil, err
	}
	sd := &s.r
	st, err := s.begin(sd, h, fl&unix.MSG_DONTWAIT != 0, o)
	if err != nil {
		return nil, nil, err
	}
	st.op, st.flags, st.n = op, int32(fl), bufsize
	st.lookWaitAll()
	if st.emu && st.h.stream && fl&unix.MSG_WAITALL != 0 {
		st.waitAllBuffer(bufsize)
	}
	if op == opRecvFromNew || bufsize > scratchSize {
		st.extra() // recvfrom's address; a large receive's size (recvLarge)
	}
	err = s.run(sd, st, o)
	for err == errGrow {
		st.growBuf()
		err = s.run(sd, st, o)
	}
	if err != nil {
		st.releaseScratch()
		s.end(sd, st)
		return nil, nil, err
	}
	b, addr := st.newResult()
	s.end(sd, st)
	return b, addr, nil
}

// recvNewArgs checks recv's and recvfrom's optional flags and bufsize, as
// CPython does before anything else; done: recv(0) returns b at once, even
// on a closed socket.
//
//go:noinline
func recvNewArgs(op uint8, bufsize int, flags []MsgFlag) (b []byte, fl int, done bool, err error) {
	caller := "recv"
	if op == opRecvFromNew {
		caller = "recvfrom"
	}
	if fl, err = optFlags(caller, 1, flags); err != nil {
		return nil, 0, false, err
	}
	if bufsize < 0 {
		return nil, 0, false, pyerr.NewValueError("negative buffersize in " + caller)
	}
	if bufsize == 0 && op == opRecvNew {
		return []byte{}, 0, true, nil // CPython returns at once, even when closed
	}
	return nil, fl, false, nil
}

// waitAllBuffer sets a stream recv or recvfrom with MSG_WAITALL in
// blocking mode up as a receive into a bufsize buffer: the kernel's
// blocking call waits for all of it.
//
//go:noinline
func (st *ioState) waitAllBuffer(bufsize int) {
	op := opRecv
	if st.op == opRecvFromNew {
		op = opRecvFrom
	}
	st.op, st.n, st.buf = op, 0, make([]byte, bufsize)
}

// newResult is what a recv or recvfrom returns once its syscall is done:
// the bytes (see recvsize.go) and, for recvfrom, the sender's address.
//
//go:noinline
func (st *ioState) newResult() ([]byte, Address) {
	b := st.buf
	switch {
	case st.holdsScratch():
		b = st.takeScratch()
	case st.op == opRecv || st.op == opRecvFrom:
		b = exactResult(b, st.n)
	case b == nil:
		// recvfrom(0), which received into no buffer: empty, or with
		// MSG_TRUNC the datagram's length (unset bytes, zeros here).
		b = make([]byte, st.n)
	}
	if st.op != opRecvFromNew && st.op != opRecvFrom {
		return b, nil
	}
	sa := st.sockaddr()
	return b, decodeAddr(st.h.fd, &sa.sa, sa.len)
}

// RecvInto is socket.recv_into(buffer[, nbytes[, flags]]): it reads into
// buf and returns the count. nbytes 0 (the default) means len(buf). It
// allocates nothing. With MSG_TRUNC on a datagram socket the count is the
// datagram's full length and can exceed len(buf), as in CPython.
func (s *Socket) RecvInto(buf []byte, args ...any) (int, error) {
	n, _, err := s.recvIntoBuf(opRecv, buf, args, nil)
	return n, err
}

// RecvIntoContext is RecvInto that ctx can cancel.
func (s *Socket) RecvIntoContext(ctx context.Context, buf []byte, args ...any) (int, error) {
	n, _, err := s.recvIntoBuf(opRecv, buf, args, &callOpts{ctx: ctx})
	return n, err
}

// RecvFromInto is socket.recvfrom_into(buffer[, nbytes[, flags]]) →
// (nbytes, address).
func (s *Socket) RecvFromInto(buf []byte, args ...any) (int, Address, error) {
	return s.recvIntoBuf(opRecvFrom, buf, args, nil)
}

// RecvFromIntoContext is RecvFromInto that ctx can cancel.
func (s *Socket) RecvFromIntoContext(ctx context.Context, buf []byte, args ...any) (int, Address, error) {
	return s.recvIntoBuf(opRecvFrom, buf, args, &callOpts{ctx: ctx})
}

// recvIntoBuf is recv_into (op opRecv) and recvfrom_into (opRecvFrom):
// it converts the optional (nbytes, flags) arguments, then receives into
// buf; n is never negative. RecvInto calls it directly (RecvInto inlines),
// so that a goroutine parked in it has one frame of pysock's fewer
// (TestParkedStackSize).
func (s *Socket) recvIntoBuf(op uint8, buf []byte, args []any, o *callOpts) (int, Address, error) {
	// A nil s (RecvInto inlines into its caller, and orClosed would cost
	// this frame 8 bytes: TestParkedStackSize) fails in handle, as a
	// closed socket's call does, after the same argument checks.
	flags := 0
	if len(args) > 0 {
		var err error
		if buf, flags, err = intoArgsOf(op, buf, args); err != nil {
			return 0, nil, err
		}
		flags = s.recvFlags(flags)
	}
	if op == opRecv && len(buf) == 0 {
		return 0, nil, nil // CPython's recv_into returns at once, even when closed
	}
	h, err := s.handle()
	if err != nil {
		return 0, nil, err
	}
	sd := &s.r
	st, err := s.begin(sd, h, flags&unix.MSG_DONTWAIT != 0, o)
	if err != nil {
		return 0, nil, err
	}
	// end is called on each path rather than deferred: a deferred call
	// keeps its record in this frame, which is on the stack of a parked
	// goroutine, and 48 bytes here are a frame and a half of a caller's
	// (TestParkedStackSize). run does not panic.
	st.op, st.buf, st.flags = op, buf, int32(flags)
	if op == opRecvFrom {
		st.sockaddr() // the buffer recvfrom fills
	}
	if err := s.run(sd, st, o); err != nil {
		s.end(sd, st)
		return 0, nil, err
	}
	n, addr := st.n, st.fromAddr()
	s.end(sd, st)
	return n, addr, nil
}

// recvFlags is the flags a receive runs with. On an AF_UNIX stream socket
// the kernel's MSG_PEEK stops at the end of the queue whatever MSG_WAITALL
// says (unix_stream_read_generic), so CPython's blocking
// recv(n, MSG_PEEK|MSG_WAITALL) returns what is queued (TCP's waits for n
// bytes). MSG_WAITALL is dropped there: that changes nothing in a
// MSG_DONTWAIT syscall, and keeps blocking mode from gathering.
//
// MSG_ERRQUEUE reads the error queue, which the kernel's call never waits
// for: an empty queue is EAGAIN at once, so CPython's blocking recv(n,
// MSG_ERRQUEUE) raises BlockingIOError. MSG_DONTWAIT is added there, and
// blocking mode does not park; timeout mode still waits for its timeout,
// as CPython's poll before the call does. AF_UNIX and AF_NETLINK ignore
// the flag, and the call waits as without it. Both go by the fd's own
// family (fdFamily).
func (s *Socket) recvFlags(fl int) int {
	if fl&(unix.MSG_PEEK|unix.MSG_ERRQUEUE) == 0 || s == nil {
		return fl
	}
	peekAll := fl&(unix.MSG_PEEK|unix.MSG_WAITALL) == unix.MSG_PEEK|unix.MSG_WAITALL
	if !peekAll && fl&unix.MSG_ERRQUEUE == 0 {
		return fl
	}
	f := fdFamily(s) // read once for both rules
	if peekAll && f == unix.AF_UNIX {
		return fl &^ unix.MSG_WAITALL
	}
	if fl&unix.MSG_ERRQUEUE != 0 && f != unix.AF_UNIX && f != unix.AF_NETLINK {
		// Every family reads its error queue (EAGAIN when it is empty)
		// or refuses the flag, except AF_UNIX and AF_NETLINK, which
		// ignore it and wait as without it.
		return fl | unix.MSG_DONTWAIT
	}
	return fl
}

// fdFamily is the family of s's fd as the kernel has it (SO_DOMAIN),
// which decides how a call behaves, rather than the one s was made with
// (fromfd and fileno= take the caller's word); s's if it cannot be read.
//
//go:noinline
func fdFamily(s *Socket) int {
	if fd := s.fileno(); fd >= 0 {
		if d, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DOMAIN); err == nil {
			return d
		}
	}
	return int(s.family)
}

// intoArgsOf converts recv_into's or recvfrom_into's optional arguments
// and returns the part of buf to receive into, and the flags.
//
//go:noinline
func intoArgsOf(op uint8, buf []byte, args []any) ([]byte, int, error) {
	caller := "recv_into"
	if op == opRecvFrom {
		caller = "recvfrom_into"
	}
	var a [2]int
	ints, err := nFlagArgs(args, &a)
	if err != nil {
		return nil, 0, err
	}
	return intoArgs(caller, buf, ints)
}

// fromAddr is the address a recvfrom filled in, nil for the other calls.
//
//go:noinline
func (st *ioState) fromAddr() Address {
	if st.op != opRecvFrom {
		return nil
	}
	sa := st.sockaddr()
	return decodeAddr(st.h.fd, &sa.sa, sa.len)
}
