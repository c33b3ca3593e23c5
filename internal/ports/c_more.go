package ports

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pysock/pysock/internal/pymotw"
	"github.com/pysock/pysock/pysock"
)

func init() {
	All["c_dgram"] = CDgram
	All["c_uds"] = CUDS
	All["c_socketpair"] = CSocketPair
	All["c_noserver"] = CNoServer
	All["b_multicast"] = BMulticast
	All["b_select"] = BSelect
	All["b_selectors"] = BSelectors
	All["walkthrough"] = Walkthrough
}

// CDgram is the twin of scenarios/c_dgram.py (C3).
func CDgram(t *Transcript) error {
	lines := t.serverClient(func(out func(string), ready func(int)) error {
		return pymotw.DgramServer(out, "localhost", 0, ready, 1)
	}, []client{{"client", func(out func(string), port int) error { return pymotw.DgramClient(out, "localhost", port) }}})
	t.printLines("server", lines)
	return nil
}

// CUDS is the twin of scenarios/c_uds.py (C4).
func CUDS(t *Transcript) error {
	tmp, err := os.MkdirTemp("", "pysock-uds")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	t.RegisterSub(tmp, "<tmp>")
	path := filepath.Join(tmp, "uds_socket")
	lines := t.serverClient(func(out func(string), ready func(int)) error {
		return pymotw.UDSServer(out, path, ready, 1)
	}, []client{{"client", func(out func(string), port int) error {
		_, err := pymotw.UDSClient(out, path)
		return err
	}}})
	t.printLines("server", lines)
	for _, label := range []string{"stale node", "missing node"} {
		var lines []string
		code, err := pymotw.UDSClient(func(s string) { lines = append(lines, s) }, path)
		if err != nil {
			return err
		}
		t.Out("%s: exit %d", label, code)
		t.printLines(label, lines)
		os.Remove(path)
	}
	return nil
}

// CSocketPair is the twin of scenarios/c_socketpair.py (C5).
func CSocketPair(t *Transcript) error {
	parent, child, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	defer parent.Close()
	defer child.Close()
	var childLines, parentLines []string
	done := make(chan error, 1)
	go func() { done <- pymotw.SocketPairChild(func(s string) { childLines = append(childLines, s) }, child) }()
	if err := pymotw.SocketPairParent(func(s string) { parentLines = append(parentLines, s) }, parent); err != nil {
		return err
	}
	if err := <-done; err != nil {
		return err
	}
	t.printLines("parent", parentLines)
	t.printLines("child", childLines)
	return nil
}

// CNoServer is the twin of scenarios/c_noserver.py (C6).
func CNoServer(t *Transcript) error {
	dead, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	dead.Bind(pysock.Tuple{"127.0.0.1", 0})
	addr, _ := dead.GetSockName()
	dead.Close()
	var lines []string
	t.Do("echo_client with no server", func() error {
		return pymotw.EchoClient(func(s string) { lines = append(lines, s) }, "localhost", addr.(pysock.InetAddr).Port)
	})
	t.printLines("client", lines)
	return nil
}

// BMulticast is the twin of scenarios/b_multicast.py (B1).
func BMulticast(t *Transcript) error {
	var lines []string
	start := time.Now()
	if err := pymotw.MulticastSender(func(s string) { lines = append(lines, s) }, "224.3.29.71", 10000, 0.2); err != nil {
		return err
	}
	t.Out("elapsed %s", Bucket(time.Since(start), 200*time.Millisecond))
	t.printLines("sender", lines)
	return nil
}

// BSelect is the twin of scenarios/b_select.py (B3).
func BSelect(t *Transcript) error {
	lines := t.serverClient(func(out func(string), ready func(int)) error {
		return pymotw.SelectEchoServer(out, "localhost", 0, ready, 2, nil)
	}, []client{{"client", func(out func(string), port int) error { return pymotw.SelectEchoMulticlient(out, "localhost", port) }}})
	var kept []string
	for _, l := range lines {
		if l != "waiting for the next event" && !strings.HasSuffix(l, " queue empty") {
			kept = append(kept, t.norm(l))
		}
	}
	sort.Strings(kept)
	for _, l := range kept {
		t.Out("server line: %s", l)
	}
	return nil
}

// BSelectors is the twin of scenarios/b_selectors.py (B6), retrying the
// racy upstream exchange as the scenario does.
func BSelectors(t *Transcript) error {
	received := func(lines []string) string {
		var b strings.Builder
		for _, l := range lines {
			if strings.HasPrefix(l, "  received ") {
				r := strings.SplitN(l, "received ", 2)[1]
				b.WriteString(r[2 : len(r)-1])
			}
		}
		return fmt.Sprintf("b'%s'", b.String())
	}
	const message = "b'This is the message.  It will be repeated.'"
	var clientLines, serverLines []string
	for range 10 {
		clientLines = nil
		var outputs []output
		var errs []string
		serverLines, outputs, errs = runServerClient(func(out func(string), ready func(int)) error {
			return pymotw.SelectorsEchoServer(out, "localhost", 0, ready)
		}, []client{{"client", func(_ func(string), port int) error {
			return pymotw.SelectorsEchoClient(func(s string) { clientLines = append(clientLines, s) }, "localhost", port)
		}}})
		clean := len(errs) == 0 && len(serverLines) > 0 && serverLines[len(serverLines)-1] == "shutting down"
		for _, o := range outputs {
			for _, l := range o.lines {
				clean = clean && !strings.HasPrefix(l, "! ")
			}
		}
		if clean && received(clientLines) == message {
			break
		}
	}
	for _, side := range []struct {
		label string
		lines []string
	}{{"client", clientLines}, {"server", serverLines}} {
		if len(side.lines) == 0 {
			t.Out("%s: no output", side.label)
			continue
		}
		t.Out("%s first: %s", side.label, side.lines[0])
		for _, l := range side.lines {
			if strings.HasPrefix(l, "  sending ") {
				t.Out("%s: %s", side.label, l)
			}
		}
		t.Out("%s received in total: %s", side.label, received(side.lines))
		t.Out("%s last: %s", side.label, side.lines[len(side.lines)-1])
	}
	return nil
}

// Walkthrough is the twin of scenarios/walkthrough.py.
func Walkthrough(t *Transcript) error {
	var lines []string
	if err := pymotw.NonblockingWalkthrough(func(s string) { lines = append(lines, s) }); err != nil {
		return err
	}
	t.printLines("walkthrough", lines)
	return nil
}
