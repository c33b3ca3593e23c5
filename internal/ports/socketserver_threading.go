package ports

import (
	"bytes"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

func init() { All["socketserver_threading"] = SocketserverThreading }

// pyEvent is threading.Event, as far as the scenarios use it.
type pyEvent struct {
	once sync.Once
	ch   chan struct{}
}

func newPyEvent() *pyEvent { return &pyEvent{ch: make(chan struct{})} }
func (e *pyEvent) set()    { e.once.Do(func() { close(e.ch) }) }
func (e *pyEvent) wait()   { <-e.ch }
func (e *pyEvent) isSet() bool {
	select {
	case <-e.ch:
		return true
	default:
		return false
	}
}
func (e *pyEvent) waitFor(d time.Duration) bool {
	select {
	case <-e.ch:
		return true
	case <-time.After(d):
		return false
	}
}

type thEcho struct {
	socketserver.StreamRequestHandler
}

func (h *thEcho) Handle() error {
	h.Server.(*thServer).started.set()
	line, err := h.RFile.ReadLine()
	if err != nil {
		return err
	}
	_, err = h.WFile.Write(line)
	return err
}

type thServer struct {
	socketserver.ThreadingTCPServer
	started, finished *pyEvent
}

func newThServer() (*thServer, error) {
	s := &thServer{started: newPyEvent(), finished: newPyEvent()}
	return s, s.Init(s, pysock.Tuple{"127.0.0.1", 0}, socketserver.HandlerClass[thEcho]())
}

func (s *thServer) ShutdownRequest(request socketserver.Request) error {
	err := s.ThreadingTCPServer.ShutdownRequest(request)
	s.finished.set()
	return err
}

func thEchoClient(addr any, msg []byte) (any, error) {
	c, err := pysock.CreateConnection(addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	if err := c.SendAll(msg); err != nil {
		return nil, err
	}
	var data []byte
	for !bytes.HasSuffix(data, []byte("\n")) {
		chunk, err := c.Recv(1024)
		if err != nil {
			return nil, err
		}
		if len(chunk) == 0 {
			break
		}
		data = append(data, chunk...)
	}
	return pysock.Bytes(data), nil
}

// SocketserverThreading is the twin of scenarios/socketserver_threading.py.
func SocketserverThreading(t *Transcript) error {
	server, err := newThServer()
	if err != nil {
		return err
	}
	t.Out("block_on_close=%s daemon_threads=%s", R(server.BlockOnClose == nil), R(server.DaemonThreads))
	result := make(chan error, 1)
	go func() { result <- server.ServeForever(0.05) }()
	for i := range 3 {
		t.Show(fmt.Sprintf("client %d", i), func() (any, error) {
			return thEchoClient(server.ServerAddress, fmt.Appendf(nil, "line %d\n", i))
		})
	}
	t.Do("shutdown", func() error { server.Shutdown(); return nil })
	if err := <-result; err != nil {
		return err
	}
	t.Out("serve_forever returned [None]")
	t.Do("server_close", server.ServerClose)

	server, err = newThServer()
	if err != nil {
		return err
	}
	go func() { result <- server.ServeForever(0.05) }()
	var clients []*pysock.Socket
	for range 3 {
		c, err := pysock.CreateConnection(server.ServerAddress)
		if err != nil {
			return err
		}
		defer c.Close()
		clients = append(clients, c)
	}
	for i, c := range slices.Backward(clients) {
		c.SendAll(fmt.Appendf(nil, "together %d\n", i))
		data, err := c.Recv(1024)
		if err != nil {
			return err
		}
		t.Out("together %d: %s", i, R(pysock.Bytes(data)))
		c.Close()
	}
	server.Shutdown()
	if err := <-result; err != nil {
		return err
	}
	server.ServerClose()

	for _, daemon := range []bool{false, true} {
		if err := thCloseWhileHandling(t, daemon); err != nil {
			return err
		}
	}
	return nil
}

func thCloseWhileHandling(t *Transcript, daemon bool) error {
	server, err := newThServer()
	if err != nil {
		return err
	}
	server.DaemonThreads = daemon
	name := "daemon=False"
	if daemon {
		name = "daemon=True"
	}
	closed := newPyEvent()
	c, err := pysock.CreateConnection(server.ServerAddress)
	if err != nil {
		return err
	}
	defer c.Close()
	t.Do(name+" handle_request", server.HandleRequest)
	server.started.wait()
	closer := make(chan struct{})
	go func() {
		defer close(closer)
		server.ServerClose()
		closed.set()
	}()
	t.Timed(name+" server_close done", func() (any, error) { return closed.waitFor(T), nil })
	c.SendAll([]byte("late line\n"))
	data, err := c.Recv(1024)
	if err != nil {
		return err
	}
	t.Out("%s client got %s", name, R(pysock.Bytes(data)))
	<-closer
	t.Out("%s server_close done=%s", name, R(closed.isSet()))
	server.finished.wait()
	t.Out("%s handler finished=%s", name, R(server.finished.isSet()))
	return nil
}
