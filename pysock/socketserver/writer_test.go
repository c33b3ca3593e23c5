package socketserver_test

import (
	"bytes"
	"testing"

	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

// sockMaxSize is test.support.SOCK_MAX_SIZE.
const sockMaxSize = 16 * 1024 * 1024

type writerServer struct {
	socketserver.TCPServer
	wfile                      socketserver.WriteFile
	wfileFileno, requestFileno int
	sent1, sent2               int
	received                   []byte
}

type basicsHandler struct {
	socketserver.StreamRequestHandler
}

func (h *basicsHandler) Handle() error {
	srv := h.Server.(*writerServer)
	srv.wfile = h.WFile
	srv.wfileFileno, _ = h.WFile.Fileno()
	srv.requestFileno = h.Request.Fileno()
	return nil
}

// TestSocketWriterBasics is SocketWriterTest.test_basics.
func TestSocketWriterBasics(t *testing.T) {
	s := &writerServer{}
	if err := s.Init(s, pysock.Tuple{host, 0}, socketserver.HandlerClass[basicsHandler]()); err != nil {
		t.Fatal(err)
	}
	defer s.ServerClose()
	connectAndClose(t, s.ServerAddress)
	if err := s.HandleRequest(); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.wfile.(*socketserver.SocketWriter); !ok {
		t.Fatalf("wfile is %T", s.wfile)
	}
	if s.wfileFileno != s.requestFileno {
		t.Fatalf("wfile fileno %d, request fileno %d", s.wfileFileno, s.requestFileno)
	}
}

type writeHandler struct {
	socketserver.StreamRequestHandler
}

func (h *writeHandler) Handle() error {
	srv := h.Server.(*writerServer)
	var err error
	if srv.sent1, err = h.WFile.Write([]byte("write data\n")); err != nil {
		return err
	}
	// Should be sent immediately, without requiring flush()
	if srv.received, err = h.RFile.ReadLine(); err != nil {
		return err
	}
	srv.sent2, err = h.WFile.Write(make([]byte, sockMaxSize))
	return err
}

// TestSocketWriterWrite is SocketWriterTest.test_write without its
// signals: wfile.write sends at once and sends everything.
func TestSocketWriterWrite(t *testing.T) {
	s := &writerServer{}
	if err := s.Init(s, pysock.Tuple{host, 0}, socketserver.HandlerClass[writeHandler]()); err != nil {
		t.Fatal(err)
	}
	defer s.ServerClose()
	var response1 []byte
	received2 := -1
	done := make(chan error, 1)
	go func() {
		done <- func() error {
			c, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, pysock.IPPROTO_TCP)
			if err != nil {
				return err
			}
			defer c.Close()
			reader, err := c.MakeFile("rb")
			if err != nil {
				return err
			}
			defer reader.Close()
			if err := c.Connect(s.ServerAddress); err != nil {
				return err
			}
			if response1, err = reader.ReadLine(); err != nil {
				return err
			}
			if err := c.SendAll([]byte("client response\n")); err != nil {
				return err
			}
			if _, err := reader.ReadN(100); err != nil {
				return err
			}
			rest, err := reader.ReadN()
			received2 = len(rest)
			return err
		}()
	}()
	if err := s.HandleRequest(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if s.sent1 != len(response1) || !bytes.Equal(response1, []byte("write data\n")) {
		t.Fatalf("sent1=%d response1=%q", s.sent1, response1)
	}
	if !bytes.Equal(s.received, []byte("client response\n")) {
		t.Fatalf("received %q", s.received)
	}
	if s.sent2 != sockMaxSize || received2 != sockMaxSize-100 {
		t.Fatalf("sent2=%d received2=%d", s.sent2, received2)
	}
}

// verifyFalseServer is test_shutdown_request_called_if_verify_request_false's
// MyServer.
type verifyFalseServer struct {
	socketserver.TCPServer
	shutdownCalled int
}

func (s *verifyFalseServer) VerifyRequest(request socketserver.Request, clientAddress pysock.Address) bool {
	return false
}

func (s *verifyFalseServer) ShutdownRequest(request socketserver.Request) error {
	s.shutdownCalled++
	return s.TCPServer.ShutdownRequest(request)
}

// TestShutdownRequestCalledIfVerifyRequestFalse is MiscTestCase's
// test_shutdown_request_called_if_verify_request_false (issue #26309).
func TestShutdownRequestCalledIfVerifyRequestFalse(t *testing.T) {
	s := &verifyFalseServer{}
	if err := s.Init(s, pysock.Tuple{host, 0}, socketserver.HandlerClass[socketserver.StreamRequestHandler]()); err != nil {
		t.Fatal(err)
	}
	connectAndClose(t, s.ServerAddress)
	if err := s.HandleRequest(); err != nil {
		t.Fatal(err)
	}
	if s.shutdownCalled != 1 {
		t.Fatalf("shutdown_called = %d", s.shutdownCalled)
	}
	s.ServerClose()
}

// TestThreadsReaped is MiscTestCase.test_threads_reaped (issue #37193).
func TestThreadsReaped(t *testing.T) {
	s, err := socketserver.NewThreadingTCPServer(pysock.Tuple{host, 0}, socketserver.HandlerClass[socketserver.StreamRequestHandler]())
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		c, err := pysock.CreateConnection(s.ServerAddress)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.HandleRequest(); err != nil {
			t.Fatal(err)
		}
		// The request's goroutine has shut the connection down once the
		// client sees EOF (Python's thread start waits for the thread to
		// run; a goroutine may not have run yet).
		if data, err := c.Recv(1); err != nil || len(data) != 0 {
			t.Fatalf("recv = %q, %v", data, err)
		}
		c.Close()
	}
	if n := socketserver.ThreadCount(&s.ThreadingMixIn); n >= 10 {
		t.Fatalf("len(_threads) = %d", n)
	}
	s.ServerClose()
}
