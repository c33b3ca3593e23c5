package pymotw

import (
	"fmt"

	"github.com/pysock/pysock/pysock"
)

// SelectorsEchoServer is selectors_echo_server.py: callbacks stored in the
// selector keys; it serves one client and exits.
func SelectorsEchoServer(out func(string), host string, port int, ready func(int)) (err error) {
	mysel, err := pysock.DefaultSelector()
	if err != nil {
		return err
	}
	defer func() {
		// mysel.close(); server.close(). On an error return, connections
		// still registered are closed too (the Python program leaves them
		// to the garbage collector).
		if m := mysel.GetMap(); m != nil {
			for _, k := range m.Values() {
				if s, ok := k.FileObj.(*pysock.Socket); ok {
					CloseInto(&err, s)
				}
			}
		}
		CloseInto(&err, mysel)
	}()
	keepRunning := true
	type callback func(*pysock.Socket, int) error

	read := func(connection *pysock.Socket, mask int) error {
		clientAddress, err := connection.GetPeerName()
		if err != nil {
			return err
		}
		out(fmt.Sprintf("read(%s)", clientAddress))
		data, err := connection.Recv(1024)
		if err != nil {
			return err
		}
		if len(data) > 0 {
			out(fmt.Sprintf("  received %s", r(b(data))))
			return connection.SendAll(data)
		}
		out("  closing")
		if _, err := mysel.Unregister(connection); err != nil {
			return err
		}
		keepRunning = false
		return connection.Close()
	}
	accept := func(sock *pysock.Socket, mask int) error {
		newConnection, addr, err := sock.Accept()
		if err != nil {
			return err
		}
		out(fmt.Sprintf("accept(%s)", addr))
		if err = newConnection.SetBlocking(false); err == nil {
			_, err = mysel.Register(newConnection, pysock.EVENT_READ, callback(read))
		}
		if err != nil {
			CloseInto(&err, newConnection) // not registered, so the deferred loop misses it
		}
		return err
	}

	server, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	defer CloseInto(&err, server) // runs before the selector's deferred close
	if err := server.SetBlocking(false); err != nil {
		return err
	}
	if err := server.Bind(pysock.Tuple{host, port}); err != nil {
		return err
	}
	bound, err := boundPort(server)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("starting up on %s port %d", host, bound))
	if err := server.Listen(5); err != nil {
		return err
	}
	if _, err := mysel.Register(server, pysock.EVENT_READ, callback(accept)); err != nil {
		return err
	}
	ready(bound)
	for keepRunning {
		out("waiting for I/O")
		events, err := mysel.Select(1)
		if err != nil {
			return err
		}
		for _, ev := range events {
			cb := ev.Key.Data.(callback)
			if err := cb(ev.Key.FileObj.(*pysock.Socket), ev.Events); err != nil {
				return err
			}
		}
	}
	out("shutting down")
	return nil
}

// SelectorsEchoClient is selectors_echo_client.py: a blocking connect,
// then non-blocking I/O driven by the selector.
func SelectorsEchoClient(out func(string), host string, port int) (err error) {
	mysel, err := pysock.DefaultSelector()
	if err != nil {
		return err
	}
	defer CloseInto(&err, mysel)
	keepRunning := true
	outgoing := [][]byte{[]byte("It will be repeated."), []byte("This is the message.  ")}
	bytesSent, bytesReceived := 0, 0
	out(fmt.Sprintf("connecting to %s port %d", host, port))
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	defer CloseInto(&err, sock) // connection.close(): the one socket
	if err := sock.Connect(pysock.Tuple{host, port}); err != nil {
		return err
	}
	if err := sock.SetBlocking(false); err != nil {
		return err
	}
	if _, err := mysel.Register(sock, pysock.EVENT_READ|pysock.EVENT_WRITE); err != nil {
		return err
	}
	var connection *pysock.Socket
	for keepRunning {
		out("waiting for I/O")
		events, err := mysel.Select(1)
		if err != nil {
			return err
		}
		for _, ev := range events {
			connection = ev.Key.FileObj.(*pysock.Socket)
			clientAddress, err := connection.GetPeerName()
			if err != nil {
				return err
			}
			out(fmt.Sprintf("client(%s)", clientAddress))
			if ev.Events&pysock.EVENT_READ != 0 {
				out("  ready to read")
				data, err := connection.Recv(1024)
				if err != nil {
					return err
				}
				if len(data) > 0 {
					out(fmt.Sprintf("  received %s", r(b(data))))
					bytesReceived += len(data)
				}
				keepRunning = !(len(data) > 0 || (bytesReceived > 0 && bytesReceived == bytesSent))
			}
			if ev.Events&pysock.EVENT_WRITE != 0 {
				out("  ready to write")
				if len(outgoing) == 0 {
					out("  switching to read-only")
					if _, err := mysel.Modify(sock, pysock.EVENT_READ); err != nil {
						return err
					}
				} else {
					nextMsg := outgoing[len(outgoing)-1] // outgoing.pop()
					outgoing = outgoing[:len(outgoing)-1]
					out(fmt.Sprintf("  sending %s", r(b(nextMsg))))
					if err := sock.SendAll(nextMsg); err != nil {
						return err
					}
					bytesSent += len(nextMsg)
				}
			}
		}
	}
	out("shutting down")
	if connection != nil {
		if _, err := mysel.Unregister(connection); err != nil {
			return err
		}
	}
	return nil
}
