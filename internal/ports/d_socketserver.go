package ports

import (
	"errors"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/pysock/pysock/internal/pymotw"
)

func init() {
	All["d_socketserver_echo"] = DSocketserverEcho
	All["d_socketserver_echo_simple"] = DSocketserverEchoSimple
	All["d_socketserver_threaded"] = DSocketserverThreaded
}

// runProgram runs a whole PyMOTW program (server thread and client in one)
// and returns its lines; it gives up after 30 s, as runServerClient does.
func runProgram(program func(out func(string)) error) ([]string, error) {
	var mu sync.Mutex
	var lines []string
	done := make(chan error, 1)
	go func() {
		done <- program(func(s string) {
			mu.Lock()
			defer mu.Unlock()
			lines = append(lines, s)
		})
	}()
	select {
	case err := <-done:
		mu.Lock()
		defer mu.Unlock()
		return lines, err
	case <-time.After(30 * time.Second):
		return nil, errors.New("the program did not finish within 30 s")
	}
}

// serverClientWithin is serverClient bounded by a watchdog: the clients
// run without timeouts, so a server that accepts and never answers would
// block them; the port fails after a minute instead.
func (t *Transcript) serverClientWithin(server func(out func(string), ready func(int)) error, clients []client) ([]string, error) {
	type result struct {
		srv     []string
		outputs []output
		errs    []string
	}
	ch := make(chan result, 1)
	go func() {
		srv, outputs, errs := runServerClient(server, clients)
		ch <- result{srv, outputs, errs}
	}()
	select {
	case res := <-ch:
		for _, e := range res.errs {
			t.Out("server ! %s", e)
		}
		for _, o := range res.outputs {
			t.printLines(o.label, o.lines)
		}
		return res.srv, nil
	case <-time.After(time.Minute):
		return nil, errors.New("the server and its clients did not finish within a minute")
	}
}

// fromMainThread is d_socketserver_echo.py's from_main_thread: the lines
// the program's client thread logs.
func fromMainThread(line string) bool {
	return strings.HasPrefix(line, "client: ") || line == "EchoServer: shutdown()"
}

var reRaddr = regexp.MustCompile(`, raddr=\([^)]*\)`)

// withoutCloseRaddr is d_socketserver_echo.py's without_close_raddr.
func withoutCloseRaddr(line string) string {
	if strings.HasPrefix(line, "EchoServer: close_request(") {
		return reRaddr.ReplaceAllString(line, "")
	}
	return line
}

// DSocketserverEcho is the twin of scenarios/d_socketserver_echo.py (D1).
func DSocketserverEcho(t *Transcript) error {
	lines, err := runProgram(func(out func(string)) error { return pymotw.SocketserverEcho(out, "localhost", 0) })
	if err != nil {
		return err
	}
	var serverThread, mainThread []string
	for _, l := range lines {
		if fromMainThread(l) {
			mainThread = append(mainThread, l)
		} else {
			serverThread = append(serverThread, l)
		}
	}
	t.printLines("program server", serverThread)
	t.printLines("program client", mainThread)

	srv, err := t.serverClientWithin(func(out func(string), ready func(int)) error {
		return pymotw.SocketserverEchoServer(out, "localhost", 0, ready, 1)
	}, []client{{"client", func(out func(string), port int) error {
		return pymotw.SocketserverEchoClient(out, "localhost", port)
	}}})
	if err != nil {
		return err
	}
	for i, l := range srv {
		srv[i] = withoutCloseRaddr(l)
	}
	t.printLines("server", srv)
	return nil
}

// DSocketserverEchoSimple is the twin of
// scenarios/d_socketserver_echo_simple.py (D2).
func DSocketserverEchoSimple(t *Transcript) error {
	lines, err := runProgram(func(out func(string)) error { return pymotw.SocketserverEchoSimple(out, "localhost", 0) })
	if err != nil {
		return err
	}
	t.printLines("program", lines)
	srv, err := t.serverClientWithin(func(out func(string), ready func(int)) error {
		return pymotw.SocketserverEchoSimpleServer(out, "localhost", 0, ready, 1)
	}, []client{{"client", func(out func(string), port int) error {
		return pymotw.SocketserverEchoSimpleClient(out, "localhost", port)
	}}})
	if err != nil {
		return err
	}
	t.printLines("server", srv)
	return nil
}

// DSocketserverThreaded is the twin of scenarios/d_socketserver_threaded.py
// (D3).
func DSocketserverThreaded(t *Transcript) error {
	lines, err := runProgram(func(out func(string)) error { return pymotw.SocketserverThreaded(out, "localhost", 0) })
	if err != nil {
		return err
	}
	t.printLines("program", lines)
	srv, err := t.serverClientWithin(func(out func(string), ready func(int)) error {
		return pymotw.SocketserverThreadedServer(out, "localhost", 0, ready, 1)
	}, []client{{"client", func(out func(string), port int) error {
		return pymotw.SocketserverThreadedClient(out, "localhost", port)
	}}})
	if err != nil {
		return err
	}
	t.printLines("server", srv)
	return nil
}
