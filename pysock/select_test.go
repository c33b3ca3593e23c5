package pysock_test

import (
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// TestEpollWaitParksGoroutine shows that goroutines waiting in an
// EpollSelector's Select do not hold OS threads: the epoll fd waits on Go's
// runtime poller.
func TestEpollWaitParksGoroutine(t *testing.T) {
	checkFDs(t)
	const n = 300
	type waiter struct {
		sel  *pysock.EpollSelector
		a, b *pysock.Socket
	}
	ws := make([]waiter, n)
	for i := range ws {
		ws[i].a, ws[i].b = pair(t)
		sel, err := pysock.DefaultSelector()
		if err != nil {
			t.Fatal(err)
		}
		ws[i].sel = sel
		if _, err := sel.Register(ws[i].a, pysock.EVENT_READ, i); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		for _, w := range ws {
			w.sel.Close()
			w.a.Close()
			w.b.Close()
		}
	}()
	var wg sync.WaitGroup
	started := make(chan struct{}, n)
	errs := make(chan error, n)
	for i, w := range ws {
		wg.Add(1)
		go func() {
			defer wg.Done()
			started <- struct{}{}
			ready, err := w.sel.Select()
			switch {
			case err != nil:
				errs <- err
			case len(ready) != 1 || ready[0].Key.Data != i || ready[0].Events != pysock.EVENT_READ:
				errs <- fmt.Errorf("waiter %d: got %v", i, ready)
			}
		}()
	}
	for range n {
		<-started
	}
	deadline := time.Now().Add(time.Second) // bounded settling, not synchronization
	for time.Now().Before(deadline) {
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
	threads := osThreads(t)
	t.Logf("%d goroutines waiting in EpollSelector.Select: %d OS threads", n, threads)
	if threads >= 30 {
		t.Errorf("%d OS threads for %d waiting selectors; want < 30", threads, n)
	}
	for _, w := range ws {
		if _, err := w.b.Send([]byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// TestEpollCloseWakesPoll: Close from another goroutine ends a Poll that
// waits forever, with CPython's closed-object error.
func TestEpollCloseWakesPoll(t *testing.T) {
	checkFDs(t)
	ep, err := pysock.Epoll()
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := ep.Poll()
		done <- err
	}()
	time.Sleep(20 * time.Millisecond) // let it park; the result holds either way
	if err := ep.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		var ve *pyerr.ValueError
		if !errors.As(err, &ve) || ve.Error() != "I/O operation on closed epoll object" {
			t.Fatalf("Poll after Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not wake Poll")
	}
}

// TestPollConcurrentInvocation: a second Poll on one object while the first
// waits is CPython's RuntimeError.
func TestPollConcurrentInvocation(t *testing.T) {
	checkFDs(t)
	a, b := pair(t)
	defer a.Close()
	defer b.Close()
	p := pysock.Poll()
	if err := p.Register(a, pysock.POLLIN); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := p.Poll(5000)
		done <- err
	}()
	// Either side may be the one refused, depending on which starts first.
	var rerr *pyerr.RuntimeError
	var bgErr error
	bgDone := false
	deadline := time.Now().Add(5 * time.Second)
	for rerr == nil && time.Now().Before(deadline) {
		if _, err := p.Poll(0); errors.As(err, &rerr) {
			break
		}
		select {
		case bgErr = <-done:
			bgDone = true
			errors.As(bgErr, &rerr)
		default:
		}
		if bgDone && rerr == nil {
			go func() { // the background poll finished first: start another
				_, err := p.Poll(5000)
				done <- err
			}()
			bgDone = false
		}
		runtime.Gosched()
	}
	if rerr == nil || rerr.Error() != "concurrent poll() invocation" {
		t.Fatalf("concurrent Poll: got %v", rerr)
	}
	b.Send([]byte("x"))
	if !bgDone {
		if err := <-done; err != nil && !errors.As(err, &rerr) {
			t.Fatal(err)
		}
	}
}

// TestSelectorsEchoServer runs the pymotw selectors echo server shape on
// one goroutine with many clients and checks every byte.
func TestSelectorsEchoServer(t *testing.T) {
	checkFDs(t)
	for _, mk := range []struct {
		name string
		new  func() (pysock.Selector, error)
	}{
		{"epoll", func() (pysock.Selector, error) { return pysock.DefaultSelector() }},
		{"poll", func() (pysock.Selector, error) { return pysock.NewPollSelector(), nil }},
		{"select", func() (pysock.Selector, error) { return pysock.NewSelectSelector(), nil }},
	} {
		t.Run(mk.name, func(t *testing.T) {
			sel, err := mk.new()
			if err != nil {
				t.Fatal(err)
			}
			defer sel.Close()
			srv, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			if err := srv.Bind(pysock.Tuple{"127.0.0.1", 0}); err != nil {
				t.Fatal(err)
			}
			srv.Listen()
			srv.SetBlocking(false)
			addr, _ := srv.GetSockName()
			sel.Register(srv, pysock.EVENT_READ, "accept")

			const clients, rounds = 40, 5
			var wg sync.WaitGroup
			errs := make(chan error, clients)
			for i := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_STREAM, -1)
					if err != nil {
						errs <- err
						return
					}
					defer c.Close()
					c.SetTimeout(10.0)
					if err := c.Connect(addr); err != nil {
						errs <- err
						return
					}
					for r := range rounds {
						msg := fmt.Sprintf("client %d round %d", i, r)
						if err := c.SendAll([]byte(msg)); err != nil {
							errs <- err
							return
						}
						got := make([]byte, 0, len(msg))
						buf := make([]byte, 64)
						for len(got) < len(msg) {
							n, err := c.RecvInto(buf)
							if err != nil || n == 0 {
								errs <- fmt.Errorf("client %d: recv %d, %v", i, n, err)
								return
							}
							got = append(got, buf[:n]...)
						}
						if string(got) != msg {
							errs <- fmt.Errorf("client %d: echoed %q, sent %q", i, got, msg)
							return
						}
					}
				}()
			}
			clientsDone := make(chan struct{})
			go func() { wg.Wait(); close(clientsDone) }()

			open := map[*pysock.Socket]bool{}
			served := 0
			deadline := time.Now().Add(20 * time.Second)
			for served < clients && time.Now().Before(deadline) {
				ready, err := sel.Select(1.0)
				if err != nil {
					t.Fatal(err)
				}
				for _, ev := range ready {
					if ev.Key.Data == "accept" {
						conn, _, err := srv.Accept()
						if err != nil {
							t.Fatal(err)
						}
						conn.SetBlocking(false)
						open[conn] = true
						sel.Register(conn, pysock.EVENT_READ, "echo")
						continue
					}
					conn := ev.Key.FileObj.(*pysock.Socket)
					data, err := conn.Recv(1024)
					if err != nil {
						t.Fatal(err)
					}
					if len(data) == 0 {
						sel.Unregister(conn)
						conn.Close()
						delete(open, conn)
						served++
						continue
					}
					if err := conn.SendAll(data); err != nil {
						t.Fatal(err)
					}
				}
			}
			<-clientsDone
			close(errs)
			for err := range errs {
				t.Error(err)
			}
			if served != clients {
				t.Errorf("served %d of %d clients", served, clients)
			}
			for c := range open {
				c.Close()
			}
		})
	}
}

// TestSelectorMapOrder checks that get_map() iterates in registration
// order as a Python dict does, also after an fd is unregistered and
// registered again (it moves to the end).
func TestSelectorMapOrder(t *testing.T) {
	s := pysock.NewSelectSelector()
	defer s.Close()
	for _, fd := range []int{7, 3, 5, 9} {
		if _, err := s.Register(fd, pysock.EVENT_READ); err != nil {
			t.Fatal(err)
		}
	}
	for _, fd := range []int{7, 5} {
		if _, err := s.Unregister(fd); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.Register(7, pysock.EVENT_WRITE); err != nil {
		t.Fatal(err)
	}
	if got, want := s.GetMap().Keys(), []int{3, 9, 7}; !slices.Equal(got, want) {
		t.Errorf("Keys() = %v, want %v", got, want)
	}
	var fds []int
	for _, k := range s.GetMap().Values() {
		fds = append(fds, k.Fd)
	}
	if want := []int{3, 9, 7}; !slices.Equal(fds, want) {
		t.Errorf("Values() fds = %v, want %v", fds, want)
	}
}
