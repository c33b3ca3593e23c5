package pymotw

import (
	"fmt"
	"time"

	"github.com/pysock/pysock/pysock"
)

// SelectEchoSlowClient is select_echo_slow_client.py: it sleeps after
// connecting and between the two parts, then reads the echo in 16-byte
// chunks (showing the stream coalescing: 'message.Part two').
func SelectEchoSlowClient(out func(string), host string, port int, firstSleep, between time.Duration) error {
	sock, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("connecting to %s port %d", host, port))
	if err := sock.Connect(pysock.Tuple{host, port}); err != nil {
		sock.Close()
		return err
	}
	time.Sleep(firstSleep)
	messages := [][]byte{[]byte("Part one of the message."), []byte("Part two of the message.")}
	defer func() {
		out("closing socket")
		sock.Close()
	}()
	expected := 0
	for _, m := range messages {
		expected += len(m)
	}
	for _, m := range messages {
		out(fmt.Sprintf("sending %s", r(b(m))))
		if err := sock.SendAll(m); err != nil {
			return err
		}
		time.Sleep(between)
	}
	for received := 0; received < expected; {
		data, err := sock.Recv(16)
		if err != nil {
			return err
		}
		received += len(data)
		out(fmt.Sprintf("received %s", r(b(data))))
	}
	return nil
}

// PollEchoServer is select_poll_echo_server.py: the echo server on
// select.poll with poll(1000), register/modify/unregister and an fd →
// socket map; it stops once `clients` connections have closed.
func PollEchoServer(out func(string), host string, port int, ready func(int), clients int) error {
	server, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
	if err != nil {
		return err
	}
	defer server.Close()
	server.SetBlocking(false)
	if err := server.Bind(pysock.Tuple{host, port}); err != nil {
		return err
	}
	name, _ := server.GetSockName()
	out(fmt.Sprintf("starting up on %s port %d", host, name.(pysock.InetAddr).Port))
	server.Listen(5)
	ready(name.(pysock.InetAddr).Port)
	const timeout = 1000
	const readOnly = pysock.POLLIN | pysock.POLLPRI | pysock.POLLHUP | pysock.POLLERR
	const readWrite = readOnly | pysock.POLLOUT
	poller := pysock.Poll()
	poller.Register(server, readOnly)
	fdToSocket := map[int]*pysock.Socket{server.Fileno(): server}
	messageQueues := map[*pysock.Socket][][]byte{}
	defer func() {
		for _, s := range fdToSocket {
			s.Close()
		}
	}()
	var clientAddress pysock.Address
	closed := 0
	for closed < clients {
		out("waiting for the next event")
		events, err := poller.Poll(timeout)
		if err != nil {
			return err
		}
		for _, ev := range events {
			s := fdToSocket[ev.Fd]
			flag := ev.Events
			switch {
			case flag&(pysock.POLLIN|pysock.POLLPRI) != 0:
				if s == server {
					connection, addr, err := s.Accept()
					if err != nil {
						return err
					}
					clientAddress = addr
					out(fmt.Sprintf("  connection %s", clientAddress))
					connection.SetBlocking(false)
					fdToSocket[connection.Fileno()] = connection
					poller.Register(connection, readOnly)
					messageQueues[connection] = nil
					continue
				}
				data, err := s.Recv(1024)
				if err != nil {
					return err
				}
				if len(data) > 0 {
					peer, _ := s.GetPeerName()
					out(fmt.Sprintf("  received %s from %s", r(b(data)), peer))
					messageQueues[s] = append(messageQueues[s], data)
					poller.Modify(s, readWrite)
					continue
				}
				out(fmt.Sprintf("  closing %s", clientAddress))
				poller.Unregister(s)
				delete(fdToSocket, ev.Fd)
				s.Close()
				delete(messageQueues, s)
				closed++
			case flag&pysock.POLLHUP != 0:
				out(fmt.Sprintf("  closing %s (HUP)", clientAddress))
				poller.Unregister(s)
				delete(fdToSocket, ev.Fd)
				s.Close()
				closed++
			case flag&pysock.POLLOUT != 0:
				peer, _ := s.GetPeerName()
				q := messageQueues[s]
				if len(q) == 0 {
					out(fmt.Sprintf("%s queue empty", peer))
					poller.Modify(s, readOnly)
					continue
				}
				messageQueues[s] = q[1:]
				out(fmt.Sprintf("  sending %s to %s", r(b(q[0])), peer))
				if _, err := s.Send(q[0]); err != nil {
					return err
				}
			case flag&pysock.POLLERR != 0:
				peer, _ := s.GetPeerName()
				out(fmt.Sprintf("  exception on %s", peer))
				poller.Unregister(s)
				delete(fdToSocket, ev.Fd)
				s.Close()
				delete(messageQueues, s)
			}
		}
	}
	return nil
}
