package socketserver

import "github.com/pysock/pysock/pysock"

// UDPServer is socketserver.UDPServer: a TCPServer on a SOCK_DGRAM socket
// whose requests are the datagrams, (data, socket) pairs.
type UDPServer struct {
	TCPServer
	// MaxPacketSize is max_packet_size, the recvfrom size (nil: 8192).
	MaxPacketSize any
}

// NewUDPServer is UDPServer(server_address, RequestHandlerClass,
// bind_and_activate=True).
func NewUDPServer(serverAddress any, handler HandlerFactory, bindAndActivate ...bool) (*UDPServer, error) {
	return construct[UDPServer](serverAddress, handler, bindAndActivate)
}

// Init is UDPServer.__init__ (TCPServer's, with socket_type
// socket.SOCK_DGRAM unless SocketType is set).
func (s *UDPServer) Init(self Server, serverAddress any, handler HandlerFactory, bindAndActivate ...bool) error {
	if s.SocketType == 0 {
		s.SocketType = pysock.SOCK_DGRAM
	}
	return s.TCPServer.Init(self, serverAddress, handler, bindAndActivate...)
}

// GetRequest is get_request(): recvfrom(max_packet_size); the request is
// (data, self.socket).
func (s *UDPServer) GetRequest() (Request, pysock.Address, error) {
	n, err := intAttr(s.MaxPacketSize, 8192)
	if err != nil {
		return Request{}, nil, err
	}
	data, addr, err := s.Socket.RecvFrom(n)
	if err != nil {
		return Request{}, nil, err
	}
	return Request{Socket: s.Socket, Data: data}, addr, nil
}

// ServerActivate is server_activate(): nothing (no listen).
func (s *UDPServer) ServerActivate() error { return nil }

// ShutdownRequest is shutdown_request(request): self.CloseRequest only.
func (s *UDPServer) ShutdownRequest(request Request) error {
	return s.outer().CloseRequest(request)
}

// CloseRequest is close_request(request): nothing (the socket is the
// server's).
func (s *UDPServer) CloseRequest(request Request) error { return nil }
