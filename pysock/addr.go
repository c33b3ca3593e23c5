package pysock

import (
	"context"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"
	"unsafe"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
	"golang.org/x/sys/unix"
)

// Address is a socket address as Python returns it: InetAddr for AF_INET's
// (host, port), Inet6Addr for AF_INET6's (host, port, flowinfo, scope_id),
// UnixAddr for AF_UNIX's str or bytes, and NetlinkAddr, VsockAddr and
// PacketAddr (addr_linux_families.go). String() is Python's str(address)
// and Repr() its repr().
type Address interface {
	String() string
	Repr() string
	// Tuple returns the value as the Python object: a Tuple, a string, or
	// pyrepr.Bytes for an abstract unix name.
	Tuple() any
	// HostPort is Python's addr[0] and addr[1] for the families that have
	// them (AF_INET, AF_INET6); ok is false for the others.
	HostPort() (host string, port int, ok bool)
	// AddrPort is the address as a netip.AddrPort; ok is false where the
	// family has none or the host is not numeric.
	AddrPort() (netip.AddrPort, bool)
}

// InetAddr is an AF_INET address, Python's (host, port) tuple.
type InetAddr struct {
	Host string
	Port int
}

// String prints like Python's tuple: ('127.0.0.1', 8080).
func (a InetAddr) String() string { return pyrepr.Repr(a.Tuple()) }

// Repr is the same as String for tuples.
func (a InetAddr) Repr() string { return a.String() }

// Tuple returns (host, port).
func (a InetAddr) Tuple() any { return Tuple{a.Host, a.Port} }

// Inet6Addr is an AF_INET6 address, Python's (host, port, flowinfo, scope_id).
type Inet6Addr struct {
	Host     string
	Port     int
	Flowinfo uint32
	ScopeID  uint32
}

// String prints like Python's tuple: ('::1', 8080, 0, 0).
func (a Inet6Addr) String() string { return pyrepr.Repr(a.Tuple()) }

// Repr is the same as String for tuples.
func (a Inet6Addr) Repr() string { return a.String() }

// Tuple returns (host, port, flowinfo, scope_id).
func (a Inet6Addr) Tuple() any { return Tuple{a.Host, a.Port, int(a.Flowinfo), int(a.ScopeID)} }

// UnixAddr is an AF_UNIX address: a filesystem path (Python str), an
// abstract name starting with "\x00" (Python bytes), or "" for an unnamed
// socket.
type UnixAddr string

// IsAbstract reports whether this is a Linux abstract-namespace name.
func (a UnixAddr) IsAbstract() bool { return len(a) > 0 && a[0] == 0 }

// String is Python's str(address): the bare path, or b'\x00name' for an
// abstract name.
func (a UnixAddr) String() string {
	if a.IsAbstract() {
		return pyrepr.BytesRepr([]byte(a))
	}
	return string(a)
}

// Repr is Python's repr(address): '/tmp/s.sock' or b'\x00name'.
func (a UnixAddr) Repr() string { return pyrepr.Repr(a.Tuple()) }

// Tuple returns the Python object: str for a path, bytes for an abstract name.
func (a UnixAddr) Tuple() any {
	if a.IsAbstract() {
		return pyrepr.Bytes(a)
	}
	return string(a)
}

// truthy is Python's bool(address), used by repr to omit empty addresses.
func truthy(a Address) bool {
	if u, ok := a.(UnixAddr); ok {
		return u != ""
	}
	return a != nil
}

// rawAddr is an encoded sockaddr ready for a syscall.
type rawAddr struct {
	sa  unix.RawSockaddrAny
	len uint32
}

func (r *rawAddr) ptr() unsafe.Pointer { return unsafe.Pointer(&r.sa) }

// encodeAddr is CPython's getsockaddrarg: it turns a Python-style address
// for family into a sockaddr, with CPython's errors. caller names the
// method in messages ("bind", "connect", "sendto"). s is the socket, whose
// fd looks up an AF_PACKET interface (nil is a closed socket).
func encodeAddr(s *Socket, family int, addr any, caller string, out *rawAddr) error {
	*out = rawAddr{}
	switch family {
	case unix.AF_UNIX:
		return encodeUnix(addr, out)
	case unix.AF_NETLINK:
		return encodeNetlink(addr, caller, out)
	case unix.AF_VSOCK:
		return encodeVsock(addr, out)
	case unix.AF_PACKET:
		return encodePacket(s, addr, caller, out)
	case unix.AF_INET, unix.AF_INET6:
	default:
		return pyerr.NewOSError(caller + "(): bad family")
	}
	switch a := addr.(type) {
	case InetAddr:
		addr = Tuple{a.Host, a.Port}
	case Inet6Addr:
		addr = Tuple{a.Host, a.Port, int64(a.Flowinfo), int64(a.ScopeID)}
	case UnixAddr:
		addr = a.Tuple() // a str (bytes if abstract) in the type error
	}
	fam := "AF_INET"
	if family == unix.AF_INET6 {
		fam = "AF_INET6"
	}
	t, ok := addr.(Tuple)
	if !ok {
		return pyerr.NewTypeError(fmt.Sprintf("%s(): %s address must be tuple, not %s", caller, fam, pyTypeName(addr)))
	}
	arity := "AF_INET address must be a pair (host, port)"
	if family == unix.AF_INET6 {
		arity = "AF_INET6 address must be a tuple (host, port[, flowinfo[, scopeid]])"
		if len(t) < 2 || len(t) > 4 {
			return pyerr.NewTypeError(arity)
		}
	} else if len(t) != 2 {
		return pyerr.NewTypeError(arity)
	}
	host, err := hostArg(t[0])
	if err != nil {
		return err
	}
	portN, ok, over := asIndex(t[1])
	if !ok {
		return errNotInteger(t[1])
	}
	portRange := pyerr.NewOverflowError(caller + "(): port must be 0-65535.")
	if over || portN > 1<<31-1 || portN < -1<<31 {
		return portRange
	}
	var flow, scope uint32
	for i, dst := range []*uint32{&flow, &scope} {
		if len(t) > 2+i {
			n, ok := uintMask(t[2+i])
			if !ok {
				return errNotInteger(t[2+i])
			}
			*dst = n
		}
	}
	ip, err := setipaddr(host, family)
	if err != nil {
		return err
	}
	if portN < 0 || portN > 0xffff {
		return portRange
	}
	if family == unix.AF_INET {
		sa := (*unix.RawSockaddrInet4)(out.ptr())
		sa.Family = unix.AF_INET
		binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&sa.Port))[:], uint16(portN))
		sa.Addr = ip.As4()
		out.len = unix.SizeofSockaddrInet4
		return nil
	}
	if flow > 0xfffff {
		return pyerr.NewOverflowError(caller + "(): flowinfo must be 0-1048575.")
	}
	sa := (*unix.RawSockaddrInet6)(out.ptr())
	sa.Family = unix.AF_INET6
	binary.BigEndian.PutUint16((*[2]byte)(unsafe.Pointer(&sa.Port))[:], uint16(portN))
	binary.BigEndian.PutUint32((*[4]byte)(unsafe.Pointer(&sa.Flowinfo))[:], flow)
	sa.Addr = ip.As16()
	sa.Scope_id = scope // CPython: the tuple's scope_id wins over a "%zone"
	out.len = unix.SizeofSockaddrInet6
	return nil
}

// uintMask is CPython's "I" format: the low 32 bits of any integer, no
// range check (PyLong_AsUnsignedLongMask); ok is false for a non-integer.
func uintMask(v any) (uint32, bool) {
	n, ok := pyarg.UnsignedLongLongMask(v)
	return uint32(n), ok
}

// hostArg is CPython's idna_converter: str, bytes or bytearray, no NUL; a
// non-ASCII str is encoded with the idna codec first.
func hostArg(v any) (string, error) {
	s, isStr, ok := pyarg.StrOrBytes(v)
	if !ok {
		return "", pyerr.NewTypeError(fmt.Sprintf("str, bytes or bytearray expected, not %s", pyTypeName(v)))
	}
	if isStr && !isASCII(s) {
		var err error
		if s, err = idnaString(s); err != nil {
			return "", pyerr.NewTypeError("encoding of hostname failed")
		}
	}
	if strings.IndexByte(s, 0) >= 0 {
		return "", pyerr.NewTypeError("host name must not contain null character")
	}
	return s, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func encodeUnix(addr any, out *rawAddr) error {
	// CPython: a str (UnixAddr is one) is encoded, anything else must be
	// a buffer.
	s, _, ok := pyarg.StrOrBytes(addr)
	if !ok {
		return pyarg.ErrNotBytesLike(addr)
	}
	path := []byte(s)
	sa := (*unix.RawSockaddrUnix)(out.ptr())
	abstract := len(path) == 0 || path[0] == 0
	if (abstract && len(path) > len(sa.Path)) || (!abstract && len(path) >= len(sa.Path)) {
		return pyerr.NewOSError("AF_UNIX path too long")
	}
	sa.Family = unix.AF_UNIX
	for i, c := range path {
		sa.Path[i] = int8(c)
	}
	out.len = uint32(unsafe.Offsetof(sa.Path)) + uint32(len(path))
	return nil
}

// setipaddr is CPython's setipaddr: "" is the wildcard address (one
// result required), '<broadcast>' is INADDR_BROADCAST, strict numeric
// addresses are taken without a lookup, and everything else goes through
// GetAddrInfo's resolver (numeric shorthand, /etc/hosts, DNS). family is
// AF_INET, AF_INET6 or AF_UNSPEC.
func setipaddr(name string, family int) (netip.Addr, error) {
	if name == "" {
		zero := "0"
		res, code := gai(nil, &zero, gaiHints{family: AddressFamily(family), socktype: SOCK_DGRAM, flags: AI_PASSIVE})
		if code != 0 {
			return netip.Addr{}, pyerr.FromGaiCode(code)
		}
		if len(res) > 1 {
			return netip.Addr{}, pyerr.NewOSError("wildcard resolved to multiple address")
		}
		return res[0].addr, nil
	}
	if name == "<broadcast>" || name == "255.255.255.255" {
		if family != unix.AF_INET && family != unix.AF_UNSPEC {
			return netip.Addr{}, pyerr.NewOSError("address family mismatched")
		}
		return netip.AddrFrom4([4]byte{255, 255, 255, 255}), nil
	}
	if ip, err := netip.ParseAddr(name); err == nil && ip.Zone() == "" {
		if ip.Is4() && (family == unix.AF_UNSPEC || family == unix.AF_INET) {
			return ip, nil
		}
		if ip.Is6() && (family == unix.AF_UNSPEC || family == unix.AF_INET6) {
			return ip, nil
		}
	}
	res, code := gai(&name, nil, gaiHints{family: AddressFamily(family)})
	if code != 0 {
		return netip.Addr{}, pyerr.FromGaiCode(code)
	}
	return res[0].addr, nil
}

// lookupNetIP resolves a host name with Go's pure resolver; a test seam.
var lookupNetIP = func(ctx context.Context, network, host string) ([]netip.Addr, error) {
	r := &net.Resolver{PreferGo: true}
	return r.LookupNetIP(ctx, network, host)
}

// inetAton parses an IPv4 address the way C's inet_aton does, accepting
// the classic shorthand forms ('1', '1.2', '0x7f.1', octal '010').
func inetAton(s string) ([4]byte, bool) {
	var out [4]byte
	if s == "" {
		return out, false
	}
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return out, false
	}
	vals := make([]uint64, len(parts))
	for i, p := range parts {
		if p == "" {
			return out, false
		}
		base := 10
		switch {
		case strings.HasPrefix(p, "0x") || strings.HasPrefix(p, "0X"):
			base, p = 16, p[2:]
			if p == "" {
				// glibc's strtoul reads the 0 and stops at the x, which
				// inet_aton then refuses as trailing text.
				return out, false
			}
		case len(p) > 1 && p[0] == '0':
			base, p = 8, p[1:]
		}
		v, err := strconv.ParseUint(p, base, 32)
		if err != nil {
			return out, false
		}
		vals[i] = v
	}
	var n uint64
	last := len(vals) - 1
	for i := 0; i < last; i++ {
		if vals[i] > 0xff {
			return out, false
		}
		n |= vals[i] << (24 - 8*uint(i))
	}
	if vals[last] > 0xffffffff>>(8*uint(last)) {
		return out, false
	}
	n |= vals[last]
	binary.BigEndian.PutUint32(out[:], uint32(n))
	return out, true
}

// decodeAddr is CPython's makesockaddr for the families pysock knows. A
// zero length (no address, e.g. recvfrom on TCP) gives nil: Python's None.
// fd is the socket's, which names an AF_PACKET address's interface.
func decodeAddr(fd int, sa *unix.RawSockaddrAny, n uint32) Address {
	if n == 0 {
		return nil
	}
	switch sa.Addr.Family {
	case unix.AF_INET:
		p := (*unix.RawSockaddrInet4)(unsafe.Pointer(sa))
		port := binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(&p.Port))[:])
		return InetAddr{Host: netip.AddrFrom4(p.Addr).String(), Port: int(port)}
	case unix.AF_INET6:
		p := (*unix.RawSockaddrInet6)(unsafe.Pointer(sa))
		port := binary.BigEndian.Uint16((*[2]byte)(unsafe.Pointer(&p.Port))[:])
		flow := binary.BigEndian.Uint32((*[4]byte)(unsafe.Pointer(&p.Flowinfo))[:])
		return Inet6Addr{Host: inetNtop6(p.Addr), Port: int(port), Flowinfo: flow, ScopeID: p.Scope_id}
	case unix.AF_UNIX:
		p := (*unix.RawSockaddrUnix)(unsafe.Pointer(sa))
		off := uint32(unsafe.Offsetof(p.Path))
		var plen uint32
		if n > off {
			plen = n - off
		}
		if plen > uint32(len(p.Path)) {
			plen = uint32(len(p.Path))
		}
		b := make([]byte, plen)
		for i := range b {
			b[i] = byte(p.Path[i])
		}
		if plen > 0 && b[0] == 0 {
			return UnixAddr(b)
		}
		if i := strings.IndexByte(string(b), 0); i >= 0 {
			b = b[:i]
		}
		return UnixAddr(b)
	}
	return decodeLinuxFamily(fd, sa)
}

// inetNtop6 formats an IPv6 address exactly as glibc's inet_ntop does,
// including the embedded-IPv4 forms ::ffff:1.2.3.4 and ::1.2.3.4.
func inetNtop6(a [16]byte) string {
	var words [8]uint16
	for i := range words {
		words[i] = binary.BigEndian.Uint16(a[2*i:])
	}
	bestBase, bestLen, curBase, curLen := -1, 0, -1, 0
	for i := 0; i < 8; i++ {
		if words[i] == 0 {
			if curBase == -1 {
				curBase, curLen = i, 1
			} else {
				curLen++
			}
		} else if curBase != -1 {
			if bestBase == -1 || curLen > bestLen {
				bestBase, bestLen = curBase, curLen
			}
			curBase = -1
		}
	}
	if curBase != -1 && (bestBase == -1 || curLen > bestLen) {
		bestBase, bestLen = curBase, curLen
	}
	if bestBase != -1 && bestLen < 2 {
		bestBase = -1
	}
	var b strings.Builder
	for i := 0; i < 8; i++ {
		if bestBase != -1 && i >= bestBase && i < bestBase+bestLen {
			if i == bestBase {
				b.WriteByte(':')
			}
			continue
		}
		if i != 0 {
			b.WriteByte(':')
		}
		if i == 6 && bestBase == 0 && (bestLen == 6 || (bestLen == 5 && words[5] == 0xffff)) {
			b.WriteString(netip.AddrFrom4([4]byte{a[12], a[13], a[14], a[15]}).String())
			break
		}
		b.WriteString(strconv.FormatUint(uint64(words[i]), 16))
	}
	if bestBase != -1 && bestBase+bestLen == 8 {
		b.WriteByte(':')
	}
	return b.String()
}
