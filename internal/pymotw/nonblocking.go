package pymotw

import (
	"errors"
	"fmt"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// NonblockingWalkthrough walks through PyMOTW-3's nonblocking.rst page:
// blocking by default, setblocking(0) raising at once, settimeout(0.2)
// raising socket.timeout after 0.2 s, data before the deadline.
func NonblockingWalkthrough(out func(string)) (err error) {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	defer CloseInto(&err, b) // runs second: a.close(); b.close()
	defer CloseInto(&err, a)
	out(fmt.Sprintf("default timeout: %s, blocking: %s", a.GetTimeout(), pyBool(a.GetBlocking())))
	if err := a.SetBlocking(0); err != nil {
		return err
	}
	// try: a.recv(16) / except socket.error as e: anything else propagates,
	// and a recv that succeeds prints nothing.
	var oe *pyerr.OSError
	if _, err := a.Recv(16); errors.As(err, &oe) {
		out(fmt.Sprintf("setblocking(0): %s: %s", oe.ClassName(), oe))
	} else if err != nil {
		return err
	}
	if err := a.SetTimeout(0.2); err != nil {
		return err
	}
	start := time.Now()
	var te *pyerr.TimeoutError // except socket.timeout as e
	if _, err := a.Recv(16); errors.As(err, &te) {
		waited := time.Since(start)
		out(fmt.Sprintf("settimeout(0.2): %s: %s (a socket.error: %s, waited >= 0.2 s: %s)",
			te.ClassName(), te, pyBool(errors.As(err, &oe)), pyBool(waited >= 200*time.Millisecond)))
	} else if err != nil {
		return err
	}
	if err := b.SendAll([]byte("data")); err != nil {
		return err
	}
	data, err := a.Recv(16)
	if err != nil {
		return err
	}
	out(fmt.Sprintf("data before the deadline: %s", r(pysock.Bytes(data))))
	if err := a.SetBlocking(1); err != nil {
		return err
	}
	out(fmt.Sprintf("setblocking(1): timeout %s", a.GetTimeout()))
	return nil
}

func pyBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}
