package pymotw

import (
	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

// This file is PyMOTW-3's socketserver chapter: socketserver_echo.py,
// socketserver_echo_simple.py and socketserver_threaded.py (the CPython
// versions are in compat_test/scenarios/_pymotw_socketserver.py). Each
// program runs serve_forever in a thread and a client that shuts the server
// down; SocketserverX is that program, and SocketserverXServer and
// SocketserverXClient are its two halves for the cross-language runs: the
// server serves `requests` clients with handle_request() and closes, the
// client has no server to shut down.

// echoRequestHandler is socketserver_echo.py's EchoRequestHandler, which
// logs each method the server calls.
type echoRequestHandler struct {
	socketserver.BaseRequestHandler
	logger *logger
}

// echoRequestHandlerClass is the class EchoRequestHandler: the server
// calls it once per request, which runs its __init__: the logging, then
// BaseRequestHandler.__init__ (setup, handle, finish), which the server
// calls next (socketserver.BaseServer.FinishRequest).
func echoRequestHandlerClass(logging *logModule) socketserver.HandlerFactory {
	return func() socketserver.RequestHandler {
		self := &echoRequestHandler{}
		self.logger = logging.getLogger("EchoRequestHandler")
		self.logger.debug("__init__")
		return self
	}
}

func (h *echoRequestHandler) Setup() error {
	h.logger.debug("setup")
	return h.BaseRequestHandler.Setup()
}

func (h *echoRequestHandler) Handle() error {
	h.logger.debug("handle")

	// Echo the back to the client
	data, err := h.Request.Recv(1024)
	if err != nil {
		return err
	}
	h.logger.debug(`recv()->"%s"`, r(b(data)))
	_, err = h.Request.Send(data)
	return err
}

func (h *echoRequestHandler) Finish() error {
	h.logger.debug("finish")
	return h.BaseRequestHandler.Finish()
}

// echoServer is socketserver_echo.py's EchoServer(socketserver.TCPServer),
// which logs each method it overrides and then calls TCPServer's.
type echoServer struct {
	socketserver.TCPServer
	logger *logger
}

// newEchoServer is EchoServer(server_address, handler_class).
func newEchoServer(logging *logModule, serverAddress any, handlerClass socketserver.HandlerFactory) (*echoServer, error) {
	self := &echoServer{}
	self.logger = logging.getLogger("EchoServer")
	self.logger.debug("__init__")
	if err := self.TCPServer.Init(self, serverAddress, handlerClass); err != nil {
		return nil, err
	}
	return self, nil
}

func (s *echoServer) ServerActivate() error {
	s.logger.debug("server_activate")
	return s.TCPServer.ServerActivate()
}

func (s *echoServer) ServeForever(pollInterval ...any) error {
	interval := any(0.5) // poll_interval=0.5
	if len(pollInterval) > 0 {
		interval = pollInterval[0]
	}
	s.logger.debug("waiting for request")
	s.logger.info(
		"Handling requests, press <Ctrl-C> to quit",
	)
	return s.TCPServer.ServeForever(interval)
}

func (s *echoServer) HandleRequest() error {
	s.logger.debug("handle_request")
	return s.TCPServer.HandleRequest()
}

func (s *echoServer) VerifyRequest(request socketserver.Request, clientAddress pysock.Address) bool {
	s.logger.debug("verify_request(%s, %s)",
		request, clientAddress)
	return s.TCPServer.VerifyRequest(
		request, clientAddress,
	)
}

func (s *echoServer) ProcessRequest(request socketserver.Request, clientAddress pysock.Address) error {
	s.logger.debug("process_request(%s, %s)",
		request, clientAddress)
	return s.TCPServer.ProcessRequest(
		request, clientAddress,
	)
}

func (s *echoServer) ServerClose() error {
	s.logger.debug("server_close")
	return s.TCPServer.ServerClose()
}

func (s *echoServer) FinishRequest(request socketserver.Request, clientAddress pysock.Address) error {
	s.logger.debug("finish_request(%s, %s)",
		request, clientAddress)
	return s.TCPServer.FinishRequest(
		request, clientAddress,
	)
}

func (s *echoServer) CloseRequest(requestAddress socketserver.Request) error {
	s.logger.debug("close_request(%s)", requestAddress)
	return s.TCPServer.CloseRequest(
		requestAddress,
	)
}

func (s *echoServer) Shutdown() {
	s.logger.debug("shutdown()")
	s.TCPServer.Shutdown()
}

// echoClient is the client part of socketserver_echo.py's main; shutdown
// is server.shutdown (nothing when the server runs elsewhere).
func echoClient(logging *logModule, ip string, port int, shutdown func()) (err error) {
	logger := logging.getLogger("client")
	logger.info("Server on %s:%d", ip, port)

	// Connect to the server
	logger.debug("creating socket")
	s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			s.Close() // the socket Python leaves to the garbage collector
		}
	}()
	logger.debug("connecting to server")
	if err := s.Connect(pysock.Tuple{ip, port}); err != nil {
		return err
	}

	// Send the data
	message := []byte("Hello, world")
	logger.debug("sending data: %s", r(b(message)))
	lenSent, err := s.Send(message)
	if err != nil {
		return err
	}

	// Receive a response
	logger.debug("waiting for response")
	response, err := s.Recv(lenSent)
	if err != nil {
		return err
	}
	logger.debug("response from server: %s", r(b(response)))

	// Clean up
	shutdown()
	logger.debug("closing socket")
	if err := s.Close(); err != nil {
		return err
	}
	logger.debug("done")
	return nil
}

// SocketserverEcho is socketserver_echo.py: the logging EchoServer serving
// in a thread, and the client; every line is a log record
// ('%(name)s: %(message)s'). Port 0 lets the kernel assign a port.
func SocketserverEcho(out func(string), host string, port int) error {
	logging := basicConfig(out)
	address := pysock.Tuple{host, port}
	server, err := newEchoServer(logging, address, echoRequestHandlerClass(logging))
	if err != nil {
		return err
	}
	ip, port, err := ipPort(server.ServerAddress) // what port was assigned?
	if err != nil {
		server.Socket.Close()
		return err
	}

	// Start the server in a thread
	t := startThread("serve_forever", func() error { return server.ServeForever() })

	clientErr := echoClient(logging, ip, port, server.Shutdown)
	return endProgram(t, server.TCPServer.Shutdown, server.Socket, clientErr)
}

// endProgram is what follows each program's client: server.socket.close().
// The Python program then exits, and its daemon serve_forever thread dies
// with it; a Go function stops that goroutine (if the client failed before
// it could call shutdown) and waits for it instead. The error is the
// client's, else serve_forever's (which Python would print from its
// thread), else close's.
func endProgram(t *pyThread, shutdown func(), sock *pysock.Socket, clientErr error) error {
	if clientErr != nil {
		shutdown() // returns at once if the client did shut the server down
	}
	closeErr := sock.Close()
	serveErr := t.join()
	for _, err := range []error{clientErr, serveErr, closeErr} {
		if err != nil {
			return err
		}
	}
	return nil
}

// SocketserverEchoServer is the server half of socketserver_echo.py: the
// EchoServer serves `requests` clients with handle_request(), then
// server_close().
func SocketserverEchoServer(out func(string), host string, port int, ready func(int), requests int) error {
	logging := basicConfig(out)
	server, err := newEchoServer(logging, pysock.Tuple{host, port}, echoRequestHandlerClass(logging))
	if err != nil {
		return err
	}
	return serveRequests(server, &server.TCPServer, ready, requests)
}

// serveRequests is the server halves' `for _ in range(requests):
// server.handle_request()` and server.server_close(), after ready(port).
func serveRequests(server socketserver.Server, tcp *socketserver.TCPServer, ready func(int), requests int) error {
	_, port, err := ipPort(tcp.ServerAddress)
	if err != nil {
		tcp.Socket.Close()
		return err
	}
	ready(port)
	for range requests {
		if err := server.HandleRequest(); err != nil {
			tcp.Socket.Close() // the socket Python leaves to the garbage collector
			return err
		}
	}
	return server.ServerClose()
}

// SocketserverEchoClient is the client half of socketserver_echo.py.
func SocketserverEchoClient(out func(string), host string, port int) error {
	return echoClient(basicConfig(out), host, port, func() {})
}

// simpleEchoRequestHandler is socketserver_echo_simple.py's
// EchoRequestHandler: handle() only.
type simpleEchoRequestHandler struct {
	socketserver.BaseRequestHandler
}

func (h *simpleEchoRequestHandler) Handle() error {
	// Echo the back to the client
	data, err := h.Request.Recv(1024)
	if err != nil {
		return err
	}
	_, err = h.Request.Send(data)
	return err
}

// simpleClient is the client part of socketserver_echo_simple.py's main.
func simpleClient(out func(string), ip string, port int, shutdown func()) (err error) {
	// Connect to the server
	s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			s.Close() // the socket Python leaves to the garbage collector
		}
	}()
	if err := s.Connect(pysock.Tuple{ip, port}); err != nil {
		return err
	}

	// Send the data
	message := []byte("Hello, world")
	out("Sending : " + r(b(message)))
	lenSent, err := s.Send(message)
	if err != nil {
		return err
	}

	// Receive a response
	response, err := s.Recv(lenSent)
	if err != nil {
		return err
	}
	out("Received: " + r(b(response)))

	// Clean up
	shutdown()
	return s.Close()
}

// SocketserverEchoSimple is socketserver_echo_simple.py: a plain TCPServer
// with a handle()-only handler, serving in a thread, and the client.
func SocketserverEchoSimple(out func(string), host string, port int) error {
	address := pysock.Tuple{host, port} // port 0: let the kernel assign a port
	server, err := socketserver.NewTCPServer(address, socketserver.HandlerClass[simpleEchoRequestHandler]())
	if err != nil {
		return err
	}
	ip, port, err := ipPort(server.ServerAddress) // what port was assigned?
	if err != nil {
		server.Socket.Close()
		return err
	}

	t := startThread("serve_forever", func() error { return server.ServeForever() })

	clientErr := simpleClient(out, ip, port, server.Shutdown)
	return endProgram(t, server.Shutdown, server.Socket, clientErr)
}

// SocketserverEchoSimpleServer is the server half of
// socketserver_echo_simple.py: `requests` handle_request() calls, then
// server_close().
func SocketserverEchoSimpleServer(out func(string), host string, port int, ready func(int), requests int) error {
	server, err := socketserver.NewTCPServer(pysock.Tuple{host, port}, socketserver.HandlerClass[simpleEchoRequestHandler]())
	if err != nil {
		return err
	}
	return serveRequests(server, server, ready, requests)
}

// SocketserverEchoSimpleClient is the client half of
// socketserver_echo_simple.py.
func SocketserverEchoSimpleClient(out func(string), host string, port int) error {
	return simpleClient(out, host, port, func() {})
}

// threadedEchoRequestHandler is socketserver_threaded.py's
// ThreadedEchoRequestHandler: the reply names the request's thread.
type threadedEchoRequestHandler struct {
	socketserver.BaseRequestHandler
}

func (h *threadedEchoRequestHandler) Handle() error {
	// Echo the back to the client
	data, err := h.Request.Recv(1024)
	if err != nil {
		return err
	}
	curThread := currentThread()
	response := append([]byte(curThread.getName()+": "), data...) // b'%s: %s' % (name.encode(), data)
	_, err = h.Request.Send(response)
	return err
}

// currentThread is threading.currentThread() in a handler that
// socketserver.ThreadingMixIn runs. A goroutine has no identity to name,
// and ThreadingMixIn keeps the name it gives each request goroutine
// ("Thread-N (process_request_thread)") to its own error output, so the
// handler's goroutine is named here the way threading names the thread
// Python's ThreadingMixIn starts for the request: one request, one
// goroutine, one name.
func currentThread() *pyThread {
	return &pyThread{name: newThreadName("process_request_thread")}
}

// threadedEchoServer is socketserver_threaded.py's
// ThreadedEchoServer(socketserver.ThreadingMixIn, socketserver.TCPServer):
// pass. Go does not resolve the MRO, so the two methods ThreadingMixIn
// overrides are spelled out, as socketserver.ThreadingTCPServer does.
type threadedEchoServer struct {
	socketserver.ThreadingMixIn
	socketserver.TCPServer
}

func (s *threadedEchoServer) ProcessRequest(request socketserver.Request, clientAddress pysock.Address) error {
	return s.ThreadingMixIn.ProcessRequest(s, request, clientAddress)
}

func (s *threadedEchoServer) ServerClose() error {
	return s.ThreadingMixIn.ServerClose(s.TCPServer.ServerClose)
}

// newThreadedEchoServer is ThreadedEchoServer(server_address,
// RequestHandlerClass).
func newThreadedEchoServer(serverAddress any, handlerClass socketserver.HandlerFactory) (*threadedEchoServer, error) {
	s := &threadedEchoServer{}
	if err := s.TCPServer.Init(s, serverAddress, handlerClass); err != nil {
		return nil, err
	}
	return s, nil
}

// threadedClient is the client part of socketserver_threaded.py's main.
func threadedClient(out func(string), ip string, port int, shutdown func()) (err error) {
	// Connect to the server
	s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			s.Close() // the socket Python leaves to the garbage collector
		}
	}()
	if err := s.Connect(pysock.Tuple{ip, port}); err != nil {
		return err
	}

	// Send the data
	message := []byte("Hello, world")
	out("Sending : " + r(b(message)))
	if _, err := s.Send(message); err != nil { // len_sent, unused
		return err
	}

	// Receive a response
	response, err := s.Recv(1024)
	if err != nil {
		return err
	}
	out("Received: " + r(b(response)))

	// Clean up
	shutdown()
	return s.Close()
}

// SocketserverThreaded is socketserver_threaded.py: ThreadingMixIn with
// TCPServer serving in a thread, each request in a goroutine of its own,
// and the client.
func SocketserverThreaded(out func(string), host string, port int) error {
	address := pysock.Tuple{host, port} // port 0: let the kernel assign a port
	server, err := newThreadedEchoServer(address, socketserver.HandlerClass[threadedEchoRequestHandler]())
	if err != nil {
		return err
	}
	ip, port, err := ipPort(server.ServerAddress) // what port was assigned?
	if err != nil {
		server.Socket.Close()
		return err
	}

	t := startThread("serve_forever", func() error { return server.ServeForever() })
	out("Server loop running in thread: " + t.getName())

	clientErr := threadedClient(out, ip, port, server.Shutdown)
	err = endProgram(t, server.Shutdown, server.Socket, clientErr)
	// The Python program's request thread ends with the program; a Go
	// function waits for the request goroutines, as server_close() does
	// (without closing the socket again).
	server.ThreadingMixIn.ServerClose(func() error { return nil })
	return err
}

// SocketserverThreadedServer is the server half of socketserver_threaded.py:
// `requests` handle_request() calls, each starting a request goroutine,
// then server_close(), which waits for them (block_on_close).
func SocketserverThreadedServer(out func(string), host string, port int, ready func(int), requests int) error {
	server, err := newThreadedEchoServer(pysock.Tuple{host, port}, socketserver.HandlerClass[threadedEchoRequestHandler]())
	if err != nil {
		return err
	}
	return serveRequests(server, &server.TCPServer, ready, requests)
}

// SocketserverThreadedClient is the client half of socketserver_threaded.py.
func SocketserverThreadedClient(out func(string), host string, port int) error {
	return threadedClient(out, host, port, func() {})
}
