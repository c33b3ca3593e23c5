package pysock_test

import (
	"errors"
	"fmt"
	"io"
	"net"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// A TCP echo exchange, written as the Python would be.
func Example() {
	srv, _ := pysock.CreateServer(pysock.Tuple{"127.0.0.1", 0}) // socket.create_server(('127.0.0.1', 0))
	defer srv.Close()
	addr, _ := srv.GetSockName()
	go func() {
		conn, _, err := srv.Accept() // conn, addr = srv.accept()
		if err != nil {
			return
		}
		defer conn.Close()
		for {
			data, err := conn.Recv(1024) // data = conn.recv(1024)
			if err != nil || len(data) == 0 {
				return
			}
			conn.SendAll(data) // conn.sendall(data)
		}
	}()
	c, _ := pysock.CreateConnection(addr) // c = socket.create_connection(addr)
	defer c.Close()
	c.SendAll([]byte("hello"))
	data, _ := c.Recv(1024)
	fmt.Println(pysock.Repr(pysock.Bytes(data)))
	// Output: b'hello'
}

// settimeout, and what "except socket.timeout:" becomes.
func ExampleSocket_SetTimeout() {
	a, b, _ := pysock.SocketPair(-1, -1, -1)
	defer a.Close()
	defer b.Close()
	a.SetTimeout(0.05) // a.settimeout(0.05)
	_, err := a.Recv(10)
	var timeout *pyerr.TimeoutError
	if errors.As(err, &timeout) { // except socket.timeout as e:
		fmt.Println("timed out:", err) // str(e)
	}
	fmt.Println(a.GetTimeout(), pysock.Repr(a.GetBlocking())) // print(a.gettimeout(), a.getblocking())
	// Output:
	// timed out: timed out
	// 0.05 True
}

// setblocking(False), the BlockingIOError, and select.
func ExampleSelect() {
	a, b, _ := pysock.SocketPair(-1, -1, -1)
	defer a.Close()
	defer b.Close()
	a.SetBlocking(false)
	_, err := a.Recv(10)
	fmt.Println(err) // [Errno 11] Resource temporarily unavailable
	b.Send([]byte("x"))
	readable, _, _, _ := pysock.Select([]any{a}, nil, nil, 1.0)
	fmt.Println(pysock.Repr(len(readable) == 1 && readable[0] == any(a))) // same object back
	// Output:
	// [Errno 11] Resource temporarily unavailable
	// True
}

// A selectors loop with callbacks in key.Data, as selectors_echo_server.py.
func ExampleDefaultSelector() {
	sel, _ := pysock.DefaultSelector()
	defer sel.Close()
	a, b, _ := pysock.SocketPair(-1, -1, -1)
	defer a.Close()
	defer b.Close()
	a.SetBlocking(false)
	onRead := func(s *pysock.Socket) {
		data, _ := s.Recv(1024)
		fmt.Println("read", pysock.Repr(pysock.Bytes(data)))
	}
	sel.Register(a, pysock.EVENT_READ, onRead)
	b.Send([]byte("ping"))
	events, _ := sel.Select(1.0)
	for _, ev := range events {
		ev.Key.Data.(func(*pysock.Socket))(ev.Key.FileObj.(*pysock.Socket))
	}
	// Output: read b'ping'
}

// The same loop with a typed selector: the key's file object and data keep
// their types, so no assertion is needed at each event.
func ExampleSelectorOf() {
	ep, err := pysock.DefaultSelector()
	if err != nil {
		fmt.Println(err)
		return
	}
	sel := pysock.SelectorOf[*pysock.Socket, func(*pysock.Socket) error](ep)
	defer sel.Close()
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer a.Close()
	defer b.Close()
	onRead := func(s *pysock.Socket) error {
		data, err := s.Recv(1024)
		if err != nil {
			return err
		}
		fmt.Println("read", pysock.Repr(pysock.Bytes(data)))
		return nil
	}
	if _, err := sel.Register(a, pysock.EVENT_READ, onRead); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := b.Send([]byte("ping")); err != nil {
		fmt.Println(err)
		return
	}
	events, err := sel.Select(1.0)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ev := range events {
		callback := ev.Key.Data
		if err := callback(ev.Key.FileObj); err != nil {
			fmt.Println(err)
		}
	}
	// Output: read b'ping'
}

// A pysock socket handed to Go code that wants a net.Conn.
func ExampleSocket_NetConn() {
	a, b, _ := pysock.SocketPair(-1, -1, -1)
	defer b.Close()
	var conn net.Conn = a.NetConn()
	go func() {
		io.WriteString(conn, "through net.Conn")
		conn.Close()
	}()
	data, _ := io.ReadAll(b) // Socket is an io.Reader
	fmt.Println(string(data))
	// Output: through net.Conn
}
