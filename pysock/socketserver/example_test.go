package socketserver_test

import (
	"bytes"
	"fmt"

	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

// MyTCPHandler is the Python documentation's MyTCPHandler:
//
//	class MyTCPHandler(socketserver.StreamRequestHandler):
//	    def handle(self):
//	        self.data = self.rfile.readline().strip()
//	        self.wfile.write(self.data.upper())
type MyTCPHandler struct {
	socketserver.StreamRequestHandler
	data []byte
}

func (h *MyTCPHandler) Handle() error {
	line, err := h.RFile.ReadLine()
	if err != nil {
		return err
	}
	h.data = bytes.TrimSpace(line)
	_, err = h.WFile.Write(bytes.ToUpper(h.data))
	return err
}

// LocalOnly overrides verify_request:
//
//	class LocalOnly(socketserver.TCPServer):
//	    def verify_request(self, request, client_address):
//	        return client_address[0] == '127.0.0.1'
type LocalOnly struct{ socketserver.TCPServer }

func (s *LocalOnly) VerifyRequest(request socketserver.Request, clientAddress pysock.Address) bool {
	return clientAddress.(pysock.InetAddr).Host == "127.0.0.1"
}

// A handler class and a server class, each overriding one method; the
// server handles one request from a client in the same program.
func Example() {
	server := &LocalOnly{}
	if err := server.Init(server, pysock.Tuple{"127.0.0.1", 0}, socketserver.HandlerClass[MyTCPHandler]()); err != nil {
		fmt.Println(err)
		return
	}
	defer server.ServerClose() // with LocalOnly(...) as server:

	client, err := pysock.CreateConnection(server.ServerAddress)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer client.Close()
	client.SendAll([]byte("hello world\n"))

	if err := server.HandleRequest(); err != nil {
		fmt.Println(err)
		return
	}
	reply, _ := client.Recv(1024)
	fmt.Println(pysock.Repr(pysock.Bytes(reply)))
	// Output: b'HELLO WORLD'
}
