package socketserver

import "github.com/pysock/pysock/pysock"

// DatagramRequestHandler is socketserver.DatagramRequestHandler: Setup
// gives the handler the datagram as RFile and an empty WFile; Finish sends
// what was written to WFile back to the client.
type DatagramRequestHandler struct {
	BaseRequestHandler
	// Packet is self.packet, the datagram.
	Packet []byte
	// Socket is self.socket, the server's socket.
	Socket *pysock.Socket
	// RFile is self.rfile, BytesIO(packet).
	RFile *BytesIO
	// WFile is self.wfile, BytesIO().
	WFile *BytesIO
}

// Setup is DatagramRequestHandler.setup().
func (h *DatagramRequestHandler) Setup() error {
	h.Packet, h.Socket = h.Request.Data, h.Request.Socket
	h.RFile = NewBytesIO(h.Packet)
	h.WFile = NewBytesIO(nil)
	return nil
}

// Finish is DatagramRequestHandler.finish():
// socket.sendto(wfile.getvalue(), client_address).
func (h *DatagramRequestHandler) Finish() error {
	data, err := h.WFile.GetValue()
	if err != nil {
		return err
	}
	_, err = h.Socket.SendTo(data, h.ClientAddress)
	return err
}
