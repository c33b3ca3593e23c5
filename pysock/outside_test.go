package pysock_test

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// The file description's O_NONBLOCK flag changed by another process that
// holds the socket (inherited, or received over SCM_RIGHTS): CPython's
// calls are the kernel's, which read the flag when they would wait.
//
// python3 (the child: python3 -c 'import fcntl, os; fcntl.fcntl(3, fcntl.F_SETFL, os.O_NONBLOCK)'):
//
//	a, b = socket.socketpair(); <child sets O_NONBLOCK on a's fd>; a.recv(1)
//	-> BlockingIOError [Errno 11] Resource temporarily unavailable
//	a.settimeout(0.0); <child clears it>; a.recv(1)
//	-> waits for the data
func TestOutsideFlagFromAnotherProcess(t *testing.T) {
	if v := os.Getenv("PYSOCK_SETFL_CHILD"); v != "" {
		on, _ := strconv.ParseBool(v)
		fl, err := unix.FcntlInt(3, unix.F_GETFL, 0)
		if err == nil {
			if on {
				fl |= unix.O_NONBLOCK
			} else {
				fl &^= unix.O_NONBLOCK
			}
			_, err = unix.FcntlInt(3, unix.F_SETFL, fl)
		}
		if err != nil {
			t.Fatal(err)
		}
		return
	}
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	setInChild := func(on bool) {
		t.Helper()
		fd, err := unix.Dup(a.Fileno())
		if err != nil {
			t.Fatal(err)
		}
		f := os.NewFile(uintptr(fd), "a")
		defer f.Close()
		cmd := exec.Command(os.Args[0], "-test.run=^TestOutsideFlagFromAnotherProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), "PYSOCK_SETFL_CHILD="+strconv.FormatBool(on))
		cmd.ExtraFiles = []*os.File{f}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("child: %v\n%s", err, out)
		}
	}

	setInChild(true)
	r := await(t, goCall(func() result {
		data, err := a.Recv(1)
		return result{data: data, err: err}
	}), "blocking-mode recv on a flag another process set")
	if errnoOf(r.err) != 11 {
		t.Fatalf("Recv = %q, %v; want BlockingIOError(11), as the kernel's blocking call gives", r.data, r.err)
	}
	if !a.GetBlocking() || !a.GetTimeout().IsNone() {
		t.Fatalf("mode changed: getblocking %v, gettimeout %v", a.GetBlocking(), a.GetTimeout())
	}

	if err := a.SetTimeout(0); err != nil {
		t.Fatal(err)
	}
	setInChild(false)
	ch := goCall(func() result {
		data, err := a.Recv(1)
		return result{data: data, err: err}
	})
	waitParked(t, "pysock.(*Socket).recvNew")
	if _, err := b.Send([]byte("x")); err != nil {
		t.Fatal(err)
	}
	if r := await(t, ch, "non-blocking-mode recv on a flag another process cleared"); r.err != nil || string(r.data) != "x" {
		t.Fatalf("Recv = %q, %v; want the data it waited for", r.data, r.err)
	}
}

// A flag set through Conn.SyscallConn, the net.Conn's raw fd: the
// Socket's own blocking-mode calls see it.
func TestOutsideFlagThroughSyscallConn(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	rc, err := a.NetConn().SyscallConn()
	if err != nil {
		t.Fatal(err)
	}
	var serr error
	if err := rc.Control(func(fd uintptr) { serr = unix.SetNonblock(int(fd), true) }); err != nil || serr != nil {
		t.Fatal(err, serr)
	}
	r := await(t, goCall(func() result {
		n, err := a.RecvInto(make([]byte, 1))
		return result{n: n, err: err}
	}), "recv_into")
	if errnoOf(r.err) != 11 {
		t.Fatalf("RecvInto = %d, %v; want BlockingIOError(11)", r.n, r.err)
	}
}

// pysock sets the flag for a moment while it registers a Dup's fd with the
// poller. A receive on an exposed sibling that reads the flag then must not
// take that moment for a change from outside: it waits for its data.
func TestOutsideLookIgnoresPysocksOwnMoment(t *testing.T) {
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	a.Fileno() // given out: receives read the kernel's flag when they would wait
	stop := make(chan struct{})
	dups := goCall(func() result {
		for {
			select {
			case <-stop:
				return result{}
			default:
			}
			d, err := a.Dup()
			if err != nil {
				return result{err: err}
			}
			d.Close()
		}
	})
	defer func() {
		close(stop)
		if r := await(t, dups, "dup loop"); r.err != nil {
			t.Error(r.err)
		}
	}()
	deadline := time.Now().Add(time.Second)
	for i := 0; i < 2000 && time.Now().Before(deadline); i++ {
		sent := goCall(func() result {
			_, err := b.Send([]byte("x"))
			return result{err: err}
		})
		data, err := a.Recv(1)
		if err != nil || string(data) != "x" {
			t.Fatalf("round %d: Recv = %q, %v; want b'x' (the flag pysock set for a moment was taken for the kernel's)", i, data, err)
		}
		if r := await(t, sent, "send"); r.err != nil {
			t.Fatal(r.err)
		}
	}
}

// A non-blocking-mode stream send on an exposed socket that sends a part
// at once reads the flag (the kernel's call on a cleared flag would go on
// sending); with the flag still set it returns the part, and the peer has
// exactly that part, once.
//
// python3 (a.setblocking(False); a.fileno(); nobody reading b):
//
//	n = a.send(bytes(range(256)) * 40960)   -> 0 < n < 10 MiB; b then reads those n bytes
//	n = a.sendmsg([x[:4 MiB], x[4 MiB:]])   -> the same
func TestOutsidePartSendFlagSet(t *testing.T) {
	for _, msg := range []bool{false, true} {
		a, b, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			t.Fatal(err)
		}
		a.SetBlocking(false)
		a.Fileno() // exposed: the part makes the call read the flag
		data := bytes.Repeat(func() []byte {
			p := make([]byte, 251)
			for i := range p {
				p[i] = byte(i)
			}
			return p
		}(), (10<<20)/251)
		var n int
		if msg {
			n, err = a.SendMsg([][]byte{data[:4<<20], data[4<<20:]})
		} else {
			n, err = a.Send(data)
		}
		if err != nil || n <= 0 || n >= len(data) {
			t.Fatalf("sendmsg %v: %d, %v; want 0 < n < %d, nil", msg, n, err, len(data))
		}
		b.SetBlocking(false)
		var got []byte
		for {
			d, err := b.Recv(1 << 20)
			if err != nil || len(d) == 0 {
				break
			}
			got = append(got, d...)
		}
		if !bytes.Equal(got, data[:n]) {
			t.Fatalf("sendmsg %v: sent %d, the peer has %d bytes, equal to the part: %v", msg, n, len(got), len(got) == n && bytes.Equal(got, data[:len(got)]))
		}
		a.Close()
		b.Close()
	}
}
