// Command socketserver_handler is the threaded echo server of docs/porting.md
// ("A socketserver handler"): a ThreadingTCPServer subclass with a
// StreamRequestHandler subclass, ported line by line from the Python shown
// there. It serves on 127.0.0.1:9999 (or the port given as the first
// argument) until interrupted; each line a client sends comes back in
// upper case.
package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"

	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

type EchoHandler struct {
	socketserver.StreamRequestHandler
}

func (h *EchoHandler) Handle() error {
	for line, err := range h.RFile.Lines() { // for line in self.rfile:
		if err != nil {
			return err
		}
		if _, err := h.WFile.Write(bytes.ToUpper(line)); err != nil {
			return err
		}
	}
	return nil
}

type EchoServer struct {
	socketserver.ThreadingTCPServer
}

func (s *EchoServer) VerifyRequest(request socketserver.Request, clientAddress pysock.Address) bool {
	return clientAddress.(pysock.InetAddr).Host == "127.0.0.1"
}

func run(port int) (err error) {
	server := &EchoServer{}
	server.AllowReuseAddress = true // class attributes, before __init__
	server.DaemonThreads = true
	handler := func() socketserver.RequestHandler { // EchoHandler, with timeout = 5
		h := &EchoHandler{}
		h.Timeout = 5
		return h
	}
	if err := server.Init(server, pysock.Tuple{"127.0.0.1", port}, handler); err != nil {
		return err
	}
	defer func() { // with ... as server: server_close() on the way out
		if cerr := server.ServerClose(); err == nil {
			err = cerr
		}
	}()
	fmt.Println("serving on", server.ServerAddress)
	return server.ServeForever()
}

func main() {
	port := 9999
	if len(os.Args) > 1 {
		p, err := strconv.Atoi(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "usage: socketserver_handler [port]")
			os.Exit(2)
		}
		port = p
	}
	if err := run(port); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
