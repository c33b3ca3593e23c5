package socketserver

import (
	"bytes"
	"fmt"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/pysock"
)

// ThreadingMixIn is socketserver.ThreadingMixIn: each request runs in its
// own goroutine (Python: its own thread). Goroutines park on Go's runtime
// poller while they wait, so thousands of connections need a few OS
// threads. Embed it next to a server and define ProcessRequest and
// ServerClose to call its methods, as ThreadingTCPServer does (Go cannot
// resolve Python's MRO by itself).
type ThreadingMixIn struct {
	// DaemonThreads is daemon_threads: ServerClose does not wait for the
	// goroutines of daemon requests.
	DaemonThreads bool
	// BlockOnClose is block_on_close (nil: True): ServerClose waits for
	// the non-daemon request goroutines.
	BlockOnClose any

	mu      sync.Mutex
	threads *threadList // nil: _NoThreads
}

// threadCounter numbers the goroutines as Python's threading names
// unnamed threads (Thread-N).
var threadCounter atomic.Int64

// thread is one request goroutine.
type thread struct {
	done   chan struct{}
	daemon bool
	id     atomic.Uint64 // its goid, set when it starts
}

// goid is the running goroutine's number, as runtime.Stack prints it: what
// Python's current_thread() is to Thread.join, which refuses to wait for
// the thread calling it.
func goid() uint64 {
	var buf [64]byte
	s := buf[:runtime.Stack(buf[:], false)]
	s = bytes.TrimPrefix(s, []byte("goroutine "))
	if i := bytes.IndexByte(s, ' '); i > 0 {
		s = s[:i]
	}
	id, _ := strconv.ParseUint(string(s), 10, 64)
	return id
}

func (t *thread) alive() bool {
	select {
	case <-t.done:
		return false
	default:
		return true
	}
}

// threadList is socketserver._Threads.
type threadList []*thread

// ProcessRequestThread is process_request_thread(request, client_address),
// what each request goroutine runs: self.FinishRequest, an error to
// self.HandleError, and always self.ShutdownRequest. An error that escapes
// (HandleError or ShutdownRequest returning one) is printed to Stderr as
// Python's threading.excepthook prints it. A panic shuts the request down
// and is not recovered (it ends the program, as Go does).
func (m *ThreadingMixIn) ProcessRequestThread(self Server, request Request, clientAddress pysock.Address) {
	name := fmt.Sprintf("Thread-%d (process_request_thread)", threadCounter.Add(1))
	returned := false
	defer func() {
		if !returned {
			self.ShutdownRequest(request)
		}
	}()
	err := self.FinishRequest(request, clientAddress)
	if err != nil {
		err = self.HandleError(request, clientAddress, err)
	}
	returned = true
	if serr := self.ShutdownRequest(request); serr != nil {
		err = serr
	}
	if err != nil {
		writeStderr("Exception in thread " + name + ":\n" + FormatException(err) + "\n")
	}
}

// ProcessRequest is ThreadingMixIn.process_request(self, request,
// client_address): it starts a goroutine running self's
// ProcessRequestThread and, when BlockOnClose is true, remembers it for
// ServerClose (reaping the finished ones, as _Threads.append does).
func (m *ThreadingMixIn) ProcessRequest(self Server, request Request, clientAddress pysock.Address) error {
	t := &thread{done: make(chan struct{}), daemon: m.DaemonThreads}
	m.mu.Lock()
	if m.BlockOnClose == nil || truth(m.BlockOnClose) {
		if m.threads == nil {
			m.threads = &threadList{}
		}
	}
	if m.threads != nil { // _Threads.append: reap, then keep non-daemons
		live := (*m.threads)[:0]
		for _, old := range *m.threads {
			if old.alive() {
				live = append(live, old)
			}
		}
		clear((*m.threads)[len(live):])
		*m.threads = live
		if !t.daemon {
			*m.threads = append(*m.threads, t)
		}
	}
	m.mu.Unlock()
	go func() {
		defer close(t.done)
		if !t.daemon {
			t.id.Store(goid()) // only ServerClose asks, of the ones it joins
		}
		m.ProcessRequestThread(self, request, clientAddress)
	}()
	return nil
}

// ServerClose is ThreadingMixIn.server_close(): super is the next class's
// server_close (Python's super().server_close()); if that succeeds, it
// takes the request goroutines it remembered off the list and waits for
// each in turn. Called from one of them (a handler), it stops there, as
// Thread.join does: RuntimeError('cannot join current thread').
func (m *ThreadingMixIn) ServerClose(super func() error) error {
	if err := super(); err != nil {
		return err
	}
	m.mu.Lock()
	var all threadList
	if m.threads != nil {
		all, *m.threads = *m.threads, nil
	}
	m.mu.Unlock()
	var self uint64
	for _, t := range all {
		if !t.alive() {
			continue
		}
		if self == 0 {
			self = goid()
		}
		if t.id.Load() == self {
			return pyerr.NewRuntimeError("cannot join current thread")
		}
		<-t.done
	}
	return nil
}

// threadCount is len(self._threads) (0 for _NoThreads).
func (m *ThreadingMixIn) threadCount() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.threads == nil {
		return 0
	}
	return len(*m.threads)
}

// truth is Python's bool(v) for the values a flag attribute holds.
func truth(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case string:
		return x != ""
	}
	if n, ok, over := pyarg.Index(v); ok {
		return n != 0 || over
	}
	if f, ok := v.(float64); ok {
		return f != 0
	}
	return true
}

// ThreadingTCPServer is socketserver.ThreadingTCPServer(ThreadingMixIn,
// TCPServer).
type ThreadingTCPServer struct {
	ThreadingMixIn
	TCPServer
}

// NewThreadingTCPServer is ThreadingTCPServer(server_address,
// RequestHandlerClass, bind_and_activate=True).
func NewThreadingTCPServer(serverAddress any, handler HandlerFactory, bindAndActivate ...bool) (*ThreadingTCPServer, error) {
	return construct[ThreadingTCPServer](serverAddress, handler, bindAndActivate)
}

// ProcessRequest is ThreadingMixIn's process_request.
func (s *ThreadingTCPServer) ProcessRequest(request Request, clientAddress pysock.Address) error {
	return s.ThreadingMixIn.ProcessRequest(s.outer(), request, clientAddress)
}

// ServerClose is ThreadingMixIn's server_close over TCPServer's.
func (s *ThreadingTCPServer) ServerClose() error {
	return s.ThreadingMixIn.ServerClose(s.TCPServer.ServerClose)
}

// ThreadingUDPServer is socketserver.ThreadingUDPServer(ThreadingMixIn,
// UDPServer).
type ThreadingUDPServer struct {
	ThreadingMixIn
	UDPServer
}

// NewThreadingUDPServer is ThreadingUDPServer(server_address,
// RequestHandlerClass, bind_and_activate=True).
func NewThreadingUDPServer(serverAddress any, handler HandlerFactory, bindAndActivate ...bool) (*ThreadingUDPServer, error) {
	return construct[ThreadingUDPServer](serverAddress, handler, bindAndActivate)
}

// ProcessRequest is ThreadingMixIn's process_request.
func (s *ThreadingUDPServer) ProcessRequest(request Request, clientAddress pysock.Address) error {
	return s.ThreadingMixIn.ProcessRequest(s.outer(), request, clientAddress)
}

// ServerClose is ThreadingMixIn's server_close over UDPServer's.
func (s *ThreadingUDPServer) ServerClose() error {
	return s.ThreadingMixIn.ServerClose(s.UDPServer.ServerClose)
}

// ThreadingUnixStreamServer is socketserver.ThreadingUnixStreamServer
// (ThreadingMixIn, UnixStreamServer).
type ThreadingUnixStreamServer struct {
	ThreadingMixIn
	UnixStreamServer
}

// NewThreadingUnixStreamServer is ThreadingUnixStreamServer(server_address,
// RequestHandlerClass, bind_and_activate=True).
func NewThreadingUnixStreamServer(serverAddress any, handler HandlerFactory, bindAndActivate ...bool) (*ThreadingUnixStreamServer, error) {
	return construct[ThreadingUnixStreamServer](serverAddress, handler, bindAndActivate)
}

// ProcessRequest is ThreadingMixIn's process_request.
func (s *ThreadingUnixStreamServer) ProcessRequest(request Request, clientAddress pysock.Address) error {
	return s.ThreadingMixIn.ProcessRequest(s.outer(), request, clientAddress)
}

// ServerClose is ThreadingMixIn's server_close over UnixStreamServer's.
func (s *ThreadingUnixStreamServer) ServerClose() error {
	return s.ThreadingMixIn.ServerClose(s.UnixStreamServer.ServerClose)
}

// ThreadingUnixDatagramServer is socketserver.ThreadingUnixDatagramServer
// (ThreadingMixIn, UnixDatagramServer).
type ThreadingUnixDatagramServer struct {
	ThreadingMixIn
	UnixDatagramServer
}

// NewThreadingUnixDatagramServer is ThreadingUnixDatagramServer(
// server_address, RequestHandlerClass, bind_and_activate=True).
func NewThreadingUnixDatagramServer(serverAddress any, handler HandlerFactory, bindAndActivate ...bool) (*ThreadingUnixDatagramServer, error) {
	return construct[ThreadingUnixDatagramServer](serverAddress, handler, bindAndActivate)
}

// ProcessRequest is ThreadingMixIn's process_request.
func (s *ThreadingUnixDatagramServer) ProcessRequest(request Request, clientAddress pysock.Address) error {
	return s.ThreadingMixIn.ProcessRequest(s.outer(), request, clientAddress)
}

// ServerClose is ThreadingMixIn's server_close over UnixDatagramServer's.
func (s *ThreadingUnixDatagramServer) ServerClose() error {
	return s.ThreadingMixIn.ServerClose(s.UnixDatagramServer.ServerClose)
}

// initer is the Init every server class has.
type initer interface {
	Init(self Server, serverAddress any, handler HandlerFactory, bindAndActivate ...bool) error
}

// construct is what calling a server class does: a new value, initialised
// as its own outermost self.
func construct[T any, PT interface {
	*T
	Server
	initer
}](serverAddress any, handler HandlerFactory, bindAndActivate []bool) (PT, error) {
	s := PT(new(T))
	if err := s.Init(s, serverAddress, handler, bindAndActivate...); err != nil {
		return nil, err
	}
	return s, nil
}
