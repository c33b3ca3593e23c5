package cpython

// Lib/test/test_socketserver.py: SocketServerTest and the module's fixtures
// (receive, TEST_STR, the server classes). ErrorHandlerTest,
// SocketWriterTest and MiscTestCase are in socketserver_misc_test.go.
//
// CPython's module calls test.support.requires("network") at import, which
// `python3 -m test` without -u turns into a skip of the whole module; every
// test in it uses only 127.0.0.1 and temporary AF_UNIX paths, so
// list_tests.py records CPython's results with that resource on, and the
// ports run by default.

import (
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/leakcheck"
	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

// TEST_STR is test_socketserver.TEST_STR.
var TEST_STR = []byte("hello world\n")

// forkingNA is why the Forking* tests have no port.
const forkingNA = "pysock/socketserver has no ForkingMixIn (nor Forking*Server): Go cannot fork a running program (see pysock/socketserver/doc.go)"

// receive is test_socketserver.receive(sock, n, timeout=SHORT_TIMEOUT):
// select (the real one), then recv.
func receive(t *T, sock *pysock.Socket, n int) []byte {
	t.Helper()
	r, _, _, err := pysock.Select([]any{sock}, nil, nil, SHORT_TIMEOUT)
	ok(t, err, "_real_select([sock], [], [], timeout)")
	if slices.Contains(r, any(sock)) {
		return must(sock.Recv(n))(t, "sock.recv(n)")
	}
	t.Fatalf("RuntimeError: timed out on %s", sock.Repr())
	return nil
}

// serverInit is a socketserver class as make_server subclasses it: the
// server (its methods) and its __init__.
type serverInit interface {
	socketserver.Server
	Init(self socketserver.Server, serverAddress any, handler socketserver.HandlerFactory, bindAndActivate ...bool) error
}

// serverClass is one svrcls of SocketServerTest: a new (uninitialised)
// instance, the TCPServer part that holds server_address and socket, and
// the address_family class attribute (a field Go fills in at Init).
type serverClass struct {
	name          string
	addressFamily pysock.AddressFamily
	new           func() (serverInit, *socketserver.TCPServer)
}

var (
	tcpServerClass = serverClass{"socketserver.TCPServer", pysock.AF_INET,
		func() (serverInit, *socketserver.TCPServer) { s := &socketserver.TCPServer{}; return s, s }}
	threadingTCPServerClass = serverClass{"socketserver.ThreadingTCPServer", pysock.AF_INET,
		func() (serverInit, *socketserver.TCPServer) {
			s := &socketserver.ThreadingTCPServer{}
			return s, &s.TCPServer
		}}
	unixStreamServerClass = serverClass{"socketserver.UnixStreamServer", pysock.AF_UNIX,
		func() (serverInit, *socketserver.TCPServer) {
			s := &socketserver.UnixStreamServer{}
			return s, &s.TCPServer
		}}
	threadingUnixStreamServerClass = serverClass{"socketserver.ThreadingUnixStreamServer", pysock.AF_UNIX,
		func() (serverInit, *socketserver.TCPServer) {
			s := &socketserver.ThreadingUnixStreamServer{}
			return s, &s.TCPServer
		}}
	udpServerClass = serverClass{"socketserver.UDPServer", pysock.AF_INET,
		func() (serverInit, *socketserver.TCPServer) {
			s := &socketserver.UDPServer{}
			return s, &s.TCPServer
		}}
	threadingUDPServerClass = serverClass{"socketserver.ThreadingUDPServer", pysock.AF_INET,
		func() (serverInit, *socketserver.TCPServer) {
			s := &socketserver.ThreadingUDPServer{}
			return s, &s.TCPServer
		}}
	unixDatagramServerClass = serverClass{"socketserver.UnixDatagramServer", pysock.AF_UNIX,
		func() (serverInit, *socketserver.TCPServer) {
			s := &socketserver.UnixDatagramServer{}
			return s, &s.TCPServer
		}}
	threadingUnixDatagramServerClass = serverClass{"socketserver.ThreadingUnixDatagramServer", pysock.AF_UNIX,
		func() (serverInit, *socketserver.TCPServer) {
			s := &socketserver.ThreadingUnixDatagramServer{}
			return s, &s.TCPServer
		}}
)

// The handler bases make_server derives MyHandler from (hdlrbase):
// MyHandler.handle is self.wfile.write(self.rfile.readline()).
type myStreamHandler struct {
	socketserver.StreamRequestHandler
}

func (h *myStreamHandler) Handle() error { return echoLine(h.RFile, h.WFile) }

type myDatagramHandler struct {
	socketserver.DatagramRequestHandler
}

func (h *myDatagramHandler) Handle() error { return echoLine(h.RFile, h.WFile) }

// lineReader is the rfile of both bases (a SocketFile, a BytesIO).
type lineReader interface {
	ReadLine(size ...int) ([]byte, error)
}

// echoLine is MyHandler.handle's body for both bases.
func echoLine(rfile lineReader, wfile io.Writer) error {
	line, err := rfile.ReadLine()
	if err != nil {
		return err
	}
	_, err = wfile.Write(line)
	return err
}

var (
	streamRequestHandler   = socketserver.HandlerClass[myStreamHandler]()
	datagramRequestHandler = socketserver.HandlerClass[myDatagramHandler]()
)

// myServer is make_server's MyServer(svrcls): svrcls with
//
//	def handle_error(self, request, client_address):
//	    self.close_request(request)
//	    raise
type myServer struct{ socketserver.Server }

func (s *myServer) HandleError(request socketserver.Request, clientAddress pysock.Address, err error) error {
	s.CloseRequest(request)
	return err
}

// socketServerTest is SocketServerTest's state: setUp's port_seed and
// test_files.
type socketServerTest struct {
	t         *T
	portSeed  int
	testFiles []string
}

// socketServerTestCase runs test with SocketServerTest.setUp and tearDown.
func socketServerTestCase(test func(t *T, self *socketServerTest)) func(*T) {
	return func(t *T) {
		self := &socketServerTest{t: t}
		self.portSeed = 0
		self.testFiles = []string{}
		defer self.tearDown()
		test(t, self)
	}
}

// tearDown is SocketServerTest.tearDown (reap_children has nothing to reap:
// there are no forking servers).
func (self *socketServerTest) tearDown() {
	for _, fn := range self.testFiles {
		os.Remove(fn) // except OSError: pass
	}
	self.testFiles = self.testFiles[:0]
}

// pickaddr is SocketServerTest.pickaddr.
func (self *socketServerTest) pickaddr(proto pysock.AddressFamily) any {
	if proto == pysock.AF_INET {
		return pysock.Tuple{HOST, 0}
	}
	// XXX: We need a way to tell AF_UNIX to pick its own name
	// like AF_INET provides port==0.
	fn := mktemp("unix_socket.", "")
	self.testFiles = append(self.testFiles, fn)
	return fn
}

// mktemp is tempfile.mktemp(prefix=prefix, dir=dir): a name in dir (the
// temporary directory when "") that does not exist yet, not created.
func mktemp(prefix, dir string) string {
	if dir == "" {
		dir = os.TempDir()
	}
	const chars = "abcdefghijklmnopqrstuvwxyz0123456789_"
	for {
		b := make([]byte, 8)
		for i := range b {
			b[i] = chars[rand.IntN(len(chars))]
		}
		file := filepath.Join(dir, prefix+string(b))
		if _, err := os.Lstat(file); errors.Is(err, os.ErrNotExist) {
			return file
		}
	}
}

// makeServer is SocketServerTest.make_server(addr, svrcls, hdlrbase).
func (self *socketServerTest) makeServer(addr any, svrcls serverClass, hdlrbase socketserver.HandlerFactory) (*myServer, *socketserver.TCPServer) {
	t := self.t
	t.Helper()
	inner, tcp := svrcls.new()
	server := &myServer{inner}
	err := inner.Init(server, addr, hdlrbase)
	var pe *pyerr.PermissionError
	if errors.As(err, &pe) {
		// Issue 29184: cannot bind() a Unix socket on Android.
		t.Skip(fmt.Sprintf("Cannot create server (%s, %v): %v", svrcls.name, addr, err))
	}
	ok(t, err, "MyServer(addr, MyHandler)")
	eq(t, tcp.ServerAddress, must(tcp.Socket.GetSockName())(t, "server.socket.getsockname()"),
		"server.server_address == server.socket.getsockname()")
	return server, tcp
}

// runServer is SocketServerTest.run_server(svrcls, hdlrbase, testfunc)
// (reap_threads: TestMain's leak check).
func (self *socketServerTest) runServer(svrcls serverClass, hdlrbase socketserver.HandlerFactory,
	testfunc func(proto pysock.AddressFamily, addr any)) {
	t := self.t
	server, tcp := self.makeServer(self.pickaddr(svrcls.addressFamily), svrcls, hdlrbase)
	// We had the OS pick a port, so pull the real address out of
	// the server.
	addr := tcp.ServerAddress
	served := make(chan error, 1) // the thread: serve_forever(poll_interval=0.01)
	go func() { served <- server.ServeForever(0.01) }()
	joined := false
	defer func() { // t.daemon = True: in case this function raises
		if !joined {
			server.Shutdown()
			<-served
			server.ServerClose()
		}
	}()
	for range 3 {
		testfunc(svrcls.addressFamily, addr)
	}
	server.Shutdown()
	joined = true
	// t.join(); serve_forever raising (MyServer.handle_error re-raises)
	// would be the thread's uncaught exception.
	ok(t, <-served, "server.serve_forever(poll_interval=0.01)")
	server.ServerClose()
	eq(t, tcp.Socket.Fileno(), -1, "server.socket.fileno()")
	// ForkingMixIn's active_children check: no forking servers here.
}

// streamExamine is SocketServerTest.stream_examine(proto, addr).
func (self *socketServerTest) streamExamine(proto pysock.AddressFamily, addr any) {
	t := self.t
	s := newSock(t, proto, pysock.SOCK_STREAM, 0)
	defer s.Close()
	ok(t, s.Connect(addr), "s.connect(addr)")
	ok(t, s.SendAll(TEST_STR), "s.sendall(TEST_STR)")
	eq(t, receiveLine(t, s), TEST_STR, "buf")
}

// receiveLine is the examine methods' reply loop:
//
//	buf = data = receive(s, 100)
//	while data and b'\n' not in buf:
//	    data = receive(s, 100)
//	    buf += data
func receiveLine(t *T, s *pysock.Socket) []byte {
	t.Helper()
	data := receive(t, s, 100)
	buf := data
	for len(data) > 0 && !slices.Contains(buf, '\n') {
		data = receive(t, s, 100)
		buf = append(buf, data...)
	}
	return buf
}

// dgramExamine is SocketServerTest.dgram_examine(proto, addr).
func (self *socketServerTest) dgramExamine(proto pysock.AddressFamily, addr any) {
	t := self.t
	s := newSock(t, proto, pysock.SOCK_DGRAM, 0)
	defer s.Close()
	if proto == pysock.AF_UNIX {
		ok(t, s.Bind(self.pickaddr(proto)), "s.bind(self.pickaddr(proto))")
	}
	must(s.SendTo(TEST_STR, addr))(t, "s.sendto(TEST_STR, addr)")
	eq(t, receiveLine(t, s), TEST_STR, "buf")
}

// shutdownServer and shutdownHandler are test_shutdown's MyServer and
// MyHandler: subclasses that add nothing.
type shutdownServer struct{ socketserver.TCPServer }

type shutdownHandler struct {
	socketserver.StreamRequestHandler
}

// threadingTCPMixServer is MyServer(socketserver.ThreadingMixIn,
// socketserver.TCPServer) of test_close_immediately and test_threads_reaped:
// the mix-in's process_request and server_close come first in the MRO.
type threadingTCPMixServer struct {
	socketserver.ThreadingMixIn
	socketserver.TCPServer
}

func (s *threadingTCPMixServer) ProcessRequest(request socketserver.Request, clientAddress pysock.Address) error {
	return s.ThreadingMixIn.ProcessRequest(s, request, clientAddress)
}

func (s *threadingTCPMixServer) ServerClose() error {
	return s.ThreadingMixIn.ServerClose(s.TCPServer.ServerClose)
}

func init() {
	run := func(svrcls serverClass, hdlrbase socketserver.HandlerFactory, stream bool) func(*T) {
		return socketServerTestCase(func(t *T, self *socketServerTest) {
			examine := self.dgramExamine
			if stream {
				examine = self.streamExamine
			}
			self.runServer(svrcls, hdlrbase, examine)
		})
	}
	ports("test_socketserver", "SocketServerTest", map[string]func(*T){
		"test_TCPServer":                   run(tcpServerClass, streamRequestHandler, true),
		"test_ThreadingTCPServer":          run(threadingTCPServerClass, streamRequestHandler, true),
		"test_UnixStreamServer":            run(unixStreamServerClass, streamRequestHandler, true),
		"test_ThreadingUnixStreamServer":   run(threadingUnixStreamServerClass, streamRequestHandler, true),
		"test_UDPServer":                   run(udpServerClass, datagramRequestHandler, false),
		"test_ThreadingUDPServer":          run(threadingUDPServerClass, datagramRequestHandler, false),
		"test_UnixDatagramServer":          run(unixDatagramServerClass, datagramRequestHandler, false),
		"test_ThreadingUnixDatagramServer": run(threadingUnixDatagramServerClass, datagramRequestHandler, false),
		"test_shutdown": socketServerTestCase(func(t *T, self *socketServerTest) {
			// Issue #2302: shutdown() should always succeed in making an
			// other thread leave serve_forever().
			type thread struct {
				served chan error // t: its join() is the receive
				s      *shutdownServer
			}
			var threads []thread
			t.Cleanup(func() { // t.daemon = True: in case this function raises
				for _, th := range threads {
					th.s.ServerClose()
				}
			})
			for range 20 {
				s := &shutdownServer{}
				ok(t, s.Init(s, pysock.Tuple{HOST, 0}, socketserver.HandlerClass[shutdownHandler]()),
					"MyServer((HOST, 0), MyHandler)")
				threads = append(threads, thread{make(chan error, 1), s})
			}
			for _, th := range threads {
				go func() { th.served <- th.s.ServeForever(0.01) }() // t.start()
				th.s.Shutdown()
			}
			for _, th := range threads {
				ok(t, <-th.served, "t.join(): serve_forever(poll_interval=0.01)")
				th.s.ServerClose()
			}
		}),
		"test_close_immediately": socketServerTestCase(func(t *T, self *socketServerTest) {
			server := &threadingTCPMixServer{}
			lambda := func() socketserver.RequestHandler { return nil } // lambda: None
			ok(t, server.Init(server, pysock.Tuple{HOST, 0}, lambda), "MyServer((HOST, 0), lambda: None)")
			ok(t, server.ServerClose(), "server.server_close()")
		}),
		"test_tcpserver_bind_leak": socketServerTestCase(func(t *T, self *socketServerTest) {
			// Issue #22435: the server socket wouldn't be closed if bind()/listen()
			// failed.
			// Create many servers for which bind() will fail, to see if this result
			// in FD exhaustion.
			before := leakcheck.FDs() // the exhaustion, counted instead of waited for
			for range 1024 {
				_, err := socketserver.NewTCPServer(pysock.Tuple{HOST, -1},
					socketserver.HandlerClass[socketserver.StreamRequestHandler]())
				raises[*pyerr.OverflowError](t, err, "socketserver.TCPServer((HOST, -1), socketserver.StreamRequestHandler)")
				if t.Failed() {
					return
				}
			}
			if after := leakcheck.FDs(); after > before {
				t.Errorf("%d fds open before the 1024 servers, %d after", before, after)
			}
		}),
		"test_context_manager": socketServerTestCase(func(t *T, self *socketServerTest) {
			// with socketserver.TCPServer(...) as server: pass
			// ("with server:" is defer server.ServerClose()).
			var server *socketserver.TCPServer
			func() {
				server = must(socketserver.NewTCPServer(pysock.Tuple{HOST, 0},
					socketserver.HandlerClass[socketserver.StreamRequestHandler]()))(t,
					"socketserver.TCPServer((HOST, 0), socketserver.StreamRequestHandler)")
				defer server.ServerClose()
			}()
			eq(t, server.Socket.Fileno(), -1, "server.socket.fileno()")
		}),
	})
	notApplicable("test_socketserver", "SocketServerTest", forkingNA,
		"test_ForkingTCPServer", "test_ForkingUDPServer", "test_ForkingUnixStreamServer", "test_ForkingUnixDatagramServer")
}
