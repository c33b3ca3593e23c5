//go:build !(linux && (amd64 || arm64 || ppc64 || ppc64le || riscv64 || s390x || loong64))

package pyarg

// pysock reproduces CPython's socket module on Linux system calls and
// Linux's numbering of errnos, socket constants and ioctls, and its
// tables assume a 64-bit platform. Any other GOOS or GOARCH stops here
// with the message below instead of a cryptic error further on (see
// "Supported platforms" in README.md).
var _ = pysock_supports_only_64_bit_linux_amd64_arm64_ppc64_ppc64le_riscv64_s390x_loong64
