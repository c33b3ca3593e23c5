package cpython

// test_socket.py CreateServerTest, CreateServerFunctionalTest,
// SendRecvFdsTests, CmsgMacroTests.

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

func init() {
	server := func(t *T, addr pysock.Tuple, o ...pysock.ServerOptions) *pysock.Socket {
		t.Helper()
		return must(pysock.CreateServer(addr, o...))(t, fmt.Sprintf("create_server(%v)", addr))
	}
	v6 := pysock.ServerOptions{Family: pysock.AF_INET6}
	nameOf := func(t *T, s *pysock.Socket) (string, int) {
		switch a := must(s.GetSockName())(t, "getsockname()").(type) {
		case pysock.InetAddr:
			return a.Host, a.Port
		case pysock.Inet6Addr:
			return a.Host, a.Port
		}
		return "", -1
	}
	ports("test_socket", "CreateServerTest", map[string]func(*T){
		"test_address": func(t *T) {
			port := findUnusedPort(t)
			s := server(t, pysock.Tuple{"127.0.0.1", port})
			h, p := nameOf(t, s)
			eq(t, h, "127.0.0.1", "getsockname()[0]")
			eq(t, p, port, "getsockname()[1]")
			s.Close()
			s = server(t, pysock.Tuple{"::1", port}, v6)
			h, p = nameOf(t, s)
			eq(t, h, "::1", "getsockname()[0]")
			eq(t, p, port, "getsockname()[1]")
			s.Close()
		},
		"test_family_and_type": func(t *T) {
			sock := server(t, pysock.Tuple{"127.0.0.1", 0})
			eq(t, int(sock.Family()), pysock.AF_INET, "sock.family")
			eq(t, int(sock.Type()), pysock.SOCK_STREAM, "sock.type")
			sock.Close()
			s := server(t, pysock.Tuple{"::1", 0}, v6)
			eq(t, int(s.Family()), pysock.AF_INET6, "s.family")
			eq(t, int(sock.Type()), pysock.SOCK_STREAM, "sock.type") // sic: the closed sock, as CPython's test
			s.Close()
		},
		"test_reuse_port": func(t *T) {
			sock := server(t, pysock.Tuple{"localhost", 0})
			eq(t, must(sock.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEPORT))(t, "getsockopt"), any(0), "SO_REUSEPORT")
			sock.Close()
			sock = server(t, pysock.Tuple{"localhost", 0}, pysock.ServerOptions{ReusePort: true})
			ne(t, must(sock.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEPORT))(t, "getsockopt"), any(0), "SO_REUSEPORT")
			sock.Close()
		},
		"test_ipv6_only_default": func(t *T) {
			sock := server(t, pysock.Tuple{"::1", 0}, v6)
			defer sock.Close()
			ne(t, must(sock.GetSockOpt(pysock.IPPROTO_IPV6, pysock.IPV6_V6ONLY))(t, "getsockopt"), any(0), "IPV6_V6ONLY")
		},
		"test_dualstack_ipv6_family": func(t *T) {
			if !pysock.HasDualstackIPv6() {
				t.Skip("dualstack_ipv6 not supported")
			}
			sock := server(t, pysock.Tuple{"::1", 0}, pysock.ServerOptions{Family: pysock.AF_INET6, DualstackIPv6: true})
			defer sock.Close()
			eq(t, int(sock.Family()), pysock.AF_INET6, "sock.family")
		},
	})

	const timeout = LOOPBACK_TIMEOUT
	echoServer := func(t *T, sock *pysock.Socket) {
		ev := newEvent()
		ok(t, sock.SetTimeout(timeout), "sock.settimeout(timeout)")
		done := make(chan struct{})
		go func() {
			defer close(done)
			conn, _, err := sock.Accept()
			if err != nil {
				t.Errorf("sock.accept(): %v", err)
				return
			}
			defer conn.Close()
			ev.wait(timeout * time.Second)
			msg, err := conn.Recv(1024)
			if err != nil || len(msg) == 0 {
				return
			}
			conn.SendAll(msg)
		}()
		t.Cleanup(func() { // thread.join(timeout)
			select {
			case <-done:
			case <-time.After(timeout * time.Second):
			}
		})
		ev.set()
	}
	echoClient := func(t *T, addr pysock.Tuple, family int) {
		sock := newSock(t, pysock.AddressFamily(family), -1, -1)
		defer sock.Close()
		ok(t, sock.SetTimeout(timeout), "sock.settimeout(timeout)")
		ok(t, sock.Connect(addr), "sock.connect(addr)")
		ok(t, sock.SendAll([]byte("foo")), "sock.sendall(b'foo')")
		eq(t, must(sock.Recv(1024))(t, "sock.recv(1024)"), []byte("foo"), "sock.recv(1024)")
	}
	functional := func(opts pysock.ServerOptions, host string, family int, dual bool) func(*T) {
		return func(t *T) {
			if dual && !pysock.HasDualstackIPv6() {
				t.Skip("dualstack_ipv6 not supported")
			}
			port := findUnusedPort(t)
			sock := server(t, pysock.Tuple{"", port}, opts)
			t.Cleanup(func() { sock.Close() }) // with sock: (the thread closes it too)
			echoServer(t, sock)
			echoClient(t, pysock.Tuple{host, port}, family)
		}
	}
	dual := pysock.ServerOptions{Family: pysock.AF_INET6, DualstackIPv6: true}
	ports("test_socket", "CreateServerFunctionalTest", map[string]func(*T){
		"test_tcp4":                 functional(pysock.ServerOptions{}, "127.0.0.1", int(pysock.AF_INET), false),
		"test_tcp6":                 functional(v6, "::1", int(pysock.AF_INET6), false),
		"test_dual_stack_client_v4": functional(dual, "127.0.0.1", int(pysock.AF_INET), true),
		"test_dual_stack_client_v6": functional(dual, "::1", int(pysock.AF_INET6), true),
	})

	ports("test_socket", "SendRecvFdsTests", map[string]func(*T){
		"testSendAndRecvFds": func(t *T) {
			var pipes [][2]int
			t.Cleanup(func() {
				for _, p := range pipes {
					unix.Close(p[0])
					unix.Close(p[1])
				}
			})
			var fds []int
			for range 10 {
				var p [2]int
				ok(t, unix.Pipe2(p[:], unix.O_CLOEXEC), "os.pipe()")
				pipes = append(pipes, p)
				fds = append(fds, p[0])
			}
			sock1, sock2, err := pysock.SocketPair(pysock.AF_UNIX, pysock.SOCK_STREAM, -1)
			ok(t, err, "socketpair(AF_UNIX, SOCK_STREAM)")
			func() {
				defer sock1.Close()
				defer sock2.Close()
				must(pysock.SendFds(sock1, [][]byte{MSG}, fds))(t, "send_fds(sock1, [MSG], fds)")
				r := must(pysock.RecvFds(sock2, len(MSG)*2, len(fds)*2))(t, "recv_fds(sock2, len(MSG) * 2, len(fds) * 2)")
				t.Cleanup(func() {
					for _, fd := range r.Fds {
						unix.Close(fd)
					}
				})
				eq(t, r.Msg, MSG, "msg")
				eq(t, len(r.Fds), len(fds), "len(fds2)")
				eq(t, r.Flags, 0, "flags")
				for i, p := range pipes {
					must(unix.Write(p[1], []byte(strconv.Itoa(i))))(t, "os.write(wfd)")
				}
				for i, rfd := range r.Fds {
					buf := make([]byte, 100)
					n := must(unix.Read(rfd, buf))(t, "os.read(rfd, 100)")
					eq(t, string(buf[:n]), strconv.Itoa(i), "data")
				}
			}()
		},
	})

	const socklenTLimit = 0x7fffffff // min(0x7fffffff, INT_MAX)
	ports("test_socket", "CmsgMacroTests", map[string]func(*T){
		"testCMSG_LEN": func(t *T) {
			l0 := must(pysock.CMSG_LEN(0))(t, "CMSG_LEN(0)")
			toobig := socklenTLimit - l0 + 1
			truth(t, l0 > 4*2, "CMSG_LEN(0) > sizeof(int) * 2")
			for n := range 257 + 257 {
				if n >= 257 {
					n = toobig - 257 + (n - 257)
				}
				ret := must(pysock.CMSG_LEN(n))(t, fmt.Sprintf("CMSG_LEN(%d)", n))
				eq(t, ret-l0, n, "ret - CMSG_LEN(0)")
				truth(t, ret <= socklenTLimit, "ret <= socklen_t_limit")
			}
			for _, v := range []any{-1, toobig, math.MaxInt64} {
				_, err := pysock.CMSG_LEN(v)
				raises[*pyerr.OverflowError](t, err, fmt.Sprintf("CMSG_LEN(%v)", v))
			}
		},
		"testCMSG_SPACE": func(t *T) {
			toobig := socklenTLimit - must(pysock.CMSG_SPACE(1))(t, "CMSG_SPACE(1)") + 1
			last := must(pysock.CMSG_SPACE(0))(t, "CMSG_SPACE(0)")
			truth(t, last > 4*2, "CMSG_SPACE(0) > sizeof(int) * 2")
			l0 := must(pysock.CMSG_LEN(0))(t, "CMSG_LEN(0)")
			for n := range 257 + 257 {
				if n >= 257 {
					n = toobig - 257 + (n - 257)
				}
				ret := must(pysock.CMSG_SPACE(n))(t, fmt.Sprintf("CMSG_SPACE(%d)", n))
				truth(t, ret >= last, "ret >= last")
				truth(t, ret >= must(pysock.CMSG_LEN(n))(t, "CMSG_LEN(n)"), "ret >= CMSG_LEN(n)")
				truth(t, ret >= n+l0, "ret >= n + CMSG_LEN(0)")
				truth(t, ret <= socklenTLimit, "ret <= socklen_t_limit")
				last = ret
			}
			for _, v := range []any{-1, toobig, math.MaxInt64} {
				_, err := pysock.CMSG_SPACE(v)
				raises[*pyerr.OverflowError](t, err, fmt.Sprintf("CMSG_SPACE(%v)", v))
			}
		},
	})
	_ = os.Getpid
}
