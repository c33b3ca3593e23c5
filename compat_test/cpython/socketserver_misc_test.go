package cpython

// Lib/test/test_socketserver.py: ErrorHandlerTest (with BaseErrorTestServer,
// BadHandler and ThreadingErrorTestServer), SocketWriterTest and
// MiscTestCase.

import (
	"bytes"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"reflect"
	"runtime"
	"syscall"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

// TESTFN is os_helper.TESTFN, ErrorHandlerTest's log file. regrtest runs
// a test in a temporary working directory; here the file is in the
// temporary directory.
var TESTFN = filepath.Join(os.TempDir(), fmt.Sprintf("@test_%d_tmp", os.Getpid()))

// appendLog is "with open(os_helper.TESTFN, 'a') as log: log.write(s)".
func appendLog(s string) error {
	log, err := os.OpenFile(TESTFN, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o666)
	if err != nil {
		return err
	}
	_, err = log.WriteString(s)
	if cerr := log.Close(); err == nil {
		err = cerr
	}
	return err
}

// errorHandlerTest runs test with ErrorHandlerTest.tearDown.
func errorHandlerTest(test func(t *T)) func(*T) {
	return func(t *T) {
		defer os.Remove(TESTFN) // os_helper.unlink(os_helper.TESTFN)
		test(t)
	}
}

// checkResult is ErrorHandlerTest.check_result(handled).
func checkResult(t *T, handled bool) {
	t.Helper()
	log := must(os.ReadFile(TESTFN))(t, "open(os_helper.TESTFN)")
	expected := "Handler called\n"
	if handled {
		expected += "Error handled\n"
	}
	eq(t, string(log), expected, "log.read()")
}

// The exception classes ErrorHandlerTest passes to the servers, as what
// BadHandler's "raise self.server.exception('Test error')" does in Go.
var (
	// ValueError is an Exception: a returned error.
	valueError = func(msg string) error { return pyerr.NewValueError(msg) }
	// SystemExit is a BaseException that is not an Exception: a panic
	// (pysock/socketserver/doc.go) where it propagates up the stack, as
	// out of handle_request.
	systemExitPanic = func(msg string) error { panic(systemExit{msg}) }
	// SystemExit raised in a thread ends that thread (and reaches
	// threading.excepthook) without touching the others: in a goroutine
	// that is runtime.Goexit, which runs the deferred calls (the finally
	// clauses) and ends only that goroutine. (An unrecovered panic in a
	// request goroutine ends the whole Go program.)
	systemExitGoexit = func(msg string) error { runtime.Goexit(); return nil }
)

// systemExit is the panic value that stands for SystemExit.
type systemExit struct{ msg string }

// errorServer is what BadHandler and BaseErrorTestServer.__init__ need of
// a server class.
type errorServer interface {
	serverInit
	errBase() *baseErrorTestServer
	waitDone(t *T)
}

// baseErrorTestServer is BaseErrorTestServer(socketserver.TCPServer).
type baseErrorTestServer struct {
	socketserver.TCPServer
	exception func(msg string) error
}

func (s *baseErrorTestServer) errBase() *baseErrorTestServer { return s }

func (s *baseErrorTestServer) HandleError(request socketserver.Request, clientAddress pysock.Address, err error) error {
	return appendLog("Error handled\n")
}

func (s *baseErrorTestServer) waitDone(t *T) {}

// newErrorTestServer is BaseErrorTestServer.__init__(self, exception): the
// whole test, as in CPython.
func newErrorTestServer(t *T, self errorServer, exception func(string) error) {
	self.errBase().exception = exception
	ok(t, self.Init(self, pysock.Tuple{HOST, 0}, socketserver.HandlerClass[badHandler]()),
		"super().__init__((HOST, 0), BadHandler)")
	func() {
		c := must(pysock.CreateConnection(self.errBase().ServerAddress))(t, "socket.create_connection(self.server_address)")
		defer c.Close()
	}()
	func() {
		defer self.ServerClose() // finally: self.server_close()
		ok(t, self.HandleRequest(), "self.handle_request()")
	}()
	self.waitDone(t)
}

// badHandler is BadHandler(socketserver.BaseRequestHandler).
type badHandler struct {
	socketserver.BaseRequestHandler
}

func (h *badHandler) Handle() error {
	if err := appendLog("Handler called\n"); err != nil {
		return err
	}
	return h.Server.(errorServer).errBase().exception("Test error")
}

// threadingErrorTestServer is ThreadingErrorTestServer(
// socketserver.ThreadingMixIn, BaseErrorTestServer).
type threadingErrorTestServer struct {
	socketserver.ThreadingMixIn
	baseErrorTestServer
	done *event
}

func newThreadingErrorTestServer() *threadingErrorTestServer {
	return &threadingErrorTestServer{done: newEvent()} // self.done = threading.Event()
}

func (s *threadingErrorTestServer) ProcessRequest(request socketserver.Request, clientAddress pysock.Address) error {
	return s.ThreadingMixIn.ProcessRequest(s, request, clientAddress)
}

func (s *threadingErrorTestServer) ServerClose() error {
	return s.ThreadingMixIn.ServerClose(s.baseErrorTestServer.ServerClose)
}

func (s *threadingErrorTestServer) ShutdownRequest(request socketserver.Request) error {
	err := s.baseErrorTestServer.ShutdownRequest(request)
	s.done.set()
	return err
}

func (s *threadingErrorTestServer) waitDone(t *T) { wait(t, s.done.ch, "self.done.wait()") }

// writerServer is the server of SocketWriterTest: TCPServer with the
// attributes its Handler sets on self.server.
type writerServer struct {
	socketserver.TCPServer
	wfile                      socketserver.WriteFile
	wfileFileno, requestFileno int
	sent1, sent2               int
	received                   []byte
}

// basicsHandler is test_basics's Handler.
type basicsHandler struct {
	socketserver.StreamRequestHandler
}

func (h *basicsHandler) Handle() error {
	server := h.Server.(*writerServer)
	server.wfile = h.WFile
	fileno, err := h.WFile.Fileno()
	if err != nil {
		return err
	}
	server.wfileFileno = fileno
	server.requestFileno = h.Request.Fileno()
	return nil
}

// SOCK_MAX_SIZE is test.support.SOCK_MAX_SIZE.
const SOCK_MAX_SIZE = 16 * 1024 * 1024

// writeHandler is test_write's Handler.
type writeHandler struct {
	socketserver.StreamRequestHandler
}

func (h *writeHandler) Handle() error {
	server := h.Server.(*writerServer)
	var err error
	if server.sent1, err = h.WFile.Write([]byte("write data\n")); err != nil {
		return err
	}
	// Should be sent immediately, without requiring flush()
	if server.received, err = h.RFile.ReadLine(); err != nil {
		return err
	}
	bigChunk := make([]byte, SOCK_MAX_SIZE)
	server.sent2, err = h.WFile.Write(bigChunk)
	return err
}

// verifyFalseServer is test_shutdown_request_called_if_verify_request_false's
// MyServer.
type verifyFalseServer struct {
	socketserver.TCPServer
	shutdownCalled int
}

func (s *verifyFalseServer) VerifyRequest(request socketserver.Request, clientAddress pysock.Address) bool {
	return false
}

func (s *verifyFalseServer) ShutdownRequest(request socketserver.Request) error {
	s.shutdownCalled += 1
	return s.TCPServer.ShutdownRequest(request) // socketserver.TCPServer.shutdown_request(self, request)
}

// threadsLen is len(server._threads). Python reads the private attribute;
// Go reads the unexported field (nil is _NoThreads) by reflection. Only
// ProcessRequest and ServerClose change it, from the caller's goroutine.
func threadsLen(m *socketserver.ThreadingMixIn) int {
	v := reflect.ValueOf(m).Elem().FieldByName("threads")
	if v.IsNil() {
		return 0
	}
	return v.Elem().Len()
}

func init() {
	ports("test_socketserver", "ErrorHandlerTest", map[string]func(*T){
		"test_sync_handled": errorHandlerTest(func(t *T) {
			newErrorTestServer(t, &baseErrorTestServer{}, valueError)
			checkResult(t, true)
		}),
		"test_sync_not_handled": errorHandlerTest(func(t *T) {
			func() { // with self.assertRaises(SystemExit):
				defer func() {
					if r := recover(); r != (systemExit{"Test error"}) {
						t.Errorf("SystemExit not raised (recovered %v)", r)
					}
				}()
				newErrorTestServer(t, &baseErrorTestServer{}, systemExitPanic)
			}()
			checkResult(t, false)
		}),
		"test_threading_handled": errorHandlerTest(func(t *T) {
			newErrorTestServer(t, newThreadingErrorTestServer(), valueError)
			checkResult(t, true)
		}),
		"test_threading_not_handled": errorHandlerTest(func(t *T) {
			// with threading_helper.catch_threading_exception() as cm: the
			// request goroutine ends with Goexit (SystemExit in a thread),
			// which nothing between BadHandler and the goroutine's top can
			// catch or turn into an error: assertIs(cm.exc_type,
			// SystemExit) holds when socketserver reported nothing as
			// the thread's uncaught exception (an error would be printed
			// to socketserver.Stderr, its threading.excepthook).
			var cm bytes.Buffer
			old := socketserver.Stderr
			socketserver.Stderr = &cm
			defer func() { socketserver.Stderr = old }()
			newErrorTestServer(t, newThreadingErrorTestServer(), systemExitGoexit)
			checkResult(t, false)
			eq(t, cm.String(), "", "what threading.excepthook received besides SystemExit")
		}),
	})
	notApplicable("test_socketserver", "ErrorHandlerTest", forkingNA,
		"test_forking_handled", "test_forking_not_handled")

	ports("test_socketserver", "SocketWriterTest", map[string]func(*T){
		"test_basics": func(t *T) {
			server := &writerServer{}
			ok(t, server.Init(server, pysock.Tuple{HOST, 0}, socketserver.HandlerClass[basicsHandler]()),
				"socketserver.TCPServer((HOST, 0), Handler)")
			t.Cleanup(func() { server.ServerClose() })
			s := newSock(t, server.AddressFamily, pysock.SOCK_STREAM, pysock.IPPROTO_TCP)
			func() {
				defer s.Close() // with s:
				ok(t, s.Connect(server.ServerAddress), "s.connect(server.server_address)")
			}()
			ok(t, server.HandleRequest(), "server.handle_request()")
			// assertIsInstance(server.wfile, io.BufferedIOBase): wfile is
			// _SocketWriter, the BufferedIOBase subclass.
			if _, isWriter := server.wfile.(*socketserver.SocketWriter); !isWriter {
				t.Errorf("server.wfile is %T, not a *socketserver.SocketWriter (io.BufferedIOBase)", server.wfile)
			}
			eq(t, server.wfileFileno, server.requestFileno, "server.wfile_fileno")
		},
		"test_write": func(t *T) {
			// Test that wfile.write() sends data immediately, and that it does
			// not truncate sends when interrupted by a Unix signal
			server := &writerServer{}
			ok(t, server.Init(server, pysock.Tuple{HOST, 0}, socketserver.HandlerClass[writeHandler]()),
				"socketserver.TCPServer((HOST, 0), Handler)")
			t.Cleanup(func() { server.ServerClose() })
			// signal.signal(SIGUSR1, signal_handler): the handler sets
			// interrupted, a signal delivered to the channel.
			interrupted := make(chan os.Signal, 1)
			signal.Notify(interrupted, syscall.SIGUSR1)
			t.Cleanup(func() { signal.Stop(interrupted) }) // signal.signal(SIGUSR1, original)
			var response1 []byte
			received2 := -1 // None
			background := make(chan struct{})
			runClient := func() {
				defer close(background)
				s := newSock(t, server.AddressFamily, pysock.SOCK_STREAM, pysock.IPPROTO_TCP)
				defer s.Close()
				reader := must(s.MakeFile("rb"))(t, "s.makefile('rb')")
				defer reader.Close()
				ok(t, s.Connect(server.ServerAddress), "s.connect(server.server_address)")
				response1 = must(reader.ReadLine())(t, "reader.readline()")
				ok(t, s.SendAll([]byte("client response\n")), "s.sendall(b'client response\\n')")

				must(reader.ReadN(100))(t, "reader.read(100)")
				// The main thread should now be blocking in a send() syscall.
				// But in theory, it could get interrupted by other signals,
				// and then retried. So keep sending the signal in a loop, in
				// case an earlier signal happens to be delivered at an
				// inconvenient moment.
				// (pthread_kill(main_thread, SIGUSR1): a goroutine has no
				// thread to aim at; the signal goes to the process.)
				for {
					ok(t, syscall.Kill(os.Getpid(), syscall.SIGUSR1), "pthread_kill(main_thread, signal.SIGUSR1)")
					if waitSignal(interrupted, 1*time.Second) { // interrupted.wait(timeout=float(1))
						break
					}
				}
				received2 = len(must(reader.ReadN())(t, "reader.read()"))
			}
			go runClient() // background.start()
			ok(t, server.HandleRequest(), "server.handle_request()")
			wait(t, background, "background.join()")
			eq(t, server.sent1, len(response1), "server.sent1")
			eq(t, response1, []byte("write data\n"), "response1")
			eq(t, server.received, []byte("client response\n"), "server.received")
			eq(t, server.sent2, SOCK_MAX_SIZE, "server.sent2")
			eq(t, received2, SOCK_MAX_SIZE-100, "received2")
		},
	})

	notApplicable("test_socketserver", "MiscTestCase",
		"compares socketserver.__all__ with the module's public names; Go has no __all__ (the exported identifiers are the API)",
		"test_all")
	ports("test_socketserver", "MiscTestCase", map[string]func(*T){
		"test_shutdown_request_called_if_verify_request_false": func(t *T) {
			// Issue #26309: BaseServer should call shutdown_request even if
			// verify_request is False
			server := &verifyFalseServer{}
			ok(t, server.Init(server, pysock.Tuple{HOST, 0}, socketserver.HandlerClass[socketserver.StreamRequestHandler]()),
				"MyServer((HOST, 0), socketserver.StreamRequestHandler)")
			s := newSock(t, server.AddressFamily, pysock.SOCK_STREAM, 0)
			ok(t, s.Connect(server.ServerAddress), "s.connect(server.server_address)")
			s.Close()
			ok(t, server.HandleRequest(), "server.handle_request()")
			eq(t, server.shutdownCalled, 1, "server.shutdown_called")
			ok(t, server.ServerClose(), "server.server_close()")
		},
		"test_threads_reaped": func(t *T) {
			// In #37193, users reported a memory leak
			// due to the saving of every request thread. Ensure that
			// not all threads are kept forever.
			server := &threadingTCPMixServer{}
			ok(t, server.Init(server, pysock.Tuple{HOST, 0}, socketserver.HandlerClass[socketserver.StreamRequestHandler]()),
				"MyServer((HOST, 0), socketserver.StreamRequestHandler)")
			for range 10 {
				func() {
					c := must(pysock.CreateConnection(server.ServerAddress))(t, "socket.create_connection(server.server_address)")
					defer c.Close() // with ...:
					ok(t, server.HandleRequest(), "server.handle_request()")
					// Python's thread.start() returns once the thread
					// runs; a goroutine may not have run yet. Wait until
					// the request's goroutine has shut the connection
					// down (EOF) before the next request.
					eq(t, len(must(c.Recv(1))(t, "recv(1)")), 0, "len(recv(1)): EOF after shutdown_request")
				}()
			}
			truth(t, threadsLen(&server.ThreadingMixIn) < 10, fmt.Sprintf("len(server._threads) (%d) < 10", threadsLen(&server.ThreadingMixIn)))
			ok(t, server.ServerClose(), "server.server_close()")
		},
	})
}

// waitSignal is Event.wait(timeout) on a signal channel: true once the
// signal has arrived.
func waitSignal(c chan os.Signal, timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-c:
		return true
	case <-timer.C:
		return false
	}
}
