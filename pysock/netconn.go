package pysock

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"golang.org/x/sys/unix"
)

// Read implements io.Reader with Go's conventions: it is RecvInto in the
// socket's mode, except that the end of a stream is io.EOF (Python's b"").
// On a datagram socket an empty datagram reads as io.EOF too.
func (s *Socket) Read(p []byte) (int, error) {
	s = s.orClosed()
	if len(p) == 0 {
		return 0, nil
	}
	n, _, err := s.recvIntoBuf(opRecv, p, nil, nil)
	if err == nil && n == 0 {
		return 0, io.EOF
	}
	return n, err
}

// Write implements io.Writer: SendAll in the socket's mode. n is the
// bytes sent, also when an error (a timeout, a reset) cut the call short.
func (s *Socket) Write(p []byte) (int, error) {
	return s.sendData(opSendAll, p, nil, nil, nil)
}

// ReadFrom implements io.ReaderFrom, so io.Copy(sock, r) uses the fast
// path: a regular *os.File goes through sendfile(2) (SendFile), anything
// else through a 64 KiB buffer and SendAll. A regular file whose size is
// 0 (a /proc file may still have content) is read to its end: SendFile,
// as socket.sendfile, would send nothing.
func (s *Socket) ReadFrom(r io.Reader) (int64, error) {
	s = s.orClosed()
	if f, ok := r.(*os.File); ok && s.typ&unix.SOCK_STREAM != 0 && s.timeout.Load() != 0 {
		if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > 0 {
			off, err := f.Seek(0, io.SeekCurrent)
			if err == nil {
				n, err := s.SendFile(f, off)
				return int64(n), err
			}
		}
	}
	buf := make([]byte, 64<<10)
	var total int64
	for {
		n, rerr := r.Read(buf)
		if n > 0 {
			m, err := s.sendData(opSendAll, buf[:n], nil, nil, nil)
			total += int64(m)
			if err != nil {
				return total, err
			}
		}
		if rerr == io.EOF {
			return total, nil
		}
		if rerr != nil {
			return total, rerr
		}
	}
}

// WriteTo implements io.WriterTo: it reads until the end of the stream
// and writes everything to w.
func (s *Socket) WriteTo(w io.Writer) (int64, error) {
	s = s.orClosed()
	buf := make([]byte, 64<<10)
	var total int64
	for {
		n, _, err := s.recvIntoBuf(opRecv, buf, nil, nil)
		if err != nil {
			return total, err
		}
		if n == 0 {
			return total, nil
		}
		m, werr := w.Write(buf[:n])
		total += int64(m)
		if werr != nil {
			return total, werr
		}
	}
}

// netAddr converts an address to the net.Addr a Go program expects.
func netAddr(a Address, typ int) net.Addr {
	switch x := a.(type) {
	case InetAddr:
		ip := net.ParseIP(x.Host)
		if typ == unix.SOCK_DGRAM {
			return &net.UDPAddr{IP: ip, Port: x.Port}
		}
		return &net.TCPAddr{IP: ip, Port: x.Port}
	case Inet6Addr:
		ip := net.ParseIP(x.Host)
		zone := ""
		if x.ScopeID != 0 {
			if ifi, err := net.InterfaceByIndex(int(x.ScopeID)); err == nil {
				zone = ifi.Name
			}
		}
		if typ == unix.SOCK_DGRAM {
			return &net.UDPAddr{IP: ip, Port: x.Port, Zone: zone}
		}
		return &net.TCPAddr{IP: ip, Port: x.Port, Zone: zone}
	case UnixAddr:
		nt := "unix"
		switch typ {
		case unix.SOCK_DGRAM:
			nt = "unixgram"
		case unix.SOCK_SEQPACKET:
			nt = "unixpacket"
		}
		name := string(x)
		if len(name) > 0 && name[0] == 0 {
			name = "@" + name[1:] // an abstract name, as Go's net writes it
		}
		return &net.UnixAddr{Name: name, Net: nt}
	}
	return nil
}

// fromNetAddr converts a net.Addr to an address pysock accepts on a socket
// of the family.
func fromNetAddr(a net.Addr, family int32) any {
	switch x := a.(type) {
	case *net.UDPAddr:
		return Tuple{netIPHost(x.IP, family), x.Port}
	case *net.TCPAddr:
		return Tuple{netIPHost(x.IP, family), x.Port}
	case *net.UnixAddr:
		if len(x.Name) > 0 && x.Name[0] == '@' {
			return "\x00" + x.Name[1:] // Go's net: a leading '@' is abstract
		}
		return x.Name
	}
	return a
}

// netIPHost is the host string of ip for a socket of the family. An IPv4
// address (4 bytes or v4-mapped) is "a.b.c.d" on AF_INET and the mapped
// "::ffff:a.b.c.d" on AF_INET6, as Go's net maps it for an IPv6 socket
// (the plain form does not resolve in AF_INET6).
func netIPHost(ip net.IP, family int32) string {
	if len(ip) == 0 {
		// No address: Go's net sends to the unspecified address of the
		// socket's family, which the kernel takes for this host.
		if family == unix.AF_INET6 {
			return "::"
		}
		return "0.0.0.0"
	}
	ip4 := ip.To4()
	switch {
	case ip4 == nil:
		return ip.String()
	case family == unix.AF_INET6 && ip4.Equal(net.IPv4zero):
		return "::" // as Go's net maps 0.0.0.0 for an IPv6 socket
	case family == unix.AF_INET6:
		return "::ffff:" + ip4.String()
	}
	return ip4.String()
}

// deadlines holds a Conn's Go-style deadlines.
type deadlines struct {
	mu     sync.Mutex
	rd, wd time.Time
}

// get is the read or write deadline.
func (d *deadlines) get(read bool) time.Time {
	d.mu.Lock()
	defer d.mu.Unlock()
	if read {
		return d.rd
	}
	return d.wd
}

// opts are the options of an adapter call under d.
func (d *deadlines) opts() *callOpts { return &callOpts{adapter: true, dl: d} }

// Conn is a stream Socket seen as a net.Conn; see Socket.NetConn.
type Conn struct {
	s  *Socket
	dl deadlines
}

// NetConn returns the socket as a net.Conn (also a syscall.Conn). The
// adapter always waits for I/O, whatever the Python mode (setblocking /
// settimeout, which it leaves alone), and bounds waits with Go's
// SetDeadline family instead: an absolute time, after which calls fail at
// once with an error matching os.ErrDeadlineExceeded (a TimeoutError, a
// net.Error whose Timeout() is true). settimeout's relative per-call
// timeout does not apply to it. The end of the stream is io.EOF. Closing
// the Conn closes the socket.
func (s *Socket) NetConn() *Conn {
	s = s.orClosed()
	return &Conn{s: s}
}

// Socket returns the pysock socket behind the adapter.
func (c *Conn) Socket() *Socket {
	if c == nil {
		return nil // as Go's net, for a nil connection
	}
	return c.s
}

// Read implements net.Conn.
func (c *Conn) Read(p []byte) (int, error) {
	if c == nil {
		return 0, syscall.EINVAL // as Go's net, for a nil connection
	}
	if len(p) == 0 {
		return 0, nil
	}
	n, _, err := c.s.recvIntoBuf(opRecv, p, nil, c.dl.opts())
	if err == nil && n == 0 {
		return 0, io.EOF
	}
	return n, c.opError("read", err)
}

// Write implements net.Conn: everything is written or an error returned
// with the count written.
func (c *Conn) Write(p []byte) (int, error) {
	if c == nil {
		return 0, syscall.EINVAL // as Go's net, for a nil connection
	}
	n, err := c.s.sendData(opSendAll, p, nil, nil, c.dl.opts())
	return n, c.opError("write", err)
}

// opError wraps a failed call as Go's net does: a *net.OpError with the
// operation, the network and the addresses, whose Err is the Python
// exception (errors.As finds it, errors.Is matches its errno, a closed
// socket matches net.ErrClosed, a deadline os.ErrDeadlineExceeded).
func (c *Conn) opError(op string, err error) error {
	if err == nil {
		return nil
	}
	return &net.OpError{Op: op, Net: netName(c.s), Source: c.LocalAddr(), Addr: c.RemoteAddr(), Err: err}
}

// netName is the Go network name of s: tcp, udp, unix, unixgram,
// unixpacket, or ip for the others.
func netName(s *Socket) string {
	switch {
	case s.family == unix.AF_UNIX && s.typ == unix.SOCK_STREAM:
		return "unix"
	case s.family == unix.AF_UNIX && s.typ == unix.SOCK_DGRAM:
		return "unixgram"
	case s.family == unix.AF_UNIX && s.typ == unix.SOCK_SEQPACKET:
		return "unixpacket"
	case s.typ == unix.SOCK_STREAM:
		return "tcp"
	case s.typ == unix.SOCK_DGRAM:
		return "udp"
	}
	return "ip"
}

// Close implements net.Conn.
func (c *Conn) Close() error {
	if c == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return c.s.Close()
}

// LocalAddr implements net.Conn (nil if unknown).
func (c *Conn) LocalAddr() net.Addr {
	if c == nil {
		return nil // as Go's net, for a nil connection
	}
	a, err := c.s.GetSockName()
	if err != nil {
		return nil
	}
	return netAddr(a, int(c.s.typ))
}

// RemoteAddr implements net.Conn (nil if not connected).
func (c *Conn) RemoteAddr() net.Addr {
	if c == nil {
		return nil // as Go's net, for a nil connection
	}
	a, err := c.s.GetPeerName()
	if err != nil {
		return nil
	}
	return netAddr(a, int(c.s.typ))
}

// SetDeadline implements net.Conn: it applies to future calls and to
// calls waiting now.
func (c *Conn) SetDeadline(t time.Time) error {
	if c == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, t, true, true)
}

// SetReadDeadline implements net.Conn.
func (c *Conn) SetReadDeadline(t time.Time) error {
	if c == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, t, true, false)
}

// SetWriteDeadline implements net.Conn.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	if c == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, t, false, true)
}

// setDeadlines stores Go-style deadlines and applies them to adapter calls
// that are waiting.
func setDeadlines(s *Socket, d *deadlines, t time.Time, read, write bool) error {
	if _, err := s.handle(); err != nil {
		return err
	}
	d.mu.Lock()
	if read {
		d.rd = t
	}
	if write {
		d.wd = t
	}
	d.mu.Unlock()
	if read {
		s.r.st.applyAdapterDeadline(t)
	}
	if write {
		s.w.st.applyAdapterDeadline(t)
	}
	if h := s.h.Load(); h != nil {
		h.wakeWaiters()
	}
	return nil
}

// CloseRead shuts down the reading side (shutdown(SHUT_RD)).
func (c *Conn) CloseRead() error {
	if c == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return c.s.Shutdown(SHUT_RD)
}

// CloseWrite shuts down the writing side (shutdown(SHUT_WR)).
func (c *Conn) CloseWrite() error {
	if c == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return c.s.Shutdown(SHUT_WR)
}

// SyscallConn implements syscall.Conn.
func (c *Conn) SyscallConn() (syscall.RawConn, error) {
	if c == nil {
		return nil, syscall.EINVAL // as Go's net, for a nil connection
	}
	h, err := c.s.handle()
	if err != nil {
		return nil, err
	}
	h.expose() // the caller reaches the fd: see outside_linux.go
	c.s.prepareLooks(h)
	return h.rc, nil
}

// PacketConn is a datagram Socket seen as a net.PacketConn; see
// Socket.NetPacketConn.
type PacketConn struct {
	s  *Socket
	dl deadlines
}

// NetPacketConn returns a datagram socket as a net.PacketConn, with the
// same deadline rules as NetConn.
func (s *Socket) NetPacketConn() *PacketConn {
	s = s.orClosed()
	return &PacketConn{s: s}
}

// ReadFrom implements net.PacketConn.
func (c *PacketConn) ReadFrom(p []byte) (int, net.Addr, error) {
	if c == nil {
		return 0, nil, syscall.EINVAL // as Go's net, for a nil connection
	}
	n, a, err := c.s.recvIntoBuf(opRecvFrom, p, nil, c.dl.opts())
	if err != nil {
		return 0, nil, &net.OpError{Op: "read", Net: netName(c.s), Source: c.LocalAddr(), Err: err}
	}
	return n, netAddr(a, int(c.s.typ)), nil
}

// WriteTo implements net.PacketConn.
func (c *PacketConn) WriteTo(p []byte, addr net.Addr) (int, error) {
	if c == nil {
		return 0, syscall.EINVAL // as Go's net, for a nil connection
	}
	n, err := c.s.sendToAddr(p, 0, fromNetAddr(addr, c.s.family), c.dl.opts())
	if err != nil {
		return n, &net.OpError{Op: "write", Net: netName(c.s), Source: c.LocalAddr(), Addr: addr, Err: err}
	}
	return n, nil
}

// Close implements net.PacketConn.
func (c *PacketConn) Close() error {
	if c == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return c.s.Close()
}

// LocalAddr implements net.PacketConn.
func (c *PacketConn) LocalAddr() net.Addr {
	if c == nil {
		return nil // as Go's net, for a nil connection
	}
	a, err := c.s.GetSockName()
	if err != nil {
		return nil
	}
	return netAddr(a, int(c.s.typ))
}

// SetDeadline implements net.PacketConn.
func (c *PacketConn) SetDeadline(t time.Time) error {
	if c == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, t, true, true)
}

// SetReadDeadline implements net.PacketConn.
func (c *PacketConn) SetReadDeadline(t time.Time) error {
	if c == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, t, true, false)
}

// SetWriteDeadline implements net.PacketConn.
func (c *PacketConn) SetWriteDeadline(t time.Time) error {
	if c == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, t, false, true)
}

// Listener is a listening Socket seen as a net.Listener; see
// Socket.NetListener.
type Listener struct{ s *Socket }

// NetListener returns a listening socket as a net.Listener whose Accept
// waits whatever the Python mode and returns *Conn values. The accepted
// sockets get the module default timeout, as Socket.Accept's do.
func (s *Socket) NetListener() *Listener {
	s = s.orClosed()
	return &Listener{s: s}
}

// Accept implements net.Listener.
func (l *Listener) Accept() (net.Conn, error) {
	if l == nil {
		return nil, syscall.EINVAL // as Go's net, for a nil connection
	}
	c, _, err := l.s.accept(&callOpts{adapter: true})
	if err != nil {
		return nil, &net.OpError{Op: "accept", Net: netName(l.s), Addr: l.Addr(), Err: err}
	}
	return c.NetConn(), nil
}

// Close implements net.Listener; a waiting Accept returns an error
// matching net.ErrClosed.
func (l *Listener) Close() error {
	if l == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return l.s.Close()
}

// Addr implements net.Listener.
func (l *Listener) Addr() net.Addr {
	if l == nil {
		return nil // as Go's net, for a nil connection
	}
	a, err := l.s.GetSockName()
	if err != nil {
		return nil
	}
	return netAddr(a, int(l.s.typ))
}

// FromNetConn is socket.fromfd for a Go connection or listener
// (*net.TCPConn, *net.UnixConn, *net.UDPConn, *net.TCPListener, … — any
// syscall.Conn): a new Socket on a duplicate of its fd, with family, type
// and protocol read from the kernel and the module default timeout, as
// CPython's fromfd gives. The duplicate shares the file status flags with
// the original: Go's fd is non-blocking, so until SetBlocking or
// SetTimeout is called the Socket is "blocking" with a non-blocking fd
// (recv may raise BlockingIOError, as in CPython). Changing the mode
// changes the original's flags too; close the original once adopted.
//
// A nil c (or a typed nil such as a nil *net.TCPConn) is the TypeError of
// fromfd(None, ...); a closed connection, or one without a descriptor
// (SyscallConn returns nil), is OSError(9), as fromfd's dup of a closed fd.
func FromNetConn(c syscall.Conn) (*Socket, error) {
	if pyarg.IsNone(c) {
		return nil, pyarg.NotInteger(c)
	}
	rc, err := c.SyscallConn()
	if err != nil {
		return nil, fromNetConnErr(err)
	}
	if pyarg.IsNone(rc) {
		return nil, pyerr.FromErrno(unix.EBADF)
	}
	nfd := -1
	var derr error
	if err := rc.Control(func(fd uintptr) {
		nfd, derr = unix.FcntlInt(fd, unix.F_DUPFD_CLOEXEC, 0)
	}); err != nil {
		return nil, fromNetConnErr(err)
	}
	if derr != nil {
		return nil, toPyErr(derr)
	}
	s, err := FromFileno(nfd, -1, -1, -1)
	if err != nil {
		unix.Close(nfd)
		return nil, err
	}
	return s, nil
}

// fromNetConnErr is FromNetConn's exception for an error of the Go
// connection: a closed one (Go's "use of closed network connection", or
// "use of closed file" for an *os.File) is OSError(9), which also matches
// net.ErrClosed and os.ErrClosed.
func fromNetConnErr(err error) error {
	// A closed *os.File's RawConn reports internal/poll's unexported
	// ErrFileClosing, known only by its text.
	if errors.Is(err, net.ErrClosed) || errors.Is(err, os.ErrClosed) || err.Error() == "use of closed file" {
		return errClosed()
	}
	return toPyErr(err)
}
