package socketserver_test

// The package's own tests. The ports of CPython 3.11's
// Lib/test/test_socketserver.py are in compat_test/cpython
// (socketserver_test.go, socketserver_misc_test.go), one per CPython test
// method, with their status in compat_test/cpython/LEDGER.md.

import (
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

const host = "127.0.0.1"

// TestBindAndActivateFalse checks bind_and_activate=False: nothing is
// bound until ServerBind and ServerActivate.
func TestBindAndActivateFalse(t *testing.T) {
	s, err := socketserver.NewTCPServer(pysock.Tuple{host, 0}, socketserver.HandlerClass[socketserver.StreamRequestHandler](), false)
	if err != nil {
		t.Fatal(err)
	}
	defer s.ServerClose()
	if _, ok := s.ServerAddress.(pysock.Tuple); !ok {
		t.Fatalf("server_address before bind = %#v", s.ServerAddress)
	}
	s.AllowReuseAddress = true
	s.RequestQueueSize = 1
	if err := s.ServerBind(); err != nil {
		t.Fatal(err)
	}
	if err := s.ServerActivate(); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.Socket.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_REUSEADDR); v != 1 {
		t.Fatalf("SO_REUSEADDR = %v", v)
	}
	if v, _ := s.Socket.GetSockOpt(pysock.SOL_SOCKET, pysock.SO_ACCEPTCONN); v != 1 {
		t.Fatalf("SO_ACCEPTCONN = %v", v)
	}
}

// TestHandleRequestTimeout: handle_request with nothing to accept calls
// handle_timeout once the timeout passes.
func TestHandleRequestTimeout(t *testing.T) {
	s := &timeoutServer{}
	s.Timeout = 0.05
	if err := s.Init(s, pysock.Tuple{host, 0}, socketserver.HandlerClass[socketserver.BaseRequestHandler]()); err != nil {
		t.Fatal(err)
	}
	defer s.ServerClose()
	start := time.Now()
	if err := s.HandleRequest(); err != nil {
		t.Fatal(err)
	}
	if s.timeouts != 1 || time.Since(start) < 50*time.Millisecond {
		t.Fatalf("timeouts=%d after %v", s.timeouts, time.Since(start))
	}
}

type timeoutServer struct {
	socketserver.TCPServer
	timeouts int
}

func (s *timeoutServer) HandleTimeout() error {
	s.timeouts++
	return nil
}
