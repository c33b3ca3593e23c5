// Command socket_socketpair is the Go port of PyMOTW-3's socket_socketpair.py (socketpair ping/pong (the child is a goroutine)),
// written with pysock; it prints what the CPython original prints.
package main

import (
	"github.com/pysock/pysock/internal/pymotw"
	"github.com/pysock/pysock/pysock"
)

func main() {
	pymotw.Main(func(out func(string), host string, port, n int) (err error) {
		parent, child, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			return err
		}
		done := make(chan error, 1)
		go func() { // the forked child: child.close() once it has answered
			err := pymotw.SocketPairChild(out, child)
			pymotw.CloseInto(&err, child)
			done <- err
		}()
		err = pymotw.SocketPairParent(out, parent)
		pymotw.CloseInto(&err, parent)
		if childErr := <-done; err == nil {
			err = childErr
		}
		return err
	})
}
