package socketserver_test

// An outside review of pysock/socketserver against CPython 3.11.7's
// Lib/socketserver.py (2026-12-03). Each test is a difference the review
// found, confirmed by running the python3 script quoted in its comment;
// each failed before the fix that followed ("pysock:" says what it did
// then). Tests that could hang have a watchdog of a few seconds.

import (
	"bytes"
	"errors"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

const edgeHost = "127.0.0.1"

// edgeStderr captures socketserver.Stderr for the test's duration.
func edgeStderr(t *testing.T) *edgeBuf {
	t.Helper()
	b := &edgeBuf{}
	old := socketserver.Stderr
	socketserver.Stderr = b
	t.Cleanup(func() { socketserver.Stderr = old })
	return b
}

// edgeBuf is a bytes.Buffer safe for the request goroutines' writes.
type edgeBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *edgeBuf) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *edgeBuf) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// edgeWithin runs f in a goroutine and waits at most d for it: false if it
// has not returned by then.
func edgeWithin(d time.Duration, f func()) bool {
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// edgeTCPClient starts a TCPServer with handler on loopback and connects
// a client to it; both are closed when the test ends.
func edgeTCPClient(t *testing.T, handler socketserver.HandlerFactory) (*socketserver.TCPServer, *pysock.Socket) {
	t.Helper()
	s, err := socketserver.NewTCPServer(pysock.Tuple{edgeHost, 0}, handler)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.ServerClose() })
	c, err := pysock.CreateConnection(s.ServerAddress)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return s, c
}

// ---------------------------------------------------------------------------
// 1. server_close() called from a request handler of a ThreadingTCPServer.

// edgeCloseHandler calls self.server.server_close() from handle() and
// reports what it returned.
type edgeCloseHandler struct {
	socketserver.BaseRequestHandler
}

var edgeCloseResult = make(chan error, 1)

func (h *edgeCloseHandler) Handle() error {
	err := h.Server.ServerClose()
	edgeCloseResult <- err
	return err
}

// TestServerCloseFromThreadedHandler: a ThreadingTCPServer's
// handler calls server_close(). ThreadingMixIn.server_close joins the
// request threads it remembers, which include the calling one; CPython's
// Thread.join raises RuntimeError("cannot join current thread"), which
// reaches handle_error, and the request is shut down (the client sees EOF).
//
//	class H(socketserver.BaseRequestHandler):
//	    def handle(self):
//	        self.server.server_close()
//	s = socketserver.ThreadingTCPServer(('127.0.0.1', 0), H)
//	t = threading.Thread(target=s.serve_forever, args=(0.05,)); t.start()
//	c = socket.create_connection(s.server_address)
//	print("recv:", c.recv(10))
//	-> recv: b''
//	   stderr: ... RuntimeError: cannot join current thread
//
// pysock did: the handler's goroutine waits on its own done channel forever
// (ThreadingMixIn.ServerClose waits for every remembered goroutine, its
// caller included): ServerClose never returns, the connection is never shut
// down, and the goroutine and the connection's fd leak.
func TestServerCloseFromThreadedHandler(t *testing.T) {
	errOut := edgeStderr(t)
	s, err := socketserver.NewThreadingTCPServer(pysock.Tuple{edgeHost, 0}, socketserver.HandlerClass[edgeCloseHandler]())
	if err != nil {
		t.Fatal(err)
	}
	defer s.ServerClose()
	served := make(chan error, 1)
	go func() { served <- s.ServeForever(0.05) }()
	defer func() { s.Shutdown(); <-served }()

	c, err := pysock.CreateConnection(s.ServerAddress)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	select {
	case err := <-edgeCloseResult:
		var re *pyerr.RuntimeError
		if !errors.As(err, &re) || err.Error() != "cannot join current thread" {
			t.Errorf("server_close() in the handler returned %T %v, want RuntimeError('cannot join current thread')", err, err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("server_close() called from a ThreadingTCPServer handler has not returned after 3 s (deadlock: it waits for its own goroutine); CPython raises RuntimeError('cannot join current thread')")
	}
	c.SetTimeout(3.0)
	if data, err := c.Recv(10); err != nil || len(data) != 0 {
		t.Errorf("client recv = %q, %v; want b'' (request shut down)", data, err)
	}
	if !strings.Contains(errOut.String(), "RuntimeError: cannot join current thread") {
		t.Errorf("stderr = %q, want handle_error's block with RuntimeError: cannot join current thread", errOut.String())
	}
}

// ---------------------------------------------------------------------------
// 2. handle_request(): min(socket timeout, self.timeout) with a NaN timeout.

type edgeTimeoutServer struct {
	socketserver.TCPServer
	timeouts int
}

func (s *edgeTimeoutServer) HandleTimeout() error {
	s.timeouts++
	return nil
}

// TestHandleRequestSocketTimeoutAndNaN: the server socket has a
// timeout of 0.2 and self.timeout is NaN. CPython computes
// min(0.2, nan), which is 0.2 (nan < 0.2 is False, so min keeps its first
// argument), waits 0.2 s and calls handle_timeout.
//
//	s = socketserver.TCPServer(('127.0.0.1',0), socketserver.BaseRequestHandler)
//	s.socket.settimeout(0.2); s.timeout = math.nan
//	print("sock 0.2 nan ->", s.handle_request(), time.time()-t)
//	-> sock 0.2 nan -> None 0.20045042037963867
//
// pysock did: HandleRequest uses Go's min, which returns NaN, and the
// selector refuses it: ValueError('cannot convert float NaN to integer'),
// and HandleTimeout is not called.
func TestHandleRequestSocketTimeoutAndNaN(t *testing.T) {
	s := &edgeTimeoutServer{}
	if err := s.Init(s, pysock.Tuple{edgeHost, 0}, socketserver.HandlerClass[socketserver.BaseRequestHandler]()); err != nil {
		t.Fatal(err)
	}
	defer s.ServerClose()
	if err := s.Socket.SetTimeout(0.2); err != nil {
		t.Fatal(err)
	}
	s.Timeout = math.NaN()
	var err error
	if !edgeWithin(3*time.Second, func() { err = s.HandleRequest() }) {
		c, _ := pysock.CreateConnection(s.ServerAddress) // let it return
		defer c.Close()
		t.Fatal("handle_request() with socket timeout 0.2 and timeout NaN has not returned after 3 s; CPython times out after 0.2 s")
	}
	if err != nil || s.timeouts != 1 {
		t.Errorf("handle_request() = %T %v, handle_timeout called %d times; CPython: None, handle_timeout once (min(0.2, nan) == 0.2)", err, err, s.timeouts)
	}
}

// TestHandleRequestStrTimeoutMessage: self.timeout is a str and
// the socket has no timeout. CPython never compares it: it fails on
// "deadline = time() + timeout".
//
//	s.timeout = "abc"; s.handle_request()
//	-> TypeError unsupported operand type(s) for +: 'float' and 'str'
//
// pysock did: TypeError("'<' not supported between instances of 'str' and
// 'float'"), the message CPython gives only when the socket has a timeout
// (min(timeout, self.timeout)).
func TestHandleRequestStrTimeoutMessage(t *testing.T) {
	s, err := socketserver.NewTCPServer(pysock.Tuple{edgeHost, 0}, socketserver.HandlerClass[socketserver.BaseRequestHandler]())
	if err != nil {
		t.Fatal(err)
	}
	defer s.ServerClose()
	s.Timeout = "abc"
	var herr error
	if !edgeWithin(3*time.Second, func() { herr = s.HandleRequest() }) {
		c, _ := pysock.CreateConnection(s.ServerAddress)
		defer c.Close()
		t.Fatal("handle_request() with timeout 'abc' has not returned after 3 s")
	}
	var te *pyerr.TypeError
	want := "unsupported operand type(s) for +: 'float' and 'str'"
	if !errors.As(herr, &te) || herr.Error() != want {
		t.Errorf("handle_request() = %T %v; CPython: TypeError %s", herr, herr, want)
	}
}

// ---------------------------------------------------------------------------
// 3. A BaseServer subclass with its own socket: handle_request reads
// self.socket.gettimeout().

type edgeOwnSocketServer struct {
	socketserver.BaseServer
	Socket   *pysock.Socket
	timeouts int
}

func (s *edgeOwnSocketServer) Fileno() int { return s.Socket.Fileno() }

func (s *edgeOwnSocketServer) GetRequest() (socketserver.Request, pysock.Address, error) {
	conn, addr, err := s.Socket.Accept()
	if err != nil {
		return socketserver.Request{}, nil, err
	}
	return socketserver.Request{Socket: conn}, addr, nil
}

func (s *edgeOwnSocketServer) CloseRequest(r socketserver.Request) error { return r.Close() }

func (s *edgeOwnSocketServer) HandleTimeout() error {
	s.timeouts++
	return nil
}

// TestBaseServerSubclassSocketTimeout: Python's handle_request
// starts with "timeout = self.socket.gettimeout()", whatever class defines
// self.socket. A BaseServer subclass that makes its own socket and sets a
// timeout on it gets handle_timeout after that timeout.
//
//	class S(socketserver.BaseServer):
//	    def __init__(self):
//	        super().__init__(None, socketserver.BaseRequestHandler)
//	        self.socket = socket.socket(); self.socket.bind(('127.0.0.1',0)); self.socket.listen()
//	        self.socket.settimeout(0.1)
//	        self.timeouts = 0
//	    def fileno(self): return self.socket.fileno()
//	    def get_request(self): return self.socket.accept()
//	    def handle_timeout(self): self.timeouts += 1
//	s = S(); s.handle_request(); print("timeouts", s.timeouts, ...)
//	-> timeouts 1 0.1
//
// pysock did: BaseServer.HandleRequest sees a socket timeout only through the
// unexported serverSocket method, which only TCPServer and the types
// embedding it have; a BaseServer subclass cannot provide it, so
// HandleRequest waits forever (Timeout is None).
func TestBaseServerSubclassSocketTimeout(t *testing.T) {
	s := &edgeOwnSocketServer{}
	s.Init(s, nil, socketserver.HandlerClass[socketserver.BaseRequestHandler]())
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer sock.Close()
	s.Socket = sock
	if err := sock.Bind(pysock.Tuple{edgeHost, 0}); err != nil {
		t.Fatal(err)
	}
	if err := sock.Listen(); err != nil {
		t.Fatal(err)
	}
	if err := sock.SetTimeout(0.1); err != nil {
		t.Fatal(err)
	}
	var herr error
	if !edgeWithin(3*time.Second, func() { herr = s.HandleRequest() }) {
		// Let the blocked HandleRequest finish with a connection.
		addr, _ := sock.GetSockName()
		c, _ := pysock.CreateConnection(addr)
		time.Sleep(200 * time.Millisecond)
		if c != nil {
			c.Close()
		}
		t.Fatal("handle_request() of a BaseServer subclass whose socket has timeout 0.1 has not returned after 3 s; CPython calls handle_timeout after 0.1 s")
	}
	if herr != nil || s.timeouts != 1 {
		t.Errorf("handle_request() = %v, handle_timeout called %d times; CPython: None, once", herr, s.timeouts)
	}
}

// ---------------------------------------------------------------------------
// 4. DatagramRequestHandler.finish with a closed wfile.

type edgeClosedWFileHandler struct {
	socketserver.DatagramRequestHandler
}

func (h *edgeClosedWFileHandler) Handle() error {
	if _, err := h.WFile.Write([]byte("reply")); err != nil {
		return err
	}
	return h.WFile.Close()
}

// TestDatagramClosedWFile: a datagram handler closes self.wfile.
// CPython's finish() calls self.wfile.getvalue(), which raises ValueError
// on a closed BytesIO: nothing is sent and handle_error reports it.
//
//	class G(socketserver.DatagramRequestHandler):
//	    def handle(self):
//	        self.wfile.write(b"reply")
//	        self.wfile.close()
//	s = socketserver.UDPServer(('127.0.0.1',0), G)
//	c.sendto(b"hi", s.server_address); s.handle_request(); c.recv(100)
//	-> stderr: ... ValueError: I/O operation on closed file.
//	   c.recv: TimeoutError timed out
//
// pysock did: BytesIO.GetValue ignores Closed, Finish sends b'reply' and
// nothing is reported.
func TestDatagramClosedWFile(t *testing.T) {
	errOut := edgeStderr(t)
	s, err := socketserver.NewUDPServer(pysock.Tuple{edgeHost, 0}, socketserver.HandlerClass[edgeClosedWFileHandler]())
	if err != nil {
		t.Fatal(err)
	}
	defer s.ServerClose()
	c, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetTimeout(0.3)
	if _, err := c.SendTo([]byte("hi"), s.ServerAddress); err != nil {
		t.Fatal(err)
	}
	var herr error
	if !edgeWithin(3*time.Second, func() { herr = s.HandleRequest() }) {
		t.Fatal("handle_request() has not returned after 3 s")
	}
	if herr != nil {
		t.Errorf("handle_request() = %v, want nil", herr)
	}
	if data, err := c.Recv(100); err == nil {
		t.Errorf("client received %q; CPython sends nothing (getvalue() on the closed wfile raises)", data)
	}
	if !strings.Contains(errOut.String(), "ValueError: I/O operation on closed file.") {
		t.Errorf("stderr = %q; CPython's handle_error prints ValueError: I/O operation on closed file.", errOut.String())
	}
}

// ---------------------------------------------------------------------------
// 5. StreamRequestHandler.rbufsize / wbufsize odd values (through
// socket.makefile).

type edgeEchoLineHandler struct {
	socketserver.StreamRequestHandler
}

func (h *edgeEchoLineHandler) Handle() error {
	line, err := h.RFile.ReadLine()
	if err != nil {
		return err
	}
	_, err = h.WFile.Write(append([]byte("got "), line...))
	return err
}

// edgeRunStream serves one request of a TCPServer whose handler class is
// edgeEchoLineHandler with set applied, after the client sent
// "hello\nrest"; it returns what the client read and what went to stderr.
func edgeRunStream(t *testing.T, set func(h *edgeEchoLineHandler)) (reply []byte, stderr string) {
	t.Helper()
	errOut := edgeStderr(t)
	s, c := edgeTCPClient(t, func() socketserver.RequestHandler {
		h := &edgeEchoLineHandler{}
		set(h)
		return h
	})
	c.SetTimeout(2.0)
	if err := c.SendAll([]byte("hello\nrest")); err != nil {
		t.Fatal(err)
	}
	if !edgeWithin(3*time.Second, func() { s.HandleRequest() }) {
		t.Fatal("handle_request() has not returned after 3 s")
	}
	reply, _ = c.Recv(100)
	return reply, errOut.String()
}

// TestRBufSizeFloatZero: rbufsize = 0.0. CPython's
// socket.makefile tests "buffering == 0", true for 0.0, and returns the
// raw SocketIO: the handler works.
//
//	class H(socketserver.StreamRequestHandler):
//	    rbufsize = 0.0
//	    def handle(self):
//	        l = self.rfile.readline(); self.wfile.write(b"got " + l)
//	-> client gets b'got hello\n'; rfile is SocketIO; nothing on stderr
//
// pysock did: Setup fails, TypeError("'float' object cannot be interpreted as
// an integer"), and the client gets an empty reply.
func TestRBufSizeFloatZero(t *testing.T) {
	reply, stderr := edgeRunStream(t, func(h *edgeEchoLineHandler) { h.RBufSize = 0.0 })
	if string(reply) != "got hello\n" || stderr != "" {
		t.Errorf("rbufsize 0.0: client got %q, stderr %q; CPython: b'got hello\\n' and no error (makefile('rb', 0.0) is the raw SocketIO)", reply, stderr)
	}
}

// TestBufSizeStrMessage: rbufsize = 'a' and wbufsize = 'a'.
// CPython's makefile compares "buffering < 0" first.
//
//	rbufsize 'a' -> TypeError: '<' not supported between instances of 'str' and 'int'
//	wbufsize 'a' -> TypeError: '<' not supported between instances of 'str' and 'int'
//
// pysock did: TypeError: 'str' object cannot be interpreted as an integer.
func TestBufSizeStrMessage(t *testing.T) {
	want := "TypeError: '<' not supported between instances of 'str' and 'int'"
	_, stderr := edgeRunStream(t, func(h *edgeEchoLineHandler) { h.RBufSize = "a" })
	if !strings.Contains(stderr, want) {
		t.Errorf("rbufsize 'a': stderr %q; CPython prints %s", stderr, want)
	}
	_, stderr = edgeRunStream(t, func(h *edgeEchoLineHandler) { h.WBufSize = "a" })
	if !strings.Contains(stderr, want) {
		t.Errorf("wbufsize 'a': stderr %q; CPython prints %s", stderr, want)
	}
}

// ---------------------------------------------------------------------------
// 6. A BaseException in handle() with an Exception from finish().

type edgePanicFinishErrHandler struct {
	socketserver.BaseRequestHandler
}

type edgeSystemExit struct{ msg string }

func (h *edgePanicFinishErrHandler) Handle() error { panic(edgeSystemExit{"bye"}) }

func (h *edgePanicFinishErrHandler) Finish() error {
	return pyerr.NewValueError("finish failed")
}

// TestHandlePanicFinishError: handle() raises SystemExit (a panic,
// doc.go) and finish() raises ValueError. In CPython the ValueError raised
// in the finally clause replaces the SystemExit; it is an Exception, so
// _handle_request_noblock gives it to handle_error and handle_request
// returns normally.
//
//	class H(socketserver.BaseRequestHandler):
//	    def handle(self): raise SystemExit("bye")
//	    def finish(self): raise ValueError("finish failed")
//	try: print("returned", s.handle_request())
//	except BaseException as e: print("raised", type(e).__name__, e)
//	-> returned None
//	   stderr: ... SystemExit: bye / During handling of the above exception,
//	   another exception occurred: / ... ValueError: finish failed
//
// pysock did: BaseRequestHandler.Init drops Finish's error when Handle
// panicked, and the panic leaves HandleRequest.
func TestHandlePanicFinishError(t *testing.T) {
	errOut := edgeStderr(t)
	s, _ := edgeTCPClient(t, socketserver.HandlerClass[edgePanicFinishErrHandler]())
	var herr error
	var panicked any
	ok := edgeWithin(3*time.Second, func() {
		defer func() { panicked = recover() }()
		herr = s.HandleRequest()
	})
	if !ok {
		t.Fatal("handle_request() has not returned after 3 s")
	}
	if panicked != nil {
		t.Fatalf("handle_request() panicked with %v; CPython returns None (finish's ValueError replaces the SystemExit and goes to handle_error)", panicked)
	}
	if herr != nil || !strings.Contains(errOut.String(), "ValueError: finish failed") {
		t.Errorf("handle_request() = %v, stderr %q; CPython: None, handle_error prints ValueError: finish failed", herr, errOut.String())
	}
}

// ---------------------------------------------------------------------------
// 7. handle_error's last line for io.UnsupportedOperation.

type edgeWriteRFileHandler struct {
	socketserver.StreamRequestHandler
}

func (h *edgeWriteRFileHandler) Handle() error {
	_, err := h.RFile.Write([]byte("x"))
	return err
}

// TestUnsupportedOperationQualified: traceback prints an
// exception class that is not a builtin with its module:
// io.UnsupportedOperation.
//
//	class H(socketserver.StreamRequestHandler):
//	    def handle(self):
//	        self.rfile.write(b"x")
//	-> stderr: ... io.UnsupportedOperation: write
//
// pysock did: "UnsupportedOperation: write" (FormatException qualifies only
// socket.gaierror and socket.herror).
func TestUnsupportedOperationQualified(t *testing.T) {
	if got := socketserver.FormatException(pyerr.NewUnsupportedOperation("write")); got != "io.UnsupportedOperation: write" {
		t.Errorf("FormatException(UnsupportedOperation('write')) = %q, want %q", got, "io.UnsupportedOperation: write")
	}
	errOut := edgeStderr(t)
	s, _ := edgeTCPClient(t, socketserver.HandlerClass[edgeWriteRFileHandler]())
	if !edgeWithin(3*time.Second, func() { s.HandleRequest() }) {
		t.Fatal("handle_request() has not returned after 3 s")
	}
	if !strings.Contains(errOut.String(), "\nio.UnsupportedOperation: write\n") {
		t.Errorf("stderr = %q; CPython's handle_error ends with io.UnsupportedOperation: write", errOut.String())
	}
}

// ---------------------------------------------------------------------------
// 8. The datagram handler's files vs the stream handler's.

// TestDatagramFilesMethodSet: CPython's DatagramRequestHandler
// exists "to make it possible to use the same service class for stream or
// datagram servers": its rfile and wfile are io.BytesIO objects with the
// file methods a stream handler uses.
//
//	b = io.BytesIO(); print(hasattr(b,'flush'), hasattr(b,'readlines'), hasattr(b,'writable'), hasattr(b, 'seek'))
//	b.flush(); print(io.BytesIO(b"a\nb\n").readlines())
//	-> True True True True
//	   [b'a\n', b'b\n']
//
// pysock did: *socketserver.BytesIO has no Flush, ReadLines or Writable, so
// it is not a socketserver.WriteFile (the StreamRequestHandler's WFile
// type), and a handler's self.wfile.flush() or self.rfile.readlines()
// does not port.
func TestDatagramFilesMethodSet(t *testing.T) {
	var f any = socketserver.NewBytesIO([]byte("a\nb\n"))
	if _, ok := f.(interface{ Flush() error }); !ok {
		t.Error("BytesIO has no Flush (Python: BytesIO.flush())")
	}
	if _, ok := f.(interface{ ReadLines() ([][]byte, error) }); !ok {
		t.Error("BytesIO has no ReadLines (Python: BytesIO.readlines(), which SocketFile has)")
	}
	if _, ok := f.(socketserver.WriteFile); !ok {
		t.Error("DatagramRequestHandler's WFile (*BytesIO) is not a socketserver.WriteFile, StreamRequestHandler's WFile type")
	}
}
