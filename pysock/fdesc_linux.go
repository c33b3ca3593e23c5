package pysock

import (
	"runtime"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// A socket's O_NONBLOCK flag lives in its open file description, which
// every fd made from it with dup shares: socket.dup(), socket.fromfd(),
// and socket(fileno=n) on a number another socket uses. In CPython, a
// blocking-mode socket whose sibling was made non-blocking or given a
// timeout (both set the flag) fails with BlockingIOError where it would
// have waited, since its calls sleep in the kernel, which reads the flag.
// pysock's blocking calls wait on the poller, and decide whether to wait
// from the flag as pysock last set it (handle.nbFast): so the handles of
// one description share that record, an fdesc. Dup shares its socket's
// at once; the others find it by the socket's inode, in a registry of the
// descriptions whose fd numbers have been given out (Fileno, FromFileno),
// since only through a number can another socket reach one.
//
// The fdesc's lock also serializes the flag's changes: pysock sets the
// flag for a moment where a syscall has no MSG_DONTWAIT (connect,
// sendfile) and to register a new fd with the poller (Dup, adoption),
// while the record keeps the flag's lasting value.
//
// It also lists the blocking-mode writes parked on the description's
// handles, which a shutdown by any of them may have to wake
// (shutdown_wake.go).
type fdesc struct {
	mu     sync.Mutex  // serializes changes of the flag, by any handle of the description
	nb     atomic.Bool // the flag as pysock last set it
	wmu    sync.Mutex
	parked []*handle // handles with a blocking-mode write parked on the poller (under wmu)
	// noWaitR and noWaitS: SO_RCVTIMEO, SO_SNDTIMEO were set negative
	// (see noteTimeval).
	noWaitR, noWaitS atomic.Bool
}

// descs are the registered descriptions, by socket inode, with the number
// of handles registered with each. An entry refers to the fdesc only, not
// to a handle: a leaked socket's File stays collectable (its cleanup
// closes the fd), and a cleanup of the handle drops the registration.
var descs struct {
	sync.Mutex
	m map[uint64]*descEntry
}

type descEntry struct {
	d    *fdesc
	refs int
}

// descReg is one handle's registration; dropped once, by Close or by the
// handle's cleanup.
type descReg struct {
	ino     uint64
	dropped atomic.Bool
}

// nbFast reports the kernel O_NONBLOCK flag as last set. In blocking mode it
// is true only for an adopted fd that was already non-blocking, or a
// socket whose sibling on the same description made it non-blocking,
// where CPython's blocking calls fail with EAGAIN instead of waiting.
func (h *handle) nbFast() bool { return h.desc.nb.Load() }

// expose registers h's description under its socket's inode, once: its
// number has been given out.
func (h *handle) expose() {
	if h.reg.Load() != nil {
		return
	}
	ino := sockInode(h.fd)
	if ino == 0 {
		return
	}
	descs.Lock()
	defer descs.Unlock()
	if h.reg.Load() != nil || h.closed.Load() {
		return
	}
	if descs.m == nil {
		descs.m = make(map[uint64]*descEntry)
	}
	e := descs.m[ino]
	if e == nil {
		e = &descEntry{d: h.desc}
		descs.m[ino] = e
	}
	e.refs++
	r := &descReg{ino: ino}
	h.reg.Store(r)
	runtime.AddCleanup(h, (*descReg).drop, r)
}

// unexpose drops h's registration, when h is closed.
func (h *handle) unexpose() {
	if r := h.reg.Swap(nil); r != nil {
		r.drop()
	}
}

func (r *descReg) drop() {
	if !r.dropped.CompareAndSwap(false, true) {
		return
	}
	descs.Lock()
	defer descs.Unlock()
	if e := descs.m[r.ino]; e != nil {
		if e.refs--; e.refs == 0 {
			delete(descs.m, r.ino)
		}
	}
}

// adoptShared is adoptHandle under the lock of fd's description's record,
// when a socket of this process has registered one, and the new handle
// shares it.
func adoptShared(fd int, nonblock bool) (*handle, error) {
	d := descOf(fd)
	if d == nil {
		return adoptHandle(fd, nonblock)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	h, err := adoptHandle(fd, nonblock)
	if err != nil {
		return nil, err
	}
	h.desc = d
	d.nb.Store(nonblock)
	return h, nil
}

// descOf is the registered record of fd's description, or nil.
func descOf(fd int) *fdesc {
	ino := sockInode(fd)
	if ino == 0 {
		return nil
	}
	descs.Lock()
	defer descs.Unlock()
	if e := descs.m[ino]; e != nil {
		return e.d
	}
	return nil
}

// sockInode is the inode of fd's socket (unique among open sockets), 0 if
// fd is not an open socket.
func sockInode(fd int) uint64 {
	var st unix.Stat_t
	if unix.Fstat(fd, &st) != nil || st.Mode&unix.S_IFMT != unix.S_IFSOCK {
		return 0
	}
	return st.Ino
}
