package cpython

// The Go twins of test_socket.py's fixtures: SocketTCPTest, SocketUDPTest,
// ThreadableTest (server set-up, the _testFoo client half in its own
// goroutine, the server_ready / client_ready / done handshakes),
// ThreadedTCPSocketTest, ThreadedUDPSocketTest, SocketConnectedTest and
// SocketPairTest.

import (
	"sync"
	"sync/atomic"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// HOST is socket_helper.HOST; MSG is test_socket.MSG.
const HOST = "127.0.0.1"

var MSG = []byte("Michael Gilfix was here\u1234\r\n")

// Support constants (test.support): the waits the CPython tests use.
const (
	LOOPBACK_TIMEOUT = 5.0  // support.LOOPBACK_TIMEOUT
	SHORT_TIMEOUT    = 30.0 // support.SHORT_TIMEOUT
)

// handshakeTimeout bounds every wait on a handshake (CPython waits
// forever; the port watchdog would catch it later).
const handshakeTimeout = 20 * time.Second

// F holds a test's fixture state: the attributes CPython's classes set on
// self.
type F struct {
	t        *T
	Serv     *pysock.Socket // self.serv
	Cli      *pysock.Socket // self.cli
	CliConn  *pysock.Socket // self.cli_conn: the server's accepted socket
	ServConn *pysock.Socket // self.serv_conn: the client's connected socket
	Port     int            // self.port
	Port2    int            // self.source_port
	ServAddr pysock.Address // self.serv_addr
	CliAddr  pysock.Address // self.cli_addr

	ReadFile, WriteFile *pysock.SocketFile // FileObjectClassTestCase
	evt1, evt2          *event
	servFinished        *event
	cliFinished         *event
	servSkipped         string

	serverReady, clientReady, done chan struct{}
	readyOnce                      sync.Once
	serverCrashed                  atomic.Bool
	Event                          chan struct{} // a threading.Event some tests add
	eventOnce                      sync.Once
}

// class is one CPython fixture class: its setUp/tearDown and, for a
// ThreadableTest, clientSetUp/clientTearDown. Nil hooks do nothing.
type class struct {
	setUp, tearDown             func(f *F)
	clientSetUp, clientTearDown func(f *F)
}

// serverExplicitReady lets the client goroutine proceed (server_ready.set()).
func (f *F) serverExplicitReady() { f.readyOnce.Do(func() { close(f.serverReady) }) }

// setEvent and waitEvent are a threading.Event shared by the two halves.
func (f *F) setEvent() { f.eventOnce.Do(func() { close(f.Event) }) }

func (f *F) waitEvent(timeout time.Duration) bool {
	select {
	case <-f.Event:
		return true
	case <-time.After(timeout):
		return false
	}
}

func wait(t *T, ch chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(handshakeTimeout):
		t.Errorf("watchdog: %s not reached after %v", what, handshakeTimeout)
	}
}

func newF(t *T) *F {
	return &F{t: t, serverReady: make(chan struct{}), clientReady: make(chan struct{}),
		done: make(chan struct{}), Event: make(chan struct{})}
}

// plain runs a unittest.TestCase test (no client half) with c's set-up.
func plain(c class, test func(t *T, f *F)) func(*T) {
	return func(t *T) {
		f := newF(t)
		if c.setUp != nil {
			c.setUp(f)
		}
		if c.tearDown != nil {
			defer c.tearDown(f)
		}
		test(t, f)
	}
}

// threaded runs a ThreadableTest test: the server half test in this
// goroutine and the client half (_testFoo) in its own, as
// ThreadableTest._setUp and clientRun do.
func threaded(c class, test, client func(t *T, f *F)) func(*T) {
	return func(t *T) {
		f := newF(t)
		go f.clientRun(c, client)
		defer wait(t, f.done, "client thread done") // self.addCleanup(self.done.wait)
		crashed := true
		defer func() {
			if crashed {
				f.serverCrashed.Store(true)
				f.serverExplicitReady()
			}
		}()
		if c.setUp != nil {
			c.setUp(f)
		}
		crashed = false
		f.serverExplicitReady()
		wait(t, f.clientReady, "client_ready")
		if c.tearDown != nil {
			defer c.tearDown(f)
		}
		test(t, f)
	}
}

func (f *F) clientRun(c class, client func(t *T, f *F)) {
	t := f.t
	defer close(f.done) // ThreadableTest.clientTearDown: self.done.set()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("client thread panic: %v", r)
		}
	}()
	wait(t, f.serverReady, "server_ready")
	readySet := false
	defer func() {
		if !readySet {
			close(f.clientReady)
		}
	}()
	defer func() {
		if c.clientTearDown != nil {
			c.clientTearDown(f)
		}
	}()
	if c.clientSetUp != nil {
		c.clientSetUp(f)
	}
	readySet = true
	close(f.clientReady)
	if f.serverCrashed.Load() {
		return
	}
	client(t, f)
}

// bindPort is socket_helper.bind_port(sock, host=HOST).
func bindPort(t *T, s *pysock.Socket, host string) int {
	t.Helper()
	if s.Family() == pysock.AF_INET && s.Type() == pysock.SOCK_STREAM {
		if v, err := s.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR); err == nil && v.(int) == 1 {
			t.Fatalf("tests should never set the SO_REUSEADDR socket option on TCP/IP sockets!")
		}
	}
	ok(t, s.Bind(pysock.Tuple{host, 0}), "sock.bind((host, 0))")
	return port(t, s)
}

// port is sock.getsockname()[1].
func port(t *T, s *pysock.Socket) int {
	t.Helper()
	a, err := s.GetSockName()
	ok(t, err, "getsockname()")
	switch a := a.(type) {
	case pysock.InetAddr:
		return a.Port
	case pysock.Inet6Addr:
		return a.Port
	}
	t.Fatalf("getsockname(): %v has no port", a)
	return 0
}

func newSock(t *T, family pysock.AddressFamily, typ pysock.SocketKind, proto int) *pysock.Socket {
	t.Helper()
	s, err := pysock.NewSocket(family, typ, proto)
	ok(t, err, "socket.socket()")
	return s
}

func closeSock(s *pysock.Socket) {
	if s != nil {
		s.Close()
	}
}

// socketTCPTest is SocketTCPTest.
var socketTCPTest = class{
	setUp: func(f *F) {
		f.Serv = newSock(f.t, pysock.AF_INET, pysock.SOCK_STREAM, 0)
		f.Port = bindPort(f.t, f.Serv, HOST)
		ok(f.t, f.Serv.Listen(), "serv.listen()")
	},
	tearDown: func(f *F) { closeSock(f.Serv) },
}

// socketUDPTest is SocketUDPTest.
var socketUDPTest = class{
	setUp: func(f *F) {
		f.Serv = newSock(f.t, pysock.AF_INET, pysock.SOCK_DGRAM, 0)
		f.Port = bindPort(f.t, f.Serv, HOST)
	},
	tearDown: func(f *F) { closeSock(f.Serv) },
}

// threadedTCPSocketTest is ThreadedTCPSocketTest.
var threadedTCPSocketTest = class{
	setUp:          socketTCPTest.setUp,
	tearDown:       socketTCPTest.tearDown,
	clientSetUp:    func(f *F) { f.Cli = newSock(f.t, pysock.AF_INET, pysock.SOCK_STREAM, 0) },
	clientTearDown: func(f *F) { closeSock(f.Cli) },
}

// threadedUDPSocketTest is ThreadedUDPSocketTest.
var threadedUDPSocketTest = class{
	setUp:          socketUDPTest.setUp,
	tearDown:       socketUDPTest.tearDown,
	clientSetUp:    func(f *F) { f.Cli = newSock(f.t, pysock.AF_INET, pysock.SOCK_DGRAM, 0) },
	clientTearDown: func(f *F) { closeSock(f.Cli) },
}

// socketConnectedTest is SocketConnectedTest.
var socketConnectedTest = class{
	setUp: func(f *F) {
		threadedTCPSocketTest.setUp(f)
		f.serverExplicitReady()
		conn, _, err := f.Serv.Accept()
		ok(f.t, err, "serv.accept()")
		f.CliConn = conn
	},
	tearDown: func(f *F) {
		closeSock(f.CliConn)
		threadedTCPSocketTest.tearDown(f)
	},
	clientSetUp: func(f *F) {
		threadedTCPSocketTest.clientSetUp(f)
		ok(f.t, f.Cli.Connect(pysock.Tuple{HOST, f.Port}), "cli.connect((HOST, port))")
		f.ServConn = f.Cli
	},
	clientTearDown: func(f *F) {
		closeSock(f.ServConn)
		threadedTCPSocketTest.clientTearDown(f)
	},
}

// socketPairTest is SocketPairTest.
var socketPairTest = class{
	setUp: func(f *F) {
		var err error
		f.Serv, f.Cli, err = pysock.SocketPair(-1, -1, -1)
		ok(f.t, err, "socket.socketpair()")
	},
	tearDown:       func(f *F) { closeSock(f.Serv) },
	clientTearDown: func(f *F) { closeSock(f.Cli) },
}

// withDefaultTimeout is socket_setdefaulttimeout(timeout) as a context.
func withDefaultTimeout(t *T, timeout any, body func()) {
	old := pysock.GetDefaultTimeout()
	ok(t, pysock.SetDefaultTimeout(timeout), "setdefaulttimeout")
	defer pysock.SetDefaultTimeout(old)
	body()
}

var _ = pyerr.IsInstance

// event is threading.Event.
type event struct {
	once sync.Once
	ch   chan struct{}
}

func newEvent() *event { return &event{ch: make(chan struct{})} }

func (e *event) set() { e.once.Do(func() { close(e.ch) }) }

// wait is Event.wait(timeout): true if set.
func (e *event) wait(timeout time.Duration) bool {
	select {
	case <-e.ch:
		return true
	case <-time.After(timeout):
		return false
	}
}
