package main

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// clientFlag picks the load generator's connections (-client). W3 holds
// thousands of connections at once, so with -client raw it uses go-net
// connections (a blocking fd per connection would need an OS thread each)
// and says so in the row's name.
var clientKinds = map[string]func(port int) (benchConn, error){
	"go-net": dialNet,
	"raw":    dialRaw,
	"pysock": dialPysock,
}

// benchConn is what a workload needs of a client connection. Read and
// Write are io.Reader and io.Writer (Write writes everything); Watchdog
// bounds the whole exchange: when it fires, blocked calls fail.
type benchConn interface {
	Read(p []byte) (int, error)
	Write(p []byte) (int, error)
	CloseWrite() error
	Close() error
	Watchdog(d time.Duration)
}

func dial(kind string, port int) (benchConn, error) {
	fn, ok := clientKinds[kind]
	if !ok {
		return nil, fmt.Errorf("unknown client %q", kind)
	}
	return fn(port)
}

// netClientConn is a Go net connection: the runtime poller, TCP_NODELAY on (Go's
// default).
type netClientConn struct{ *net.TCPConn }

func dialNet(port int) (benchConn, error) {
	c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", port), 10*time.Second)
	if err != nil {
		return nil, err
	}
	return netClientConn{c.(*net.TCPConn)}, nil
}

func (c netClientConn) Watchdog(d time.Duration) { c.SetDeadline(time.Now().Add(d)) }

// watchdog shuts a connection down when its time is up, which wakes a
// call blocked in it; stop ends it.
type watchdog struct {
	mu sync.Mutex
	t  *time.Timer
}

func (w *watchdog) arm(d time.Duration, fire func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.t != nil {
		w.t.Stop()
	}
	w.t = time.AfterFunc(d, fire)
}

func (w *watchdog) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.t != nil {
		w.t.Stop()
	}
}

// rawClientConn is a blocking fd driven by read(2)/write(2): every wait holds
// an OS thread, as a C client does.
type rawClientConn struct {
	fd int
	wd watchdog
}

func dialRaw(port int) (benchConn, error) {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	for {
		err = unix.Connect(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}, Port: port})
		if err != unix.EINTR {
			break
		}
	}
	if err != nil {
		unix.Close(fd)
		return nil, err
	}
	return &rawClientConn{fd: fd}, nil
}

func (c *rawClientConn) Read(p []byte) (int, error) {
	for {
		n, err := unix.Read(c.fd, p)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return 0, err
		}
		if n == 0 && len(p) > 0 {
			return 0, errEOF
		}
		return n, nil
	}
}

func (c *rawClientConn) Write(p []byte) (int, error) {
	off := 0
	for off < len(p) {
		n, err := unix.Write(c.fd, p[off:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return off, err
		}
		off += n
	}
	return off, nil
}

func (c *rawClientConn) CloseWrite() error { return unix.Shutdown(c.fd, unix.SHUT_WR) }

func (c *rawClientConn) Close() error {
	c.wd.stop()
	return unix.Close(c.fd)
}

func (c *rawClientConn) Watchdog(d time.Duration) {
	c.wd.arm(d, func() { unix.Shutdown(c.fd, unix.SHUT_RDWR) })
}

// pysockClientConn is a pysock socket in blocking mode, as a ported Python
// client would use it: recv_into and sendall.
type pysockClientConn struct {
	s  *pysock.Socket
	wd watchdog
}

func dialPysock(port int) (benchConn, error) {
	s, err := pysock.CreateConnection(pysock.Tuple{"127.0.0.1", port}, 10.0)
	if err != nil {
		return nil, err
	}
	if err := s.SetBlocking(true); err != nil {
		s.Close()
		return nil, err
	}
	return &pysockClientConn{s: s}, nil
}

func (c *pysockClientConn) Read(p []byte) (int, error) {
	n, err := c.s.RecvInto(p)
	if err == nil && n == 0 && len(p) > 0 {
		return 0, errEOF
	}
	return n, err
}

func (c *pysockClientConn) Write(p []byte) (int, error) {
	if err := c.s.SendAll(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (c *pysockClientConn) CloseWrite() error { return c.s.Shutdown(pysock.SHUT_WR) }

func (c *pysockClientConn) Close() error {
	c.wd.stop()
	return c.s.Close()
}

func (c *pysockClientConn) Watchdog(d time.Duration) {
	c.wd.arm(d, func() { c.s.Shutdown(pysock.SHUT_RDWR) })
}

var errEOF = errors.New("connection closed by the server")

// readFull reads exactly len(p) bytes.
func readFull(c benchConn, p []byte) error {
	for off := 0; off < len(p); {
		n, err := c.Read(p[off:])
		if err != nil {
			return err
		}
		off += n
	}
	return nil
}
