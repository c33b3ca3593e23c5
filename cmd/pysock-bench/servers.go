package main

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"runtime/pprof"
	"syscall"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// The Go echo servers the bench compares. Each listens on 127.0.0.1,
// prints "READY <port>" and echoes every connection until the process is
// killed.
var goServers = map[string]func(ready func(int)) error{
	"pysock-blocking":  func(ready func(int)) error { return pysockThreaded(ready, nil) },
	"pysock-timeout":   func(ready func(int)) error { return pysockThreaded(ready, 5.0) },
	"pysock-selectors": pysockSelectors,
	"go-net":           goNet,
	"raw-unix":         rawUnix,
}

// pysockThreaded is the thread-per-connection Python server, with a
// goroutine per connection: accept, then recv_into / sendall until EOF,
// in blocking mode (timeout nil) or timeout mode.
func pysockThreaded(ready func(int), timeout any) error {
	srv, err := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0}, pysock.ServerOptions{Backlog: 4096})
	if err != nil {
		return err
	}
	addr, _ := srv.GetSockName()
	ready(addr.(pysock.InetAddr).Port)
	for {
		conn, _, err := srv.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer conn.Close()
			if timeout != nil {
				conn.SetTimeout(timeout)
			}
			buf := make([]byte, 64<<10)
			for {
				n, err := conn.RecvInto(buf)
				if err != nil || n == 0 {
					return
				}
				if conn.SendAll(buf[:n]) != nil {
					return
				}
			}
		}()
	}
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

// goNet is the Go net server: a goroutine per connection.
func goNet(ready func(int)) error {
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
			buf := make([]byte, 64<<10)
			for {
				n, err := c.Read(buf)
				if n > 0 {
					if _, err := c.Write(buf[:n]); err != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
	}
}

// rawUnix is x/sys/unix with blocking fds: every blocked call holds an
// OS thread, as a C thread-per-connection server does.
func rawUnix(ready func(int)) error {
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
			buf := make([]byte, 64<<10)
			for {
				n, err := unix.Read(nfd, buf)
				if err == unix.EINTR {
					continue
				}
				if err != nil || n <= 0 {
					return
				}
				for off := 0; off < n; {
					m, err := unix.Write(nfd, buf[off:n])
					if err == unix.EINTR {
						continue
					}
					if err != nil {
						return
					}
					off += m
				}
			}
		}()
	}
}

// serve runs one server in this process (the -serve mode).
//
// With PYSOCK_BENCH_CPUPROFILE=file the server writes a CPU profile of
// its whole life to file when it is stopped with SIGTERM.
func serve(kind string) error {
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
	})
}
