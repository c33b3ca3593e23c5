package pysock_test

import (
	"fmt"
	"net"
	"os"
	"testing"

	"github.com/pysock/pysock/pysock"
)

// TestNetAdapterAbstractUnixNames: the adapters write an abstract AF_UNIX
// name as Go's net does, with '@' for the leading NUL, and take '@' back
// as abstract: an address from Go's net and one from pysock's adapter
// are the same string, and WriteTo a Go-style abstract address reaches
// the socket bound there. (pysock did: "\x00name" out, and '@name' in
// was a path.)
func TestNetAdapterAbstractUnixNames(t *testing.T) {
	name := fmt.Sprintf("pysock-abstract-%d", os.Getpid())
	r, err := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Bind("\x00" + name); err != nil {
		t.Fatal(err)
	}
	goConn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: "@" + name + "-go", Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	defer goConn.Close()
	if got, want := r.NetPacketConn().LocalAddr().String(), "@"+name; got != want {
		t.Errorf("LocalAddr = %q; want %q (Go's net gives %q for its own)", got, want, goConn.LocalAddr().String())
	}
	w, err := pysock.NewSocket(pysock.AF_UNIX, pysock.SOCK_DGRAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	if _, err := w.NetPacketConn().WriteTo([]byte("hi"), &net.UnixAddr{Name: "@" + name, Net: "unixgram"}); err != nil {
		t.Fatal(err)
	}
	if d, err := r.Recv(10, pysock.MSG_DONTWAIT); err != nil || string(d) != "hi" {
		t.Errorf("the abstract socket got %q, %v; want b'hi'", d, err)
	}
}
