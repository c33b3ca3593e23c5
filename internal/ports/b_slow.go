package ports

import (
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/pysock/pysock/internal/pymotw"
)

func init() {
	All["b_timeout"] = BTimeout
	All["b_poll"] = BPoll
}

// serverMultiset prints the server lines but those dropped, sorted.
func (t *Transcript) serverMultiset(lines []string, drop func(string) bool) {
	var kept []string
	for _, l := range lines {
		if !drop(l) {
			kept = append(kept, t.norm(l))
		}
	}
	sort.Strings(kept)
	for _, l := range kept {
		t.Out("server line: %s", l)
	}
}

func pyBool(v bool) string {
	if v {
		return "True"
	}
	return "False"
}

// BTimeout is the twin of scenarios/b_timeout.py (B4).
func BTimeout(t *Transcript) error {
	lines := t.serverClient(func(out func(string), ready func(int)) error {
		return pymotw.SelectEchoServer(out, "localhost", 0, ready, 1, 1)
	}, []client{{"client", func(out func(string), port int) error {
		time.Sleep(1300 * time.Millisecond)
		return pymotw.SelectEchoSlowClient(out, "localhost", port, time.Second, 1500*time.Millisecond)
	}}})
	const timed = "  timed out, do some other work here"
	t.serverMultiset(lines, func(l string) bool {
		return l == "waiting for the next event" || l == timed || strings.HasSuffix(l, " queue empty")
	})
	conn := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "  connection from") })
	var parts []int
	for i, l := range lines {
		if strings.HasPrefix(l, "  received ") {
			parts = append(parts, i)
		}
	}
	t.Out("timed out before the connection: %s", pyBool(conn > 0 && slices.Contains(lines[:conn], timed)))
	t.Out("timed out between the parts: %s", pyBool(len(parts) == 2 && slices.Contains(lines[parts[0]:parts[1]], timed)))
	return nil
}

// BPoll is the twin of scenarios/b_poll.py (B5).
func BPoll(t *Transcript) error {
	lines := t.serverClient(func(out func(string), ready func(int)) error {
		return pymotw.PollEchoServer(out, "localhost", 0, ready, 1)
	}, []client{{"client", func(out func(string), port int) error {
		return pymotw.SelectEchoSlowClient(out, "localhost", port, time.Second, 1500*time.Millisecond)
	}}})
	t.serverMultiset(lines, func(l string) bool {
		return l == "waiting for the next event" || strings.HasSuffix(l, " queue empty")
	})
	hup := slices.ContainsFunc(lines, func(l string) bool { return strings.Contains(l, "(HUP)") })
	t.Out("HUP branch ran: %s", pyBool(hup))
	return nil
}
