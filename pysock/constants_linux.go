package pysock

import "golang.org/x/sys/unix"

// Address families (socket.AF_*).
const (
	AF_UNSPEC = unix.AF_UNSPEC // socket.AF_UNSPEC
	AF_UNIX   = unix.AF_UNIX   // socket.AF_UNIX
	AF_INET   = unix.AF_INET   // socket.AF_INET
	AF_INET6  = unix.AF_INET6  // socket.AF_INET6
)

// Socket kinds (socket.SOCK_*) and the creation flags socket() accepts in type.
const (
	SOCK_STREAM    = unix.SOCK_STREAM    // socket.SOCK_STREAM
	SOCK_DGRAM     = unix.SOCK_DGRAM     // socket.SOCK_DGRAM
	SOCK_RAW       = unix.SOCK_RAW       // socket.SOCK_RAW
	SOCK_RDM       = unix.SOCK_RDM       // socket.SOCK_RDM
	SOCK_SEQPACKET = unix.SOCK_SEQPACKET // socket.SOCK_SEQPACKET
	SOCK_NONBLOCK  = unix.SOCK_NONBLOCK  // socket.SOCK_NONBLOCK
	SOCK_CLOEXEC   = unix.SOCK_CLOEXEC   // socket.SOCK_CLOEXEC
)

// Levels and options used by the socket object (socket.SOL_*, socket.SO_*, …).
const (
	SOL_SOCKET    = unix.SOL_SOCKET    // socket.SOL_SOCKET
	SO_REUSEADDR  = unix.SO_REUSEADDR  // socket.SO_REUSEADDR
	SO_REUSEPORT  = unix.SO_REUSEPORT  // socket.SO_REUSEPORT
	SO_KEEPALIVE  = unix.SO_KEEPALIVE  // socket.SO_KEEPALIVE
	SO_BROADCAST  = unix.SO_BROADCAST  // socket.SO_BROADCAST
	SO_LINGER     = unix.SO_LINGER     // socket.SO_LINGER
	SO_RCVBUF     = unix.SO_RCVBUF     // socket.SO_RCVBUF
	SO_SNDBUF     = unix.SO_SNDBUF     // socket.SO_SNDBUF
	SO_ERROR      = unix.SO_ERROR      // socket.SO_ERROR
	SO_TYPE       = unix.SO_TYPE       // socket.SO_TYPE
	SO_DOMAIN     = unix.SO_DOMAIN     // socket.SO_DOMAIN
	SO_PROTOCOL   = unix.SO_PROTOCOL   // socket.SO_PROTOCOL
	SO_RCVLOWAT   = unix.SO_RCVLOWAT   // socket.SO_RCVLOWAT
	SO_SNDLOWAT   = unix.SO_SNDLOWAT   // socket.SO_SNDLOWAT
	SO_ACCEPTCONN = unix.SO_ACCEPTCONN // socket.SO_ACCEPTCONN

	IPPROTO_IP   = unix.IPPROTO_IP   // socket.IPPROTO_IP
	IPPROTO_TCP  = unix.IPPROTO_TCP  // socket.IPPROTO_TCP
	IPPROTO_UDP  = unix.IPPROTO_UDP  // socket.IPPROTO_UDP
	IPPROTO_IPV6 = unix.IPPROTO_IPV6 // socket.IPPROTO_IPV6
	IPV6_V6ONLY  = unix.IPV6_V6ONLY  // socket.IPV6_V6ONLY
	TCP_NODELAY  = unix.TCP_NODELAY  // socket.TCP_NODELAY

	IP_MULTICAST_TTL  = unix.IP_MULTICAST_TTL  // socket.IP_MULTICAST_TTL
	IP_MULTICAST_IF   = unix.IP_MULTICAST_IF   // socket.IP_MULTICAST_IF
	IP_MULTICAST_LOOP = unix.IP_MULTICAST_LOOP // socket.IP_MULTICAST_LOOP
	IP_ADD_MEMBERSHIP = unix.IP_ADD_MEMBERSHIP // socket.IP_ADD_MEMBERSHIP
)

// Message flags (socket.MSG_*).
const (
	MSG_OOB      = unix.MSG_OOB      // socket.MSG_OOB
	MSG_PEEK     = unix.MSG_PEEK     // socket.MSG_PEEK
	MSG_DONTWAIT = unix.MSG_DONTWAIT // socket.MSG_DONTWAIT
	MSG_WAITALL  = unix.MSG_WAITALL  // socket.MSG_WAITALL
	MSG_TRUNC    = unix.MSG_TRUNC    // socket.MSG_TRUNC
	MSG_CTRUNC   = unix.MSG_CTRUNC   // socket.MSG_CTRUNC
	MSG_NOSIGNAL = unix.MSG_NOSIGNAL // socket.MSG_NOSIGNAL
)

// shutdown() arguments (socket.SHUT_*).
const (
	SHUT_RD   = unix.SHUT_RD   // socket.SHUT_RD
	SHUT_WR   = unix.SHUT_WR   // socket.SHUT_WR
	SHUT_RDWR = unix.SHUT_RDWR // socket.SHUT_RDWR
)

// SOMAXCONN is socket.SOMAXCONN, the default backlog of listen().
const SOMAXCONN = unix.SOMAXCONN
