package cpython

// test_socket.py BasicTCPTest, BasicTCPTest2, BasicUDPTest, TCPCloserTest,
// BasicSocketPairTest, NonBlockingTCPTests.

import (
	"math"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// LONG_TIMEOUT is support.LONG_TIMEOUT.
const LONG_TIMEOUT = 300.0

// half is one test method: the server half (testFoo) and the client half
// (_testFoo) of a ThreadableTest.
type half struct{ test, client func(t *T, f *F) }

// threadedPorts registers the methods of a ThreadableTest class.
func threadedPorts(module, class string, c class, methods map[string]half) {
	m := map[string]func(*T){}
	for name, h := range methods {
		client := h.client
		if client == nil {
			client = func(*T, *F) {}
		}
		m[name] = threaded(c, h.test, client)
	}
	ports(module, class, m)
}

func sendMSG(t *T, f *F) { must(f.ServConn.Send(MSG))(t, "serv_conn.send(MSG)") }

func basicTCPTests() map[string]half {
	return map[string]half{
		"testRecv": {func(t *T, f *F) {
			eq(t, must(f.CliConn.Recv(1024))(t, "cli_conn.recv(1024)"), MSG, "msg")
		}, sendMSG},
		"testOverFlowRecv": {func(t *T, f *F) {
			seg1 := must(f.CliConn.Recv(len(MSG)-3))(t, "cli_conn.recv(len(MSG) - 3)")
			seg2 := must(f.CliConn.Recv(1024))(t, "cli_conn.recv(1024)")
			eq(t, append(seg1, seg2...), MSG, "msg")
		}, sendMSG},
		"testRecvFrom": {func(t *T, f *F) {
			msg, _, err := f.CliConn.RecvFrom(1024)
			ok(t, err, "cli_conn.recvfrom(1024)")
			eq(t, msg, MSG, "msg")
		}, sendMSG},
		"testOverFlowRecvFrom": {func(t *T, f *F) {
			seg1, _, err := f.CliConn.RecvFrom(len(MSG) - 3)
			ok(t, err, "cli_conn.recvfrom(len(MSG)-3)")
			seg2, _, err := f.CliConn.RecvFrom(1024)
			ok(t, err, "cli_conn.recvfrom(1024)")
			eq(t, append(seg1, seg2...), MSG, "msg")
		}, sendMSG},
		"testSendAll": {func(t *T, f *F) {
			var msg []byte
			for {
				read := must(f.CliConn.Recv(1024))(t, "cli_conn.recv(1024)")
				if len(read) == 0 {
					break
				}
				msg = append(msg, read...)
			}
			eq(t, msg, rep('f', 2048), "msg")
		}, func(t *T, f *F) {
			ok(t, f.ServConn.SendAll(rep('f', 2048)), "serv_conn.sendall(big_chunk)")
		}},
		"testFromFd": {func(t *T, f *F) {
			sock := must(pysock.FromFd(f.CliConn.Fileno(), pysock.AF_INET, pysock.SOCK_STREAM))(t, "socket.fromfd(fd, AF_INET, SOCK_STREAM)")
			t.Cleanup(func() { sock.Close() })
			eq(t, must(sock.Recv(1024))(t, "sock.recv(1024)"), MSG, "msg")
		}, sendMSG},
		"testDup": {func(t *T, f *F) {
			sock := must(f.CliConn.Dup())(t, "cli_conn.dup()")
			t.Cleanup(func() { sock.Close() })
			eq(t, must(sock.Recv(1024))(t, "sock.recv(1024)"), MSG, "msg")
		}, sendMSG},
		"testShutdown": {func(t *T, f *F) {
			eq(t, must(f.CliConn.Recv(1024))(t, "cli_conn.recv(1024)"), MSG, "msg")
			wait(t, f.done, "self.done.wait()")
		}, func(t *T, f *F) {
			sendMSG(t, f)
			ok(t, f.ServConn.Shutdown(2), "serv_conn.shutdown(2)")
		}},
		"testShutdown_overflow": {func(t *T, f *F) {
			eq(t, must(f.CliConn.Recv(1024))(t, "cli_conn.recv(1024)"), MSG, "msg")
			wait(t, f.done, "self.done.wait()")
		}, func(t *T, f *F) {
			sendMSG(t, f)
			raises[*pyerr.OverflowError](t, f.ServConn.Shutdown(math.MaxInt32+1), "serv_conn.shutdown(INT_MAX + 1)")
			raises[*pyerr.OverflowError](t, f.ServConn.Shutdown(2+(math.MaxUint32+1)), "serv_conn.shutdown(2 + (UINT_MAX + 1))")
			ok(t, f.ServConn.Shutdown(2), "serv_conn.shutdown(2)")
		}},
		"testDetach": {func(t *T, f *F) {
			fileno := f.CliConn.Fileno()
			fd := f.CliConn.Detach()
			eq(t, fd, fileno, "detach() == fileno")
			// self.cli_conn._closed: a private attribute; the fileno()
			// of a closed socket is -1.
			eq(t, f.CliConn.Fileno(), -1, "cli_conn is closed")
			_, err := f.CliConn.Recv(1024)
			raises[*pyerr.OSError](t, err, "cli_conn.recv(1024)")
			f.CliConn.Close()
			sock := must(pysock.FromFileno(fd, pysock.AF_INET, pysock.SOCK_STREAM, -1))(t, "socket.socket(AF_INET, SOCK_STREAM, fileno=f)")
			t.Cleanup(func() { sock.Close() })
			eq(t, must(sock.Recv(1024))(t, "sock.recv(1024)"), MSG, "msg")
		}, sendMSG},
	}
}

func sendtoMSG(t *T, f *F) {
	must(f.Cli.SendTo(MSG, 0, pysock.Tuple{HOST, f.Port}))(t, "cli.sendto(MSG, 0, (HOST, port))")
}

func init() {
	threadedPorts("test_socket", "BasicTCPTest", socketConnectedTest, basicTCPTests())
	// BasicTCPTest2: NetworkConnectionTest's clientSetUp, create_connection.
	tcp2 := socketConnectedTest
	tcp2.clientSetUp = func(f *F) {
		f.Cli = must(pysock.CreateConnection(pysock.Tuple{HOST, f.Port}))(f.t, "socket.create_connection((HOST, port))")
		f.ServConn = f.Cli
	}
	threadedPorts("test_socket", "BasicTCPTest2", tcp2, basicTCPTests())

	threadedPorts("test_socket", "BasicUDPTest", threadedUDPSocketTest, map[string]half{
		"testSendtoAndRecv": {func(t *T, f *F) {
			eq(t, must(f.Serv.Recv(len(MSG)))(t, "serv.recv(len(MSG))"), MSG, "msg")
		}, sendtoMSG},
		"testRecvFrom": {func(t *T, f *F) {
			msg, _, err := f.Serv.RecvFrom(len(MSG))
			ok(t, err, "serv.recvfrom(len(MSG))")
			eq(t, msg, MSG, "msg")
		}, sendtoMSG},
		"testRecvFromNegative": {func(t *T, f *F) {
			_, _, err := f.Serv.RecvFrom(-1)
			raises[*pyerr.ValueError](t, err, "serv.recvfrom(-1)")
		}, sendtoMSG},
	})

	threadedPorts("test_socket", "TCPCloserTest", threadedTCPSocketTest, map[string]half{
		"testClose": {func(t *T, f *F) {
			conn, _, err := f.Serv.Accept()
			ok(t, err, "serv.accept()")
			conn.Close()
			sd := f.Cli
			read, _, _, err := pysock.Select([]any{sd}, nil, nil, 1.0)
			ok(t, err, "select([sd], [], [], 1.0)")
			eq(t, read, []any{sd}, "read")
			eq(t, must(sd.Recv(1))(t, "sd.recv(1)"), []byte{}, "sd.recv(1)")
			conn.Close()
			conn.Close()
		}, func(t *T, f *F) {
			ok(t, f.Cli.Connect(pysock.Tuple{HOST, f.Port}), "cli.connect((HOST, port))")
			time.Sleep(time.Second)
		}},
	})

	checkDefaults := func(t *T, sock *pysock.Socket) {
		eq(t, int(sock.Family()), pysock.AF_UNIX, "sock.family")
		eq(t, int(sock.Type()), pysock.SOCK_STREAM, "sock.type")
		eq(t, sock.Proto(), 0, "sock.proto")
	}
	threadedPorts("test_socket", "BasicSocketPairTest", socketPairTest, map[string]half{
		"testDefaults": {func(t *T, f *F) { checkDefaults(t, f.Serv) }, func(t *T, f *F) { checkDefaults(t, f.Cli) }},
		"testRecv": {func(t *T, f *F) {
			eq(t, must(f.Serv.Recv(1024))(t, "serv.recv(1024)"), MSG, "msg")
		}, func(t *T, f *F) { must(f.Cli.Send(MSG))(t, "cli.send(MSG)") }},
		"testSend": {func(t *T, f *F) { must(f.Serv.Send(MSG))(t, "serv.send(MSG)") }, func(t *T, f *F) {
			eq(t, must(f.Cli.Recv(1024))(t, "cli.recv(1024)"), MSG, "msg")
		}},
	})

	threadedPorts("test_socket", "NonBlockingTCPTests", threadedTCPSocketTest, nonBlockingTCPTests())
}

// assertSockTimeout is NonBlockingTCPTests.assert_sock_timeout; timeout nil
// is None.
func assertSockTimeout(t *T, f *F, sock *pysock.Socket, timeout any) {
	t.Helper()
	got := f.Serv.GetTimeout()
	if timeout == nil {
		truth(t, got.IsNone(), "serv.gettimeout() is None")
	} else {
		eq(t, got.Seconds(), toFloat(timeout), "serv.gettimeout()")
	}
	blocking := timeout == nil || toFloat(timeout) != 0
	eq(t, sock.GetBlocking(), blocking, "sock.getblocking()")
	flag, err := unix.FcntlInt(uintptr(sock.Fileno()), unix.F_GETFL, 0)
	ok(t, err, "fcntl(sock, F_GETFL)")
	eq(t, flag&unix.O_NONBLOCK == 0, timeout == nil, "not (flag & O_NONBLOCK) == fd_blocking")
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int:
		return float64(v)
	case float64:
		return v
	}
	return math.NaN()
}

func nonBlockingTCPTests() map[string]half {
	connect := func(t *T, f *F) { ok(t, f.Cli.Connect(pysock.Tuple{HOST, f.Port}), "cli.connect((HOST, port))") }
	return map[string]half{
		"testSetBlocking": {test: func(t *T, f *F) {
			steps := []struct {
				set  func() error
				want any
			}{
				{func() error { return f.Serv.SetBlocking(true) }, nil},
				{func() error { return f.Serv.SetBlocking(false) }, 0.0},
				{func() error { return f.Serv.SetTimeout(nil) }, nil},
				{func() error { return f.Serv.SetTimeout(0) }, 0},
				{func() error { return f.Serv.SetTimeout(10) }, 10},
				{func() error { return f.Serv.SetTimeout(0) }, 0},
			}
			for _, s := range steps {
				ok(t, s.set(), "mode change")
				assertSockTimeout(t, f, f.Serv, s.want)
			}
		}},
		"testSetBlocking_overflow": {test: func(t *T, f *F) {
			ok(t, f.Serv.SetBlocking(false), "serv.setblocking(False)")
			assertSockTimeout(t, f, f.Serv, 0.0)
			ok(t, f.Serv.SetBlocking(math.MaxUint32+1), "serv.setblocking(UINT_MAX + 1)")
			assertSockTimeout(t, f, f.Serv, nil)
		}},
		"testInitNonBlocking": {test: func(t *T, f *F) {
			f.Serv.Close()
			f.Serv = newSock(t, pysock.AF_INET, pysock.SOCK_STREAM|pysock.SOCK_NONBLOCK, 0)
			assertSockTimeout(t, f, f.Serv, 0)
		}},
		"testInheritFlagsBlocking": {func(t *T, f *F) {
			withDefaultTimeout(t, nil, func() {
				ok(t, f.Serv.SetTimeout(10), "serv.settimeout(10)")
				conn, _, err := f.Serv.Accept()
				ok(t, err, "serv.accept()")
				t.Cleanup(func() { conn.Close() })
				truth(t, conn.GetTimeout().IsNone(), "conn.gettimeout() is None")
			})
		}, connect},
		"testInheritFlagsTimeout": {func(t *T, f *F) {
			withDefaultTimeout(t, 20.0, func() {
				ok(t, f.Serv.SetTimeout(10), "serv.settimeout(10)")
				conn, _, err := f.Serv.Accept()
				ok(t, err, "serv.accept()")
				t.Cleanup(func() { conn.Close() })
				eq(t, conn.GetTimeout().Seconds(), 20.0, "conn.gettimeout()")
			})
		}, connect},
		"testAccept": {func(t *T, f *F) {
			ok(t, f.Serv.SetBlocking(false), "serv.setblocking(False)")
			start := time.Now()
			_, _, err := f.Serv.Accept()
			raises[*pyerr.BlockingIOError](t, err, "serv.accept()")
			truth(t, time.Since(start) < time.Second, "dt < 1.0")
			f.setEvent()
			read, _, _, err := pysock.Select([]any{f.Serv}, nil, nil, LONG_TIMEOUT)
			ok(t, err, "select([serv], [], [], LONG_TIMEOUT)")
			if !contains(read, any(f.Serv)) {
				t.Fatalf("Error trying to do accept after select.")
			}
			conn, _, err := f.Serv.Accept()
			ok(t, err, "serv.accept()")
			t.Cleanup(func() { conn.Close() })
			truth(t, conn.GetTimeout().IsNone(), "conn.gettimeout() is None")
		}, func(t *T, f *F) {
			f.waitEvent(handshakeTimeout)
			connect(t, f)
		}},
		"testRecv": {func(t *T, f *F) {
			conn, _, err := f.Serv.Accept()
			ok(t, err, "serv.accept()")
			t.Cleanup(func() { conn.Close() })
			ok(t, conn.SetBlocking(false), "conn.setblocking(False)")
			_, err = conn.Recv(len(MSG))
			raises[*pyerr.BlockingIOError](t, err, "conn.recv(len(MSG))")
			f.setEvent()
			read, _, _, err := pysock.Select([]any{conn}, nil, nil, LONG_TIMEOUT)
			ok(t, err, "select([conn], [], [], LONG_TIMEOUT)")
			if !contains(read, any(conn)) {
				t.Fatalf("Error during select call to non-blocking socket.")
			}
			eq(t, must(conn.Recv(len(MSG)))(t, "conn.recv(len(MSG))"), MSG, "msg")
		}, func(t *T, f *F) {
			connect(t, f)
			f.waitEvent(handshakeTimeout)
			ok(t, f.Cli.SendAll(MSG), "cli.sendall(MSG)")
		}},
	}
}
