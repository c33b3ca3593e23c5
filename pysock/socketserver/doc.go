// Package socketserver is CPython 3.11's socketserver module on pysock
// sockets: BaseServer, TCPServer, UDPServer, UnixStreamServer,
// UnixDatagramServer, ThreadingMixIn and the Threading*Server classes, and
// the BaseRequestHandler, StreamRequestHandler and DatagramRequestHandler
// handler classes, with CPython's behaviour (the same select loop in
// ServeForever, the same calls in the same order, handle_error's output).
//
// # Classes and overrides
//
// Python's subclass-and-override style becomes embedding plus an
// interface. A server class is a struct embedding the server it derives
// from; its methods override the base's. Go has no virtual dispatch
// through embedding, so a server remembers its outermost value: Init (the
// Python __init__) takes it as self, and the base classes call every
// overridable method on it (the Server interface).
//
//	class MyServer(socketserver.TCPServer):   type MyServer struct{ socketserver.TCPServer }
//	    allow_reuse_address = True
//	    def verify_request(self, request,     func (s *MyServer) VerifyRequest(request socketserver.Request,
//	                       client_address):       clientAddress pysock.Address) bool {
//	        return client_address[0] == ...       return ...
//	                                           }
//	server = MyServer(addr, MyHandler)        server := &MyServer{}
//	                                           server.AllowReuseAddress = true  // class attributes first
//	                                           err := server.Init(server, addr, socketserver.HandlerClass[MyHandler]())
//
// Calling a library class is its New function (TCPServer(addr, H) is
// NewTCPServer(addr, H)). Class attributes are fields, set before Init as
// the Python class body runs before __init__; a field whose CPython
// default is not Go's zero value is an `any` whose nil stands for the
// default (RequestQueueSize, MaxPacketSize, BlockOnClose, RBufSize,
// WBufSize), or an int whose 0 does (AddressFamily, SocketType).
//
// A handler class is a struct embedding BaseRequestHandler,
// StreamRequestHandler or DatagramRequestHandler; the server builds one per
// request with a HandlerFactory (HandlerClass[T]() for a type whose zero
// value is the class) and runs Setup, Handle and Finish on it.
//
// # Exceptions
//
// What Python raises is a returned error. An error from a handler reaches
// HandleError (Python's handle_error reads it from sys.exc_info(); the Go
// method receives it); ServeForever and HandleRequest return the errors
// Python would let escape from them. A panic plays the part of a
// BaseException that is not an Exception (SystemExit, KeyboardInterrupt):
// the request is shut down and the panic goes on. HandleError prints no
// Python traceback, only its last line (see FormatException).
//
// # Goroutines
//
// ThreadingMixIn runs each request in a goroutine instead of a thread:
// blocked goroutines park on Go's runtime poller, so a ThreadingTCPServer
// serves thousands of connections on a few OS threads. ServeForever waits
// in poll(2), as CPython's PollSelector does, and holds one OS thread
// while it waits.
//
// # Not provided
//
// ForkingMixIn, ForkingTCPServer, ForkingUDPServer (and CPython's test
// ForkingUnix* classes): Go cannot fork a running program (the child of a
// fork has only the forking thread, and the Go runtime needs all of its
// own), so there is no ForkingMixIn; use ThreadingMixIn, or start a new
// process with os/exec.
package socketserver
