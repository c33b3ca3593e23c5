package pysock

import (
	"golang.org/x/sys/unix"
)

// SocketPair is socket.socketpair(family=AF_UNIX, type=SOCK_STREAM,
// proto=0): two connected sockets, each in the getdefaulttimeout() mode.
// -1 means Python's default for each argument.
func SocketPair(fam AddressFamily, kind SocketKind, proto int) (*Socket, *Socket, error) {
	family, typ := int(fam), int(kind)
	if err := cInts(family, typ, proto); err != nil {
		return nil, nil, err
	}
	family, typ, proto = withDefaults(family, typ, proto, unix.AF_UNIX)
	fds, err := unix.Socketpair(family, typ|unix.SOCK_CLOEXEC|unix.SOCK_NONBLOCK, proto)
	if err != nil {
		return nil, nil, toPyErr(err)
	}
	ns := initialTimeout(typ)
	ha, err := freshHandle(fds[0], ns >= 0)
	if err != nil {
		unix.Close(fds[1])
		return nil, nil, err
	}
	hb, err := freshHandle(fds[1], ns >= 0)
	if err != nil {
		ha.file.Close()
		return nil, nil, err
	}
	return newSocketObject(ha, family, typ, proto, ns), newSocketObject(hb, family, typ, proto, ns), nil
}
