// Package pysock is Python 3's socket module for Go, with select and
// selectors: a Python program ports to Go line by line and gets what
// CPython 3.11 gives it — the same results, exception classes, errno
// values, str() texts and kernel fd flags.
//
// # The three modes
//
// A Socket is in one of Python's modes, set with SetBlocking and
// SetTimeout exactly as in Python:
//
//   - blocking (timeout None, the default): calls wait until they can
//     complete, and return what the kernel's blocking call returns;
//   - non-blocking (timeout 0.0): calls that cannot complete at once fail
//     with BlockingIOError (errno 11, or 115 for connect);
//   - timeout mode (timeout > 0): calls wait at most the timeout, then fail
//     with TimeoutError('timed out'), following CPython's rule of polling
//     before every call.
//
// The kernel's O_NONBLOCK flag is what CPython leaves: clear in blocking
// mode, set otherwise, wherever it can be read. Until a socket's number is
// first given out (Fileno, Detach, Conn.SyscallConn, SetInheritable(true))
// or shown (Repr, a selector's key, poll's events), nothing but pysock can
// reach its file description, and pysock leaves the flag set in every
// mode, which saves system calls on every socket made, accepted or
// connected; the way out sets CPython's flag first.
//
// # Goroutines instead of threads
//
// A waiting call never holds an OS thread: the fd is registered with Go's
// runtime poller and the goroutine parks there, so a server with one
// goroutine per connection — the shape of a Python thread-per-client
// server — holds 10 000 connections on a few OS threads. Close from
// another goroutine wakes waiting calls with OSError(9). select.select
// and poll.poll park the same way. docs/porting.md ("How a waiting call
// behaves") lists the details. Before it parks, a receive whose recent
// waits were short may retry for up to 50 µs while no other goroutine
// waits to run (an adaptive spin that saves the wake-up of a loopback
// round trip, and backs off when it finds nothing or other goroutines
// need the Ps);
// PYSOCK_SPIN=0 in the environment turns it off. docs/performance.md has
// the figures.
//
// # Python in Go
//
//   - Names map mechanically: recv → Recv, recv_into → RecvInto,
//     settimeout → SetTimeout, socket.socket(...) → NewSocket(...).
//   - None is nil; a Python tuple is Tuple (s.Bind(pysock.Tuple{"", 0}));
//     Python's bytes print as Bytes; Repr is Python's repr().
//   - Optional arguments are trailing variadic ones (s.Recv(1024) or
//     s.Recv(1024, pysock.MSG_PEEK)); -1 stands for a default where Python
//     has keyword defaults (NewSocket(-1, -1, -1)).
//   - Constants keep their names and values. The enum members are typed
//     (AF_* AddressFamily, SOCK_* SocketKind, MSG_* MsgFlag, AI_*
//     AddressInfo), so Repr(MSG_PEEK|MSG_WAITALL) prints
//     <MsgFlag.MSG_PEEK|MSG_WAITALL: 258> as CPython does; untyped numbers
//     still pass (NewSocket(2, 1, 0)). Where Python takes any int, convert
//     (int(AF_VSOCK) as a getsockopt level).
//   - Arguments typed any accept what Python accepts: any Go integer kind
//     (named ones and the package's enums included), *big.Int for Python's
//     unbounded int, float64, string, []byte or Bytes, nil for None; a
//     wrong kind gets CPython's TypeError, never a panic.
//   - Exceptions are the Go types of package
//     github.com/pysock/pysock/errors (imported as pyerr); "except
//     socket.timeout" is errors.As(err, &te) with te a *pyerr.TimeoutError,
//     or errors.AsType[*pyerr.TimeoutError](err). Every OSError also
//     matches its syscall.Errno with errors.Is, and timeouts match
//     os.ErrDeadlineExceeded.
//   - Each Python context-manager block becomes a defer: with socket(...)
//     as s: → s, err := NewSocket(...); defer s.Close().
//
// Go interfaces: a Socket is an io.Reader and io.Writer (Read is recv_into
// with io.EOF at the end of the stream), NetConn, NetPacketConn and
// NetListener adapt it to net.Conn, net.PacketConn and net.Listener with
// Go's deadlines, and the Context variants (RecvContext, AcceptContext…)
// take a context.
//
// The reference is docs/python-to-go.md (every name of socket, select and
// selectors with its Go twin and what differs), docs/errors.md (the
// exceptions) and docs/porting.md (a ported program, side by side).
package pysock
