package pysock

import (
	"golang.org/x/sys/unix"
)

// Changes made through an fd's number, behind pysock's back.
//
// Once a socket's number has been given out (Fileno, Detach, adoption,
// Conn.SyscallConn: fdesc.out), its open file description can be
// changed without pysock: O_NONBLOCK with fcntl(F_SETFL) or
// ioctl(FIONBIO), SO_RCVTIMEO and SO_SNDTIMEO with setsockopt, by this
// program through x/sys/unix or by another process that holds the
// description. CPython's blocking-mode and non-blocking-mode calls are the
// kernel's own calls, which read the flag and the option when they would
// wait: with O_NONBLOCK set they fail with EAGAIN (a stream send returns
// the part it sent), with it clear they sleep, bounded by the option.
//
// pysock decides whether a call waits from its own record of the flag
// (fdesc.nb) and reads the options only once a socket may have one
// (kernelTimeouts). So a call on such a description, in blocking or
// non-blocking mode, without MSG_DONTWAIT, reads the kernel's flag and
// options where it would park (look; lookOutside): at its first EAGAIN, or
// for a receive that spins (spin.go), once the spin is over (data the spin
// finds is data that came a moment earlier), or for a non-blocking-mode
// stream send that sent a part at once (doWrite), since the kernel's call
// on a cleared flag would go on sending. It reads them once, and goes
// on as the kernel's call would. A call that does not park reads nothing,
// and one whose number was never given out pays one atomic load.
//
// Not covered: timeout mode, where CPython polls before each call and the
// flag does not decide whether it waits; a net.Conn call, which keeps Go's
// semantics; sendfile, which waits whatever the flag says in CPython too
// (Lib/socket.py waits for writability on BlockingIOError); and a
// negative SO_RCVTIMEO or SO_SNDTIMEO set through the number, which the
// kernel reports as 0.

// lookOutside is the look of a call that found EAGAIN: it reads the
// kernel's flag, and the option if the call has no deadline yet, and sets
// the call's mode from them. With the flag set the call does not wait;
// with it clear it waits as a blocking call, until the option's time if
// there is one (the kernel starts the time where the call first waits).
//
//go:noinline
func (st *ioState) lookOutside() {
	st.look = false
	x := st.x // prepareLook made it
	d := st.h.desc
	// pysock's own brief changes of the flag (connect, sendfile, Dup,
	// adoption) are made under d.mu: the flag read is the lasting one.
	d.mu.Lock()
	err := st.h.rc.Control(x.look)
	d.mu.Unlock()
	if err != nil || x.lookFl < 0 {
		return // closed: the next attempt fails as it would have
	}
	if x.lookFl&unix.O_NONBLOCK != 0 {
		st.wait = false
		return
	}
	if !st.timed {
		noWait := &d.noWaitS
		if st.isRead() {
			noWait = &d.noWaitR
		}
		switch {
		case x.lookNs > 0:
			// A time set through the number since SetSockOpt recorded
			// a negative one.
			noWait.Store(false)
			st.timed, st.deadline = true, monoAfter(x.lookNs)
			dlStart(st)
		case noWait.Load():
			st.wait = false // a negative time, which the kernel reports as 0
			return
		}
	}
	st.wait, st.emu = true, true
}

// prepareLook allocates what lookOutside uses, once per side of a socket
// whose number is out (under the side's lock). An allocation that finds
// its span full refills it on the goroutine's own stack, deep enough to
// double the 2 KiB stack of a receive a few frames down (one receive in
// ten whose number was out, when lookOutside allocated this). So the
// number's giving out prepares the sides (prepareLooks), in the caller's
// frame; begin prepares a side that was busy then.
//
//go:noinline
func (st *ioState) prepareLook() {
	st.extra().look = st.readOutside
}

// prepareLooks prepares the look of each side of s that no call holds
// (see prepareLook); s's number has just been given out.
func (s *Socket) prepareLooks(h *handle) {
	for _, sd := range [2]*side{&s.r, &s.w} {
		if !sd.mu.TryLock() {
			continue // a call holds the side: begin prepares it next time
		}
		if sd.st.x == nil || sd.st.x.look == nil {
			sd.st.prepareLook()
		}
		sd.mu.Unlock()
		h.wakeWaiters()
	}
}

// lookWaitAll is the look of a MSG_WAITALL receive that does not start
// in blocking mode, made before its first attempt: whether a stream
// socket's gathers its whole buffer, as the kernel's blocking call does,
// depends on the flag before anything is read.
func (st *ioState) lookWaitAll() {
	if st.look && !st.emu && st.flags&unix.MSG_WAITALL != 0 && st.op <= opAccept {
		st.lookOutside()
	}
}

// lookBehind is the look of a call that finds another goroutine's call on
// its side: whether it waits for its turn, as the kernel's call on a
// blocking flag does, or makes its one attempt at once, depends on the
// flag now (the options are read once it has its turn).
func (m *callMode) lookBehind(h *handle) {
	d := h.desc
	d.mu.Lock()
	fl := -1
	h.control(func(fd int) error {
		v, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
		if err == nil {
			fl = v
		}
		return nil
	})
	d.mu.Unlock()
	switch {
	case fl < 0: // closed: the call fails as it would have
	case fl&unix.O_NONBLOCK != 0:
		// One attempt on a private state, which no deadline may
		// follow: nothing disarms one (SO_RCVTIMEO's, if read, is moot).
		m.wait, m.timed, m.kt = false, false, false
	default:
		m.wait, m.emu = true, true
	}
}

// readOutside is lookOutside's RawConn callback: the fd is held open.
func (st *ioState) readOutside(fd uintptr) {
	fd = st.h.sysfd(fd)
	x := st.x
	x.lookFl, x.lookNs = -1, 0
	fl, err := unix.FcntlInt(fd, unix.F_GETFL, 0)
	if err != nil {
		return
	}
	x.lookFl = fl
	if fl&unix.O_NONBLOCK == 0 && !st.timed {
		x.lookNs = kernelTimeout(int(fd), st.isRead())
	}
}
