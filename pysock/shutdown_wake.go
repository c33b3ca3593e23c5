package pysock

import (
	"time"

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
func (st *ioState) parkWrite(shutdowns uint32) bool {
	h := st.h
	d := h.desc
	d.wmu.Lock()
	defer d.wmu.Unlock()
	if d.shutdowns.Load() != shutdowns {
		return false
	}
	d.parked = append(d.parked, h)
	return true
}

// unpark ends st's parked write: the handle leaves the list, and if a
// shutdown woke the call, the call's own deadline goes back on the
// poller. It reports whether the call was woken.
func (st *ioState) unpark() bool {
	h := st.h
	d := h.desc
	d.wmu.Lock()
	defer d.wmu.Unlock()
	for i, p := range d.parked {
		if p == h {
			last := len(d.parked) - 1
			d.parked[i] = d.parked[last]
			d.parked[last] = nil
			d.parked = d.parked[:last]
			break
		}
	}
	if !h.woken {
		return false
	}
	h.woken = false
	st.dlmu.Lock()
	defer st.dlmu.Unlock()
	switch {
	case st.cancel: // a context's past deadline stays
	case st.timed:
		st.setDeadline(monoTime(st.deadline))
	default:
		st.setDeadline(time.Time{})
	}
	return true
}

// wakeWriters wakes the blocking-mode writes parked on h's description
// after its shutdown (AF_UNIX, kind: the socket type, how: the shutdown's
// direction). A datagram or seqpacket send can also wait for room in the
// peer's queue, which the kernel's shutdown does not wake: those are
// woken only while the socket's own send buffer is full, the wait the
// shutdown ends.
//
// A stream or seqpacket socket's shutdown(SHUT_RD) also shuts the peer's
// sending side, which epoll does not report to the peer either. Where the
// peer is the other end of a SocketPair of this process, its parked
// writes are woken too; a peer in another process, or one connected
// through a path, is not known to pysock, and its send goes on waiting
// until this end reads or closes (docs/python-to-go.md).
func (h *handle) wakeWriters(kind, how int) {
	if how != unix.SHUT_RD {
		h.desc.wakeParked(kind)
	}
	if how == unix.SHUT_WR || kind == unix.SOCK_DGRAM {
		return
	}
	if peer := h.desc.peer.Value(); peer != nil {
		peer.wakeParked(kind)
	}
}

// wakeParked wakes the writes parked on d's handles (see wakeWriters).
func (d *fdesc) wakeParked(kind int) {
	d.wmu.Lock()
	defer d.wmu.Unlock()
	d.shutdowns.Add(1)
	for _, p := range d.parked {
		if kind != unix.SOCK_STREAM && !sendBufferFull(p.fd) {
			continue
		}
		p.woken = true
		p.file.SetWriteDeadline(time.Unix(1, 0))
	}
}

// sendBufferFull reports whether fd's queued output has reached its
// SO_SNDBUF (a failure to read either counts as full).
func sendBufferFull(fd int) bool {
	out, err := unix.IoctlGetInt(fd, unix.SIOCOUTQ)
	if err != nil {
		return true
	}
	buf, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_SNDBUF)
	return err != nil || out >= buf
}
