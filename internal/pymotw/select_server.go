package pymotw

import (
	"fmt"
	"slices"

	"github.com/pysock/pysock/pysock"
)

// SelectEchoServer is select_echo_server.py (timeout nil) and
// select_echo_server_timeout.py (timeout 1): a non-blocking echo server on
// select.select that stops once `clients` connections have closed. Unlike
// the upstream program it skips a socket closed earlier in the same round
// (the KeyError race described in docs/pymotw.md).
func SelectEchoServer(out func(string), host string, port int, ready func(int), clients int, timeout any) (err error) {
	server, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	inputs := []any{server}
	defer func() { // for s in inputs: s.close()
		for _, s := range inputs {
			CloseInto(&err, s.(*pysock.Socket))
		}
	}()
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
	ready(bound)

	var outputs []any
	messageQueues := map[*pysock.Socket][][]byte{}
	remove := func(list []any, s any) []any { return slices.DeleteFunc(list, func(x any) bool { return x == s }) }
	var clientAddress pysock.Address
	closed := 0
	for len(inputs) > 0 && closed < clients {
		out("waiting for the next event")
		var readable, writable, exceptional []any
		if timeout == nil {
			readable, writable, exceptional, err = pysock.Select(inputs, outputs, inputs)
		} else {
			readable, writable, exceptional, err = pysock.Select(inputs, outputs, inputs, timeout)
		}
		if err != nil {
			return err
		}
		if timeout != nil && len(readable)+len(writable)+len(exceptional) == 0 {
			out("  timed out, do some other work here")
			continue
		}
		for _, x := range readable {
			s := x.(*pysock.Socket)
			if s == server {
				connection, addr, err := s.Accept()
				if err != nil {
					return err
				}
				clientAddress = addr
				out(fmt.Sprintf("  connection from %s", clientAddress))
				inputs = append(inputs, connection) // closed by the deferred loop if setblocking fails
				if err := connection.SetBlocking(false); err != nil {
					return err
				}
				messageQueues[connection] = nil
				continue
			}
			data, err := s.Recv(1024)
			if err != nil {
				return err
			}
			if len(data) > 0 {
				peer, err := s.GetPeerName()
				if err != nil {
					return err
				}
				out(fmt.Sprintf("  received %s from %s", r(b(data)), peer))
				messageQueues[s] = append(messageQueues[s], data)
				if !slices.Contains(outputs, x) {
					outputs = append(outputs, s)
				}
				continue
			}
			out(fmt.Sprintf("  closing %s", clientAddress)) // upstream prints the last accepted address
			outputs = remove(outputs, s)
			inputs = remove(inputs, s)
			delete(messageQueues, s)
			if err := s.Close(); err != nil {
				return err
			}
			closed++
		}
		for _, x := range writable {
			s := x.(*pysock.Socket)
			q, ok := messageQueues[s]
			if !ok {
				continue // closed earlier in this round
			}
			peer, err := s.GetPeerName()
			if err != nil {
				return err
			}
			if len(q) == 0 {
				out(fmt.Sprintf("  %s queue empty", peer))
				outputs = remove(outputs, s)
				continue
			}
			nextMsg := q[0]
			messageQueues[s] = q[1:]
			out(fmt.Sprintf("  sending %s to %s", r(b(nextMsg)), peer))
			if _, err := s.Send(nextMsg); err != nil {
				return err
			}
		}
		for _, x := range exceptional {
			s := x.(*pysock.Socket)
			peer, err := s.GetPeerName()
			if err != nil {
				return err
			}
			out(fmt.Sprintf("exception condition on %s", peer))
			inputs = remove(inputs, s)
			outputs = remove(outputs, s)
			delete(messageQueues, s)
			if err := s.Close(); err != nil {
				return err
			}
		}
	}
	return nil
}

// SelectEchoMulticlient is select_echo_multiclient.py: two blocking
// sockets take turns sending the three parts and reading the echo.
func SelectEchoMulticlient(out func(string), host string, port int) (err error) {
	messages := [][]byte{[]byte("This is the message. "), []byte("It will be sent "), []byte("in parts.")}
	var socks []*pysock.Socket
	defer func() { // for s in socks: s.close()
		for _, s := range socks {
			CloseInto(&err, s)
		}
	}()
	for range 2 {
		s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
		if err != nil {
			return err
		}
		socks = append(socks, s)
	}
	out(fmt.Sprintf("connecting to %s port %d", host, port))
	for _, s := range socks {
		if err := s.Connect(pysock.Tuple{host, port}); err != nil {
			return err
		}
	}
	for _, message := range messages {
		for _, s := range socks {
			name, err := s.GetSockName()
			if err != nil {
				return err
			}
			out(fmt.Sprintf("%s: sending %s", name, r(b(message))))
			if _, err := s.Send(message); err != nil {
				return err
			}
		}
		for _, s := range socks {
			data, err := s.Recv(1024)
			if err != nil {
				return err
			}
			name, err := s.GetSockName()
			if err != nil {
				return err
			}
			out(fmt.Sprintf("%s: received %s", name, r(b(data))))
			if len(data) == 0 {
				out(fmt.Sprintf("closing socket %s", name))
				if err := s.Close(); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
