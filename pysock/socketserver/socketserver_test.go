package socketserver_test

// The applicable tests of CPython 3.11's Lib/test/test_socketserver.py,
// method for method (SocketServerTest, ErrorHandlerTest, SocketWriterTest,
// MiscTestCase). Not ported: the Forking* tests (no ForkingMixIn: Go cannot
// fork), test_write's signal part (a Go send is never interrupted by a
// signal: the runtime retries EINTR), MiscTestCase.test_all (Python's
// __all__; docs/docs_test.go checks every public name has a Go row).

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

var testStr = []byte("hello world\n")

const host = "127.0.0.1"

// receive is the test module's receive(): select, then recv.
func receive(t *testing.T, s *pysock.Socket, n int) []byte {
	t.Helper()
	r, _, _, err := pysock.Select([]any{s}, nil, nil, 10.0)
	if err != nil || len(r) == 0 {
		t.Fatalf("timed out on %v (%v)", s, err)
	}
	data, err := s.Recv(n)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// myHandler is make_server's MyHandler over StreamRequestHandler.
type myStreamHandler struct {
	socketserver.StreamRequestHandler
}

func (h *myStreamHandler) Handle() error { return echoLine(h.RFile, h.WFile) }

// echoLine is MyHandler.handle: self.wfile.write(self.rfile.readline()).
func echoLine(rfile interface{ ReadLine(...int) ([]byte, error) }, wfile io.Writer) error {
	line, err := rfile.ReadLine()
	if err != nil {
		return err
	}
	_, err = wfile.Write(line)
	return err
}

// myDgramHandler is MyHandler over DatagramRequestHandler.
type myDgramHandler struct {
	socketserver.DatagramRequestHandler
}

func (h *myDgramHandler) Handle() error { return echoLine(h.RFile, h.WFile) }

// testServer is what run_server reads from a server: server_address and
// socket. (make_server's MyServer, whose handle_error re-raises, becomes a
// check that handle_error printed nothing.)
type testServer struct {
	srv socketserver.Server
	tcp *socketserver.TCPServer
}

type serverClass struct {
	name   string
	family pysock.AddressFamily
	stream bool
	make   func(addr any) (testServer, error)
}

// class is a server class of the test: its constructor, and how to reach
// its TCPServer.
func class[S socketserver.Server](newFn func(any, socketserver.HandlerFactory, ...bool) (S, error), tcp func(S) *socketserver.TCPServer, handler socketserver.HandlerFactory) func(any) (testServer, error) {
	return func(addr any) (testServer, error) {
		s, err := newFn(addr, handler)
		if err != nil {
			return testServer{}, err
		}
		return testServer{s, tcp(s)}, nil
	}
}

var streamHandler = socketserver.HandlerClass[myStreamHandler]()
var dgramHandler = socketserver.HandlerClass[myDgramHandler]()

var serverClasses = []serverClass{
	{"TCPServer", pysock.AF_INET, true, class(socketserver.NewTCPServer,
		func(s *socketserver.TCPServer) *socketserver.TCPServer { return s }, streamHandler)},
	{"ThreadingTCPServer", pysock.AF_INET, true, class(socketserver.NewThreadingTCPServer,
		func(s *socketserver.ThreadingTCPServer) *socketserver.TCPServer { return &s.TCPServer }, streamHandler)},
	{"UnixStreamServer", pysock.AF_UNIX, true, class(socketserver.NewUnixStreamServer,
		func(s *socketserver.UnixStreamServer) *socketserver.TCPServer { return &s.TCPServer }, streamHandler)},
	{"ThreadingUnixStreamServer", pysock.AF_UNIX, true, class(socketserver.NewThreadingUnixStreamServer,
		func(s *socketserver.ThreadingUnixStreamServer) *socketserver.TCPServer { return &s.TCPServer }, streamHandler)},
	{"UDPServer", pysock.AF_INET, false, class(socketserver.NewUDPServer,
		func(s *socketserver.UDPServer) *socketserver.TCPServer { return &s.TCPServer }, dgramHandler)},
	{"ThreadingUDPServer", pysock.AF_INET, false, class(socketserver.NewThreadingUDPServer,
		func(s *socketserver.ThreadingUDPServer) *socketserver.TCPServer { return &s.TCPServer }, dgramHandler)},
	{"UnixDatagramServer", pysock.AF_UNIX, false, class(socketserver.NewUnixDatagramServer,
		func(s *socketserver.UnixDatagramServer) *socketserver.TCPServer { return &s.TCPServer }, dgramHandler)},
	{"ThreadingUnixDatagramServer", pysock.AF_UNIX, false, class(socketserver.NewThreadingUnixDatagramServer,
		func(s *socketserver.ThreadingUnixDatagramServer) *socketserver.TCPServer { return &s.TCPServer }, dgramHandler)},
}

// pickaddr is SocketServerTest.pickaddr.
func pickaddr(t *testing.T, family pysock.AddressFamily) any {
	if family == pysock.AF_INET {
		return pysock.Tuple{host, 0}
	}
	fn := filepath.Join(t.TempDir(), "unix_socket")
	return fn
}

// TestSocketServer is SocketServerTest.run_server over every server class
// (test_TCPServer … test_ThreadingUnixDatagramServer).
func TestSocketServer(t *testing.T) {
	for _, c := range serverClasses {
		t.Run(c.name, func(t *testing.T) {
			ts, err := c.make(pickaddr(t, c.family))
			if err != nil {
				t.Fatal(err)
			}
			var stderr bytes.Buffer
			old := socketserver.Stderr
			socketserver.Stderr = &stderr
			defer func() { socketserver.Stderr = old }()
			name, _ := ts.tcp.Socket.GetSockName()
			addr := ts.tcp.ServerAddress
			if addr.(pysock.Address).Repr() != name.Repr() {
				t.Fatalf("server_address %v != getsockname() %v", addr, name)
			}
			served := make(chan error, 1)
			go func() { served <- ts.srv.ServeForever(0.01) }()
			for range 3 {
				if c.stream {
					streamExamine(t, c.family, addr)
				} else {
					dgramExamine(t, c.family, addr)
				}
			}
			ts.srv.Shutdown()
			if err := <-served; err != nil {
				t.Errorf("serve_forever: %v", err)
			}
			ts.srv.ServerClose()
			if fd := ts.tcp.Socket.Fileno(); fd != -1 {
				t.Errorf("fileno after server_close = %d", fd)
			}
			if stderr.Len() > 0 {
				t.Errorf("handle_error was called:\n%s", stderr.String())
			}
		})
	}
}

func streamExamine(t *testing.T, family pysock.AddressFamily, addr any) {
	s, err := pysock.NewSocket(family, pysock.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.Connect(addr); err != nil {
		t.Fatal(err)
	}
	if err := s.SendAll(testStr); err != nil {
		t.Fatal(err)
	}
	data := receive(t, s, 100)
	buf := data
	for len(data) > 0 && !bytes.Contains(buf, []byte("\n")) {
		data = receive(t, s, 100)
		buf = append(buf, data...)
	}
	if !bytes.Equal(buf, testStr) {
		t.Fatalf("got %q", buf)
	}
}

func dgramExamine(t *testing.T, family pysock.AddressFamily, addr any) {
	s, err := pysock.NewSocket(family, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if family == pysock.AF_UNIX {
		if err := s.Bind(pickaddr(t, family)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.SendTo(testStr, addr); err != nil {
		t.Fatal(err)
	}
	data := receive(t, s, 100)
	buf := data
	for len(data) > 0 && !bytes.Contains(buf, []byte("\n")) {
		data = receive(t, s, 100)
		buf = append(buf, data...)
	}
	if !bytes.Equal(buf, testStr) {
		t.Fatalf("got %q", buf)
	}
}

// TestShutdown is test_shutdown (issue #2302): shutdown() always makes
// serve_forever return, even when it comes first.
func TestShutdown(t *testing.T) {
	type pair struct {
		s    *socketserver.TCPServer
		done chan error
	}
	var servers []pair
	for range 20 {
		s, err := socketserver.NewTCPServer(pysock.Tuple{host, 0}, socketserver.HandlerClass[socketserver.StreamRequestHandler]())
		if err != nil {
			t.Fatal(err)
		}
		servers = append(servers, pair{s, make(chan error, 1)})
	}
	for _, p := range servers {
		go func() { p.done <- p.s.ServeForever(0.01) }()
		p.s.Shutdown()
	}
	for _, p := range servers {
		if err := <-p.done; err != nil {
			t.Error(err)
		}
		p.s.ServerClose()
	}
}

// TestCloseImmediately is test_close_immediately.
func TestCloseImmediately(t *testing.T) {
	s, err := socketserver.NewThreadingTCPServer(pysock.Tuple{host, 0}, func() socketserver.RequestHandler { return nil })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ServerClose(); err != nil {
		t.Fatal(err)
	}
}

// TestTCPServerBindLeak is test_tcpserver_bind_leak (issue #22435): a
// failed bind closes the socket.
func TestTCPServerBindLeak(t *testing.T) {
	before := countFDs(t)
	for range 1024 {
		_, err := socketserver.NewTCPServer(pysock.Tuple{host, -1}, socketserver.HandlerClass[socketserver.StreamRequestHandler]())
		var oe *pyerr.OverflowError
		if !errors.As(err, &oe) {
			t.Fatalf("got %v, want OverflowError", err)
		}
	}
	if after := countFDs(t); after > before {
		t.Fatalf("%d fds before, %d after", before, after)
	}
}

func countFDs(t *testing.T) int {
	ents, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip(err)
	}
	return len(ents)
}

// TestContextManager is test_context_manager: "with server:" is defer
// server.ServerClose().
func TestContextManager(t *testing.T) {
	var server *socketserver.TCPServer
	func() {
		s, err := socketserver.NewTCPServer(pysock.Tuple{host, 0}, socketserver.HandlerClass[socketserver.StreamRequestHandler]())
		if err != nil {
			t.Fatal(err)
		}
		defer s.ServerClose()
		server = s
	}()
	if fd := server.Socket.Fileno(); fd != -1 {
		t.Fatalf("fileno = %d", fd)
	}
}

// TestServerAddressAfterBind checks bind_and_activate=False: nothing is
// bound until ServerBind and ServerActivate.
func TestBindAndActivateFalse(t *testing.T) {
	s, err := socketserver.NewTCPServer(pysock.Tuple{host, 0}, socketserver.HandlerClass[socketserver.StreamRequestHandler](), false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.ServerClose()
	if _, ok := s.ServerAddress.(pysock.Tuple); !ok {
		t.Fatalf("server_address before bind = %#v", s.ServerAddress)
	}
	s.AllowReuseAddress = true
	s.RequestQueueSize = 1
	if err := s.ServerBind(); err != nil {
		t.Fatal(err)
	}
	if err := s.ServerActivate(); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Socket.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR); v != 1 {
		t.Fatalf("SO_REUSEADDR = %v", v)
	}
	if v, _ := s.Socket.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_ACCEPTCONN); v != 1 {
		t.Fatalf("SO_ACCEPTCONN = %v", v)
	}
}

// connectAndClose is "with socket.create_connection(addr): pass".
func connectAndClose(t *testing.T, addr any) {
	t.Helper()
	c, err := pysock.CreateConnection(addr)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// TestHandleRequestTimeout: handle_request with nothing to accept calls
// handle_timeout once the timeout passes.
func TestHandleRequestTimeout(t *testing.T) {
	s := &timeoutServer{}
	s.Timeout = 0.05
	if err := s.Init(s, pysock.Tuple{host, 0}, socketserver.HandlerClass[socketserver.BaseRequestHandler]()); err != nil {
		t.Fatal(err)
	}
	defer s.ServerClose()
	start := time.Now()
	if err := s.HandleRequest(); err != nil {
		t.Fatal(err)
	}
	if s.timeouts != 1 || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("timeouts=%d after %v", s.timeouts, time.Since(start))
	}
}

type timeoutServer struct {
	socketserver.TCPServer
	timeouts int
}

func (s *timeoutServer) HandleTimeout() error {
	s.timeouts++
	return nil
}
