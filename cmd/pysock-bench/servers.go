package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
	"golang.org/x/sys/unix"
)

// The Go servers the bench compares. Each listens on 127.0.0.1, prints
// "READY <port>" and serves every connection in the role given by -role
// (see serveRole) until the process is killed. The selectors and
// socketserver servers are echo servers only.
var goServers = map[string]func(ready func(int), role string) error{
	"pysock-blocking":     func(ready func(int), role string) error { return pysockThreaded(ready, role, nil, false) },
	"pysock-timeout":      func(ready func(int), role string) error { return pysockThreaded(ready, role, 5.0, false) },
	"pysock-nodelay":      func(ready func(int), role string) error { return pysockThreaded(ready, role, nil, true) },
	"pysock-selectors":    echoOnly(pysockSelectors),
	"pysock-recv":         echoOnly(pysockRecv),
	"pysock-socketserver": echoOnly(pysockSocketServer),
	"go-net":              goNet,
	"raw-unix":            rawUnix,
}

// echoOnlyServers serve the echo role only: W1, W3 and W4.
var echoOnlyServers = map[string]bool{
	"pysock-selectors": true, "pysock-socketserver": true, "pysock-recv": true, "py-selectors": true, "py-socketserver": true,
}

func echoOnly(fn func(ready func(int)) error) func(func(int), string) error {
	return func(ready func(int), role string) error {
		if role != "echo" {
			return fmt.Errorf("this server has no role %q", role)
		}
		return fn(ready)
	}
}

// serverConn is one accepted connection as a server sees it: recv_into
// (0 at EOF) and sendall, in the server's own API.
type serverConn interface {
	recvInto(buf []byte) (int, error)
	sendAll(data []byte) error
}

// serveRole runs one connection in a role:
//
//	echo  recv_into 64 KiB, sendall what came, until EOF (W1, W3, W4)
//	down  read an 8-byte big-endian size, sendall that many bytes in 64 KiB
//	      chunks, wait for EOF (W2 down)
//	up    read an 8-byte size, recv_into that many bytes, sendall one byte,
//	      wait for EOF (W2 up)
func serveRole(c serverConn, role string) {
	buf := make([]byte, 64<<10)
	if role == "echo" {
		for {
			n, err := c.recvInto(buf)
			if err != nil || n == 0 {
				return
			}
			if c.sendAll(buf[:n]) != nil {
				return
			}
		}
	}
	got := 0
	for got < 8 {
		n, err := c.recvInto(buf[got:])
		if err != nil || n == 0 {
			return
		}
		got += n
	}
	total := int64(binary.BigEndian.Uint64(buf))
	switch role {
	case "down":
		for sent := int64(0); sent < total; {
			n := min(int64(len(buf)), total-sent)
			if c.sendAll(buf[:n]) != nil {
				return
			}
			sent += n
		}
	case "up":
		for recvd := int64(got - 8); recvd < total; {
			n, err := c.recvInto(buf)
			if err != nil || n == 0 {
				return
			}
			recvd += int64(n)
		}
		if c.sendAll(buf[:1]) != nil {
			return
		}
	}
	for {
		if n, err := c.recvInto(buf); err != nil || n == 0 {
			return
		}
	}
}

type pysockServerConn struct{ *pysock.Socket }

func (c pysockServerConn) recvInto(buf []byte) (int, error) { return c.RecvInto(buf) }
func (c pysockServerConn) sendAll(data []byte) error        { return c.SendAll(data) }

// pysockThreaded is the thread-per-connection Python server, with a
// goroutine per connection: accept, then recv_into / sendall until EOF,
// in blocking mode (timeout nil) or timeout mode. With nodelay it sets
// TCP_NODELAY on each connection, as Go net does by default and a Python
// server does with setsockopt(IPPROTO_TCP, TCP_NODELAY, 1).
func pysockThreaded(ready func(int), role string, timeout any, nodelay bool) error {
	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0}, pysock.ServerOptions{Backlog: 4096})
	if err != nil {
		return err
	}
	addr, err := srv.GetSockName()
	if err != nil {
		return err
	}
	ready(addr.(pysock.InetAddr).Port)
	for {
		conn, _, err := srv.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer conn.Close()
			if timeout != nil {
				if conn.SetTimeout(timeout) != nil {
					return
				}
			}
			if nodelay {
				if conn.SetSockOpt(pysock.IPPROTO_TCP, pysock.TCP_NODELAY, 1) != nil {
					return
				}
			}
			serveRole(pysockServerConn{conn}, role)
		}()
	}
}

// pysockRecv is pysock-blocking written with recv instead of recv_into,
// a result allocated per call, as most Python servers are written:
//
//	while data := conn.recv(4096):
//	    conn.sendall(data)
func pysockRecv(ready func(int)) error {
	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0}, pysock.ServerOptions{Backlog: 4096})
	if err != nil {
		return err
	}
	addr, err := srv.GetSockName()
	if err != nil {
		return err
	}
	ready(addr.(pysock.InetAddr).Port)
	for {
		conn, _, err := srv.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer conn.Close()
			for {
				data, err := conn.Recv(4096)
				if err != nil || len(data) == 0 || conn.SendAll(data) != nil {
					return
				}
			}
		}()
	}
}

// echoHandler is the socketserver echo handler as Python writes it:
//
//	class EchoHandler(socketserver.BaseRequestHandler):
//	    def handle(self):
//	        while data := self.request.recv(65536):
//	            self.request.sendall(data)
type echoHandler struct {
	socketserver.BaseRequestHandler
}

func (h *echoHandler) Handle() error {
	for {
		data, err := h.Request.Recv(65536)
		if err != nil || len(data) == 0 {
			return err
		}
		if err := h.Request.SendAll(data); err != nil {
			return err
		}
	}
}

// pysockSocketServer is a ThreadingTCPServer (a goroutine per request)
// with daemon_threads and request_queue_size 4096, serve_forever().
func pysockSocketServer(ready func(int)) error {
	srv := &socketserver.ThreadingTCPServer{}
	srv.DaemonThreads = true
	srv.RequestQueueSize = 4096
	if err := srv.Init(srv, pysock.Tuple{"127.0.0.1", 0}, socketserver.HandlerClass[echoHandler]()); err != nil {
		return err
	}
	defer srv.ServerClose()
	ready(srv.ServerAddress.(pysock.InetAddr).Port)
	return srv.ServeForever()
}

// pysockSelectors is the selectors echo server: one goroutine, non-blocking
// sockets, DefaultSelector, pending output kept per connection.
func pysockSelectors(ready func(int)) error {
	sel, err := pysock.DefaultSelector()
	if err != nil {
		return err
	}
	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0}, pysock.ServerOptions{Backlog: 4096})
	if err != nil {
		return err
	}
	srv.SetBlocking(false)
	addr, _ := srv.GetSockName()
	type conn struct {
		s       *pysock.Socket
		pending []byte
	}
	sel.Register(srv, pysock.EVENT_READ, nil)
	ready(addr.(pysock.InetAddr).Port)
	buf := make([]byte, 64<<10)
	for {
		events, err := sel.Select()
		if err != nil {
			return err
		}
		for _, ev := range events {
			if ev.Key.Data == nil {
				for {
					s, _, err := srv.Accept()
					if err != nil {
						break
					}
					s.SetBlocking(false)
					sel.Register(s, pysock.EVENT_READ, &conn{s: s})
				}
				continue
			}
			c := ev.Key.Data.(*conn)
			closeConn := func() {
				sel.Unregister(c.s)
				c.s.Close()
			}
			if ev.Events&pysock.EVENT_WRITE != 0 && len(c.pending) > 0 {
				n, err := c.s.Send(c.pending)
				if err != nil && !isEAGAIN(err) {
					closeConn()
					continue
				}
				c.pending = c.pending[n:]
				if len(c.pending) == 0 {
					sel.Modify(c.s, pysock.EVENT_READ, c)
				}
				continue
			}
			if ev.Events&pysock.EVENT_READ == 0 || len(c.pending) > 0 {
				continue
			}
			n, err := c.s.RecvInto(buf)
			if err != nil {
				if !isEAGAIN(err) {
					closeConn()
				}
				continue
			}
			if n == 0 {
				closeConn()
				continue
			}
			sent, err := c.s.Send(buf[:n])
			if err != nil && !isEAGAIN(err) {
				closeConn()
				continue
			}
			if sent < n {
				c.pending = append([]byte(nil), buf[sent:n]...)
				sel.Modify(c.s, pysock.EVENT_WRITE, c)
			}
		}
	}
}

func isEAGAIN(err error) bool { return errors.Is(err, syscall.EAGAIN) }

type netServerConn struct{ net.Conn }

func (c netServerConn) recvInto(buf []byte) (int, error) {
	n, err := c.Read(buf)
	if err == io.EOF {
		return 0, nil
	}
	return n, err
}

func (c netServerConn) sendAll(data []byte) error {
	_, err := c.Write(data)
	return err
}

// goNet is the Go net server: a goroutine per connection.
func goNet(ready func(int), role string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	ready(ln.Addr().(*net.TCPAddr).Port)
	for {
		c, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer c.Close()
			serveRole(netServerConn{c}, role)
		}()
	}
}

// rawUnix is x/sys/unix with blocking fds: every blocked call holds an
// OS thread, as a C thread-per-connection server does.
func rawUnix(ready func(int), role string) error {
	fd, err := unix.Socket(unix.AF_INET, unix.SOCK_STREAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
	if err := unix.Bind(fd, &unix.SockaddrInet4{Addr: [4]byte{127, 0, 0, 1}}); err != nil {
		return err
	}
	if err := unix.Listen(fd, 4096); err != nil {
		return err
	}
	sa, _ := unix.Getsockname(fd)
	ready(sa.(*unix.SockaddrInet4).Port)
	for {
		nfd, _, err := unix.Accept4(fd, unix.SOCK_CLOEXEC)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		go func() {
			defer unix.Close(nfd)
			serveRole(rawServerConn(nfd), role)
		}()
	}
}

type rawServerConn int

func (fd rawServerConn) recvInto(buf []byte) (int, error) {
	for {
		n, err := unix.Read(int(fd), buf)
		if err != unix.EINTR {
			return max(n, 0), err
		}
	}
}

func (fd rawServerConn) sendAll(data []byte) error {
	for off := 0; off < len(data); {
		n, err := unix.Write(int(fd), data[off:])
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return err
		}
		off += n
	}
	return nil
}

// serve runs one server in this process (the -serve mode).
//
// With PYSOCK_BENCH_CPUPROFILE=file the server writes a CPU profile of
// its whole life to file when it is stopped with SIGTERM.
func serve(kind, role string) error {
	fn, ok := goServers[kind]
	if !ok {
		return fmt.Errorf("unknown server %q", kind)
	}
	if path := os.Getenv("PYSOCK_BENCH_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		stop := make(chan os.Signal, 1)
		signal.Notify(stop, syscall.SIGTERM)
		go func() {
			<-stop
			pprof.StopCPUProfile()
			f.Close()
			os.Exit(0)
		}()
	}
	return fn(func(port int) {
		fmt.Fprintf(os.Stdout, "READY %d\n", port)
	}, role)
}
