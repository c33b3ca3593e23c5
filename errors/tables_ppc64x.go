//go:build linux && (ppc64 || ppc64le)

package pyerr

import "syscall"

// On powerpc EDEADLOCK is an errno of its own (58), not an alias of
// EDEADLK (35) as on x86-64, where tables_linux.go was generated: there
// CPython's errno.errorcode names 35 EDEADLK and 58 EDEADLOCK, and glibc
// has a text for 58.
func init() {
	errnoNames[int(syscall.EDEADLK)] = "EDEADLK"
	errnoNames[int(syscall.EDEADLOCK)] = "EDEADLOCK"
	strerrorTable[syscall.EDEADLOCK] = "File locking deadlock error"
}

// EDEADLOCK indexes strerrorTable; this fails to compile if it moves.
const _ = uint(syscall.EDEADLOCK-58) + uint(58-syscall.EDEADLOCK)
