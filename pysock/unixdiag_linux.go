package pysock

import (
	"encoding/binary"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// The peer of an AF_UNIX socket, asked of the kernel (sock_diag, as
// `ss -x` asks it): a shutdown(SHUT_RD) wakes only the sends parked on its
// peer (shutdown_wake.go).

// diagBroken: a sock_diag request failed in a way that will not change (no
// unix_diag in the kernel, not permitted): stop asking.
var diagBroken atomic.Bool

// The unix_diag request and reply (linux/unix_diag.h, linux/sock_diag.h).
const (
	udiagShowPeer = 0x4 // UDIAG_SHOW_PEER
	udiagPeer     = 2   // UNIX_DIAG_PEER
	nlHdrLen      = 16  // struct nlmsghdr
	udiagReqLen   = 24  // struct unix_diag_req
	udiagMsgLen   = 16  // struct unix_diag_msg
)

// unixPeerIno asks the kernel for the inode number of the peer of the
// AF_UNIX socket whose inode number is ino. ok is false when the kernel
// could not be asked or did not answer; peer is 0 (with ok) for a socket
// that has no peer.
func unixPeerIno(ino uint64) (peer uint64, ok bool) {
	if ino == 0 || ino > 1<<32-1 || diagBroken.Load() {
		return 0, false
	}
	s, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, unix.NETLINK_SOCK_DIAG)
	if err != nil {
		return 0, false
	}
	defer unix.Close(s)
	var req [nlHdrLen + udiagReqLen]byte
	ne := binary.NativeEndian
	ne.PutUint32(req[0:], uint32(len(req)))
	ne.PutUint16(req[4:], unix.SOCK_DIAG_BY_FAMILY)
	ne.PutUint16(req[6:], unix.NLM_F_REQUEST)
	r := req[nlHdrLen:]
	r[0] = unix.AF_UNIX
	ne.PutUint32(r[4:], ^uint32(0)) // udiag_states: any
	ne.PutUint32(r[8:], uint32(ino))
	ne.PutUint32(r[12:], udiagShowPeer)
	ne.PutUint32(r[16:], ^uint32(0)) // udiag_cookie: INET_DIAG_NOCOOKIE
	ne.PutUint32(r[20:], ^uint32(0))
	if err := unix.Sendto(s, req[:], 0, &unix.SockaddrNetlink{Family: unix.AF_NETLINK}); err != nil {
		return 0, false
	}
	var buf [512]byte
	n, _, err := unix.Recvfrom(s, buf[:], unix.MSG_DONTWAIT)
	if err != nil || n < nlHdrLen {
		return 0, false
	}
	m := buf[:min(n, int(ne.Uint32(buf[0:])))]
	switch ne.Uint16(m[4:]) {
	case unix.NLMSG_ERROR:
		if len(m) >= nlHdrLen+4 {
			switch unix.Errno(-int32(ne.Uint32(m[nlHdrLen:]))) {
			case unix.ENOENT, unix.EINVAL:
			default: // EPERM, EOPNOTSUPP: no answer will come
				diagBroken.Store(true)
			}
		}
		return 0, false
	case unix.SOCK_DIAG_BY_FAMILY:
	default:
		return 0, false
	}
	if len(m) < nlHdrLen+udiagMsgLen || uint64(ne.Uint32(m[nlHdrLen+4:])) != ino {
		return 0, false
	}
	// The attributes: struct rtattr {u16 len, u16 type}, 4-byte aligned.
	for a := m[nlHdrLen+udiagMsgLen:]; len(a) >= 4; {
		l := int(ne.Uint16(a[0:]))
		if l < 4 || l > len(a) {
			break
		}
		if ne.Uint16(a[2:]) == udiagPeer && l >= 8 {
			return uint64(ne.Uint32(a[4:])), true
		}
		a = a[min(len(a), (l+3)&^3):]
	}
	return 0, true
}
