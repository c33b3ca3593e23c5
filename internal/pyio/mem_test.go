package pyio

import (
	"sync"
	"syscall"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
)

// memSock is an in-memory Sock: RecvInto takes from the queued data (at
// most max bytes a call when max > 0), gives 0 at EOF, EAGAIN when empty
// and non-blocking, and blocks otherwise until data, EOF or close.
type memSock struct {
	mu       sync.Mutex
	cond     *sync.Cond
	data     []byte
	eof      bool
	nonblock bool
	timeout  bool // the next empty read times out
	max      int
	sent     []byte
	decrefs  int
}

func newMemSock(data string) *memSock {
	m := &memSock{data: []byte(data)}
	m.cond = sync.NewCond(&m.mu)
	return m
}

func (m *memSock) feed(data string, eof bool) {
	m.mu.Lock()
	m.data = append(m.data, data...)
	m.eof = m.eof || eof
	m.mu.Unlock()
	m.cond.Broadcast()
}

func (m *memSock) RecvInto(b []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for len(m.data) == 0 && !m.eof {
		switch {
		case m.timeout:
			return 0, pyerr.NewSocketTimeout()
		case m.nonblock:
			return 0, pyerr.FromErrno(syscall.EAGAIN)
		}
		m.cond.Wait()
	}
	if len(b) == 0 {
		return 0, nil
	}
	k := len(b)
	if m.max > 0 {
		k = min(k, m.max)
	}
	n := copy(b[:k], m.data)
	m.data = m.data[n:]
	return n, nil
}

func (m *memSock) Send(b []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.nonblock && len(b) > 0 && m.max < 0 {
		return 0, pyerr.FromErrno(syscall.EAGAIN)
	}
	m.sent = append(m.sent, b...)
	return len(b), nil
}

func (m *memSock) Fileno() int { return 7 }

func (m *memSock) DecrefIO() error {
	m.mu.Lock()
	m.decrefs++
	m.mu.Unlock()
	return nil
}

func (m *memSock) sentString() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return string(m.sent)
}

// watchdog fails the test if it is still running after d.
func watchdog(t *testing.T, d time.Duration) {
	t.Helper()
	timer := time.AfterFunc(d, func() { panic(t.Name() + ": watchdog: test hung") })
	t.Cleanup(func() { timer.Stop() })
}

func mustRaw(t *testing.T, m *memSock, mode string) *SocketIO {
	t.Helper()
	r, err := NewSocketIO(m, mode)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func mustReader(t *testing.T, m *memSock, size int) *BufferedReader {
	t.Helper()
	b, err := NewBufferedReader(mustRaw(t, m, "rb"), size)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func mustText(t *testing.T, m *memSock, mode string, o TextOptions) *TextIOWrapper {
	t.Helper()
	var buf Buffer
	var err error
	switch mode {
	case "r":
		buf, err = NewBufferedReader(mustRaw(t, m, "r"), DefaultBufferSize)
	case "w":
		buf, err = NewBufferedWriter(mustRaw(t, m, "w"), DefaultBufferSize)
	default:
		r := mustRaw(t, m, "rw")
		buf, err = NewBufferedRWPair(r, r, DefaultBufferSize)
	}
	if err != nil {
		t.Fatal(err)
	}
	o.Mode = mode
	tw, err := NewTextIOWrapper(buf, o)
	if err != nil {
		t.Fatal(err)
	}
	return tw
}

func strp(s string) *string { return &s }
