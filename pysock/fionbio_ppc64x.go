//go:build linux && (ppc64 || ppc64le)

package pysock

import "golang.org/x/sys/unix"

// fionbio is the FIONBIO ioctl request, which CPython uses to switch
// O_NONBLOCK: powerpc's _IOW('f', 126, int). x/sys/unix does not define
// FIONBIO on Linux.
const fionbio = 0x8004667e

// FIONBIO is _IOW('f', 126, int) and x/sys's SIOCINQ (FIONREAD)
// _IOR('f', 127, int)
// (0x4004667f): the write bit is 0x80000000, the read bit 0x40000000;
// this fails to compile where that numbering differs.
const _ = uint(fionbio-(unix.SIOCINQ-1+0x40000000)) + uint(unix.SIOCINQ-1+0x40000000-fionbio)
