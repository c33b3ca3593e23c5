package cpython

// test_socket.py BufferIOTest, ContextManagersTest, InheritanceTest,
// NonblockConstantTest.

import (
	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

func init() {
	send := func(t *T, f *F) { must(f.ServConn.Send(MSG))(t, "serv_conn.send(buf)") }
	// array.array("B"), bytearray and memoryview(bytearray) are all a
	// []byte in Go.
	recvInto := func(size int) func(t *T, f *F) {
		return func(t *T, f *F) {
			buf := make([]byte, size)
			n := must(f.CliConn.RecvInto(buf))(t, "cli_conn.recv_into(buf)")
			eq(t, n, len(MSG), "nbytes")
			eq(t, buf[:len(MSG)], MSG, "msg")
		}
	}
	recvFromInto := func(size int) func(t *T, f *F) {
		return func(t *T, f *F) {
			buf := make([]byte, size)
			n, _, err := f.CliConn.RecvFromInto(buf)
			ok(t, err, "cli_conn.recvfrom_into(buf)")
			eq(t, n, len(MSG), "nbytes")
			eq(t, buf[:len(MSG)], MSG, "msg")
		}
	}
	threadedPorts("test_socket", "BufferIOTest", socketConnectedTest, map[string]half{
		"testRecvIntoArray":          {recvInto(len(MSG)), send},
		"testRecvIntoBytearray":      {recvInto(1024), send},
		"testRecvIntoMemoryview":     {recvInto(1024), send},
		"testRecvFromIntoArray":      {recvFromInto(len(MSG)), send},
		"testRecvFromIntoBytearray":  {recvFromInto(1024), send},
		"testRecvFromIntoMemoryview": {recvFromInto(1024), send},
		"testRecvFromIntoSmallBuffer": {func(t *T, f *F) {
			_, _, err := f.CliConn.RecvFromInto(make([]byte, 8), 1024)
			raises[*pyerr.ValueError](t, err, "cli_conn.recvfrom_into(buf, 1024)")
		}, send},
		"testRecvFromIntoEmptyBuffer": {func(t *T, f *F) {
			buf := []byte{}
			_, _, err := f.CliConn.RecvFromInto(buf)
			ok(t, err, "cli_conn.recvfrom_into(buf)")
			_, _, err = f.CliConn.RecvFromInto(buf, 0)
			ok(t, err, "cli_conn.recvfrom_into(buf, 0)")
		}, send},
	})

	echo := func(t *T, f *F) {
		conn, _, err := f.Serv.Accept()
		ok(t, err, "serv.accept()")
		t.Cleanup(func() { conn.Close() })
		data := must(conn.Recv(1024))(t, "conn.recv(1024)")
		ok(t, conn.SendAll(data), "conn.sendall(data)")
	}
	// sock._closed is private: a closed socket's fileno() is -1.
	closed := func(s *pysock.Socket) bool { return s.Fileno() == -1 }
	threadedPorts("test_socket", "ContextManagersTest", threadedTCPSocketTest, map[string]half{
		"testCreateConnectionBase": {echo, func(t *T, f *F) {
			address := must(f.Serv.GetSockName())(t, "serv.getsockname()")
			sock := must(pysock.CreateConnection(address))(t, "create_connection(address)")
			func() {
				defer sock.Close()
				truth(t, !closed(sock), "not sock._closed")
				ok(t, sock.SendAll([]byte("foo")), "sock.sendall(b'foo')")
				eq(t, must(sock.Recv(1024))(t, "sock.recv(1024)"), []byte("foo"), "sock.recv(1024)")
			}()
			truth(t, closed(sock), "sock._closed")
		}},
		"testCreateConnectionClose": {echo, func(t *T, f *F) {
			address := must(f.Serv.GetSockName())(t, "serv.getsockname()")
			sock := must(pysock.CreateConnection(address))(t, "create_connection(address)")
			func() {
				defer sock.Close()
				sock.Close()
			}()
			truth(t, closed(sock), "sock._closed")
			raises[*pyerr.OSError](t, sock.SendAll([]byte("foo")), "sock.sendall(b'foo')")
		}},
	})

	inheritable := func(t *T, s *pysock.Socket) bool {
		return must(s.GetInheritable())(t, "get_inheritable()")
	}
	ports("test_socket", "InheritanceTest", map[string]func(*T){
		"test_SOCK_CLOEXEC": func(t *T) {
			s := newSock(t, pysock.AF_INET, pysock.SOCK_STREAM|pysock.SOCK_CLOEXEC, 0)
			defer s.Close()
			eq(t, int(s.Type()), pysock.SOCK_STREAM, "s.type")
			truth(t, !inheritable(t, s), "not s.get_inheritable()")
		},
		"test_default_inheritable": func(t *T) {
			s := newSock(t, -1, -1, -1)
			defer s.Close()
			eq(t, inheritable(t, s), false, "sock.get_inheritable()")
		},
		"test_dup": func(t *T) {
			s := newSock(t, -1, -1, -1)
			defer s.Close()
			newsock := must(s.Dup())(t, "sock.dup()")
			s.Close()
			defer newsock.Close()
			eq(t, inheritable(t, newsock), false, "newsock.get_inheritable()")
		},
		"test_set_inheritable": func(t *T) {
			s := newSock(t, -1, -1, -1)
			defer s.Close()
			ok(t, s.SetInheritable(true), "sock.set_inheritable(True)")
			eq(t, inheritable(t, s), true, "sock.get_inheritable()")
			ok(t, s.SetInheritable(false), "sock.set_inheritable(False)")
			eq(t, inheritable(t, s), false, "sock.get_inheritable()")
		},
		"test_get_inheritable_cloexec": func(t *T) {
			s := newSock(t, -1, -1, -1)
			defer s.Close()
			fd := s.Fileno()
			eq(t, inheritable(t, s), false, "sock.get_inheritable()")
			flags := must(unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0))(t, "fcntl(fd, F_GETFD)")
			must(unix.FcntlInt(uintptr(fd), unix.F_SETFD, flags&^unix.FD_CLOEXEC))(t, "fcntl(fd, F_SETFD, flags)")
			eq(t, inheritable(t, s), true, "sock.get_inheritable()")
		},
		"test_set_inheritable_cloexec": func(t *T) {
			s := newSock(t, -1, -1, -1)
			defer s.Close()
			fd := s.Fileno()
			eq(t, must(unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0))(t, "fcntl")&unix.FD_CLOEXEC, unix.FD_CLOEXEC, "FD_CLOEXEC set")
			ok(t, s.SetInheritable(true), "sock.set_inheritable(True)")
			eq(t, must(unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0))(t, "fcntl")&unix.FD_CLOEXEC, 0, "FD_CLOEXEC clear")
		},
		"test_socketpair": func(t *T) {
			s1, s2, err := pysock.SocketPair(-1, -1, -1)
			ok(t, err, "socketpair()")
			t.Cleanup(func() { s1.Close() })
			t.Cleanup(func() { s2.Close() })
			eq(t, inheritable(t, s1), false, "s1.get_inheritable()")
			eq(t, inheritable(t, s2), false, "s2.get_inheritable()")
		},
	})

	// checkNonblock is NonblockConstantTest.checkNonblock; timeout < 0
	// stands for nonblock=False.
	checkNonblock := func(t *T, s *pysock.Socket, nonblock bool, timeout float64) {
		t.Helper()
		eq(t, int(s.Type()), pysock.SOCK_STREAM, "s.type")
		fl := must(unix.FcntlInt(uintptr(s.Fileno()), unix.F_GETFL, 0))(t, "fcntl(s, F_GETFL)")
		if nonblock {
			eq(t, s.GetTimeout().Seconds(), timeout, "s.gettimeout()")
			truth(t, !s.GetTimeout().IsNone(), "s.gettimeout() is not None")
			truth(t, fl&unix.O_NONBLOCK != 0, "O_NONBLOCK set")
			eq(t, s.GetBlocking(), timeout != 0, "s.getblocking()")
		} else {
			truth(t, s.GetTimeout().IsNone(), "s.gettimeout() is None")
			truth(t, fl&unix.O_NONBLOCK == 0, "O_NONBLOCK clear")
			truth(t, s.GetBlocking(), "s.getblocking()")
		}
	}
	ports("test_socket", "NonblockConstantTest", map[string]func(*T){
		"test_SOCK_NONBLOCK": func(t *T) {
			s := newSock(t, pysock.AF_INET, pysock.SOCK_STREAM|pysock.SOCK_NONBLOCK, 0)
			checkNonblock(t, s, true, 0)
			ok(t, s.SetBlocking(true), "s.setblocking(True)")
			checkNonblock(t, s, false, 0)
			ok(t, s.SetBlocking(false), "s.setblocking(False)")
			checkNonblock(t, s, true, 0)
			ok(t, s.SetTimeout(nil), "s.settimeout(None)")
			checkNonblock(t, s, false, 0)
			ok(t, s.SetTimeout(2.0), "s.settimeout(2.0)")
			checkNonblock(t, s, true, 2.0)
			ok(t, s.SetBlocking(true), "s.setblocking(True)")
			checkNonblock(t, s, false, 0)
			s.Close()
			old := pysock.GetDefaultTimeout()
			defer pysock.SetDefaultTimeout(old)
			for _, c := range []struct {
				def      any
				nonblock bool
				timeout  float64
			}{{0.0, true, 0}, {nil, false, 0}, {2.0, true, 2.0}, {nil, false, 0}} {
				ok(t, pysock.SetDefaultTimeout(c.def), "setdefaulttimeout")
				s := newSock(t, -1, -1, -1)
				checkNonblock(t, s, c.nonblock, c.timeout)
				s.Close()
			}
		},
	})
}
