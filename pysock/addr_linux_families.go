package pysock

import (
	"encoding/binary"
	"fmt"
	"net/netip"
	"unsafe"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
	"golang.org/x/sys/unix"
)

// The Linux families whose addresses are tuples of numbers and names:
// AF_NETLINK's (pid, groups), AF_VSOCK's (cid, port) and AF_PACKET's
// (ifname, proto, pkttype, hatype, addr). The encoders are the cases of
// CPython's getsockaddrarg, the decoders those of makesockaddr.

// NetlinkAddr is an AF_NETLINK address, Python's (pid, groups) tuple.
type NetlinkAddr struct {
	Pid    uint32
	Groups uint32
}

// String prints like Python's tuple: (0, 0).
func (a NetlinkAddr) String() string { return pyrepr.Repr(a.Tuple()) }

// Repr is the same as String for tuples.
func (a NetlinkAddr) Repr() string { return a.String() }

// Tuple returns (pid, groups).
func (a NetlinkAddr) Tuple() any { return Tuple{int(a.Pid), int(a.Groups)} }

// HostPort: an AF_NETLINK address has no host and port; ok is false.
func (a NetlinkAddr) HostPort() (host string, port int, ok bool) { return "", 0, false }

// AddrPort: an AF_NETLINK address has none; ok is false.
func (a NetlinkAddr) AddrPort() (netip.AddrPort, bool) { return netip.AddrPort{}, false }

// VsockAddr is an AF_VSOCK address, Python's (cid, port) tuple.
type VsockAddr struct {
	CID  uint32
	Port uint32
}

// String prints like Python's tuple: (4294967295, 1234).
func (a VsockAddr) String() string { return pyrepr.Repr(a.Tuple()) }

// Repr is the same as String for tuples.
func (a VsockAddr) Repr() string { return a.String() }

// Tuple returns (cid, port).
func (a VsockAddr) Tuple() any { return Tuple{int(a.CID), int(a.Port)} }

// HostPort: an AF_VSOCK address has no host name; ok is false.
func (a VsockAddr) HostPort() (host string, port int, ok bool) { return "", 0, false }

// AddrPort: an AF_VSOCK address has none; ok is false.
func (a VsockAddr) AddrPort() (netip.AddrPort, bool) { return netip.AddrPort{}, false }

// PacketAddr is an AF_PACKET address, Python's (ifname, proto, pkttype,
// hatype, addr) tuple. Proto is in host byte order; Ifname is "" when the
// interface index is 0 or names no interface.
type PacketAddr struct {
	Ifname  string
	Proto   int
	Pkttype int
	Hatype  int
	Addr    []byte
}

// String prints like Python's tuple: ('lo', 0, 0, 772, b'\x00\x00').
func (a PacketAddr) String() string { return pyrepr.Repr(a.Tuple()) }

// Repr is the same as String for tuples.
func (a PacketAddr) Repr() string { return a.String() }

// Tuple returns (ifname, proto, pkttype, hatype, addr).
func (a PacketAddr) Tuple() any {
	return Tuple{a.Ifname, a.Proto, a.Pkttype, a.Hatype, pyrepr.Bytes(a.Addr)}
}

// HostPort: an AF_PACKET address has no host and port; ok is false.
func (a PacketAddr) HostPort() (host string, port int, ok bool) { return "", 0, false }

// AddrPort: an AF_PACKET address has none; ok is false.
func (a PacketAddr) AddrPort() (netip.AddrPort, bool) { return netip.AddrPort{}, false }

// encodeNetlink is getsockaddrarg's AF_NETLINK case: a tuple of two "I"
// integers (any integer, its low 32 bits).
func encodeNetlink(addr any, caller string, out *rawAddr) error {
	if a, ok := addr.(NetlinkAddr); ok {
		addr = a.Tuple()
	}
	t, ok := addr.(Tuple)
	if !ok {
		return pyerr.NewTypeError(fmt.Sprintf("%s(): AF_NETLINK address must be tuple, not %s", caller, pyTypeName(addr)))
	}
	if len(t) != 2 {
		return pyerr.NewTypeError("AF_NETLINK address must be a pair (pid, groups)")
	}
	var v [2]uint32
	for i := range v {
		n, ok := uintMask(t[i])
		if !ok {
			return errNotInteger(t[i])
		}
		v[i] = n
	}
	sa := (*unix.RawSockaddrNetlink)(out.ptr())
	sa.Family = unix.AF_NETLINK
	sa.Pid, sa.Groups = v[0], v[1]
	out.len = unix.SizeofSockaddrNetlink
	return nil
}

// encodeVsock is getsockaddrarg's AF_VSOCK case: "II" parsed under the
// name getsockaddrarg, which CPython 3.11's messages show.
func encodeVsock(addr any, out *rawAddr) error {
	if a, ok := addr.(VsockAddr); ok {
		addr = a.Tuple()
	}
	t, ok := addr.(Tuple)
	if !ok {
		return pyerr.NewTypeError("getsockaddrarg: AF_VSOCK address must be tuple, not " + pyTypeName(addr))
	}
	if len(t) != 2 {
		return errArgCount("getsockaddrarg", 2, len(t))
	}
	var v [2]uint32
	for i := range v {
		n, ok := uintMask(t[i])
		if !ok {
			return errNotInteger(t[i])
		}
		v[i] = n
	}
	sa := (*unix.RawSockaddrVM)(out.ptr())
	sa.Family = unix.AF_VSOCK
	sa.Cid, sa.Port = v[0], v[1]
	out.len = unix.SizeofSockaddrVM
	return nil
}

// encodePacket is getsockaddrarg's AF_PACKET case: "si|iiy*" with its
// own message for a wrong count or a non-str name, then the interface's
// index from s's fd (SIOCGIFINDEX: ENODEV for an unknown name, EBADF on a
// closed socket), then the checks of the hardware address and proto.
func encodePacket(s *Socket, addr any, caller string, out *rawAddr) error {
	if a, ok := addr.(PacketAddr); ok {
		addr = a.Tuple()
	}
	t, ok := addr.(Tuple)
	if !ok {
		return pyerr.NewTypeError(fmt.Sprintf("%s(): AF_PACKET address must be tuple, not %s", caller, pyTypeName(addr)))
	}
	errShape := pyerr.NewTypeError("AF_PACKET address must be a tuple of two to five elements")
	if len(t) < 2 || len(t) > 5 {
		return errShape
	}
	name, ok := pyarg.AsStr(t[0])
	if !ok {
		return errShape
	}
	if err := pyarg.StrChecks(name); err != nil {
		return err
	}
	ints := [3]int{0, unix.PACKET_HOST, 0} // proto, pkttype, hatype
	for i := 1; i < len(t) && i < 4; i++ {
		n, err := asCInt(t[i])
		if err != nil {
			if _, over := err.(*pyerr.OverflowError); over {
				return pyerr.NewOverflowError(caller + "(): address argument out of range")
			}
			return err
		}
		ints[i-1] = n
	}
	var haddr []byte
	if len(t) == 5 {
		b, err := pyarg.BytesLike(t[4])
		if err != nil {
			return err
		}
		haddr = b
	}
	if len(name) >= unix.IFNAMSIZ {
		name = name[:unix.IFNAMSIZ-1] // CPython's strncpy keeps IFNAMSIZ-1 bytes
	}
	var index uint32
	err := s.orClosed().syscallErr(func(fd int) error {
		ifr, err := unix.NewIfreq(name)
		if err != nil {
			return err
		}
		if err := unix.IoctlIfreq(fd, unix.SIOCGIFINDEX, ifr); err != nil {
			return err
		}
		index = ifr.Uint32()
		return nil
	})
	if err != nil {
		return err
	}
	if len(haddr) > 8 {
		return pyerr.NewValueError("Hardware address must be 8 bytes or less")
	}
	if ints[0] < 0 || ints[0] > 0xffff {
		return pyerr.NewOverflowError(caller + "(): proto must be 0-65535.")
	}
	sa := (*unix.RawSockaddrLinklayer)(out.ptr())
	sa.Family = unix.AF_PACKET
	binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&sa.Protocol))[:], uint16(ints[0]))
	sa.Ifindex = int32(index)
	sa.Pkttype = uint8(ints[1])
	sa.Hatype = uint16(ints[2])
	sa.Halen = uint8(copy(sa.Addr[:], haddr))
	out.len = unix.SizeofSockaddrLinklayer
	return nil
}

// decodeLinuxFamily is makesockaddr's case for these families, nil for
// another family. fd names an AF_PACKET address's interface
// (SIOCGIFNAME; "" if that fails, as in CPython), whose hardware address
// is sll_halen bytes, some past sll_addr for a long one.
func decodeLinuxFamily(fd int, sa *unix.RawSockaddrAny) Address {
	switch sa.Addr.Family {
	case unix.AF_NETLINK:
		p := (*unix.RawSockaddrNetlink)(unsafe.Pointer(sa))
		return NetlinkAddr{Pid: p.Pid, Groups: p.Groups}
	case unix.AF_VSOCK:
		p := (*unix.RawSockaddrVM)(unsafe.Pointer(sa))
		return VsockAddr{CID: p.Cid, Port: p.Port}
	case unix.AF_PACKET:
		p := (*unix.RawSockaddrLinklayer)(unsafe.Pointer(sa))
		a := PacketAddr{
			Proto:   int(binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(&p.Protocol))[:])),
			Pkttype: int(p.Pkttype),
			Hatype:  int(p.Hatype),
		}
		raw := (*[unix.SizeofSockaddrAny]byte)(unsafe.Pointer(sa))
		off := int(unsafe.Offsetof(p.Addr))
		a.Addr = append([]byte{}, raw[off:off+min(int(p.Halen), len(raw)-off)]...)
		if p.Ifindex != 0 {
			var ifr unix.Ifreq
			ifr.SetUint32(uint32(p.Ifindex))
			if unix.IoctlIfreq(fd, unix.SIOCGIFNAME, &ifr) == nil {
				a.Ifname = ifr.Name()
			}
		}
		return a
	}
	return nil
}
