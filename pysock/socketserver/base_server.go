package socketserver

import (
	"errors"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/pysock"
)

// Server is what Python's BaseServer and its subclasses answer to: every
// method a subclass may override. BaseServer, TCPServer, UDPServer and the
// rest implement it; a type that embeds one of them and overrides methods
// implements it too, and the base classes call through it (see Init), so
// an override is reached from ServeForever, HandleRequest and
// ProcessRequest as Python's virtual dispatch reaches it.
type Server interface {
	ServeForever(pollInterval ...any) error
	Shutdown()
	ServiceActions() error
	HandleRequest() error
	HandleTimeout() error
	VerifyRequest(request Request, clientAddress pysock.Address) bool
	ProcessRequest(request Request, clientAddress pysock.Address) error
	FinishRequest(request Request, clientAddress pysock.Address) error
	ShutdownRequest(request Request) error
	CloseRequest(request Request) error
	HandleError(request Request, clientAddress pysock.Address, err error) error
	ServerActivate() error
	ServerBind() error
	ServerClose() error
	GetRequest() (Request, pysock.Address, error)
	Fileno() int
}

// Request is self.request: for stream servers the accepted connection
// (the embedded Socket, so h.Request.SendAll(b) reads as
// self.request.sendall(b)); for datagram servers Python's (data, socket)
// pair, as Data and Socket (self.request[0] and self.request[1]).
type Request struct {
	*pysock.Socket
	Data []byte
}

// BaseServer is socketserver.BaseServer.
type BaseServer struct {
	// ServerAddress is server_address: the address given to Init, and
	// after ServerBind the socket's getsockname() (a pysock.Address).
	ServerAddress any
	// RequestHandlerClass is RequestHandlerClass: FinishRequest calls it
	// for a new handler per request.
	RequestHandlerClass HandlerFactory
	// Timeout is the timeout class attribute, in seconds, used by
	// HandleRequest; nil is Python's None (the default).
	Timeout any

	self            Server
	isShutDown      event
	shutdownRequest atomic.Bool
}

// NewBaseServer is BaseServer(server_address, RequestHandlerClass).
func NewBaseServer(serverAddress any, handler HandlerFactory) *BaseServer {
	b := &BaseServer{}
	b.Init(b, serverAddress, handler)
	return b
}

// Init is BaseServer.__init__(self, server_address, RequestHandlerClass).
// self is the outermost value (the one embedding this BaseServer, or the
// BaseServer itself): every method that Python calls on self is called on
// it, so its overrides take effect.
func (b *BaseServer) Init(self Server, serverAddress any, handler HandlerFactory) {
	b.self = self
	b.ServerAddress = serverAddress
	b.RequestHandlerClass = handler
	b.isShutDown.clear()
	b.shutdownRequest.Store(false)
}

// outer is self: the value Init was given.
func (b *BaseServer) outer() Server {
	if b.self == nil {
		panic("socketserver: server used before Init (Python's __init__) was called")
	}
	return b.self
}

// ServerActivate is server_activate(): nothing for BaseServer.
func (b *BaseServer) ServerActivate() error { return nil }

// ServerBind is server_bind(), which BaseServer lacks in Python: nothing.
func (b *BaseServer) ServerBind() error { return nil }

// ServeForever is serve_forever(poll_interval=0.5): a PollSelector (CPython's
// _ServerSelector) waits for the server to be readable for at most
// pollInterval seconds at a time, a ready server handles one request, and
// every turn checks for Shutdown and calls ServiceActions. It returns the
// error Python would raise out of serve_forever (nil after Shutdown).
func (b *BaseServer) ServeForever(pollInterval ...any) error {
	self := b.outer()
	interval := any(0.5)
	if len(pollInterval) > 0 {
		interval = pollInterval[0]
	}
	b.isShutDown.clear()
	defer func() { // finally:
		b.shutdownRequest.Store(false)
		b.isShutDown.set()
	}()
	selector := pysock.NewPollSelector()
	defer selector.Close()
	if _, err := selector.Register(self, pysock.EVENT_READ); err != nil {
		return err
	}
	for !b.shutdownRequest.Load() {
		ready, err := selector.Select(interval)
		if err != nil {
			return err
		}
		if b.shutdownRequest.Load() {
			break
		}
		if len(ready) > 0 {
			if err := b.handleRequestNoblock(); err != nil {
				return err
			}
		}
		if err := self.ServiceActions(); err != nil {
			return err
		}
	}
	return nil
}

// Shutdown is shutdown(): it asks ServeForever to stop and waits until it
// has. Call it from another goroutine than ServeForever's, or it
// deadlocks, as in Python; before any ServeForever it waits for one.
func (b *BaseServer) Shutdown() {
	b.shutdownRequest.Store(true)
	b.isShutDown.wait()
}

// ServiceActions is service_actions(): called on every turn of
// ServeForever; nothing for BaseServer.
func (b *BaseServer) ServiceActions() error { return nil }

// socketOf is self.socket, which BaseServer's subclasses define: the
// exported field Socket (a *pysock.Socket) of the struct self points to,
// promoted ones included (TCPServer's, or a BaseServer subclass's own), as
// Python finds the attribute on the instance whatever class set it.
// Without one, AttributeError as in Python.
func socketOf(self Server) (*pysock.Socket, error) {
	v := reflect.ValueOf(self)
	for v.Kind() == reflect.Pointer && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		f := v.FieldByName("Socket")
		if f.IsValid() && f.CanInterface() && f.Type() == reflect.TypeFor[*pysock.Socket]() {
			if s := f.Interface().(*pysock.Socket); s != nil {
				return s, nil
			}
			return nil, pyerr.NewAttributeError("'NoneType' object has no attribute 'gettimeout'")
		}
	}
	return nil, pyerr.NewAttributeError(fmt.Sprintf("'%s' object has no attribute 'socket'", pyarg.TypeName(self)))
}

// HandleRequest is handle_request(): it waits for one request and handles
// it, or calls HandleTimeout when the smaller of the socket's timeout and
// Timeout passes first (none: wait forever).
func (b *BaseServer) HandleRequest() error {
	self := b.outer()
	sock, err := socketOf(self)
	if err != nil {
		return err
	}
	// timeout = self.socket.gettimeout(); if None, self.timeout; else if
	// self.timeout is not None, min(timeout, self.timeout), which keeps
	// the socket's unless self.timeout < it (a NaN is not).
	timeout, has := 0.0, false
	if t := sock.GetTimeout(); !t.IsNone() {
		timeout, has = t.Seconds(), true
	}
	if !isNoneTimeout(b.Timeout) {
		own, err := seconds(b.Timeout, has)
		if err != nil {
			return err
		}
		if !has || own < timeout {
			timeout, has = own, true
		}
	}
	var deadline time.Time
	if has {
		deadline = time.Now().Add(time.Duration(timeout * float64(time.Second)))
	}
	selector := pysock.NewPollSelector()
	defer selector.Close()
	if _, err := selector.Register(self, pysock.EVENT_READ); err != nil {
		return err
	}
	for {
		var wait any
		if has {
			wait = timeout
		}
		ready, err := selector.Select(wait)
		if err != nil {
			return err
		}
		if len(ready) > 0 {
			return b.handleRequestNoblock()
		}
		if has {
			timeout = time.Until(deadline).Seconds()
			if timeout < 0 {
				return self.HandleTimeout()
			}
		}
	}
}

// handleRequestNoblock is _handle_request_noblock(): an OSError from
// GetRequest is ignored; a refused request is shut down; an error from
// ProcessRequest goes to HandleError, then ShutdownRequest. A panic (what
// a BaseException that is not an Exception is in Python) shuts the request
// down and goes on.
func (b *BaseServer) handleRequestNoblock() error {
	self := b.outer()
	request, clientAddress, err := self.GetRequest()
	if err != nil {
		var oe *pyerr.OSError
		if errors.As(err, &oe) {
			return nil
		}
		return err
	}
	if !self.VerifyRequest(request, clientAddress) {
		return self.ShutdownRequest(request)
	}
	returned := false
	defer func() {
		if !returned { // except: self.shutdown_request(request); raise
			self.ShutdownRequest(request)
		}
	}()
	err = self.ProcessRequest(request, clientAddress)
	returned = true
	if err != nil {
		if err := self.HandleError(request, clientAddress, err); err != nil {
			return err
		}
		return self.ShutdownRequest(request)
	}
	return nil
}

// HandleTimeout is handle_timeout(): nothing for BaseServer.
func (b *BaseServer) HandleTimeout() error { return nil }

// VerifyRequest is verify_request(request, client_address): true for
// BaseServer; false makes the server shut the request down unhandled.
func (b *BaseServer) VerifyRequest(request Request, clientAddress pysock.Address) bool { return true }

// ProcessRequest is process_request(request, client_address):
// FinishRequest, then ShutdownRequest.
func (b *BaseServer) ProcessRequest(request Request, clientAddress pysock.Address) error {
	self := b.outer()
	if err := self.FinishRequest(request, clientAddress); err != nil {
		return err
	}
	return self.ShutdownRequest(request)
}

// ServerClose is server_close(): nothing for BaseServer. Python's
// "with server:" is defer server.ServerClose().
func (b *BaseServer) ServerClose() error { return nil }

// FinishRequest is finish_request(request, client_address): a new handler
// from RequestHandlerClass runs on the request (Python's
// self.RequestHandlerClass(request, client_address, self)).
func (b *BaseServer) FinishRequest(request Request, clientAddress pysock.Address) error {
	h := b.RequestHandlerClass()
	return h.base().Init(h, request, clientAddress, b.outer())
}

// ShutdownRequest is shutdown_request(request): CloseRequest for
// BaseServer.
func (b *BaseServer) ShutdownRequest(request Request) error {
	return b.outer().CloseRequest(request)
}

// CloseRequest is close_request(request): nothing for BaseServer.
func (b *BaseServer) CloseRequest(request Request) error { return nil }

// GetRequest is get_request(), which only BaseServer's subclasses define:
// BaseServer's returns a RuntimeError.
func (b *BaseServer) GetRequest() (Request, pysock.Address, error) {
	return Request{}, nil, pyerr.NewRuntimeError("BaseServer has no get_request(): use a subclass")
}

// Fileno is fileno(), which only BaseServer's subclasses define: -1 for
// BaseServer.
func (b *BaseServer) Fileno() int { return -1 }

// event is threading.Event.
type event struct {
	mu    sync.Mutex
	ch    chan struct{}
	isSet bool
}

func (e *event) clear() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ch == nil || e.isSet {
		e.ch = make(chan struct{})
		e.isSet = false
	}
}

func (e *event) set() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.ch == nil {
		e.ch = make(chan struct{})
	}
	if !e.isSet {
		close(e.ch)
		e.isSet = true
	}
}

func (e *event) wait() {
	e.mu.Lock()
	if e.ch == nil {
		e.ch = make(chan struct{})
	}
	ch := e.ch
	e.mu.Unlock()
	<-ch
}
