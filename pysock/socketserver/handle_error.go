package socketserver

import (
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"
	"sync"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/pysock"
)

// Stderr is where HandleError and the request goroutines' uncaught errors
// print: Python's sys.stderr. Replace it (before serving) to capture them.
var Stderr io.Writer = os.Stderr

var stderrMu sync.Mutex

// writeStderr writes s with one Write call, so that lines printed by
// concurrent requests do not interleave.
func writeStderr(s string) {
	stderrMu.Lock()
	defer stderrMu.Unlock()
	io.WriteString(Stderr, s)
}

// HandleError is handle_error(request, client_address): called when
// ProcessRequest returns err (the exception Python's handler would have
// raised, which Python reads from sys.exc_info()). It prints what CPython
// prints to stderr, except that Go has no Python traceback: the
// "Traceback (most recent call last):" block is replaced by its last line,
// the exception's class and message (ValueError: Test error). Return nil
// to go on serving, as Python's does; returning an error is Python's bare
// "raise" (the error leaves HandleRequest or ServeForever).
func (b *BaseServer) HandleError(request Request, clientAddress pysock.Address, err error) error {
	dashes := strings.Repeat("-", 40)
	writeStderr(dashes + "\n" +
		"Exception occurred during processing of request from " + strAddress(clientAddress) + "\n" +
		FormatException(err) + "\n" +
		dashes + "\n")
	return nil
}

// strAddress is str(client_address).
func strAddress(a pysock.Address) string {
	if a == nil {
		return "None"
	}
	return a.String()
}

// FormatException is the last line of Python's traceback for err:
// "ValueError: Test error", "TimeoutError: timed out", the class alone
// when str(e) is empty, and socket.gaierror/socket.herror qualified by
// their module. A Go error that is not a Python exception prints as its Go
// type and message.
func FormatException(err error) string {
	if err == nil {
		return "NoneType: None"
	}
	msg := err.Error()
	name := fmt.Sprintf("%T", err)
	if pe, ok := err.(pyerr.PyException); ok {
		name = pe.ClassName()
		switch name {
		case "gaierror", "herror": // classes outside builtins print their module
			name = "socket." + name
		case "UnsupportedOperation":
			name = "io." + name
		}
	}
	if msg == "" {
		return name
	}
	return name + ": " + msg
}

// isNoneTimeout reports whether a timeout attribute is None: nil, or a
// pysock.Timeout that is None.
func isNoneTimeout(v any) bool {
	if t, ok := v.(pysock.Timeout); ok {
		return t.IsNone()
	}
	return pyarg.IsNone(v)
}

// seconds reads handle_request's timeout attribute, not None: ints,
// floats, time.Duration and pysock.Timeout are seconds. Anything else
// fails where Python first uses it: in min() against the socket's timeout
// (compared, true) or in "time() + timeout".
func seconds(v any, compared bool) (float64, error) {
	switch x := v.(type) {
	case time.Duration:
		return x.Seconds(), nil
	case pysock.Timeout:
		return x.Seconds(), nil
	}
	if f, ok := pyarg.Float(v); ok {
		return f, nil
	}
	if n, ok, over := pyarg.Index(v); ok {
		if over {
			f, _ := new(big.Float).SetInt(pyarg.BigOf(v)).Float64()
			return f, nil
		}
		return float64(n), nil
	}
	if compared {
		return 0, pyerr.NewTypeError(fmt.Sprintf("'<' not supported between instances of '%s' and 'float'", pyarg.TypeName(v)))
	}
	return 0, pyerr.NewTypeError(fmt.Sprintf("unsupported operand type(s) for +: 'float' and '%s'", pyarg.TypeName(v)))
}

// intAttr reads an int class attribute whose Python default is def (nil
// stands for the default).
func intAttr(v any, def int) (int, error) {
	if v == nil {
		return def, nil
	}
	return pyarg.SsizeT(v)
}
