package pysock_test

import (
	"io"
	"os"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// Regression tests for what an outside review of the write side found
// (sends, sendfile, connect's flag toggle, the net.Conn Write deadline).

// drainN reads up to n bytes from s in a goroutine and sends the count.
func drainN(s interface{ Read([]byte) (int, error) }, n int) <-chan int {
	ch := make(chan int, 1)
	go func() {
		buf := make([]byte, 1<<16)
		got := 0
		for got < n {
			k, err := s.Read(buf)
			got += k
			if err != nil {
				break
			}
		}
		ch <- got
	}()
	return ch
}

// A net.Conn Write whose write deadline is cleared (or extended) while it
// waits keeps going past the old deadline (Go's contract: "A deadline can
// be extended by calling SetDeadline again", and it applies to pending
// calls). The sendall loop checked the deadline it started with between
// chunks and failed with a timeout once that had passed.
func TestEdgeConnWriteDeadlineExtended(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	c := a.NetConn()
	const size = 8 << 20
	old := time.Now().Add(300 * time.Millisecond)
	if err := c.SetWriteDeadline(old); err != nil {
		t.Fatal(err)
	}
	ch := goCall(func() result {
		n, err := c.Write(make([]byte, size))
		return result{n: n, err: err}
	})
	waitParked(t, "(*Socket).sendData")
	if err := c.SetWriteDeadline(time.Time{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(old) + 100*time.Millisecond) // the old deadline has passed
	got := drainN(b, size)
	r := await(t, ch, "Write")
	if r.err != nil || r.n != size {
		t.Fatalf("Write after its deadline was cleared = %d, %v; want %d, nil", r.n, r.err, size)
	}
	select {
	case n := <-got:
		if n != size {
			t.Fatalf("peer read %d bytes, want %d", n, size)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("peer read hangs")
	}
}

// kernelNB reports the kernel O_NONBLOCK flag of fd.
func kernelNB(t *testing.T, fd int) bool {
	t.Helper()
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		t.Fatal(err)
	}
	return fl&unix.O_NONBLOCK != 0
}

// A blocking-mode sendfile or connect does not clear the O_NONBLOCK flag a
// sibling sharing the file description (a dup) has set. CPython never
// touches the flag there (python3: a = socketpair()[0]; b = a.dup();
// b.setblocking(False); a.sendfile(f) -> fcntl(b, F_GETFL) still has
// O_NONBLOCK; the same after c.connect() with d = c.dup() non-blocking).
// pysock set the flag for the one syscall, then cleared it whatever it was
// before.
func TestEdgeBlockingToggleKeepsSiblingFlag(t *testing.T) {
	checkFDs(t)
	a, peer := pair(t)
	defer a.Close()
	defer peer.Close()
	b, err := a.Dup()
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if err := b.SetBlocking(false); err != nil {
		t.Fatal(err)
	}
	f, err := os.CreateTemp(t.TempDir(), "sendfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	f.Write(make([]byte, 1000))
	f.Seek(0, io.SeekStart)
	n, err := watchdog(t, 10*time.Second, "SendFile", func() result {
		n, err := a.SendFile(f)
		return result{n: n, err: err}
	}).n, error(nil)
	if n != 1000 || err != nil {
		t.Fatalf("sendfile = %d, %v", n, err)
	}
	if !kernelNB(t, b.Fileno()) {
		t.Errorf("blocking sendfile cleared the O_NONBLOCK a non-blocking dup set (CPython leaves it set)")
	}

	srv, addr := listener(t)
	defer srv.Close()
	c, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	d, err := c.Dup()
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if err := d.SetBlocking(false); err != nil {
		t.Fatal(err)
	}
	watchdog(t, 10*time.Second, "Connect", func() error { return c.Connect(addr) })
	if !kernelNB(t, d.Fileno()) {
		t.Errorf("blocking connect cleared the O_NONBLOCK a non-blocking dup set (CPython leaves it set)")
	}
}

// A Socket's ReadFrom (io.ReaderFrom, what io.Copy uses) copies a regular file whose size the
// kernel reports as 0 but that has content (a /proc file) up to its EOF,
// as io.ReaderFrom requires ("reads data from r until EOF or error") and
// as io.Copy to a *net.UnixConn does. ReadFrom handed every regular file
// to SendFile, which is socket.sendfile and so returns 0 for st_size 0
// (python3: a.sendfile(open('/proc/self/status', 'rb')) -> 0; right for
// SendFile), and reported 0 bytes copied, nil.
func TestEdgeReadFromZeroSizeRegularFile(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer b.Close()
	f, err := os.Open("/proc/self/cmdline")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	want, err := os.ReadFile("/proc/self/cmdline")
	if err != nil || len(want) == 0 {
		t.Skip("no /proc/self/cmdline content")
	}
	r := watchdog(t, 10*time.Second, "ReadFrom", func() result {
		n, err := a.ReadFrom(f)
		return result{n: int(n), err: err}
	})
	a.Close()
	got, _ := io.ReadAll(b)
	if r.err != nil || r.n != len(want) || string(got) != string(want) {
		t.Fatalf("sock.ReadFrom(/proc/self/cmdline) = %d, %v; peer got %d bytes; want %d", r.n, r.err, len(got), len(want))
	}
}

// A blocking-mode send on a TCP socket sends everything even when its
// error queue holds TX timestamps or zerocopy completions (python3: with
// SO_TIMESTAMPING = TX_SOFTWARE|SOFTWARE|OPT_TSONLY, a.send(b'x'*(8<<20))
// against a slow reader returns 8388608; with SO_ZEROCOPY,
// a.send(..., MSG_ZEROCOPY) also returns 8388608). Such entries make
// poll report POLLERR with no socket error, and the emulated blocking
// send took POLLERR for "an error cut it short" and returned a partial
// count after its first chunk.
func TestEdgeBlockingSendIgnoresErrorQueue(t *testing.T) {
	for _, c := range []struct {
		name  string
		opt   int
		val   int
		flags []pysock.MsgFlag
	}{
		{"SO_TIMESTAMPING", unix.SO_TIMESTAMPING, unix.SOF_TIMESTAMPING_TX_SOFTWARE | unix.SOF_TIMESTAMPING_SOFTWARE | unix.SOF_TIMESTAMPING_OPT_TSONLY, nil},
		{"MSG_ZEROCOPY", unix.SO_ZEROCOPY, 1, []pysock.MsgFlag{pysock.MsgFlag(unix.MSG_ZEROCOPY)}},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkFDs(t)
			a, b := tcpPair(t)
			defer a.Close()
			defer b.Close()
			if err := a.SetSockOpt(pysock.SOL_SOCKET, c.opt, c.val); err != nil {
				t.Skip(err)
			}
			const size = 8 << 20
			got := make(chan int, 1)
			go func() {
				buf := make([]byte, 1<<16)
				n := 0
				for n < size {
					time.Sleep(time.Millisecond) // a slow reader: the sender waits for room
					k, err := b.Read(buf)
					n += k
					if err != nil {
						break
					}
				}
				got <- n
			}()
			r := watchdog(t, 30*time.Second, "Send", func() result {
				n, err := a.Send(make([]byte, size), c.flags...)
				return result{n: n, err: err}
			})
			if r.err != nil || r.n != size {
				a.Close()
				<-got
				t.Fatalf("blocking send = %d, %v; want %d (the kernel's blocking send)", r.n, r.err, size)
			}
			<-got
		})
	}
}
