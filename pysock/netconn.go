package pysock

import (
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"syscall"
	"time"

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
	s     *Socket
	dl    deadlines
	addrs addrCache
}

// addrCache keeps an adapter's addresses as last read, so that they
// outlive Close and a reset that makes getpeername fail, as Go's net keeps
// a connection's. Each call reads them afresh while it can: a socket
// bound or connected after its adapter was made reports the new ones.
type addrCache struct {
	mu   sync.Mutex
	l, r net.Addr
}

// local is the local address (getsockname), or the last one read.
func (a *addrCache) local(s *Socket) net.Addr {
	a.mu.Lock()
	defer a.mu.Unlock()
	if sa, err := s.GetSockName(); err == nil {
		a.l = netAddr(sa, int(s.typ))
	}
	return a.l
}

// remote is the peer's address (getpeername), or the last one known.
func (a *addrCache) remote(s *Socket) net.Addr {
	a.mu.Lock()
	defer a.mu.Unlock()
	if sa, err := s.GetPeerName(); err == nil {
		a.r = netAddr(sa, int(s.typ))
	}
	return a.r
}

// errMissingAddress is Go's net's error for a WriteTo to a nil address.
var errMissingAddress = errors.New("missing address")

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
	c := &Conn{s: s}
	c.addrs.local(s)
	c.addrs.remote(s)
	return c
}

// Socket returns the pysock socket behind the adapter.
func (c *Conn) Socket() *Socket {
	if c == nil || c.s == nil {
		return nil // as Go's net, for a nil connection
	}
	return c.s
}

// Read implements net.Conn.
func (c *Conn) Read(p []byte) (int, error) {
	if c == nil || c.s == nil {
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
	if c == nil || c.s == nil {
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
	if c == nil || c.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return c.s.Close()
}

// LocalAddr implements net.Conn (nil if unknown).
func (c *Conn) LocalAddr() net.Addr {
	if c == nil || c.s == nil {
		return nil // as Go's net, for a nil connection
	}
	return c.addrs.local(c.s)
}

// RemoteAddr implements net.Conn (nil if not connected).
func (c *Conn) RemoteAddr() net.Addr {
	if c == nil || c.s == nil {
		return nil // as Go's net, for a nil connection
	}
	return c.addrs.remote(c.s)
}

// SetDeadline implements net.Conn: it applies to future calls and to
// calls waiting now.
func (c *Conn) SetDeadline(t time.Time) error {
	if c == nil || c.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, &c.addrs, t, true, true)
}

// SetReadDeadline implements net.Conn.
func (c *Conn) SetReadDeadline(t time.Time) error {
	if c == nil || c.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, &c.addrs, t, true, false)
}

// SetWriteDeadline implements net.Conn.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	if c == nil || c.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, &c.addrs, t, false, true)
}

// setDeadlines stores Go-style deadlines and applies them to adapter calls
// that are waiting. On a closed socket it fails as Go's net does, with a
// *net.OpError "set" naming the local address.
func setDeadlines(s *Socket, d *deadlines, a *addrCache, t time.Time, read, write bool) error {
	if _, err := s.handle(); err != nil {
		return &net.OpError{Op: "set", Net: netName(s), Addr: a.local(s), Err: err}
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

// CloseRead shuts down the reading side (shutdown(SHUT_RD)); an error is
// a *net.OpError "close", as Go's net gives.
func (c *Conn) CloseRead() error {
	if c == nil || c.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return c.opError("close", c.s.Shutdown(SHUT_RD))
}

// CloseWrite shuts down the writing side (shutdown(SHUT_WR)); an error is
// a *net.OpError "close", as Go's net gives.
func (c *Conn) CloseWrite() error {
	if c == nil || c.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return c.opError("close", c.s.Shutdown(SHUT_WR))
}

// SyscallConn implements syscall.Conn.
func (c *Conn) SyscallConn() (syscall.RawConn, error) {
	if c == nil || c.s == nil {
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
	s     *Socket
	dl    deadlines
	addrs addrCache
}

// NetPacketConn returns a datagram socket as a net.PacketConn, with the
// same deadline rules as NetConn.
func (s *Socket) NetPacketConn() *PacketConn {
	s = s.orClosed()
	c := &PacketConn{s: s}
	c.addrs.local(s)
	return c
}

// ReadFrom implements net.PacketConn.
func (c *PacketConn) ReadFrom(p []byte) (int, net.Addr, error) {
	if c == nil || c.s == nil {
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
	if c == nil || c.s == nil {
		return 0, syscall.EINVAL // as Go's net, for a nil connection
	}
	to, ok := fromNetAddr(addr, c.s.family)
	if !ok {
		return 0, &net.OpError{Op: "write", Net: netName(c.s), Source: c.LocalAddr(), Err: errMissingAddress}
	}
	n, err := c.s.sendToAddr(p, 0, to, c.dl.opts())
	if err != nil {
		return n, &net.OpError{Op: "write", Net: netName(c.s), Source: c.LocalAddr(), Addr: addr, Err: err}
	}
	return n, nil
}

// Close implements net.PacketConn.
func (c *PacketConn) Close() error {
	if c == nil || c.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return c.s.Close()
}

// LocalAddr implements net.PacketConn.
func (c *PacketConn) LocalAddr() net.Addr {
	if c == nil || c.s == nil {
		return nil // as Go's net, for a nil connection
	}
	return c.addrs.local(c.s)
}

// SetDeadline implements net.PacketConn.
func (c *PacketConn) SetDeadline(t time.Time) error {
	if c == nil || c.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, &c.addrs, t, true, true)
}

// SetReadDeadline implements net.PacketConn.
func (c *PacketConn) SetReadDeadline(t time.Time) error {
	if c == nil || c.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, &c.addrs, t, true, false)
}

// SetWriteDeadline implements net.PacketConn.
func (c *PacketConn) SetWriteDeadline(t time.Time) error {
	if c == nil || c.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return setDeadlines(c.s, &c.dl, &c.addrs, t, false, true)
}

// Listener is a listening Socket seen as a net.Listener; see
// Socket.NetListener.
type Listener struct {
	s     *Socket
	addrs addrCache
}

// NetListener returns a listening socket as a net.Listener whose Accept
// waits whatever the Python mode and returns *Conn values. The accepted
// sockets get the module default timeout, as Socket.Accept's do.
func (s *Socket) NetListener() *Listener {
	s = s.orClosed()
	l := &Listener{s: s}
	l.addrs.local(s)
	return l
}

// Accept implements net.Listener.
func (l *Listener) Accept() (net.Conn, error) {
	if l == nil || l.s == nil {
		return nil, syscall.EINVAL // as Go's net, for a nil connection
	}
	c, peer, err := l.s.accept(&callOpts{adapter: true})
	if err != nil {
		return nil, &net.OpError{Op: "accept", Net: netName(l.s), Addr: l.Addr(), Err: err}
	}
	// The peer's address is accept's, as in Go's net: a connection reset
	// before this has none for getpeername.
	conn := &Conn{s: c}
	if peer != nil {
		conn.addrs.r = netAddr(peer, int(c.typ))
	}
	conn.addrs.local(c)
	return conn, nil
}

// Close implements net.Listener; a waiting Accept returns an error
// matching net.ErrClosed.
func (l *Listener) Close() error {
	if l == nil || l.s == nil {
		return syscall.EINVAL // as Go's net, for a nil connection
	}
	return l.s.Close()
}

// Addr implements net.Listener.
func (l *Listener) Addr() net.Addr {
	if l == nil || l.s == nil {
		return nil // as Go's net, for a nil connection
	}
	return l.addrs.local(l.s)
}
