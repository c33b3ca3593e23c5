package ports

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

func init() { All["socketserver_errors"] = SocketserverErrors }

var reThreadN = regexp.MustCompile(`Thread-\d+`)

// ssCaptured runs fn with socketserver.Stderr captured and prints its
// lines, without a traceback's frames (the scenario's captured()).
func ssCaptured(t *Transcript, label string, fn func() error) {
	var buf bytes.Buffer
	old := socketserver.Stderr
	socketserver.Stderr = &buf
	t.Do(label, fn)
	socketserver.Stderr = old
	for _, line := range strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n") {
		if line == "" && buf.Len() == 0 || strings.HasPrefix(line, "Traceback (most recent call last):") || strings.HasPrefix(line, " ") {
			continue
		}
		t.Out("  stderr| %s", reThreadN.ReplaceAllString(line, "Thread-<n>"))
	}
}

func ssClientEOF(c *pysock.Socket) (pysock.Bytes, error) {
	var data []byte
	for {
		chunk, err := c.Recv(1024)
		if err != nil || len(chunk) == 0 {
			return data, err
		}
		data = append(data, chunk...)
	}
}

type errNoop struct {
	socketserver.BaseRequestHandler
	t *Transcript
}

func (h *errNoop) Handle() error {
	h.t.Out("handler called")
	return nil
}

type errTimeoutServer struct {
	socketserver.TCPServer
	t *Transcript
}

func (s *errTimeoutServer) HandleTimeout() error {
	s.t.Out("handle_timeout called")
	return nil
}

type errRefusing struct {
	socketserver.TCPServer
	t              *Transcript
	shutdownCalled int
}

func (s *errRefusing) VerifyRequest(request socketserver.Request, clientAddress pysock.Address) bool {
	s.t.Out("verify_request(%s)", R(clientAddress))
	return false
}

func (s *errRefusing) ShutdownRequest(request socketserver.Request) error {
	s.shutdownCalled++
	return s.TCPServer.ShutdownRequest(request)
}

type errRaising struct {
	socketserver.BaseRequestHandler
}

func (h *errRaising) Handle() error { return pyerr.NewValueError("Test error") }

type errRecvNegative struct {
	socketserver.BaseRequestHandler
}

func (h *errRecvNegative) Handle() error {
	_, err := h.Request.Recv(-1)
	return err
}

type errEmpty struct {
	socketserver.BaseRequestHandler
}

func (h *errEmpty) Handle() error { return pyerr.NewKeyError("missing") }

type errTimesOut struct {
	socketserver.StreamRequestHandler
	t *Transcript
}

func (h *errTimesOut) Handle() error {
	h.t.Out("timeout=%s gettimeout=%s", R(h.Timeout), R(h.Connection.GetTimeout()))
	_, err := h.RFile.ReadLine()
	return err
}

type errReraising struct {
	socketserver.ThreadingTCPServer
	t *Transcript
}

func (s *errReraising) HandleError(request socketserver.Request, clientAddress pysock.Address, err error) error {
	s.t.Out("handle_error(%s)", R(clientAddress))
	return err
}

// SocketserverErrors is the twin of scenarios/socketserver_errors.py.
func SocketserverErrors(t *Transcript) error {
	tmp, err := os.MkdirTemp("", "pysock-sserr")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	t.RegisterSub(tmp, "<tmp>")
	noop := func() socketserver.RequestHandler { return &errNoop{t: t} }
	local := pysock.Tuple{"127.0.0.1", 0}

	ts := &errTimeoutServer{t: t}
	ts.Timeout = T.Seconds()
	if err := ts.Init(ts, local, noop); err != nil {
		return err
	}
	t.TimedDo("timeout attr: handle_request", ts.HandleRequest)
	ts.Timeout = nil
	ts.Socket.SetTimeout(T.Seconds())
	t.TimedDo("socket timeout: handle_request", ts.HandleRequest)
	ts.Timeout = 30
	t.TimedDo("both (min): handle_request", ts.HandleRequest)
	ts.ServerClose()

	rs := &errRefusing{t: t}
	if err := rs.Init(rs, local, noop); err != nil {
		return err
	}
	if err := ssWithClient(rs.ServerAddress, func(c *pysock.Socket) error {
		t.Do("refused: handle_request", rs.HandleRequest)
		data, err := ssClientEOF(c)
		t.Out("refused: client got %s", R(data))
		return err
	}); err != nil {
		return err
	}
	t.Out("refused: shutdown_called=%d", rs.shutdownCalled)
	rs.ServerClose()

	for _, c := range []struct {
		name    string
		handler socketserver.HandlerFactory
	}{
		{"ValueError", socketserver.HandlerClass[errRaising]()},
		{"recv(-1)", socketserver.HandlerClass[errRecvNegative]()},
		{"KeyError", socketserver.HandlerClass[errEmpty]()},
		{"handler timeout", func() socketserver.RequestHandler {
			h := &errTimesOut{t: t}
			h.Timeout = T.Seconds()
			return h
		}},
	} {
		s, err := socketserver.NewTCPServer(local, c.handler)
		if err != nil {
			return err
		}
		err = ssWithClient(s.ServerAddress, func(cl *pysock.Socket) error {
			ssCaptured(t, c.name+": handle_request", s.HandleRequest)
			data, err := ssClientEOF(cl)
			t.Out("%s: client got %s", c.name, R(data))
			return err
		})
		s.ServerClose()
		if err != nil {
			return err
		}
	}

	path := filepath.Join(tmp, "sock")
	us, err := socketserver.NewUnixStreamServer(path, socketserver.HandlerClass[errRaising]())
	if err != nil {
		return err
	}
	if err := ssWithClient(path, func(*pysock.Socket) error {
		ssCaptured(t, "unix: handle_request", us.HandleRequest)
		return nil
	}); err != nil {
		return err
	}
	us.ServerClose()
	os.Remove(path)

	rr := &errReraising{t: t}
	if err := rr.Init(rr, local, socketserver.HandlerClass[errRaising]()); err != nil {
		return err
	}
	if err := ssWithClient(rr.ServerAddress, func(c *pysock.Socket) error {
		ssCaptured(t, "thread: handle_request and server_close", func() error {
			err := rr.HandleRequest()
			rr.ServerClose()
			return err
		})
		data, err := ssClientEOF(c)
		t.Out("thread: client got %s", R(data))
		return err
	}); err != nil {
		return err
	}

	t.Show("port -1", func() (any, error) { return socketserver.NewTCPServer(pysock.Tuple{"127.0.0.1", -1}, noop) })
	s, err := socketserver.NewTCPServer(local, noop)
	if err != nil {
		return err
	}
	defer s.ServerClose()
	t.Show("address in use", func() (any, error) { return socketserver.NewTCPServer(s.ServerAddress, noop) })
	t.Show("bad request_queue_size", func() (any, error) {
		q := &socketserver.TCPServer{RequestQueueSize: "5"}
		return q, q.Init(q, local, noop)
	})
	return nil
}

// ssWithClient is "with socket.create_connection(addr) as c:" (a path is
// an AF_UNIX stream socket's address).
func ssWithClient(addr any, body func(c *pysock.Socket) error) error {
	var c *pysock.Socket
	var err error
	if path, ok := addr.(string); ok {
		if c, err = pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_STREAM, -1); err == nil {
			if err = c.Connect(path); err != nil {
				c.Close()
			}
		}
	} else {
		c, err = pysock.CreateConnection(addr)
	}
	if err != nil {
		return err
	}
	defer c.Close()
	return body(c)
}
