package socketserver

import "github.com/pysock/pysock/pysock"

// RequestHandler is what a request handler class is to the server: Setup,
// Handle and Finish, which BaseRequestHandler.Init calls. Embed
// BaseRequestHandler, StreamRequestHandler or DatagramRequestHandler in a
// struct and define the methods you override (usually Handle).
type RequestHandler interface {
	// Setup is setup().
	Setup() error
	// Handle is handle().
	Handle() error
	// Finish is finish().
	Finish() error

	base() *BaseRequestHandler
}

// HandlerFactory is RequestHandlerClass: the server calls it for a new
// handler per request, as Python calls the class. HandlerClass makes one
// from a type; a func literal can set class attributes on the new value:
//
//	func() socketserver.RequestHandler {
//		h := &MyHandler{}
//		h.Timeout = 5 // class MyHandler(StreamRequestHandler): timeout = 5
//		return h
//	}
type HandlerFactory func() RequestHandler

// HandlerClass is the HandlerFactory of a handler type whose zero value is
// the class: socketserver.HandlerClass[MyHandler]() stands for MyHandler.
func HandlerClass[T any, PT interface {
	*T
	RequestHandler
}]() HandlerFactory {
	return func() RequestHandler { return PT(new(T)) }
}

// BaseRequestHandler is socketserver.BaseRequestHandler.
type BaseRequestHandler struct {
	// Request is self.request.
	Request Request
	// ClientAddress is self.client_address.
	ClientAddress pysock.Address
	// Server is self.server, the outermost server value: assert its type
	// to reach your server's fields (h.Server.(*MyServer)).
	Server Server
}

func (h *BaseRequestHandler) base() *BaseRequestHandler { return h }

// Init is BaseRequestHandler.__init__(self, request, client_address,
// server), which runs the handler: self.Setup(), then self.Handle(), then
// self.Finish() even if Handle failed or panicked. The error is Handle's,
// or Finish's if Finish fails (Python's finally); a failed Setup skips
// Handle and Finish. Finish's error also replaces a panic of Handle's, as
// an exception raised in a finally clause replaces a SystemExit in flight:
// Init then recovers and returns it.
func (h *BaseRequestHandler) Init(self RequestHandler, request Request, clientAddress pysock.Address, server Server) (err error) {
	h.Request = request
	h.ClientAddress = clientAddress
	h.Server = server
	if err := self.Setup(); err != nil {
		return err
	}
	returned := false
	defer func() {
		if !returned { // Handle panicked
			if ferr := self.Finish(); ferr != nil {
				recover()
				err = ferr
			}
		}
	}()
	err = self.Handle()
	returned = true
	if ferr := self.Finish(); ferr != nil {
		return ferr
	}
	return err
}

// Setup is setup(): nothing for BaseRequestHandler.
func (h *BaseRequestHandler) Setup() error { return nil }

// Handle is handle(): nothing for BaseRequestHandler.
func (h *BaseRequestHandler) Handle() error { return nil }

// Finish is finish(): nothing for BaseRequestHandler.
func (h *BaseRequestHandler) Finish() error { return nil }
