package pysock_test

// The reference side of the differential matrix's calls (see
// matrix_calls_test.go): mxRefRun is what CPython 3.11 does on a raw fd,
// after Modules/socketmodule.c's sock_call_ex and internal_connect and
// Lib/socket.py's sendfile.

import (
	"fmt"
	"math"
	"os"
	"syscall"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

const mxTimedOut = syscall.Errno(math.MaxInt32) // sentinel: TimeoutError('timed out')

func mxRefErr(e syscall.Errno) string {
	if e == mxTimedOut {
		return "timeout"
	}
	return fmt.Sprintf("errno=%d", int(e))
}

// mxPollMs is one poll(2) of fd; ms < 0 waits forever. EINTR is retried
// with the same value (CPython recomputes it; a signal is rare here).
func mxPollMs(fd int, events int16, ms int) bool {
	for {
		p := []unix.PollFd{{Fd: int32(fd), Events: events}}
		n, err := unix.Poll(p, ms)
		if err == unix.EINTR {
			continue
		}
		return n > 0
	}
}

// ceilMs is _PyTime_AsMilliseconds(d, _PyTime_ROUND_CEILING).
func ceilMs(d time.Duration) int { return int((d + time.Millisecond - 1) / time.Millisecond) }

// mxSockCall is CPython's sock_call_ex for a non-connect call: blocking mode
// (T == 0) calls once; timeout mode polls with the remaining time before
// every attempt (internal_select skips the poll on a closed socket) and
// loops on EAGAIN.
func mxSockCall(fd int, writing bool, T time.Duration, fn func() (int, syscall.Errno)) (int, syscall.Errno) {
	deadline := time.Now().Add(T)
	ev := int16(unix.POLLIN)
	if writing {
		ev = unix.POLLOUT
	}
	for {
		if T > 0 && fd >= 0 {
			interval := time.Until(deadline)
			if interval < 0 || !mxPollMs(fd, ev, ceilMs(interval)) {
				return 0, mxTimedOut
			}
		}
		n, e := fn()
		for e == unix.EINTR {
			n, e = fn()
		}
		if T > 0 && e == unix.EAGAIN {
			continue
		}
		return n, e
	}
}

func mxSys(trap, a1, a2, a3, a4, a5, a6 uintptr) (int, syscall.Errno) {
	r, _, e := unix.Syscall6(trap, a1, a2, a3, a4, a5, a6)
	if e != 0 {
		return -1, e
	}
	return int(r), 0
}

// mxRawSockaddr is sa in the kernel's form.
func mxRawSockaddr(sa unix.Sockaddr) (unsafe.Pointer, uint32) {
	switch a := sa.(type) {
	case *unix.SockaddrInet4:
		r := &unix.RawSockaddrInet4{Family: unix.AF_INET, Addr: a.Addr}
		p := (*[2]byte)(unsafe.Pointer(&r.Port))
		p[0], p[1] = byte(a.Port>>8), byte(a.Port)
		return unsafe.Pointer(r), unix.SizeofSockaddrInet4
	case *unix.SockaddrInet6:
		r := &unix.RawSockaddrInet6{Family: unix.AF_INET6, Addr: a.Addr}
		p := (*[2]byte)(unsafe.Pointer(&r.Port))
		p[0], p[1] = byte(a.Port>>8), byte(a.Port)
		return unsafe.Pointer(r), unix.SizeofSockaddrInet6
	case *unix.SockaddrUnix:
		r := &unix.RawSockaddrUnix{Family: unix.AF_UNIX}
		name := a.Name
		if len(name) > 0 && name[0] == '@' {
			name = "\x00" + name[1:]
		}
		for i := range len(name) {
			r.Path[i] = int8(name[i])
		}
		return unsafe.Pointer(r), uint32(2 + len(name))
	}
	panic(fmt.Sprintf("mxRawSockaddr: %T", sa))
}

func mxSend(fd int, data []byte, flags int) func() (int, syscall.Errno) {
	return func() (int, syscall.Errno) {
		return mxSys(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(&data[0])), uintptr(len(data)), uintptr(flags|unix.MSG_NOSIGNAL), 0, 0)
	}
}

// mxRefRun makes call c on the raw fd as CPython would, blocking mode if
// T == 0, else timeout mode (the fd is then O_NONBLOCK).
func mxRefRun(c mxCall, fd int, k mxKind, T time.Duration, e *mxEnv) string {
	buf := make([]byte, mxBufSize)
	fl := max(c.flags, 0)
	p := uintptr(unsafe.Pointer(&buf[0]))
	switch c.name {
	case "recv", "recv_into":
		n, en := mxSockCall(fd, false, T, func() (int, syscall.Errno) {
			return mxSys(unix.SYS_RECVFROM, uintptr(fd), p, mxBufSize, uintptr(fl), 0, 0)
		})
		if en != 0 {
			return mxRefErr(en)
		}
		return mxRecvResult(c.name, c.flags, n, buf, "", 0)
	case "recvfrom", "recvfrom_into":
		var rsa unix.RawSockaddrAny
		var l uint32
		n, en := mxSockCall(fd, false, T, func() (int, syscall.Errno) {
			l = unix.SizeofSockaddrAny
			return mxSys(unix.SYS_RECVFROM, uintptr(fd), p, mxBufSize, uintptr(fl), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&l)))
		})
		if en != 0 {
			return mxRefErr(en)
		}
		return mxRecvResult(c.name, c.flags, n, buf, mxRawAddrDesc(&rsa, l), 0)
	case "recvmsg":
		var rsa unix.RawSockaddrAny
		var msg unix.Msghdr
		iov := unix.Iovec{Base: &buf[0]}
		iov.SetLen(mxBufSize)
		n, en := mxSockCall(fd, false, T, func() (int, syscall.Errno) {
			msg = unix.Msghdr{Name: (*byte)(unsafe.Pointer(&rsa)), Namelen: unix.SizeofSockaddrAny, Iov: &iov}
			msg.SetIovlen(1)
			return mxSys(unix.SYS_RECVMSG, uintptr(fd), uintptr(unsafe.Pointer(&msg)), uintptr(fl), 0, 0, 0)
		})
		if en != 0 {
			return mxRefErr(en)
		}
		return mxRecvResult(c.name, c.flags, n, buf, mxRawAddrDesc(&rsa, msg.Namelen), int(msg.Flags))
	case "send":
		n, en := mxSockCall(fd, true, T, mxSend(fd, mxSendPayload, fl))
		if en != 0 {
			return mxRefErr(en)
		}
		return fmt.Sprintf("n=%d", n)
	case "sendall":
		return mxRefSendAll(fd, fl, T)
	case "sendto":
		sa, sl := mxRawSockaddr(e.dst)
		n, en := mxSockCall(fd, true, T, func() (int, syscall.Errno) {
			return mxSys(unix.SYS_SENDTO, uintptr(fd), uintptr(unsafe.Pointer(&mxSendPayload[0])), uintptr(len(mxSendPayload)),
				uintptr(fl|unix.MSG_NOSIGNAL), uintptr(sa), uintptr(sl))
		})
		if en != 0 {
			return mxRefErr(en)
		}
		return fmt.Sprintf("n=%d", n)
	case "sendmsg":
		iov := unix.Iovec{Base: &mxSendPayload[0]}
		iov.SetLen(len(mxSendPayload))
		msg := unix.Msghdr{Iov: &iov}
		msg.SetIovlen(1)
		n, en := mxSockCall(fd, true, T, func() (int, syscall.Errno) {
			return mxSys(unix.SYS_SENDMSG, uintptr(fd), uintptr(unsafe.Pointer(&msg)), uintptr(fl|unix.MSG_NOSIGNAL), 0, 0, 0)
		})
		if en != 0 {
			return mxRefErr(en)
		}
		return fmt.Sprintf("n=%d", n)
	case "accept":
		var rsa unix.RawSockaddrAny
		var l uint32
		nfd, en := mxSockCall(fd, false, T, func() (int, syscall.Errno) {
			l = unix.SizeofSockaddrAny
			return mxSys(unix.SYS_ACCEPT4, uintptr(fd), uintptr(unsafe.Pointer(&rsa)), uintptr(unsafe.Pointer(&l)), unix.SOCK_CLOEXEC, 0, 0)
		})
		if en != 0 {
			return mxRefErr(en)
		}
		unix.Close(nfd)
		return "accepted " + mxRawAddrDesc(&rsa, l)
	case "connect", "connect_refused":
		if en := mxRefConnect(fd, e.dst, T); en != 0 {
			return mxRefErr(en)
		}
		return "ok"
	case "sendfile":
		return mxRefSendfile(fd, k, e.file, T)
	}
	panic("unknown call " + c.name)
}

// mxRefSendAll is sock_sendall: send until done; in timeout mode the
// timeout bounds the whole call.
func mxRefSendAll(fd, fl int, T time.Duration) string {
	data := mxSendPayload
	deadline := time.Now().Add(T)
	for len(data) > 0 {
		t := T
		if T > 0 {
			if t = time.Until(deadline); t <= 0 {
				return "timeout"
			}
		}
		n, en := mxSockCall(fd, true, t, mxSend(fd, data, fl))
		if en != 0 {
			return mxRefErr(en)
		}
		data = data[n:]
	}
	return "ok"
}

// mxRefConnect is internal_connect with sock_connect_impl.
func mxRefConnect(fd int, dst unix.Sockaddr, T time.Duration) syscall.Errno {
	sa, sl := mxRawSockaddr(dst)
	_, en := mxSys(unix.SYS_CONNECT, uintptr(fd), uintptr(sa), uintptr(sl), 0, 0, 0)
	if en == 0 {
		return 0
	}
	wait := (T > 0 && en == unix.EINPROGRESS) || en == unix.EINTR
	if !wait {
		return en
	}
	deadline := time.Now().Add(T)
	for {
		ms := -1
		if T > 0 {
			interval := time.Until(deadline)
			if interval < 0 {
				return mxTimedOut
			}
			ms = ceilMs(interval)
		}
		if fd >= 0 && !mxPollMs(fd, unix.POLLOUT|unix.POLLERR, ms) {
			return mxTimedOut
		}
		v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
		switch {
		case err != nil:
			return err.(syscall.Errno) // sock_connect_impl fails with getsockopt's errno
		case v == 0 || v == int(unix.EISCONN):
			return 0
		case T > 0 && v == int(unix.EAGAIN):
			continue
		}
		return syscall.Errno(v)
	}
}

// mxRefSendfile is Lib/socket.py's socket.sendfile(file) with the raw fd:
// _sendfile_use_sendfile, falling back to _sendfile_use_send when the first
// os.sendfile fails.
func mxRefSendfile(fd int, k mxKind, f *os.File, T time.Duration) string {
	if k.typ&unix.SOCK_STREAM == 0 {
		return "ValueError: only SOCK_STREAM type sockets are supported"
	}
	ffd := int(f.Fd())
	var st unix.Stat_t
	if err := unix.Fstat(ffd, &st); err != nil || st.Size == 0 {
		return fmt.Sprintf("harness: fstat %v size %d", err, st.Size)
	}
	if fd < 0 {
		return "ValueError: Invalid file descriptor: -1" // selector.register(-1)
	}
	blocksize := int(min(st.Size, 1<<30))
	var offset int64
	total := 0
	for {
		if T > 0 && !mxPollMs(fd, unix.POLLOUT, ceilMs(T)) {
			return "timeout"
		}
		off := offset
		n, err := unix.Sendfile(fd, ffd, &off, blocksize)
		switch {
		case err == unix.EINTR:
			continue
		case err == unix.EAGAIN:
			if T == 0 {
				mxPollMs(fd, unix.POLLOUT, -1)
			}
			continue
		case err != nil && total == 0:
			return mxRefSendfileSend(fd, ffd, T)
		case err != nil:
			return mxRefErr(err.(syscall.Errno))
		case n == 0:
			return fmt.Sprintf("n=%d", total)
		}
		offset += int64(n)
		total += n
	}
}

// mxRefSendfileSend is _sendfile_use_send: read 8 KiB blocks, send each
// with socket.send (in the socket's mode) until all of it is taken.
func mxRefSendfileSend(fd, ffd int, T time.Duration) string {
	total := 0
	var off int64
	block := make([]byte, 8192)
	for {
		n, err := unix.Pread(ffd, block, off)
		if err != nil {
			return "harness: pread " + err.Error()
		}
		if n == 0 {
			return fmt.Sprintf("n=%d", total)
		}
		off += int64(n)
		data := block[:n]
		for len(data) > 0 {
			sent, en := mxSockCall(fd, true, T, mxSend(fd, data, 0))
			if en == unix.EAGAIN {
				continue // BlockingIOError: retried
			}
			if en != 0 {
				return mxRefErr(en)
			}
			total += sent
			data = data[sent:]
		}
	}
}
