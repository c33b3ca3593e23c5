package pysock_test

import (
	"encoding/binary"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// A blocking MSG_WAITALL receive on an AF_UNIX stream socket returns what
// the kernel's blocking call returns, which stops early where a segment
// with file descriptors ends and, with SO_PASSCRED, before another
// writer's segment (waitall_unix_linux.go). pysock did stop at the first
// segment that came with any ancillary data, credentials included, so with
// SO_PASSCRED every recvmsg(n, MSG_WAITALL) came back short; and it glued
// other writers' segments and segments past descriptors, which the
// kernel's call does not.
//
// CPython 3.11, a, b = socket.socketpair(), b with SO_PASSCRED:
//
//	a.send(b'ab'); later a.send(b'cd'); b.recvmsg(4, 256, MSG_WAITALL)
//	-> b'abcd' [(1, 2, 12)] (SCM_CREDENTIALS) after the wait
//	a.send(b'ab'); later send_fds(a, [b'c'], [0]); later a.send(b'd')
//	-> b'abc' [(1, 2, 12), (1, 1, 4)] when the descriptor came
//	a.send(b'ab'); another process sends b'cd'; b.recvmsg(4, 256, MSG_WAITALL)
//	-> b'ab' [(1, 2, 12)] when the other writer's bytes came
//	the same with b.recv(4, MSG_WAITALL) -> b'ab'
//	SO_RCVTIMEO 0.3 s, a.send(b'ab'), b.recv(4, MSG_WAITALL) -> b'ab' after 0.3 s
func TestWaitAllUnixGlue(t *testing.T) {
	if os.Getenv("PYSOCK_GLUE_WRITER") != "" {
		// The other writer: another process, so another pid.
		if _, err := unix.Write(3, []byte("cd")); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	newPair := func(t *testing.T, passcred bool) (*pysock.Socket, *pysock.Socket) {
		a, b := pair(t)
		t.Cleanup(func() { a.Close(); b.Close() })
		if passcred {
			if err := b.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_PASSCRED, 1); err != nil {
				t.Fatal(err)
			}
		}
		return a, b
	}
	// recvMsg runs b.RecvMsg(4, 256, MSG_WAITALL) (b.Recv(4, MSG_WAITALL)
	// if plain) and waits until it is parked; then then runs, and the
	// result is awaited. Descriptors received are closed.
	recvMsg := func(t *testing.T, b *pysock.Socket, plain bool, then func()) (string, []pysock.AncData) {
		t.Helper()
		type out struct {
			data []byte
			anc  []pysock.AncData
			err  error
		}
		ch := make(chan out, 1)
		go func() {
			if plain {
				d, err := b.Recv(4, pysock.MSG_WAITALL)
				ch <- out{d, nil, err}
				return
			}
			m, err := b.RecvMsg(4, 256, pysock.MSG_WAITALL)
			ch <- out{m.Data, m.AncData, err}
		}()
		if plain {
			waitParked(t, "(*Socket).recvNew")
		} else {
			waitParked(t, "(*Socket).recvMsg")
		}
		then()
		var r out
		select {
		case r = <-ch:
		case <-time.After(10 * time.Second):
			b.Close() // the watchdog: the call ends on the closed socket
			t.Fatal("MSG_WAITALL receive still waiting after 10 s")
		}
		if r.err != nil {
			t.Fatal(r.err)
		}
		for _, an := range r.anc {
			if an.Level == pysock.SOL_SOCKET && an.Type == pysock.SCM_RIGHTS {
				for i := 0; i+4 <= len(an.Data); i += 4 {
					unix.Close(int(binary.NativeEndian.Uint32(an.Data[i:])))
				}
			}
		}
		return string(r.data), r.anc
	}
	types := func(anc []pysock.AncData) string {
		var s []string
		for _, an := range anc {
			switch {
			case an.Level == pysock.SOL_SOCKET && an.Type == pysock.SCM_CREDENTIALS && len(an.Data) == 12:
				s = append(s, "creds")
			case an.Level == pysock.SOL_SOCKET && an.Type == pysock.SCM_RIGHTS && len(an.Data) == 4:
				s = append(s, "fd")
			default:
				s = append(s, "?")
			}
		}
		return strings.Join(s, ",")
	}
	send := func(t *testing.T, s *pysock.Socket, data string) {
		t.Helper()
		if _, err := s.Send([]byte(data)); err != nil {
			t.Fatal(err)
		}
	}
	sendFd := func(t *testing.T, s *pysock.Socket, data string) {
		t.Helper()
		if _, err := pysock.SendFds(s, [][]byte{[]byte(data)}, []int{0}); err != nil {
			t.Fatal(err)
		}
	}
	t.Run("same writer", func(t *testing.T) {
		a, b := newPair(t, true)
		send(t, a, "ab")
		d, anc := recvMsg(t, b, false, func() { send(t, a, "cd") })
		if d != "abcd" || types(anc) != "creds" {
			t.Fatalf("got %q [%s]; CPython: b'abcd' [creds]", d, types(anc))
		}
	})
	t.Run("descriptors end it", func(t *testing.T) {
		a, b := newPair(t, true)
		send(t, a, "ab")
		d, anc := recvMsg(t, b, false, func() { sendFd(t, a, "c"); send(t, a, "d") })
		if d != "abc" || types(anc) != "creds,fd" {
			t.Fatalf("got %q [%s]; CPython: b'abc' [creds,fd]", d, types(anc))
		}
		if rest, err := b.Recv(4); err != nil || string(rest) != "d" {
			t.Fatalf("next recv: %q, %v; want b'd'", rest, err)
		}
	})
	t.Run("descriptors end it without SO_PASSCRED", func(t *testing.T) {
		a, b := newPair(t, false)
		send(t, a, "ab")
		d, anc := recvMsg(t, b, false, func() { sendFd(t, a, "c"); send(t, a, "d") })
		if d != "abc" || types(anc) != "fd" {
			t.Fatalf("got %q [%s]; CPython: b'abc' [fd]", d, types(anc))
		}
	})
	otherWriter := func(t *testing.T, a *pysock.Socket) {
		f, err := a.Dup()
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		file := os.NewFile(uintptr(f.Detach()), "writer")
		defer file.Close()
		cmd := exec.Command(os.Args[0], "-test.run=^TestWaitAllUnixGlue$")
		cmd.Env = append(os.Environ(), "PYSOCK_GLUE_WRITER=1")
		cmd.ExtraFiles = []*os.File{file}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("writer: %v\n%s", err, out)
		}
	}
	t.Run("another writer", func(t *testing.T) {
		a, b := newPair(t, true)
		send(t, a, "ab")
		d, anc := recvMsg(t, b, false, func() { otherWriter(t, a) })
		if d != "ab" || types(anc) != "creds" {
			t.Fatalf("got %q [%s]; CPython: b'ab' [creds]", d, types(anc))
		}
		if rest, err := b.Recv(4); err != nil || string(rest) != "cd" {
			t.Fatalf("next recv: %q, %v; want b'cd'", rest, err)
		}
	})
	t.Run("another writer, recv", func(t *testing.T) {
		a, b := newPair(t, true)
		send(t, a, "ab")
		if d, _ := recvMsg(t, b, true, func() { otherWriter(t, a) }); d != "ab" {
			t.Fatalf("got %q; CPython: b'ab'", d)
		}
	})
	t.Run("SO_RCVTIMEO", func(t *testing.T) {
		a, b := newPair(t, false)
		tv := make([]byte, 16)
		binary.NativeEndian.PutUint64(tv[8:], 300000)
		if err := b.SetSockOpt(pysock.SOL_SOCKET, pysock.SO_RCVTIMEO, tv); err != nil {
			t.Fatal(err)
		}
		send(t, a, "ab")
		start := time.Now()
		d, err := b.Recv(4, pysock.MSG_WAITALL)
		if err != nil || string(d) != "ab" || time.Since(start) < 250*time.Millisecond {
			t.Fatalf("got %q, %v after %v; CPython: b'ab' after 0.3 s", d, err, time.Since(start))
		}
	})
	t.Run("SO_PEEK_OFF", func(t *testing.T) {
		// A peek would move the offset: the receive gathers instead,
		// and leaves the offset where it was.
		a, b := newPair(t, false)
		if err := b.SetSockOpt(pysock.SOL_SOCKET, unix.SO_PEEK_OFF, 0); err != nil {
			t.Fatal(err)
		}
		send(t, a, "ab")
		if d, _ := recvMsg(t, b, false, func() { send(t, a, "cd") }); d != "abcd" {
			t.Fatalf("got %q; want b'abcd'", d)
		}
		if off, err := b.GetSockOpt(pysock.SOL_SOCKET, unix.SO_PEEK_OFF); err != nil || off != 0 {
			t.Fatalf("SO_PEEK_OFF after: %v, %v; want 0", off, err)
		}
	})
}
