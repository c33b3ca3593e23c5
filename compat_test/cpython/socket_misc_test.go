package cpython

// test_socket.py NetworkConnectionNoServer, NetworkConnectionAttributesTest,
// NetworkConnectionBehaviourTest, TCPTimeoutTest, UDPTimeoutTest,
// TestExceptions, TestLinuxAbstractNamespace, TestUnixDomain.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"syscall"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

func init() {
	ports("test_socket", "NetworkConnectionNoServer", map[string]func(*T){
		"test_connect": func(t *T) {
			port := findUnusedPort(t)
			cli := newSock(t, pysock.AF_INET, pysock.SOCK_STREAM, 0)
			t.Cleanup(func() { cli.Close() })
			raisesErrno(t, cli.Connect(pysock.Tuple{HOST, port}), int(syscall.ECONNREFUSED), "cli.connect((HOST, port))")
		},
		"test_create_connection": func(t *T) {
			port := findUnusedPort(t)
			s, err := pysock.CreateConnection(pysock.Tuple{HOST, port})
			if s != nil {
				s.Close()
			}
			// socket_helper.get_socket_conn_refused_errs(): ECONNREFUSED,
			// and on Linux also EADDRNOTAVAIL (issue #...), ENETUNREACH.
			oe := raises[*pyerr.OSError](t, err, "create_connection((HOST, port))")
			if oe != nil {
				truth(t, contains([]int{int(syscall.ECONNREFUSED), int(syscall.ENETUNREACH), int(syscall.EADDRNOTAVAIL)}, oe.Errno),
					fmt.Sprintf("errno %v in expected_errnos", oe.Errno))
			}
		},
		"test_create_connection_all_errors": func(t *T) {
			port := findUnusedPort(t)
			s, err := pysock.CreateConnection(pysock.Tuple{HOST, port}, pysock.GlobalDefaultTimeout, nil, pysock.AllErrors(true))
			if err == nil {
				s.Close()
				t.Fatalf("expected connection to fail")
			}
			var eg *pyerr.ExceptionGroup
			if !errors.As(err, &eg) {
				t.Fatalf("%T is not an ExceptionGroup: %v", err, err)
			}
			for _, e := range eg.Exceptions {
				raises[*pyerr.OSError](t, e, "eg.exceptions[i]")
			}
			addresses := must(pysock.GetAddrInfo("localhost", port, 0, pysock.SOCK_STREAM))(t, "getaddrinfo('localhost', port, 0, SOCK_STREAM)")
			eq(t, len(eg.Exceptions), len(addresses), "len(eg.exceptions)")
		},
	})
	notApplicable("test_socket", "NetworkConnectionNoServer",
		"monkeypatches socket.socket with a subclass whose connect() raises TimeoutError", "test_create_connection_timeout")

	justAccept := func(t *T, f *F) {
		conn, _, err := f.Serv.Accept()
		ok(t, err, "serv.accept()")
		conn.Close()
	}
	attrs := class{
		setUp:          socketTCPTest.setUp,
		tearDown:       socketTCPTest.tearDown,
		clientSetUp:    func(f *F) { f.Port2 = findUnusedPort(f.t) },
		clientTearDown: func(f *F) { closeSock(f.Cli) },
	}
	threadedPorts("test_socket", "NetworkConnectionAttributesTest", attrs, map[string]half{
		"testFamily": {justAccept, func(t *T, f *F) {
			f.Cli = must(pysock.CreateConnection(pysock.Tuple{HOST, f.Port}, LOOPBACK_TIMEOUT))(t, "create_connection(…, timeout=LOOPBACK_TIMEOUT)")
			eq(t, int(f.Cli.Family()), 2, "cli.family")
		}},
		"testSourceAddress": {justAccept, func(t *T, f *F) {
			f.Cli = must(pysock.CreateConnection(pysock.Tuple{HOST, f.Port}, LOOPBACK_TIMEOUT, pysock.Tuple{"", f.Port2}))(t, "create_connection(…, source_address=('', source_port))")
			eq(t, port(t, f.Cli), f.Port2, "cli.getsockname()[1]")
		}},
		"testTimeoutDefault": {justAccept, func(t *T, f *F) {
			truth(t, pysock.GetDefaultTimeout().IsNone(), "getdefaulttimeout() is None")
			ok(t, pysock.SetDefaultTimeout(42), "setdefaulttimeout(42)")
			func() {
				defer pysock.SetDefaultTimeout(nil)
				f.Cli = must(pysock.CreateConnection(pysock.Tuple{HOST, f.Port}))(t, "create_connection((HOST, port))")
			}()
			eq(t, f.Cli.GetTimeout().Seconds(), 42.0, "cli.gettimeout()")
		}},
		"testTimeoutNone": {justAccept, func(t *T, f *F) {
			truth(t, pysock.GetDefaultTimeout().IsNone(), "getdefaulttimeout() is None")
			ok(t, pysock.SetDefaultTimeout(30), "setdefaulttimeout(30)")
			func() {
				defer pysock.SetDefaultTimeout(nil)
				f.Cli = must(pysock.CreateConnection(pysock.Tuple{HOST, f.Port}, nil))(t, "create_connection((HOST, port), timeout=None)")
			}()
			truth(t, f.Cli.GetTimeout().IsNone(), "cli.gettimeout() is None")
		}},
		"testTimeoutValueNamed": {justAccept, func(t *T, f *F) {
			f.Cli = must(pysock.CreateConnection(pysock.Tuple{HOST, f.Port}, 30))(t, "create_connection((HOST, port), timeout=30)")
			eq(t, f.Cli.GetTimeout().Seconds(), 30.0, "cli.gettimeout()")
		}},
		"testTimeoutValueNonamed": {justAccept, func(t *T, f *F) {
			f.Cli = must(pysock.CreateConnection(pysock.Tuple{HOST, f.Port}, 30))(t, "create_connection((HOST, port), 30)")
			eq(t, f.Cli.GetTimeout().Seconds(), 30.0, "cli.gettimeout()")
		}},
	})

	insideTimeout := func(t *T, f *F) {
		conn, _, err := f.Serv.Accept()
		ok(t, err, "serv.accept()")
		t.Cleanup(func() { conn.Close() })
		time.Sleep(3 * time.Second)
		must(conn.Send([]byte("done!")))(t, "conn.send(b'done!')")
	}
	behaviour := class{setUp: socketTCPTest.setUp, tearDown: socketTCPTest.tearDown, clientTearDown: func(f *F) { closeSock(f.Cli) }}
	threadedPorts("test_socket", "NetworkConnectionBehaviourTest", behaviour, map[string]half{
		"testInsideTimeout": {insideTimeout, func(t *T, f *F) {
			f.Cli = must(pysock.CreateConnection(pysock.Tuple{HOST, f.Port}))(t, "create_connection((HOST, port))")
			eq(t, must(f.Cli.Recv(5))(t, "sock.recv(5)"), []byte("done!"), "data")
		}},
		"testOutsideTimeout": {insideTimeout, func(t *T, f *F) {
			f.Cli = must(pysock.CreateConnection(pysock.Tuple{HOST, f.Port}, 1))(t, "create_connection((HOST, port), timeout=1)")
			_, err := f.Cli.Recv(5)
			raises[*pyerr.TimeoutError](t, err, "sock.recv(5)")
		}},
	})

	timeoutZero := func(op func(f *F) error, proto string) func(t *T, f *F) {
		return func(t *T, f *F) {
			ok(t, f.Serv.SetTimeout(0.0), "serv.settimeout(0.0)")
			err := op(f)
			var te *pyerr.TimeoutError
			var oe *pyerr.OSError
			switch {
			case err == nil:
				t.Errorf("call returned success when we did not expect it")
			case errors.As(err, &te):
				t.Errorf("caught timeout instead of error (%s)", proto)
			case !errors.As(err, &oe):
				t.Errorf("caught unexpected exception (%s): %v", proto, err)
			}
		}
	}
	accept := func(f *F) error {
		c, _, err := f.Serv.Accept()
		if c != nil {
			c.Close()
		}
		return err
	}
	recv := func(f *F) error { _, err := f.Serv.Recv(1024); return err }
	ports("test_socket", "TCPTimeoutTest", map[string]func(*T){
		"testTCPTimeout": plain(socketTCPTest, func(t *T, f *F) {
			ok(t, f.Serv.SetTimeout(1.0), "serv.settimeout(1.0)")
			raises[*pyerr.TimeoutError](t, accept(f), "serv.accept()")
		}),
		"testTimeoutZero": plain(socketTCPTest, timeoutZero(accept, "TCP")),
	})
	notApplicable("test_socket", "TCPTimeoutTest", "a Python SIGALRM handler raising an exception out of accept()", "testInterruptedTimeout")
	ports("test_socket", "UDPTimeoutTest", map[string]func(*T){
		"testUDPTimeout": plain(socketUDPTest, func(t *T, f *F) {
			ok(t, f.Serv.SetTimeout(1.0), "serv.settimeout(1.0)")
			raises[*pyerr.TimeoutError](t, recv(f), "serv.recv(1024)")
		}),
		"testTimeoutZero": plain(socketUDPTest, timeoutZero(recv, "UDP")),
	})

	ports("test_socket", "TestExceptions", map[string]func(*T){
		"testExceptionTree": func(t *T) {
			// issubclass(X, OSError): an X matches *pyerr.OSError with
			// errors.As; socket.error is OSError and socket.timeout is
			// TimeoutError are the same Go types (docs/python-to-go.md).
			raises[*pyerr.OSError](t, pyerr.NewHError(), "issubclass(socket.herror, OSError)")
			raises[*pyerr.OSError](t, pyerr.NewGaiError(), "issubclass(socket.gaierror, OSError)")
			raises[*pyerr.OSError](t, pyerr.NewTimeoutError(), "issubclass(socket.timeout, OSError)")
			truth(t, pyerr.IsInstance(pyerr.NewOSError(), "Exception"), "issubclass(OSError, Exception)")
		},
		"test_setblocking_invalidfd": func(t *T) {
			sock0 := newSock(t, pysock.AF_INET, pysock.SOCK_STREAM, 0)
			sock := must(pysock.FromFileno(sock0.Fileno(), pysock.AF_INET, pysock.SOCK_STREAM, 0))(t, "socket.socket(…, sock0.fileno())")
			sock0.Close()
			t.Cleanup(func() { sock.Detach() })
			raises[*pyerr.OSError](t, sock.SetBlocking(false), "sock.setblocking(False)")
		},
	})

	unix := func(t *T) *pysock.Socket { return newSock(t, pysock.AF_UNIX, pysock.SOCK_STREAM, 0) }
	name := func(t *T, s *pysock.Socket) any { return must(s.GetSockName())(t, "getsockname()").Tuple() }
	ports("test_socket", "TestLinuxAbstractNamespace", map[string]func(*T){
		"testLinuxAbstractNamespace": func(t *T) {
			address := []byte("\x00python-test-hello\x00\xff")
			s1 := unix(t)
			defer s1.Close()
			ok(t, s1.Bind(address), "s1.bind(address)")
			ok(t, s1.Listen(), "s1.listen()")
			s2 := unix(t)
			defer s2.Close()
			ok(t, s2.Connect(must(s1.GetSockName())(t, "s1.getsockname()")), "s2.connect(s1.getsockname())")
			s3, _, err := s1.Accept()
			ok(t, err, "s1.accept()")
			defer s3.Close()
			eq(t, name(t, s1), any(pysock.Bytes(address)), "s1.getsockname()")
			eq(t, must(s2.GetPeerName())(t, "s2.getpeername()").Tuple(), any(pysock.Bytes(address)), "s2.getpeername()")
		},
		"testMaxName": func(t *T) {
			address := append([]byte{0}, rep('h', 108-1)...)
			s := unix(t)
			defer s.Close()
			ok(t, s.Bind(address), "s.bind(address)")
			eq(t, name(t, s), any(pysock.Bytes(address)), "s.getsockname()")
		},
		"testNameOverflow": func(t *T) {
			s := unix(t)
			defer s.Close()
			raises[*pyerr.OSError](t, s.Bind("\x00"+string(rep('h', 108))), "s.bind(address)")
		},
		"testStrName": func(t *T) {
			s := unix(t)
			defer s.Close()
			ok(t, s.Bind("\x00python\x00test\x00"), "s.bind('\\x00python\\x00test\\x00')")
			eq(t, name(t, s), any(pysock.Bytes("\x00python\x00test\x00")), "s.getsockname()")
		},
		"testBytearrayName": func(t *T) {
			s := unix(t)
			defer s.Close()
			ok(t, s.Bind([]byte("\x00python\x00test\x00")), "s.bind(bytearray(…))")
			eq(t, name(t, s), any(pysock.Bytes("\x00python\x00test\x00")), "s.getsockname()")
		},
		"testAutobind": func(t *T) {
			re := regexp.MustCompile("^\x00[0-9a-f]{5}")
			s1 := unix(t)
			defer s1.Close()
			ok(t, s1.Bind(""), "s1.bind('')")
			n1, _ := name(t, s1).(pysock.Bytes)
			truth(t, re.Match(n1), fmt.Sprintf("%q matches %q", n1, re))
			s2 := unix(t)
			defer s2.Close()
			ok(t, s2.Bind(""), "s2.bind('')")
			n2, _ := name(t, s2).(pysock.Bytes)
			truth(t, re.Match(n2), fmt.Sprintf("%q matches %q", n2, re))
			truth(t, string(n1) != string(n2), "s1.getsockname() != s2.getsockname()")
		},
	})

	// TestUnixDomain: paths under a temporary directory (CPython's
	// regrtest runs in one); os_helper.TESTFN and friends.
	testfn := fmt.Sprintf("@test_%d_tmp\u00e6", os.Getpid())
	unixDomain := class{
		setUp:    func(f *F) { f.Serv = unix(f.t) },
		tearDown: func(f *F) { f.Serv.Close() },
	}
	bindPath := func(t *T, f *F, path any, real string) {
		ok(t, f.Serv.Bind(path), fmt.Sprintf("bind(%q)", path))
		t.Cleanup(func() { os.Remove(real) })
		eq(t, name(t, f.Serv), any(real), "sock.getsockname()")
	}
	abs := func(t *T, name string) string {
		dir := must(os.MkdirTemp("", "unix"))(t, "mkdtemp")
		t.Cleanup(func() { os.RemoveAll(dir) })
		return filepath.Join(dir, name)
	}
	ports("test_socket", "TestUnixDomain", map[string]func(*T){
		"testUnbound": plain(unixDomain, func(t *T, f *F) {
			n := name(t, f.Serv)
			truth(t, n == any("") || n == nil, fmt.Sprintf("getsockname() %#v in ('', None)", n))
		}),
		"testStrAddr": plain(unixDomain, func(t *T, f *F) {
			path := abs(t, testfn)
			bindPath(t, f, path, path)
		}),
		"testBytesAddr": plain(unixDomain, func(t *T, f *F) {
			path := abs(t, testfn)
			bindPath(t, f, []byte(path), path)
		}),
		"testSurrogateescapeBind": plain(unixDomain, func(t *T, f *F) {
			// TESTFN_UNICODE; its fs-encoded bytes decoded with
			// surrogateescape are the same bytes in a Go string.
			path := abs(t, testfn+"-\u00e0\u00f2\u0258\u0141\u011f")
			bindPath(t, f, string([]byte(path)), path)
		}),
		"testUnencodableAddr": plain(unixDomain, func(t *T, f *F) {
			// TESTFN_UNENCODABLE is TESTFN + '-\udcff': the byte 0xff.
			path := abs(t, testfn+"-\xff")
			bindPath(t, f, path, path)
		}),
		"testEmptyAddress": func(t *T) { t.Skip("Linux specific test") },
	})
}
