package pysock

import (
	"fmt"
	"math/bits"
	"strconv"
	"strings"
)

// The types of Python's socket enums. socket.py turns the AF_*, SOCK_*,
// MSG_* and AI_* constants into members of AddressFamily and SocketKind
// (IntEnum) and MsgFlag and AddressInfo (IntFlag); the Go constants have
// these types, so that Repr prints them as CPython does. Untyped numbers
// still pass where they are taken (NewSocket(2, 1, 0)), and flags combine
// with | as Python's do (MSG_PEEK|MSG_WAITALL is a MsgFlag). As in Python
// 3.11, str() of a member is its number.

// AddressFamily is Python's socket.AddressFamily (an IntEnum).
type AddressFamily int

// String is Python 3.11's str() of the enum: its number.
func (f AddressFamily) String() string { return strconv.Itoa(int(f)) }

// Repr is Python's repr(): <AddressFamily.AF_INET: 2>, or the bare number
// for a family Python has no name for.
func (f AddressFamily) Repr() string { return enumRepr("AddressFamily", familyNames, int(f)) }

// Name is the enum member's name, e.g. "AF_INET" ("" if unknown).
func (f AddressFamily) Name() string { return familyNames[int(f)] }

// SocketKind is Python's socket.SocketKind (an IntEnum).
type SocketKind int

// String is Python 3.11's str() of the enum: its number.
func (k SocketKind) String() string { return strconv.Itoa(int(k)) }

// Repr is Python's repr(): <SocketKind.SOCK_STREAM: 1>, or the bare
// number for a value that is no member (SOCK_STREAM|SOCK_NONBLOCK is the
// int 2049 in Python).
func (k SocketKind) Repr() string { return enumRepr("SocketKind", kindNames, int(k)) }

// Name is the enum member's name, e.g. "SOCK_STREAM" ("" if unknown).
func (k SocketKind) Name() string { return kindNames[int(k)] }

// MsgFlag is Python's socket.MsgFlag (an IntFlag): the flags of send,
// recv and recvmsg.
type MsgFlag int

// String is Python 3.11's str() of the flag: its number.
func (m MsgFlag) String() string { return strconv.Itoa(int(m)) }

// Repr is Python's repr(): <MsgFlag.MSG_PEEK: 2>,
// <MsgFlag.MSG_PEEK|MSG_WAITALL: 258>, <MsgFlag: 0>.
func (m MsgFlag) Repr() string { return flagRepr("MsgFlag", msgFlagNames, int(m)) }

// AddressInfo is Python's socket.AddressInfo (an IntFlag): getaddrinfo's
// flags.
type AddressInfo int

// String is Python 3.11's str() of the flag: its number.
func (a AddressInfo) String() string { return strconv.Itoa(int(a)) }

// Repr is Python's repr(): <AddressInfo.AI_PASSIVE|AI_CANONNAME: 3>.
func (a AddressInfo) Repr() string { return flagRepr("AddressInfo", addressInfoNames, int(a)) }

func enumRepr(class string, names map[int]string, v int) string {
	if n, ok := names[v]; ok {
		return fmt.Sprintf("<%s.%s: %d>", class, n, v)
	}
	return strconv.Itoa(v)
}

// flagRepr is Python 3.11's IntFlag repr for a non-negative value: the
// member names of its bits, lowest first, then the bits no member names
// as one number; <Class: v> when no member matches.
func flagRepr(class string, names map[int]string, v int) string {
	if v < 0 {
		return strconv.Itoa(v) // Python gives the inverse within the flag's width; not modelled
	}
	var parts []string
	rest := uint64(v)
	for b := uint64(v); b != 0; b &= b - 1 {
		bit := uint64(1) << bits.TrailingZeros64(b)
		if n, ok := names[int(bit)]; ok {
			parts = append(parts, n)
			rest &^= bit
		}
	}
	if len(parts) == 0 {
		return fmt.Sprintf("<%s: %d>", class, v)
	}
	if rest != 0 {
		parts = append(parts, strconv.FormatUint(rest, 10))
	}
	return fmt.Sprintf("<%s.%s: %d>", class, strings.Join(parts, "|"), v)
}
