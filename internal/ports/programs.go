package ports

import (
	"fmt"
	"time"
)

// client is one (label, program) a ServerClient run drives.
type client struct {
	label string
	run   func(out func(string), port int) error
}

// output is one client's label and lines.
type output struct {
	label string
	lines []string
}

// serverClient is _programs.server_client: it starts server in a goroutine,
// runs each client once the server listens, prints every client's lines
// under its label and returns the server's lines.
func (t *Transcript) serverClient(server func(out func(string), ready func(int)) error, clients []client) []string {
	srvLines, outputs, errs := runServerClient(server, clients)
	for _, e := range errs {
		t.Out("server ! %s", e)
	}
	for _, o := range outputs {
		t.printLines(o.label, o.lines)
	}
	return srvLines
}

// runServerClient runs the programs and collects their output; errs holds
// the server's failure, if any.
func runServerClient(server func(out func(string), ready func(int)) error, clients []client) (srvLines []string, outputs []output, errs []string) {
	ports := make(chan int, 1)
	done := make(chan error, 1)
	go func() {
		err := server(func(s string) { srvLines = append(srvLines, s) }, func(p int) { ports <- p })
		if err != nil {
			select {
			case ports <- -1:
			default:
			}
		}
		done <- err
	}()
	var port int
	select {
	case port = <-ports:
	case <-time.After(30 * time.Second):
		return nil, nil, []string{"did not start"}
	}
	for _, c := range clients {
		var lines []string
		if err := c.run(func(s string) { lines = append(lines, s) }, port); err != nil {
			lines = append(lines, fmt.Sprintf("! %s", excShort(err)))
		}
		outputs = append(outputs, output{c.label, lines})
	}
	select {
	case err := <-done:
		if err != nil {
			errs = append(errs, excShort(err))
		}
	case <-time.After(30 * time.Second):
		errs = append(errs, "did not stop")
	}
	return srvLines, outputs, errs
}

// excShort is Python's "%s: %s" % (type(e).__name__, e).
func excShort(err error) string {
	if pe, ok := err.(interface{ ClassName() string }); ok {
		return pe.ClassName() + ": " + err.Error()
	}
	return fmt.Sprintf("%T: %v", err, err)
}

func (t *Transcript) printLines(label string, lines []string) {
	for _, l := range lines {
		t.Out("%s: %s", label, l)
	}
}

// collapse is _programs.collapse.
func collapse(lines []string, repeated string) []string {
	var out []string
	for _, l := range lines {
		if l == repeated && len(out) > 0 && out[len(out)-1] == repeated {
			continue
		}
		out = append(out, l)
	}
	return out
}
