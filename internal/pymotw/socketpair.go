package pymotw

import (
	"fmt"

	"github.com/pysock/pysock/pysock"
)

// SocketPairParent is the parent half of socket_socketpair.py (the child
// runs in another goroutine instead of a forked process).
func SocketPairParent(out func(string), parent *pysock.Socket) error {
	out("in parent, sending message")
	if err := parent.SendAll([]byte("ping")); err != nil {
		return err
	}
	response, err := parent.Recv(1024)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("response from child: %s", r(b(response))))
	return nil
}

// SocketPairChild is the child half of socket_socketpair.py.
func SocketPairChild(out func(string), child *pysock.Socket) error {
	out("in child, waiting for message")
	message, err := child.Recv(1024)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("message from parent: %s", r(b(message))))
	return child.SendAll([]byte("pong"))
}
