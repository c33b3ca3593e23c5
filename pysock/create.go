package pysock

import (
	"errors"
	"fmt"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyrepr"
)

// HasIPv6 is socket.has_ipv6.
const HasIPv6 = true

// globalDefault is the type of GlobalDefaultTimeout.
type globalDefault struct{}

// GlobalDefaultTimeout is Python's socket._GLOBAL_DEFAULT_TIMEOUT: passed
// (or left out) as CreateConnection's timeout, the socket keeps the module
// default timeout. nil means None (blocking mode), as in Python.
var GlobalDefaultTimeout = globalDefault{}

// AllErrors is create_connection's keyword argument all_errors: pass
// AllErrors(true) among CreateConnection's arguments to get every error in
// a pyerr.ExceptionGroup instead of the last one.
type AllErrors bool

// unpack2 is Python's "a, b = v" for an address argument.
func unpack2(v any) (any, any, error) {
	var items []any
	switch x := v.(type) {
	case Tuple:
		items = x
	case []any:
		items = x
	case string:
		for _, r := range x {
			items = append(items, string(r))
		}
	case InetAddr:
		items = []any{x.Host, x.Port}
	case Inet6Addr:
		items = x.Tuple().(Tuple)
	default:
		return nil, nil, pyerr.NewTypeError(fmt.Sprintf("cannot unpack non-iterable %s object", pyTypeName(v)))
	}
	switch {
	case len(items) < 2:
		return nil, nil, pyerr.NewValueError(fmt.Sprintf("not enough values to unpack (expected 2, got %d)", len(items)))
	case len(items) > 2:
		return nil, nil, pyerr.NewValueError("too many values to unpack (expected 2)")
	}
	return items[0], items[1], nil
}

// CreateConnection is socket.create_connection(address, timeout=..., source_address=None, *, all_errors=False).
// address is a (host, port) Tuple or an InetAddr. After address come, in
// Python's order, the timeout (GlobalDefaultTimeout, nil for None, or
// seconds) and the source address (nil for none); AllErrors(true) may be
// added anywhere. Each getaddrinfo result is tried in turn, failed sockets
// are closed, and the last error is returned (every error, in an
// ExceptionGroup, with AllErrors) exactly as Lib/socket.py does.
func CreateConnection(address any, args ...any) (*Socket, error) {
	var timeout any = GlobalDefaultTimeout
	var source any
	allErrors := false
	pos := 0
	for _, a := range args {
		if ae, ok := a.(AllErrors); ok {
			allErrors = bool(ae)
			continue
		}
		switch pos {
		case 0:
			timeout = a
		case 1:
			source = a
		default:
			return nil, tooManyPositional("create_connection", 1, 3, pos+2)
		}
		pos++
	}
	host, port, err := unpack2(address)
	if err != nil {
		return nil, err
	}
	infos, err := GetAddrInfo(host, port, 0, SOCK_STREAM)
	if err != nil {
		return nil, err
	}
	var errs []error
	for _, ai := range infos {
		sock, err := func() (*Socket, error) {
			sock, err := NewSocket(ai.Family, ai.Type, ai.Proto)
			if err != nil {
				return nil, err
			}
			if _, isDefault := timeout.(globalDefault); !isDefault {
				if err := sock.SetTimeout(timeout); err != nil {
					return sock, err
				}
			}
			if source != nil && truthyArg(source) {
				if err := sock.Bind(source); err != nil {
					return sock, err
				}
			}
			return sock, sock.Connect(ai.SockAddr)
		}()
		if err == nil {
			return sock, nil
		}
		var oe *pyerr.OSError
		if !errors.As(err, &oe) { // only socket.error is caught
			if sock != nil {
				sock.Close()
			}
			return nil, err
		}
		if !allErrors {
			errs = errs[:0]
		}
		errs = append(errs, err)
		if sock != nil {
			sock.Close()
		}
	}
	if len(errs) == 0 {
		return nil, pyerr.NewOSError("getaddrinfo returns an empty list")
	}
	if !allErrors {
		return nil, errs[0]
	}
	g := pyerr.NewExceptionGroup("create_connection failed", errs)
	g.Args[1] = []any{} // Lib/socket.py clears the list it passed, and repr shows it empty
	return nil, g
}

// truthyArg is Python's bool(v) for a source address argument.
func truthyArg(v any) bool {
	switch x := v.(type) {
	case Tuple:
		return len(x) > 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	}
	return true
}

// HasDualstackIPv6 is socket.has_dualstack_ipv6(): whether an AF_INET6
// stream socket can also accept IPv4 connections.
func HasDualstackIPv6() bool {
	s, err := NewSocket(AF_INET6, SOCK_STREAM, -1)
	if err != nil {
		return false
	}
	defer s.Close()
	return s.SetSockOpt(IPPROTO_IPV6, IPV6_V6ONLY, 0) == nil
}

// ServerOptions are create_server's keyword arguments.
type ServerOptions struct {
	// Family is AF_INET (the default when zero) or AF_INET6.
	Family AddressFamily
	// Backlog is listen()'s backlog; nil for listen()'s default.
	Backlog any
	// ReusePort sets SO_REUSEPORT.
	ReusePort bool
	// DualstackIPv6 makes an AF_INET6 socket accept IPv4 too.
	DualstackIPv6 bool
}

// CreateServer is socket.create_server(address, *, family=AF_INET, backlog=None, reuse_port=False, dualstack_ipv6=False):
// a listening stream socket bound to address, with SO_REUSEADDR, and
// IPV6_V6ONLY set unless DualstackIPv6. A bind failure is CPython's
// OSError(errno, "<strerror> (while attempting to bind on address
// <address>)").
func CreateServer(address any, opts ...ServerOptions) (*Socket, error) {
	var o ServerOptions
	if len(opts) > 0 {
		o = opts[0]
	}
	if o.Family == 0 {
		o.Family = AF_INET
	}
	if o.DualstackIPv6 {
		if !HasDualstackIPv6() {
			return nil, pyerr.NewValueError("dualstack_ipv6 not supported on this platform")
		}
		if o.Family != AF_INET6 {
			return nil, pyerr.NewValueError("dualstack_ipv6 requires AF_INET6 family")
		}
	}
	sock, err := NewSocket(o.Family, SOCK_STREAM, -1)
	if err != nil {
		return nil, err
	}
	if err := setupServer(sock, address, o); err != nil {
		sock.Close()
		return nil, err
	}
	return sock, nil
}

func setupServer(sock *Socket, address any, o ServerOptions) error {
	_ = sock.SetSockOpt(SOL_SOCKET, SO_REUSEADDR, 1) // errors ignored, as in CPython
	if o.ReusePort {
		if err := sock.SetSockOpt(SOL_SOCKET, SO_REUSEPORT, 1); err != nil {
			return err
		}
	}
	if o.Family == AF_INET6 {
		v6only := 1
		if o.DualstackIPv6 {
			v6only = 0
		}
		if err := sock.SetSockOpt(IPPROTO_IPV6, IPV6_V6ONLY, v6only); err != nil {
			return err
		}
	}
	if err := sock.Bind(address); err != nil {
		var oe *pyerr.OSError
		if !errors.As(err, &oe) {
			return err
		}
		var errno, strerror any
		if oe.HasErrno {
			errno, strerror = oe.Errno, oe.Strerror
		}
		msg := fmt.Sprintf("%s (while attempting to bind on address %s)", pyrepr.Str(strerror), pyrepr.Repr(addressArgRepr(address)))
		return pyerr.NewOSError(errno, msg)
	}
	if o.Backlog == nil {
		return sock.Listen()
	}
	n, err := asCInt(o.Backlog)
	if err != nil {
		return err
	}
	return sock.Listen(n)
}

// addressArgRepr is what %r prints for an address argument.
func addressArgRepr(a any) any {
	if ad, ok := a.(Address); ok {
		return ad.Tuple()
	}
	return a
}

// FromFd is socket.fromfd(fd, family, type, proto=0): a Socket on a
// duplicate of fd (the caller keeps fd). More than one proto is Python's
// TypeError for the count, and nothing is duplicated.
func FromFd(fd int, family AddressFamily, typ SocketKind, proto ...int) (*Socket, error) {
	if len(proto) > 1 {
		return nil, tooManyPositional("fromfd", 3, 4, 3+len(proto))
	}
	p := 0
	if len(proto) > 0 {
		p = proto[0]
	}
	nfd, err := Dup(fd)
	if err != nil {
		return nil, err
	}
	s, err := FromFileno(nfd, family, typ, p)
	if err != nil {
		Close(nfd)
		return nil, err
	}
	return s, nil
}
