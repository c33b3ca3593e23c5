package pysock

import (
	"sync/atomic"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// A write parked on the poller by a full AF_UNIX socket waits for an event
// a shutdown of the socket does not raise. The kernel's blocking send
// wakes then and tries again: after SHUT_WR it fails with EPIPE, having
// returned its part if any. epoll reports no event for it (unix_poll has
// none for a shutdown of the sending side), so Shutdown wakes the
// blocking-mode writes parked on the socket, through any handle of its
// description (a dup's shutdown is the socket's), with a past deadline;
// the call takes the deadline back and tries again (unpark).
//
// Only blocking-mode writes (the call's mode when it parked) are listed:
// CPython's timeout mode waits in poll(2), which reports no event either,
// so its send times out, and a net.Conn Write is left as Go's net leaves
// it. A TCP socket needs none of this: its shutdown raises EPOLLOUT.

// parkWrite lists st's handle as holding a parked blocking-mode write,
// unless the description's shutdowns have moved on from the count read
// before the call's last attempt: then it reports false, and the call
// tries again (the shutdown may have ended its wait).
//
// The lists are intrusive (handle.nextParked, fdesc.prevWait/nextWait):
// this runs in the RawConn callback, under every parked write, and an
// append or a map insert that allocates would double the goroutine's
// stack for as long as it stays parked.
func (st *ioState) parkWrite(fd uintptr, shutdowns uint32) bool {
	h := st.h
	d := h.desc
	// The locks are released on each path rather than by deferred calls,
	// whose records would be in this frame, under the parked write.
	d.wmu.Lock()
	if !h.peerShut {
		ok := d.shutdowns.Load() == shutdowns
		if ok {
			if h.unixDgram {
				h.ownWait = sendBufferFull(int(fd))
			}
			d.push(h)
		}
		d.wmu.Unlock()
		return ok
	}
	// Listed where a peer's shutdown finds it, under the list's lock: a
	// peer's shutdown either counts before (the call tries again) or finds
	// d listed (and wakes the call).
	peerWaits.mu.Lock()
	ok := d.shutdowns.Load()+peerWaits.shutdowns.Load() == shutdowns
	if ok {
		d.push(h)
		peerWaits.add(d)
	}
	peerWaits.mu.Unlock()
	d.wmu.Unlock()
	return ok
}

// shutdownCount is what parkWrite compares: the shutdowns of h's
// description, plus the peer shutdowns in the process for a socket whose
// peer's shutdown ends its sends. Read before an attempt.
func (h *handle) shutdownCount() uint32 {
	n := h.desc.shutdowns.Load()
	if h.peerShut {
		n += peerWaits.shutdowns.Load()
	}
	return n
}

// push lists h on d.parked, unless it is listed (under d.wmu).
func (d *fdesc) push(h *handle) {
	if !h.onParked {
		h.nextParked, d.parked, h.onParked = d.parked, h, true
	}
}

// unlink takes h off d.parked, if it is listed (under d.wmu).
func (d *fdesc) unlink(h *handle) {
	if !h.onParked {
		return
	}
	for pp := &d.parked; *pp != nil; pp = &(*pp).nextParked {
		if *pp == h {
			*pp = h.nextParked
			break
		}
	}
	h.nextParked, h.onParked = nil, false
}

// peerWaits lists the descriptions of AF_UNIX stream and seqpacket
// sockets with a blocking-mode write parked (fdesc.wakeIno: their
// sockets' inode numbers), for the shutdown(SHUT_RD) of a peer (see
// wakeWriters).
var peerWaits waitList

// waitList is a list of descriptions, linked through their prevWait and
// nextWait (under mu).
type waitList struct {
	mu        spinLock      // held briefly, under a parked write: see spinLock
	shutdowns atomic.Uint32 // the peer shutdowns so far (changed under mu)
	head      *fdesc
}

// add lists d, unless it is listed (under mu).
func (w *waitList) add(d *fdesc) {
	if d.waitListed {
		return
	}
	d.waitListed, d.prevWait, d.nextWait = true, nil, w.head
	if w.head != nil {
		w.head.prevWait = d
	}
	w.head = d
}

// remove unlists d, if it is listed (under mu).
func (w *waitList) remove(d *fdesc) {
	if !d.waitListed {
		return
	}
	if d.prevWait != nil {
		d.prevWait.nextWait = d.nextWait
	} else {
		w.head = d.nextWait
	}
	if d.nextWait != nil {
		d.nextWait.prevWait = d.prevWait
	}
	d.waitListed, d.prevWait, d.nextWait = false, nil, nil
}

// unpark ends st's parked write: the handle leaves the list, and if a
// shutdown woke the call, the call's own deadline goes back on the
// poller. It reports whether the call was woken.
func (st *ioState) unpark() bool {
	h := st.h
	d := h.desc
	d.wmu.Lock()
	defer d.wmu.Unlock()
	d.unlink(h)
	if h.peerShut && d.parked == nil {
		peerWaits.mu.Lock()
		peerWaits.remove(d)
		peerWaits.mu.Unlock()
	}
	if !h.woken {
		return false
	}
	h.woken = false
	if st.timed {
		st.restoreAfterWake() // the call's deadline is in its heap, or has passed
		return true
	}
	st.dlmu.Lock()
	if !st.cancel { // a context's past deadline stays
		st.setDeadline(time.Time{})
	}
	st.dlmu.Unlock()
	return true
}

// wakeWriters wakes the blocking-mode writes parked on h's description
// after its shutdown (AF_UNIX, kind: the socket type, how: the shutdown's
// direction).
//
// A stream or seqpacket socket's shutdown(SHUT_RD) also shuts the peer's
// sending side, which epoll does not report to the peer either. The
// kernel names the peer (unixPeerIno), and the writes parked on it, if it
// is a socket of this process, are woken; if the kernel cannot be asked,
// the writes parked on every AF_UNIX stream or seqpacket socket of the
// process are, and each tries again (one whose peer did not shut down
// parks again). A peer in another process is not known to pysock, and its
// send goes on waiting until this end reads or closes
// (docs/python-to-go.md).
func (h *handle) wakeWriters(kind, how int) {
	if how != unix.SHUT_RD {
		h.desc.wakeParked()
	}
	if how == unix.SHUT_WR || kind == unix.SOCK_DGRAM {
		return
	}
	peerWaits.mu.Lock()
	peerWaits.shutdowns.Add(1) // a write listed from now on tries again first
	none := peerWaits.head == nil
	peerWaits.mu.Unlock()
	if none {
		return
	}
	var peer uint64
	ok := h.control(func(fd int) error {
		var known bool
		peer, known = unixPeerIno(sockInode(fd))
		if !known {
			return unix.ENOENT
		}
		return nil
	}) == nil
	if ok && peer == 0 {
		return // no peer
	}
	var descs []*fdesc
	peerWaits.mu.Lock()
	for d := peerWaits.head; d != nil; d = d.nextWait {
		if d != h.desc {
			descs = append(descs, d)
		}
	}
	peerWaits.mu.Unlock()
	for _, d := range descs {
		if !ok || d.inode() == peer {
			d.wakeParked()
		}
	}
}

// inode is the inode number of d's socket, read through a handle with a
// write parked the first time it is asked (0 if none can be read now):
// the read is kept out of parkWrite, whose frames are under the parked
// write.
func (d *fdesc) inode() uint64 {
	if ino := d.wakeIno.Load(); ino != 0 {
		return ino
	}
	d.wmu.Lock()
	defer d.wmu.Unlock()
	for p := d.parked; p != nil; p = p.nextParked {
		var ino uint64
		p.control(func(fd int) error { ino = sockInode(fd); return nil })
		if ino != 0 { // a handle being closed answers nothing: the next
			d.wakeIno.Store(ino)
			return ino
		}
	}
	return 0
}

// wakeParked wakes the writes parked on d's handles (see wakeWriters).
// A stream or seqpacket send only ever waits for room in its own send
// buffer, which the kernel's shutdown wakes. A datagram send waits for
// its own buffer while that is full, and the kernel's send stays in that
// wait until the buffer is writable again (a quarter of SO_SNDBUF), so a
// partly drained buffer does not end it; otherwise it waits for room in a
// receiver's queue (one not connected back: unix_wait_for_peer), which
// the shutdown does not end. Which wait it is, is read when the send
// parks (parkWrite), as the kernel's call chose it when it began to wait.
func (d *fdesc) wakeParked() {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	d.shutdowns.Add(1)
	for p := d.parked; p != nil; p = p.nextParked {
		if p.unixDgram && !p.ownWait {
			continue
		}
		p.woken = true
		p.file.SetWriteDeadline(time.Unix(1, 0))
	}
}

// sendBufferFull reports whether fd's queued output has reached its
// SO_SNDBUF (sock_alloc_send_pskb's wait; a failure to read either counts
// as full). It runs in parkWrite, under the parked write: raw syscalls,
// which add no frames of the runtime's.
func sendBufferFull(fd int) bool {
	var out, buf int32
	l := uint32(unsafe.Sizeof(buf))
	if _, _, e := unix.RawSyscall(unix.SYS_IOCTL, uintptr(fd), unix.SIOCOUTQ, uintptr(unsafe.Pointer(&out))); e != 0 {
		return true
	}
	if _, _, e := unix.RawSyscall6(unix.SYS_GETSOCKOPT, uintptr(fd), unix.SOL_SOCKET, unix.SO_SNDBUF,
		uintptr(unsafe.Pointer(&buf)), uintptr(unsafe.Pointer(&l)), 0); e != 0 {
		return true
	}
	return out >= buf
}
