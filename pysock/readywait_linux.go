package pysock

import (
	"time"

	"golang.org/x/sys/unix"
)

// select.select and poll.poll park on the runtime poller instead of
// holding an OS thread in select(2)/poll(2): the answer always comes from
// the real system call with a zero timeout, so its semantics and errors
// are kept exactly, and only the waiting in between is done by a private
// epoll instance registered with the poller (waitReady). The epoll
// watches the same descriptors edge-triggered, so any change of their
// state wakes the goroutine to ask select(2)/poll(2) again, and a
// condition the caller did not ask about (a hang-up on a descriptor in
// xlist only) wakes it once instead of spinning.

// readyProbe asks select(2) or poll(2), without waiting, whether anything
// is ready: done when it is (or on an error, which ends the call).
type readyProbe func() (done bool, err error)

// waitReady calls probe until it is done or the deadline (if has) passes,
// waiting on the poller in between for any of events[fd]. ok is false
// when the descriptors cannot be watched by epoll (a regular file, for
// one), and then the caller waits in the system call itself.
func waitReady(events map[int]uint32, deadline time.Time, has bool, probe readyProbe) (ok bool, err error) {
	fd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return false, nil
	}
	ep, err := newEpoll(fd)
	if err != nil {
		return false, nil
	}
	defer ep.Close()
	for fd, ev := range events {
		e := unix.EpollEvent{Events: ev | unix.EPOLLET, Fd: int32(fd)}
		if unix.EpollCtl(ep.fd, unix.EPOLL_CTL_ADD, fd, &e) != nil {
			return false, nil
		}
	}
	for {
		ns := int64(-1)
		if has {
			ns = int64(time.Until(deadline))
			if ns <= 0 {
				_, err := probe()
				return true, err
			}
		}
		if err := ep.wait(true, ns, 1, func([]unix.EpollEvent) {}); err != nil {
			return true, err
		}
		if done, err := probe(); done || err != nil {
			return true, err
		}
	}
}
