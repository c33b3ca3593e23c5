package socketserver_test

import (
	"bytes"
	"strings"
	"sync"
	"testing"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

// errorLog is ErrorHandlerTest's log file (os_helper.TESTFN).
type errorLog struct {
	mu    sync.Mutex
	lines []string
}

func (l *errorLog) write(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, s)
}

func (l *errorLog) check(t *testing.T, handled bool) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	want := "Handler called\n"
	if handled {
		want += "Error handled\n"
	}
	if got := strings.Join(l.lines, ""); got != want {
		t.Fatalf("log %q, want %q", got, want)
	}
}

// badHandler is BadHandler: it logs and raises the server's exception (a
// returned error), or panics for SystemExit.
type badHandler struct {
	socketserver.BaseRequestHandler
}

func (h *badHandler) Handle() error {
	srv := h.Server.(errorTestServer)
	srv.log().write("Handler called\n")
	return srv.raise()
}

type errorTestServer interface {
	socketserver.Server
	log() *errorLog
	raise() error
}

// baseErrorTestServer is BaseErrorTestServer.
type baseErrorTestServer struct {
	socketserver.TCPServer
	exc  string // "ValueError" or "SystemExit"
	logf errorLog
}

func (s *baseErrorTestServer) log() *errorLog { return &s.logf }

func (s *baseErrorTestServer) raise() error {
	if s.exc == "SystemExit" {
		panic("SystemExit")
	}
	return pyerr.NewValueError("Test error")
}

func (s *baseErrorTestServer) HandleError(request socketserver.Request, clientAddress pysock.Address, err error) error {
	s.logf.write("Error handled\n")
	return nil
}

// run is BaseErrorTestServer.__init__ after super().__init__.
func runErrorServer(t *testing.T, s socketserver.Server, addr any, close func() error, waitDone func()) {
	connectAndClose(t, addr)
	defer waitDone()
	defer close()
	if err := s.HandleRequest(); err != nil {
		t.Fatal(err)
	}
}

func newBaseErrorTestServer(t *testing.T, exc string) *baseErrorTestServer {
	s := &baseErrorTestServer{exc: exc}
	if err := s.Init(s, pysock.Tuple{host, 0}, socketserver.HandlerClass[badHandler]()); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSyncHandled is ErrorHandlerTest.test_sync_handled.
func TestSyncHandled(t *testing.T) {
	s := newBaseErrorTestServer(t, "ValueError")
	runErrorServer(t, s, s.ServerAddress, s.ServerClose, func() {})
	s.logf.check(t, true)
}

// TestSyncNotHandled is test_sync_not_handled: a panic (SystemExit) leaves
// handle_request without handle_error, and the request is shut down.
func TestSyncNotHandled(t *testing.T) {
	s := newBaseErrorTestServer(t, "SystemExit")
	func() {
		defer func() {
			if r := recover(); r != "SystemExit" {
				t.Fatalf("recovered %v, want the SystemExit panic", r)
			}
		}()
		runErrorServer(t, s, s.ServerAddress, s.ServerClose, func() {})
	}()
	s.logf.check(t, false)
}

// threadingErrorTestServer is ThreadingErrorTestServer.
type threadingErrorTestServer struct {
	socketserver.ThreadingTCPServer
	logf errorLog
	done chan struct{}
	once sync.Once
}

func (s *threadingErrorTestServer) log() *errorLog { return &s.logf }
func (s *threadingErrorTestServer) raise() error   { return pyerr.NewValueError("Test error") }

func (s *threadingErrorTestServer) HandleError(request socketserver.Request, clientAddress pysock.Address, err error) error {
	s.logf.write("Error handled\n")
	return nil
}

func (s *threadingErrorTestServer) ShutdownRequest(request socketserver.Request) error {
	err := s.ThreadingTCPServer.ShutdownRequest(request)
	s.once.Do(func() { close(s.done) })
	return err
}

// TestThreadingHandled is test_threading_handled.
func TestThreadingHandled(t *testing.T) {
	s := &threadingErrorTestServer{done: make(chan struct{})}
	if err := s.Init(s, pysock.Tuple{host, 0}, socketserver.HandlerClass[badHandler]()); err != nil {
		t.Fatal(err)
	}
	runErrorServer(t, s, s.ServerAddress, s.ServerClose, func() { <-s.done })
	s.logf.check(t, true)
}

// TestHandleErrorOutput checks what the default handle_error prints.
func TestHandleErrorOutput(t *testing.T) {
	var buf bytes.Buffer
	old := socketserver.Stderr
	socketserver.Stderr = &buf
	defer func() { socketserver.Stderr = old }()
	s := socketserver.NewBaseServer(nil, nil)
	s.HandleError(socketserver.Request{}, pysock.InetAddr{Host: "127.0.0.1", Port: 4242}, pyerr.NewValueError("Test error"))
	want := strings.Repeat("-", 40) + "\nException occurred during processing of request from ('127.0.0.1', 4242)\nValueError: Test error\n" + strings.Repeat("-", 40) + "\n"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
}
