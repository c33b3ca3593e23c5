package pysock

import (
	"runtime"
	"sync"
	"sync/atomic"
	"weak"

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
// descriptions whose fd numbers have been given out (Fileno, Detach,
// FromFileno), since only through a number can another socket reach one.
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
	wmu    spinLock    // held briefly, under a parked write: see spinLock
	parked *handle     // handles with a blocking-mode write parked on the poller, linked through nextParked (under wmu)
	// noWaitR and noWaitS: SO_RCVTIMEO, SO_SNDTIMEO were set negative
	// (see noteTimeval).
	noWaitR, noWaitS atomic.Bool
	// shutdowns counts the shutdowns that ended waits (see wakeWriters).
	shutdowns atomic.Uint32
	// wakeIno is the socket's inode number, which a peer's shutdown finds
	// it by, read when a shutdown first asks (fdesc.inode).
	wakeIno atomic.Uint64
	// prevWait, nextWait, waitListed: the record's place in peerWaits
	// (shutdown_wake.go), under peerWaits.mu.
	prevWait, nextWait *fdesc
	waitListed         bool
	// registered: the registry has this record, under ino (see expose).
	registered atomic.Bool
	// out: a number of the description has been given out, through which
	// its flag and options may change behind pysock (outside_linux.go).
	out atomic.Bool
	// pinned: the kernel's flag follows nb. Until then nothing outside
	// pysock can reach the description, so its flag stays O_NONBLOCK in
	// every mode: pysock's calls never sleep in the kernel, and blocking
	// mode costs no ioctl when a socket is made or accepted, nor a poll
	// before each accept4, nor a flag set and cleared around each connect.
	// The first way out (pin: Fileno, Detach, SyscallConn,
	// set_inheritable(True), the number shown by repr, a selector's key or
	// poll's events; an adopted number is pinned from the start)
	// clears the flag first where blocking mode has it clear, so that
	// every call that can read the flag finds CPython's; so does the one
	// call that must sleep in the kernel (connect on a full AF_UNIX
	// backlog). Set under mu.
	pinned atomic.Bool
	ino    uint64       // under descs' lock
	open   atomic.Int32 // the handles using the record and not yet closed
}

// link makes h, a new handle of d's description, use d.
func (h *handle) link(d *fdesc) {
	h.desc = d
	d.open.Add(1)
}

// release is h's close: when the last handle using the record closes, the
// registry forgets it at once (a cleanup does for handles never closed).
func (h *handle) release() {
	d := h.desc
	if d.open.Add(-1) != 0 || !d.registered.Load() {
		return
	}
	descs.Lock()
	defer descs.Unlock()
	if descs.m[d.ino].Value() == d {
		delete(descs.m, d.ino)
	}
}

// descs are the registered descriptions, by socket inode. An entry stays
// while any handle using its record is open, so a sibling made later from
// another number of the socket (a raw dup, a number received over
// SCM_RIGHTS) finds it, whichever socket gave out a number first. The
// last handle's close drops the entry (release). The entry holds its
// record weakly, so that a leaked socket's File stays collectable (its
// cleanup closes the fd), and a cleanup of the record drops the entry.
var descs struct {
	sync.Mutex
	m map[uint64]weak.Pointer[fdesc]
}

// nbFast reports the kernel O_NONBLOCK flag as last set. In blocking mode it
// is true only for an adopted fd that was already non-blocking, or a
// socket whose sibling on the same description made it non-blocking,
// where CPython's blocking calls fail with EAGAIN instead of waiting.
func (h *handle) nbFast() bool { return h.desc.nb.Load() }

// expose pins h's description and registers it under its socket's inode,
// once: its number has been given out (Fileno, Detach, adoption).
func (h *handle) expose() {
	if h.closed.Load() || !h.pin() {
		// Closed (Fileno raced Close): the number is no longer the
		// socket's, and a sibling sharing the record (a dup) keeps its
		// flag as pysock set it.
		return
	}
	d := h.desc
	if d.registered.Load() {
		return
	}
	d.out.Store(true)
	ino := sockInode(h.fd)
	if ino == 0 {
		return
	}
	descs.Lock()
	defer descs.Unlock()
	if d.registered.Load() {
		return
	}
	if descs.m == nil {
		descs.m = make(map[uint64]weak.Pointer[fdesc])
	}
	if old := descs.m[ino].Value(); old != nil && old != d {
		return // registered by a sibling made before the link (keep the first)
	}
	descs.m[ino] = weak.Make(d)
	d.ino = ino
	d.registered.Store(true)
	runtime.AddCleanup(d, forgetDesc, ino)
}

// forgetDesc drops the entry of a collected fdesc.
func forgetDesc(ino uint64) {
	descs.Lock()
	defer descs.Unlock()
	if descs.m[ino].Value() == nil {
		delete(descs.m, ino)
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
	h.link(d)
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
	return descs.m[ino].Value()
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
