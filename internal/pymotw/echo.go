package pymotw

import (
	"fmt"

	"github.com/pysock/pysock/pysock"
)

// EchoServer is socket_echo_server.py: an iterative echo server that reads
// in 16-byte chunks and serves `connections` clients.
func EchoServer(out func(string), host string, port int, ready func(int), connections int) (err error) {
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	defer CloseInto(&err, sock)
	if err := sock.Bind(pysock.Tuple{host, port}); err != nil {
		return err
	}
	bound, err := boundPort(sock)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("starting up on %s port %d", host, bound))
	if err := sock.Listen(1); err != nil {
		return err
	}
	ready(bound)
	for range connections {
		out("waiting for a connection")
		connection, clientAddress, err := sock.Accept()
		if err != nil {
			return err
		}
		if err := echoConnection(out, connection, clientAddress); err != nil {
			return err
		}
	}
	return nil
}

// echoConnection is the per-connection loop the echo servers share: recv
// 16 bytes, send them back, until an empty read; then close.
func echoConnection(out func(string), connection *pysock.Socket, clientAddress pysock.Address) (err error) {
	defer CloseInto(&err, connection) // finally: connection.close()
	out(fmt.Sprintf("connection from %s", clientAddress))
	for {
		data, err := connection.Recv(16)
		if err != nil {
			return err
		}
		out(fmt.Sprintf("received %s", r(b(data))))
		if len(data) == 0 {
			out(fmt.Sprintf("no data from %s", clientAddress))
			return nil
		}
		out("sending data back to the client")
		if err := connection.SendAll(data); err != nil {
			return err
		}
	}
}

// EchoClient is socket_echo_client.py: it sends Message and reads the echo
// in 16-byte chunks.
func EchoClient(out func(string), host string, port int) (err error) {
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("connecting to %s port %d", host, port))
	if err = sock.Connect(pysock.Tuple{host, port}); err != nil {
		CloseInto(&err, sock) // the socket Python leaves to the garbage collector
		return err
	}
	return exchange(out, sock)
}

// exchange is the send-and-read-back part shared by the echo clients.
func exchange(out func(string), sock *pysock.Socket) (err error) {
	defer func() {
		out("closing socket")
		CloseInto(&err, sock)
	}()
	out(fmt.Sprintf("sending %s", r(b(Message))))
	if err := sock.SendAll(Message); err != nil {
		return err
	}
	for received := 0; received < len(Message); {
		data, err := sock.Recv(16)
		if err != nil {
			return err
		}
		received += len(data)
		out(fmt.Sprintf("received %s", r(b(data))))
	}
	return nil
}

// EchoClientEasy is socket_echo_client_easy.py: create_connection, then
// the names of the socket's family, type and protocol.
func EchoClientEasy(out func(string), host string, port int) error {
	sock, err := pysock.CreateConnection(pysock.Tuple{host, port})
	if err != nil {
		return err
	}
	protocols := map[int]string{pysock.IPPROTO_TCP: "IPPROTO_TCP", pysock.IPPROTO_UDP: "IPPROTO_UDP"}
	out(fmt.Sprintf("Family  : %s", sock.Family().Name()))
	out(fmt.Sprintf("Type    : %s", sock.Type().Name()))
	out(fmt.Sprintf("Protocol: %s", protocols[sock.Proto()]))
	out("")
	return exchange(out, sock)
}
