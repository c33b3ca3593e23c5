package ports

import "github.com/pysock/pysock/internal/pymotw"

func init() { All["c_echo"] = CEcho }

// CEcho is the twin of scenarios/c_echo.py (C1, C2).
func CEcho(t *Transcript) error {
	lines := t.serverClient(func(out func(string), ready func(int)) error {
		return pymotw.EchoServer(out, "localhost", 0, ready, 2)
	}, []client{
		{"client", func(out func(string), port int) error { return pymotw.EchoClient(out, "localhost", port) }},
		{"easy client", func(out func(string), port int) error { return pymotw.EchoClientEasy(out, "localhost", port) }},
	})
	t.printLines("server", lines)
	return nil
}
