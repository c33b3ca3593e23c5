package ports

import (
	"bytes"
	"os"
	"path/filepath"

	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

func init() { All["socketserver_echo"] = SocketserverEcho }

type echoStream struct {
	socketserver.StreamRequestHandler
	t *Transcript
}

func (h *echoStream) Handle() error {
	h.t.Out("stream handler: client_address=%s", R(h.ClientAddress))
	line, err := h.RFile.ReadLine()
	if err != nil {
		return err
	}
	h.t.Out("stream handler: readline=%s", R(pysock.Bytes(line)))
	n, err := h.WFile.Write(bytes.ToUpper(line))
	if err != nil {
		return err
	}
	h.t.Out("stream handler: write=%d", n)
	fd, err := h.WFile.Fileno()
	if err != nil {
		return err
	}
	h.t.Out("stream handler: wfile.fileno matches=%s", R(fd == h.Request.Fileno()))
	return nil
}

type echoDgram struct {
	socketserver.DatagramRequestHandler
	t *Transcript
}

func (h *echoDgram) Handle() error {
	h.t.Out("dgram handler: client_address=%s", R(h.ClientAddress))
	h.t.Out("dgram handler: packet=%s", R(pysock.Bytes(h.Packet)))
	line, err := h.RFile.ReadLine()
	if err != nil {
		return err
	}
	h.t.Out("dgram handler: readline=%s", R(pysock.Bytes(line)))
	_, err = h.WFile.Write(bytes.ToUpper(line))
	return err
}

// tcpServerOf is what the scenarios read from any server class.
type tcpServerOf interface {
	socketserver.Server
	tcp() *socketserver.TCPServer
}

type (
	ssTCP        struct{ socketserver.TCPServer }
	ssUnixStream struct{ socketserver.UnixStreamServer }
	ssUDP        struct{ socketserver.UDPServer }
	ssUnixDgram  struct {
		socketserver.UnixDatagramServer
	}
)

func (s *ssTCP) tcp() *socketserver.TCPServer        { return &s.TCPServer }
func (s *ssUnixStream) tcp() *socketserver.TCPServer { return &s.TCPServer }
func (s *ssUDP) tcp() *socketserver.TCPServer        { return &s.TCPServer }
func (s *ssUnixDgram) tcp() *socketserver.TCPServer  { return &s.TCPServer }

// SocketserverEcho is the twin of scenarios/socketserver_echo.py.
func SocketserverEcho(t *Transcript) error {
	tmp, err := os.MkdirTemp("", "pysock-ss")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	t.RegisterSub(tmp, "<tmp>")
	stream := func() socketserver.RequestHandler { return &echoStream{t: t} }
	dgram := func() socketserver.RequestHandler { return &echoDgram{t: t} }

	s1 := &ssTCP{}
	if err := s1.Init(s1, pysock.Tuple{"127.0.0.1", 0}, stream); err != nil {
		return err
	}
	if err := ssStream(t, "TCPServer", s1, pysock.AF_INET); err != nil {
		return err
	}
	s2 := &ssUnixStream{}
	if err := s2.Init(s2, filepath.Join(tmp, "stream"), stream); err != nil {
		return err
	}
	if err := ssStream(t, "UnixStreamServer", s2, pysock.AF_UNIX); err != nil {
		return err
	}
	s3 := &ssUDP{}
	if err := s3.Init(s3, pysock.Tuple{"127.0.0.1", 0}, dgram); err != nil {
		return err
	}
	if err := ssDgram(t, "UDPServer", s3, pysock.AF_INET, nil); err != nil {
		return err
	}
	s4 := &ssUnixDgram{}
	if err := s4.Init(s4, filepath.Join(tmp, "dgram"), dgram); err != nil {
		return err
	}
	return ssDgram(t, "UnixDatagramServer", s4, pysock.AF_UNIX, filepath.Join(tmp, "client"))
}

func ssStream(t *Transcript, name string, server tcpServerOf, family pysock.AddressFamily) error {
	defer server.ServerClose()
	b := server.tcp()
	t.Out("%s: server_address=%s", name, R(b.ServerAddress))
	t.Out("%s: fileno matches=%s", name, R(server.Fileno() == b.Socket.Fileno()))
	c, err := pysock.NewSocket(family, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Connect(b.ServerAddress); err != nil {
		return err
	}
	if err := c.SendAll([]byte("hello stream\nnot read\n")); err != nil {
		return err
	}
	t.Do(name+": handle_request", server.HandleRequest)
	var data []byte
	for {
		chunk, err := c.Recv(1024)
		if err != nil {
			return err
		}
		if len(chunk) == 0 {
			break
		}
		data = append(data, chunk...)
	}
	t.Out("%s: client got %s", name, R(pysock.Bytes(data)))
	c.Close()
	server.ServerClose()
	t.Out("%s: fileno after server_close=%d", name, b.Socket.Fileno())
	return nil
}

func ssDgram(t *Transcript, name string, server tcpServerOf, family pysock.AddressFamily, clientAddr any) error {
	defer server.ServerClose()
	b := server.tcp()
	t.Out("%s: server_address=%s", name, R(b.ServerAddress))
	c, err := pysock.NewSocket(family, pysock.SOCK_DGRAM, -1)
	if err != nil {
		return err
	}
	defer c.Close()
	if clientAddr != nil {
		if err := c.Bind(clientAddr); err != nil {
			return err
		}
	}
	if _, err := c.SendTo([]byte("hello dgram\nsecond line\n"), b.ServerAddress); err != nil {
		return err
	}
	t.Do(name+": handle_request", server.HandleRequest)
	data, addr, err := c.RecvFrom(1024)
	if err != nil {
		return err
	}
	t.Out("%s: client got %s from %s", name, R(pysock.Bytes(data)), R(addr))
	c.Close()
	server.ServerClose()
	t.Out("%s: fileno after server_close=%d", name, b.Socket.Fileno())
	return nil
}
