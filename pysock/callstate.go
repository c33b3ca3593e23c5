package pysock

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

// I/O operations run by the RawConn callbacks (rawio_linux.go).
const (
	opRecv uint8 = iota
	opRecvFrom
	opRecvNew     // recv into a result sized by what arrived (recvsize.go)
	opRecvFromNew // recvfrom likewise
	opRecvMsg     // recvmsg(2) with st.x.msg
	opAccept      // the last read-side operation (see isRead)
	opSend
	opSendTo
	opSendAll
	opSendMsg       // sendmsg(2) with st.x.msg
	opSendFile      // sendfile(2) from st.x.fileFd at st.x.offset
	opConnectFinish // blocking mode: complete an in-progress connect with connect(2)
	opConnectWait   // timeout mode: wait writable, then read SO_ERROR
)

// side is one direction of a Socket: reads (recv*, accept) or writes
// (send*, connect). Calls on one side are serialized by lock and use the
// side's state, so that the RawConn callback is built once per side and
// calls allocate nothing.
type side struct {
	st ioState
	mu sync.Mutex         // the side's lock; see lockSide
	fn func(uintptr) bool // st.do, bound once
}

// ioState is the per-call state of one read or one write. It is packed
// because every connection holds two: at 10 000 connections each byte of
// a socket is 10 kB of a server's memory.
type ioState struct {
	armed    atomic.Bool
	op       uint8
	errno    uint8 // the call's errno (a syscall.Errno; Linux's are below 134), 0 if none, errnoTimedOut, errnoSpin, errnoParked, errnoLook or errnoGrow
	wait     bool  // on EAGAIN, park on the poller (blocking / timeout mode)
	timed    bool  // a deadline applies (timeout mode, adapter deadline, SO_RCVTIMEO / SO_SNDTIMEO: see ktimeo)
	emu      bool  // blocking mode on a blocking kernel flag: give what the kernel's blocking call gives
	cancel   bool  // a context was cancelled: the deadline stays in the past (under dlmu)
	adapter  bool  // a net.Conn call is in progress: SetDeadline applies to it (under dlmu)
	look     bool  // at the first EAGAIN, read the kernel's flag and SO_*TIMEO (outside_linux.go)
	flags    int32 // the caller's MSG_* flags (a C int)
	h        *handle
	deadline int64 // monotonic, see monoNow
	// buf is the call's buffer. opRecvNew / opRecvFromNew receive into a
	// spare scratch buffer (scratch.go) or one sized by what is queued, at
	// most n bytes (recvsize.go).
	buf  []byte
	n    int
	x    *ioExtra   // the rarer calls' arguments; see extra
	dlmu sync.Mutex // orders deadline changes of arm/disarm and cancellation
}

// ioExtra holds what only some calls need, allocated on a side's first such
// call: most stream sockets never need it.
type ioExtra struct {
	sa    rawAddr      // recvfrom/accept (read side), sendto/connect (write side)
	msg   *unix.Msghdr // opRecvMsg, opSendMsg
	iov   []unix.Iovec // the iovecs of msg, advanced as a stream call progresses
	total int          // the bytes msg's iovecs hold
	// The capacities recvmsg's msg_controllen and msg_namelen are reset
	// to before each syscall (the kernel overwrites them with lengths).
	ctrlCap int
	nameCap uint32
	grow    int   // opRecvNew / opRecvFromNew: the buffer a large receive wants (recvLarge)
	fileFd  int   // opSendFile
	offset  int64 // opSendFile
	count   int   // opSendFile
	// What lookOutside read, through look (st.readOutside, bound once).
	look   func(uintptr)
	lookFl int   // F_GETFL, or -1 if it failed
	lookNs int64 // SO_RCVTIMEO or SO_SNDTIMEO in ns, 0 for none
}

// extra is the side's ioExtra. Callers hold the side's lock.
func (st *ioState) extra() *ioExtra {
	if st.x == nil {
		st.x = new(ioExtra)
	}
	return st.x
}

// sockaddr is the side's sockaddr buffer. Callers hold the side's lock.
func (st *ioState) sockaddr() *rawAddr { return &st.extra().sa }

// errnoTimedOut in ioState.errno: sendall found its deadline passed
// between chunks.
const errnoTimedOut = 255

// errnoSpin in ioState.errno: a receive found no data and its spin
// (spin.go) wants a retry; pollIO checks the clock and the scheduler
// and calls again.
const errnoSpin = 254

// errnoParked in ioState.errno: a blocking-mode write parked, so its next
// attempt follows a wait (see doWrite).
const errnoParked = 253

// errnoLook in ioState.errno: a call with look set found EAGAIN; pollIO
// reads the kernel's state (lookOutside) and calls again.
const errnoLook = 252

// errnoGrow in ioState.errno: a receive with a bufsize beyond the scratch
// buffer found more queued than the scratch buffer holds and wants a
// buffer of x.grow bytes. run returns errGrow; recv makes the buffer
// (growBuf) in its own frame, out of the callback, and runs again.
const errnoGrow = 251

// errGrow is run's result for errnoGrow: never returned to a caller.
var errGrow = errors.New("pysock: a larger receive buffer is needed")

// isRead reports whether st's operation is on the read side.
func (st *ioState) isRead() bool { return st.op <= opAccept }

// errnoOf is the call's errno as a syscall.Errno.
func (st *ioState) errnoOf() syscall.Errno { return syscall.Errno(st.errno) }

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

// callOpts are the extras of the context-aware and net.Conn calls; plain
// calls pass nil.
type callOpts struct {
	ctx     context.Context // cancellation (RecvContext…): the socket's mode is kept
	adapter bool            // adapter calls: wait (no deadline if zero) whatever the mode
	untimed bool            // blocking mode ignores SO_SNDTIMEO (sendfile; see kerneltimeo_linux.go)
	dl      *deadlines      // adapter calls: the Conn's Go deadlines, read when needed
}

// adapterDeadline is the Go deadline of an adapter call on one side (zero:
// none).
func (o *callOpts) adapterDeadline(read bool) time.Time {
	if o.dl == nil {
		return time.Time{}
	}
	return o.dl.get(read)
}

// adapterTimed is the adapter call's Go deadline on the monotonic clock of
// monoNow: timed false when none is set.
func (o *callOpts) adapterTimed(read bool) (timed bool, deadline int64) {
	if t := o.adapterDeadline(read); !t.IsZero() {
		return true, int64(t.Sub(monoBase))
	}
	return false, 0
}

// arm sets the call's deadline (once per call, timed calls only) just
// before the RawConn parks the goroutine, so that calls which find data
// ready make no timer update. The deadline goes to a heap of
// deadline_heap.go; a net.Conn call's, which SetDeadline may move, on the
// poller. A cancelled context's past deadline is left in place.
func (st *ioState) arm() {
	if st.timed && !st.armed.Load() {
		st.armNow()
	}
}

// armNow is arm's work, a call of its own so that arm inlines: a
// blocking-mode receive about to park calls nothing here.
//
//go:noinline
func (st *ioState) armNow() {
	st.dlmu.Lock()
	st.armed.Store(true)
	if st.cancel {
		st.dlmu.Unlock()
		return
	}
	if st.adapter {
		// A net.Conn call, whose Go deadline SetDeadline may move while
		// it waits (applyAdapterDeadline): on the poller.
		st.setDeadline(monoTime(st.deadline))
		st.dlmu.Unlock()
		return
	}
	st.dlmu.Unlock()
	dlPush(st) // outside dlmu: the lock order is the heap's mu, then dlmu
}

func (st *ioState) disarm() {
	if !st.armed.Load() {
		return
	}
	inHeap := dlRemove(st)
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	st.armed.Store(false)
	if !inHeap || st.cancel {
		// The deadline is on the poller: a net.Conn call's, one that
		// has expired, or a cancelled context's.
		st.setDeadline(time.Time{})
	}
}

func (st *ioState) setDeadline(t time.Time) {
	if st.isRead() {
		st.h.file.SetReadDeadline(t)
	} else {
		st.h.file.SetWriteDeadline(t)
	}
}

// cancelNow wakes the call parked on the poller: its deadline goes to the
// past (from a context's AfterFunc).
func (st *ioState) cancelNow() {
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	st.cancel = true
	st.armed.Store(true)
	st.setDeadline(time.Unix(1, 0))
}

// applyAdapterDeadline applies a net.Conn SetDeadline to the call in
// progress, if an adapter call is waiting.
func (st *ioState) applyAdapterDeadline(t time.Time) {
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	if !st.adapter || st.h == nil {
		return
	}
	st.armed.Store(true)
	st.setDeadline(t)
}

// withCtx runs op (a read or write on st) so that cancelling o.ctx wakes
// it; the context's error replaces op's failure if the context fired.
func withCtx(o *callOpts, st *ioState, op func() error) error {
	if o != nil && o.adapter {
		st.dlmu.Lock()
		st.adapter = true
		// begin read the Conn's deadline before this flag was set: a
		// SetDeadline in between found no adapter call to apply to. Read
		// it again; from here on applyAdapterDeadline applies any other.
		if st.wait {
			st.timed, st.deadline = o.adapterTimed(st.isRead())
		}
		st.dlmu.Unlock()
		defer func() {
			// A SetDeadline that landed after op's disarm has set the
			// poller deadline: clear it with the flag, under the lock
			// applyAdapterDeadline takes, so no deadline outlives the call.
			st.dlmu.Lock()
			st.adapter = false
			if st.armed.Load() {
				st.armed.Store(false)
				st.setDeadline(time.Time{})
			}
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
		st.cancelNow()
		close(fired)
	})
	err := op()
	if !stop() {
		<-fired
		st.disarm()
		st.dlmu.Lock()
		st.cancel = false
		st.dlmu.Unlock()
		if err != nil {
			return o.ctx.Err()
		}
	}
	return err
}
