package pymotw

import (
	"errors"
	"fmt"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// NonblockingWalkthrough walks through the seed page, nonblocking.rst:
// blocking by default, setblocking(0) raising at once, settimeout(0.2)
// raising socket.timeout after 0.2 s, data before the deadline.
func NonblockingWalkthrough(out func(string)) error {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	defer a.Close()
	defer b.Close()
	out(fmt.Sprintf("default timeout: %s, blocking: %s", a.GetTimeout(), pyBool(a.GetBlocking())))
	a.SetBlocking(0)
	if _, err := a.Recv(16); err != nil {
		var e pyerr.PyException // except socket.error as e
		if errors.As(err, &e) {
			out(fmt.Sprintf("setblocking(0): %s: %s", e.ClassName(), e))
		}
	}
	a.SetTimeout(0.2)
	start := time.Now()
	if _, err := a.Recv(16); err != nil {
		var e *pyerr.TimeoutError // except socket.timeout as e
		if errors.As(err, &e) {
			waited := time.Since(start)
			var oe *pyerr.OSError
			out(fmt.Sprintf("settimeout(0.2): %s: %s (a socket.error: %s, waited >= 0.2 s: %s)",
				e.ClassName(), e, pyBool(errors.As(err, &oe)), pyBool(waited >= 200*time.Millisecond)))
		}
	}
	b.SendAll([]byte("data"))
	data, err := a.Recv(16)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("data before the deadline: %s", r(pysock.Bytes(data))))
	a.SetBlocking(1)
	out(fmt.Sprintf("setblocking(1): timeout %s", a.GetTimeout()))
	return nil
}

func pyBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}
