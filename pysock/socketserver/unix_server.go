package socketserver

import "github.com/pysock/pysock/pysock"

// UnixStreamServer is socketserver.UnixStreamServer: a TCPServer with
// address_family socket.AF_UNIX. The address is a path; Python does not
// remove the node, nor does this.
type UnixStreamServer struct{ TCPServer }

// NewUnixStreamServer is UnixStreamServer(server_address,
// RequestHandlerClass, bind_and_activate=True).
func NewUnixStreamServer(serverAddress any, handler HandlerFactory, bindAndActivate ...bool) (*UnixStreamServer, error) {
	return construct[UnixStreamServer](serverAddress, handler, bindAndActivate)
}

// Init is UnixStreamServer.__init__ (TCPServer's with AF_UNIX).
func (s *UnixStreamServer) Init(self Server, serverAddress any, handler HandlerFactory, bindAndActivate ...bool) error {
	if s.AddressFamily == 0 {
		s.AddressFamily = pysock.AF_UNIX
	}
	return s.TCPServer.Init(self, serverAddress, handler, bindAndActivate...)
}

// UnixDatagramServer is socketserver.UnixDatagramServer: a UDPServer with
// address_family socket.AF_UNIX.
type UnixDatagramServer struct{ UDPServer }

// NewUnixDatagramServer is UnixDatagramServer(server_address,
// RequestHandlerClass, bind_and_activate=True).
func NewUnixDatagramServer(serverAddress any, handler HandlerFactory, bindAndActivate ...bool) (*UnixDatagramServer, error) {
	return construct[UnixDatagramServer](serverAddress, handler, bindAndActivate)
}

// Init is UnixDatagramServer.__init__ (UDPServer's with AF_UNIX).
func (s *UnixDatagramServer) Init(self Server, serverAddress any, handler HandlerFactory, bindAndActivate ...bool) error {
	if s.AddressFamily == 0 {
		s.AddressFamily = pysock.AF_UNIX
	}
	return s.UDPServer.Init(self, serverAddress, handler, bindAndActivate...)
}
