package socketserver_test

import (
	"bytes"
	"strings"
	"testing"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"github.com/pysock/pysock/pysock/socketserver"
)

// TestHandleErrorOutput checks what the default handle_error prints.
func TestHandleErrorOutput(t *testing.T) {
	var buf bytes.Buffer
	old := socketserver.Stderr
	socketserver.Stderr = &buf
	defer func() { socketserver.Stderr = old }()
	s := socketserver.NewBaseServer(nil, nil)
	s.HandleError(socketserver.Request{}, pysock.InetAddr{Host: "127.0.0.1", Port: 4242}, pyerr.NewValueError("Test error"))
	want := strings.Repeat("-", 40) + "\nException occurred during processing of request from ('127.0.0.1', 4242)\nValueError: Test error\n" + strings.Repeat("-", 40) + "\n"
	if buf.String() != want {
		t.Fatalf("got %q\nwant %q", buf.String(), want)
	}
}
