//go:build linux && !(ppc64 || ppc64le || mips || mipsle || mips64 || mips64le)

package pysock

import "golang.org/x/sys/unix"

// fionbio is the FIONBIO ioctl request, which CPython uses to switch
// O_NONBLOCK: the asm-generic value (amd64, arm64, riscv64, s390x,
// loong64). x/sys/unix does not define FIONBIO on Linux.
const fionbio = 0x5421

// FIONBIO is _IO(0x54, 0x21) in the same generic numbering as x/sys's
// SIOCINQ (FIONREAD, 0x541B); this fails to compile where that numbering
// differs.
const _ = uint(fionbio-unix.SIOCINQ-6) + uint(unix.SIOCINQ+6-fionbio)
