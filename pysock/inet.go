package pysock

import (
	"encoding/binary"
	"fmt"
	"math"
	"net/netip"
	"strings"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"golang.org/x/sys/unix"
)

// strArg is CPython's "s" format: a str without NUL characters.
func strArg(fn string, n int, v any) (string, error) { return pyarg.Str(fn, n, v) }

// bytesArg is a bytes-like argument: any byte slice (pyarg.BytesLike).
func bytesArg(v any) ([]byte, error) { return pyarg.BytesLike(v) }

// InetAton is socket.inet_aton(ip_string): the 4-byte packed form of an
// IPv4 address, accepting the classic inet_aton shorthand ('1', '1.2',
// '0x7f.1', octal) and, as glibc does, anything after a whitespace. Invalid
// strings give OSError('illegal IP address string passed to inet_aton').
func InetAton(ipString any) ([]byte, error) {
	s, err := strArg("inet_aton", 1, ipString)
	if err != nil {
		return nil, err
	}
	if i := strings.IndexAny(s, " \t\n\v\f\r"); i >= 0 {
		s = s[:i]
	}
	a, ok := inetAton(s)
	if !ok {
		return nil, pyerr.NewOSError("illegal IP address string passed to inet_aton")
	}
	return a[:], nil
}

// InetNtoa is socket.inet_ntoa(packed_ip): dotted-quad text of a 4-byte
// address; OSError('packed IP wrong length for inet_ntoa') otherwise.
func InetNtoa(packedIP any) (string, error) {
	b, err := bytesArg(packedIP)
	if err != nil {
		return "", err
	}
	if len(b) != 4 {
		return "", pyerr.NewOSError("packed IP wrong length for inet_ntoa")
	}
	return netip.AddrFrom4([4]byte(b)).String(), nil
}

// InetPton is socket.inet_pton(address_family, ip_string): the packed form,
// strictly parsed (no shorthand, no scope). AF_INET and AF_INET6 only;
// others are OSError(97).
func InetPton(family AddressFamily, ipString any) ([]byte, error) {
	s, err := strArg("inet_pton", 2, ipString)
	if err != nil {
		return nil, err
	}
	bad := pyerr.NewOSError("illegal IP address string passed to inet_pton")
	switch family {
	case AF_INET:
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			return nil, bad
		}
		b := a.As4()
		return b[:], nil
	case AF_INET6:
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is6() || a.Zone() != "" {
			return nil, bad
		}
		b := a.As16()
		return b[:], nil
	}
	return nil, pyerr.FromErrno(unix.EAFNOSUPPORT)
}

// InetNtop is socket.inet_ntop(address_family, packed_ip): text of a
// packed address, formatted as glibc does (e.g. '::ffff:127.0.0.1').
func InetNtop(family AddressFamily, packedIP any) (string, error) {
	b, err := bytesArg(packedIP)
	if err != nil {
		return "", err
	}
	badLen := pyerr.NewValueError("invalid length of packed IP address string")
	switch family {
	case AF_INET:
		if len(b) != 4 {
			return "", badLen
		}
		return netip.AddrFrom4([4]byte(b)).String(), nil
	case AF_INET6:
		if len(b) != 16 {
			return "", badLen
		}
		return inetNtop6([16]byte(b)), nil
	}
	return "", pyerr.NewValueError(fmt.Sprintf("unknown address family %d", family))
}

// uint16Arg is CPython's uint16_t converter with the function name in the
// message.
func uint16Arg(fn string, v any) (uint16, error) {
	n, ok, _ := asIndex(v)
	if !ok {
		return 0, errNotInteger(v)
	}
	// CPython converts to a C int first, then checks the 16-bit range.
	if _, err := asCInt(v); err != nil {
		return 0, err
	}
	if n < 0 {
		return 0, pyerr.NewOverflowError(fn + ": can't convert negative Python int to C 16-bit unsigned integer")
	}
	if n > math.MaxUint16 {
		return 0, pyerr.NewOverflowError(fn + ": Python int too large to convert to C 16-bit unsigned integer")
	}
	return uint16(n), nil
}

// uint32Arg is CPython's htonl/ntohl argument check.
func uint32Arg(v any) (uint32, error) {
	if _, isBool := v.(bool); !isBool {
		if _, ok, _ := asIndex(v); !ok {
			return 0, pyerr.NewTypeError(fmt.Sprintf("expected int, %s found", pyTypeName(v)))
		}
	}
	n, _, over := asIndex(v)
	if over {
		// PyLong_AsUnsignedLong, then the 32-bit check.
		switch b := pyarg.BigOf(v); {
		case b.Sign() < 0:
			return 0, pyerr.NewOverflowError("can't convert negative value to unsigned int")
		case b.BitLen() > 64:
			return 0, pyerr.NewOverflowError("Python int too large to convert to C unsigned long")
		}
		return 0, pyerr.NewOverflowError("int larger than 32 bits")
	}
	switch {
	case n < 0:
		return 0, pyerr.NewOverflowError("can't convert negative value to unsigned int")
	case n > math.MaxUint32:
		return 0, pyerr.NewOverflowError("int larger than 32 bits")
	}
	return uint32(n), nil
}

// swap16 converts between host and network (big-endian) order: a swap on
// a little-endian host, nothing on a big-endian one (s390x, ppc64).
func swap16(x uint16) int {
	var b [2]byte
	binary.BigEndian.PutUint16(b[:], x)
	return int(binary.NativeEndian.Uint16(b[:]))
}

// swap32 is swap16 for 32 bits.
func swap32(x uint32) int {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], x)
	return int(binary.NativeEndian.Uint32(b[:]))
}

// Htons is socket.htons(x): a 16-bit integer from host to network order.
func Htons(x any) (int, error) {
	n, err := uint16Arg("htons", x)
	return swap16(n), err
}

// Ntohs is socket.ntohs(x): a 16-bit integer from network to host order.
func Ntohs(x any) (int, error) {
	n, err := uint16Arg("ntohs", x)
	return swap16(n), err
}

// Htonl is socket.htonl(x): a 32-bit integer from host to network order.
func Htonl(x any) (int, error) {
	n, err := uint32Arg(x)
	return swap32(n), err
}

// Ntohl is socket.ntohl(x): a 32-bit integer from network to host order.
func Ntohl(x any) (int, error) {
	n, err := uint32Arg(x)
	return swap32(n), err
}

// cmsgAlign rounds up to the alignment of ancillary data (size_t).
func cmsgAlign(n int) int { return (n + 7) &^ 7 }

const cmsgHdrLen = 16 // CMSG_LEN(0) on 64-bit Linux

// cmsgArg reads CMSG_LEN/CMSG_SPACE's length argument.
func cmsgArg(fn string, length any, limit int64) (int, error) {
	n, err := pyarg.SsizeT(length)
	if err != nil {
		return 0, err
	}
	if n < 0 || int64(n) > limit {
		return 0, pyerr.NewOverflowError(fn + "() argument out of range")
	}
	return int(n), nil
}

// CMSG_LEN is socket.CMSG_LEN(length): the cmsg_len of an ancillary item
// with length bytes of data.
func CMSG_LEN(length any) (int, error) {
	n, err := cmsgArg("CMSG_LEN", length, math.MaxInt32-cmsgHdrLen)
	return cmsgHdrLen + n, err
}

// CMSG_SPACE is socket.CMSG_SPACE(length): the buffer space an ancillary
// item with length bytes of data takes, padding included.
func CMSG_SPACE(length any) (int, error) {
	n, err := cmsgArg("CMSG_SPACE", length, math.MaxInt32-(cmsgHdrLen+8)) // CPython: > limit - CMSG_SPACE(1)
	return cmsgHdrLen + cmsgAlign(n), err
}
