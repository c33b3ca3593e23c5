package socketserver

import (
	"errors"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// TCPServer is socketserver.TCPServer. The class attributes are fields: set
// them before Init (Python's class body runs before __init__); a zero
// AddressFamily or SocketType and a nil RequestQueueSize stand for the
// class defaults, which Init fills in.
type TCPServer struct {
	BaseServer
	// AddressFamily is address_family (0: socket.AF_INET).
	AddressFamily pysock.AddressFamily
	// SocketType is socket_type (0: socket.SOCK_STREAM).
	SocketType pysock.SocketKind
	// RequestQueueSize is request_queue_size, the listen backlog (nil: 5).
	RequestQueueSize any
	// AllowReuseAddress is allow_reuse_address: SO_REUSEADDR before bind.
	AllowReuseAddress bool
	// AllowReusePort is allow_reuse_port: SO_REUSEPORT before bind.
	AllowReusePort bool
	// Socket is socket: the server's listening socket.
	Socket *pysock.Socket
}

// NewTCPServer is TCPServer(server_address, RequestHandlerClass,
// bind_and_activate=True). On an error the socket is closed, as Python's
// __init__ closes it.
func NewTCPServer(serverAddress any, handler HandlerFactory, bindAndActivate ...bool) (*TCPServer, error) {
	return construct[TCPServer](serverAddress, handler, bindAndActivate)
}

// Init is TCPServer.__init__(self, server_address, RequestHandlerClass,
// bind_and_activate=True): self is the outermost value (see
// BaseServer.Init). It creates the socket and, unless bindAndActivate is
// false, calls self.ServerBind and self.ServerActivate, closing the server
// (self.ServerClose) if either fails.
func (s *TCPServer) Init(self Server, serverAddress any, handler HandlerFactory, bindAndActivate ...bool) error {
	s.BaseServer.Init(self, serverAddress, handler)
	if s.AddressFamily == 0 {
		s.AddressFamily = pysock.AF_INET
	}
	if s.SocketType == 0 {
		s.SocketType = pysock.SOCK_STREAM
	}
	sock, err := pysock.NewSocket(s.AddressFamily, s.SocketType, 0)
	if err != nil {
		return err
	}
	s.Socket = sock
	if len(bindAndActivate) == 0 || bindAndActivate[0] {
		err := self.ServerBind()
		if err == nil {
			err = self.ServerActivate()
		}
		if err != nil {
			self.ServerClose()
			return err
		}
	}
	return nil
}

// ServerBind is server_bind(): SO_REUSEADDR and SO_REUSEPORT as the class
// attributes ask, bind(server_address), then ServerAddress becomes the
// socket's getsockname().
func (s *TCPServer) ServerBind() error {
	if s.AllowReuseAddress {
		if err := s.Socket.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR, 1); err != nil {
			return err
		}
	}
	if s.AllowReusePort {
		if err := s.Socket.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEPORT, 1); err != nil {
			return err
		}
	}
	if err := s.Socket.Bind(s.ServerAddress); err != nil {
		return err
	}
	addr, err := s.Socket.GetSockName()
	if err != nil {
		return err
	}
	s.ServerAddress = addr
	return nil
}

// ServerActivate is server_activate(): listen(request_queue_size).
func (s *TCPServer) ServerActivate() error {
	n, err := intAttr(s.RequestQueueSize, 5)
	if err != nil {
		return err
	}
	return s.Socket.Listen(n)
}

// ServerClose is server_close(): the socket is closed.
func (s *TCPServer) ServerClose() error { return s.Socket.Close() }

// Fileno is fileno(): the socket's, which is what the selector in
// ServeForever and HandleRequest waits on.
func (s *TCPServer) Fileno() int { return s.Socket.Fileno() }

// GetRequest is get_request(): accept().
func (s *TCPServer) GetRequest() (Request, pysock.Address, error) {
	conn, addr, err := s.Socket.Accept()
	if err != nil {
		return Request{}, nil, err
	}
	return Request{Socket: conn}, addr, nil
}

// ShutdownRequest is shutdown_request(request): shutdown(SHUT_WR),
// ignoring an OSError, then self.CloseRequest.
func (s *TCPServer) ShutdownRequest(request Request) error {
	if err := request.Shutdown(pysock.SHUT_WR); err != nil {
		var oe *pyerr.OSError
		if !errors.As(err, &oe) {
			return err
		}
	}
	return s.outer().CloseRequest(request)
}

// CloseRequest is close_request(request): request.close().
func (s *TCPServer) CloseRequest(request Request) error { return request.Close() }
