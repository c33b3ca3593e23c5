package cpython

// Lib/test/test_selectors.py: BaseSelectorTestCase and ScalableSelectorMixIn
// for each selector class pysock has.

import (
	"math/rand/v2"
	"os"
	"os/signal"
	"slices"
	"syscall"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

type selectorClass struct {
	name string // CPython's test class
	new  func() (pysock.Selector, error)
}

var selectorClasses = []selectorClass{
	{"DefaultSelectorTestCase", func() (pysock.Selector, error) { return pysock.DefaultSelector() }},
	{"SelectSelectorTestCase", func() (pysock.Selector, error) { return pysock.NewSelectSelector(), nil }},
	{"PollSelectorTestCase", func() (pysock.Selector, error) { return pysock.NewPollSelector(), nil }},
	{"EpollSelectorTestCase", func() (pysock.Selector, error) { return pysock.NewEpollSelector() }},
}

func init() {
	for _, c := range selectorClasses {
		methods := baseSelectorTests(c)
		if c.name == "PollSelectorTestCase" || c.name == "EpollSelectorTestCase" {
			methods["test_above_fd_setsize"] = func(t *T) { testAboveFdSetsize(t, c) }
		}
		if c.name == "EpollSelectorTestCase" {
			methods["test_register_file"] = func(t *T) {
				s := newSelector(t, c)
				f := must(os.CreateTemp("", "selectors"))(t, "NamedTemporaryFile()")
				defer os.Remove(f.Name())
				defer f.Close()
				_, err := s.Register(f, pysock.EVENT_READ)
				raises[*pyerr.OSError](t, err, "s.register(f, EVENT_READ)")
				_, err = s.GetKey(f)
				raises[*pyerr.KeyError](t, err, "s.get_key(f)")
			}
		}
		if c.name == "SelectSelectorTestCase" {
			methods["test_modify_unregister"] = func(t *T) { t.Skip("") }
		} else {
			notApplicable("test_selectors", c.name,
				"unittest.mock patches the selector's _selector_cls so that modify() raises ZeroDivisionError",
				"test_modify_unregister")
		}
		ports("test_selectors", c.name, methods)
		notApplicable("test_selectors", c.name,
			"a Python signal handler raising an exception out of select()",
			"test_select_interrupt_exc")
	}
	// hasattr(selectors, 'KqueueSelector') / 'DevpollSelector': pysock has
	// neither (BSD and Solaris only), as CPython on Linux.
	classSkip("KqueueSelectorTestCase", func(*T) (bool, string) { return true, "Test needs selectors.KqueueSelector)" })
	classSkip("DevpollSelectorTestCase", func(*T) (bool, string) { return true, "Test needs selectors.DevpollSelector" })
}

func newSelector(t *T, c selectorClass) pysock.Selector {
	s, err := c.new()
	ok(t, err, "self.SELECTOR()")
	t.Cleanup(func() { s.Close() })
	return s
}

func makeSocketpair(t *T) (rd, wr *pysock.Socket) {
	rd, wr, err := pysock.SocketPair(-1, -1, -1)
	ok(t, err, "socketpair()")
	t.Cleanup(func() { rd.Close() })
	t.Cleanup(func() { wr.Close() })
	return rd, wr
}

func findReadyMatching(ready []pysock.SelectorEvent, flag int) []any {
	var match []any
	for _, e := range ready {
		if e.Events&flag != 0 {
			match = append(match, e.Key.FileObj)
		}
	}
	return match
}

func baseSelectorTests(c selectorClass) map[string]func(*T) {
	return map[string]func(*T){
		"test_register": func(t *T) {
			s := newSelector(t, c)
			rd, _ := makeSocketpair(t)
			key := must(s.Register(rd, pysock.EVENT_READ, "data"))(t, "s.register(rd, EVENT_READ, 'data')")
			eq(t, key.FileObj, any(rd), "key.fileobj")
			eq(t, key.Fd, rd.Fileno(), "key.fd")
			eq(t, key.Events, pysock.EVENT_READ, "key.events")
			eq(t, key.Data, any("data"), "key.data")
			_, err := s.Register(0, 999999)
			raises[*pyerr.ValueError](t, err, "s.register(0, 999999)")
			_, err = s.Register(-10, pysock.EVENT_READ)
			raises[*pyerr.ValueError](t, err, "s.register(-10, EVENT_READ)")
			_, err = s.Register(rd, pysock.EVENT_READ)
			raises[*pyerr.KeyError](t, err, "s.register(rd, EVENT_READ) twice")
			_, err = s.Register(rd.Fileno(), pysock.EVENT_READ)
			raises[*pyerr.KeyError](t, err, "s.register(rd.fileno(), EVENT_READ)")
		},
		"test_unregister": func(t *T) {
			s := newSelector(t, c)
			rd, _ := makeSocketpair(t)
			must(s.Register(rd, pysock.EVENT_READ))(t, "s.register(rd, EVENT_READ)")
			must(s.Unregister(rd))(t, "s.unregister(rd)")
			_, err := s.Unregister(999999)
			raises[*pyerr.KeyError](t, err, "s.unregister(999999)")
			_, err = s.Unregister(rd)
			raises[*pyerr.KeyError](t, err, "s.unregister(rd) twice")
		},
		"test_unregister_after_fd_close": func(t *T) {
			s := newSelector(t, c)
			rd, wr := makeSocketpair(t)
			r, w := rd.Fileno(), wr.Fileno()
			must(s.Register(r, pysock.EVENT_READ))(t, "s.register(r, EVENT_READ)")
			must(s.Register(w, pysock.EVENT_WRITE))(t, "s.register(w, EVENT_WRITE)")
			rd.Close()
			wr.Close()
			must(s.Unregister(r))(t, "s.unregister(r)")
			must(s.Unregister(w))(t, "s.unregister(w)")
		},
		"test_unregister_after_fd_close_and_reuse": func(t *T) {
			s := newSelector(t, c)
			rd, wr := makeSocketpair(t)
			r, w := rd.Fileno(), wr.Fileno()
			must(s.Register(r, pysock.EVENT_READ))(t, "s.register(r, EVENT_READ)")
			must(s.Register(w, pysock.EVENT_WRITE))(t, "s.register(w, EVENT_WRITE)")
			rd2, wr2 := makeSocketpair(t)
			rd.Close()
			wr.Close()
			ok(t, unix.Dup2(rd2.Fileno(), r), "os.dup2(rd2.fileno(), r)")
			ok(t, unix.Dup2(wr2.Fileno(), w), "os.dup2(wr2.fileno(), w)")
			t.Cleanup(func() { unix.Close(r) })
			t.Cleanup(func() { unix.Close(w) })
			must(s.Unregister(r))(t, "s.unregister(r)")
			must(s.Unregister(w))(t, "s.unregister(w)")
		},
		"test_unregister_after_socket_close": func(t *T) {
			s := newSelector(t, c)
			rd, wr := makeSocketpair(t)
			must(s.Register(rd, pysock.EVENT_READ))(t, "s.register(rd, EVENT_READ)")
			must(s.Register(wr, pysock.EVENT_WRITE))(t, "s.register(wr, EVENT_WRITE)")
			rd.Close()
			wr.Close()
			must(s.Unregister(rd))(t, "s.unregister(rd)")
			must(s.Unregister(wr))(t, "s.unregister(wr)")
		},
		"test_modify": func(t *T) {
			s := newSelector(t, c)
			rd, _ := makeSocketpair(t)
			key := must(s.Register(rd, pysock.EVENT_READ))(t, "s.register(rd, EVENT_READ)")
			key2 := must(s.Modify(rd, pysock.EVENT_WRITE))(t, "s.modify(rd, EVENT_WRITE)")
			ne(t, key.Events, key2.Events, "key.events != key2.events")
			truth(t, key2 == must(s.GetKey(rd))(t, "s.get_key(rd)"), "key2 == s.get_key(rd)")
			must(s.Unregister(rd))(t, "s.unregister(rd)")
			d1, d2 := new(int), new(int) // object(), object()
			key = must(s.Register(rd, pysock.EVENT_READ, d1))(t, "s.register(rd, EVENT_READ, d1)")
			key2 = must(s.Modify(rd, pysock.EVENT_READ, d2))(t, "s.modify(rd, EVENT_READ, d2)")
			eq(t, key.Events, key2.Events, "key.events == key2.events")
			truth(t, key.Data != key2.Data, "key.data != key2.data")
			truth(t, key2 == must(s.GetKey(rd))(t, "s.get_key(rd)"), "key2 == s.get_key(rd)")
			truth(t, key2.Data == any(d2), "key2.data == d2")
			_, err := s.Modify(999999, pysock.EVENT_READ)
			raises[*pyerr.KeyError](t, err, "s.modify(999999, EVENT_READ)")
			// The last part replaces s.register and s.unregister with
			// unittest.mock.Mock objects to see that modify() does not
			// call them: Python-only (a Go method cannot be replaced).
			d3 := new(int)
			must(s.Modify(rd, pysock.EVENT_READ, d3))(t, "s.modify(rd, EVENT_READ, d3)")
		},
		"test_close": func(t *T) {
			s := newSelector(t, c)
			mapping := s.GetMap()
			rd, wr := makeSocketpair(t)
			must(s.Register(rd, pysock.EVENT_READ))(t, "s.register(rd, EVENT_READ)")
			must(s.Register(wr, pysock.EVENT_WRITE))(t, "s.register(wr, EVENT_WRITE)")
			ok(t, s.Close(), "s.close()")
			_, err := s.GetKey(rd)
			raises[*pyerr.RuntimeError](t, err, "s.get_key(rd)")
			_, err = s.GetKey(wr)
			raises[*pyerr.RuntimeError](t, err, "s.get_key(wr)")
			_, err = mapping.Get(rd)
			raises[*pyerr.KeyError](t, err, "mapping[rd]")
			_, err = mapping.Get(wr)
			raises[*pyerr.KeyError](t, err, "mapping[wr]")
		},
		"test_get_key": func(t *T) {
			s := newSelector(t, c)
			rd, _ := makeSocketpair(t)
			key := must(s.Register(rd, pysock.EVENT_READ, "data"))(t, "s.register(rd, EVENT_READ, 'data')")
			truth(t, key == must(s.GetKey(rd))(t, "s.get_key(rd)"), "key == s.get_key(rd)")
			_, err := s.GetKey(999999)
			raises[*pyerr.KeyError](t, err, "s.get_key(999999)")
		},
		"test_get_map": func(t *T) {
			s := newSelector(t, c)
			rd, _ := makeSocketpair(t)
			keys := s.GetMap()
			eq(t, keys.Len(), 0, "len(keys)")
			eq(t, len(keys.Keys()), 0, "list(keys)")
			key := must(s.Register(rd, pysock.EVENT_READ, "data"))(t, "s.register(rd, EVENT_READ, 'data')")
			got, err := keys.Get(rd)
			ok(t, err, "rd in keys")
			truth(t, key == got, "key == keys[rd]")
			eq(t, keys.Len(), 1, "len(keys)")
			eq(t, keys.Keys(), []int{rd.Fileno()}, "list(keys)")
			vals := keys.Values()
			truth(t, len(vals) == 1 && vals[0] == key, "list(keys.values()) == [key]")
			_, err = keys.Get(999999)
			raises[*pyerr.KeyError](t, err, "keys[999999]")
			// del keys[rd] raising TypeError (a read-only mapping): the Go
			// mapping has no delete operation, so it cannot be written.
		},
		"test_select": func(t *T) {
			s := newSelector(t, c)
			rd, wr := makeSocketpair(t)
			must(s.Register(rd, pysock.EVENT_READ))(t, "s.register(rd, EVENT_READ)")
			wrKey := must(s.Register(wr, pysock.EVENT_WRITE))(t, "s.register(wr, EVENT_WRITE)")
			result := must(s.Select())(t, "s.select()")
			for _, e := range result {
				truth(t, e.Events != 0, "events")
				truth(t, e.Events&^(pysock.EVENT_READ|pysock.EVENT_WRITE) == 0, "events & ~(READ|WRITE) == 0")
			}
			eq(t, result, []pysock.SelectorEvent{{Key: wrKey, Events: pysock.EVENT_WRITE}}, "s.select()")
		},
		"test_select_read_write": func(t *T) {
			s := newSelector(t, c)
			sock1, sock2 := makeSocketpair(t)
			must(sock2.Send([]byte("foo")))(t, "sock2.send(b'foo')")
			myKey := must(s.Register(sock1, pysock.EVENT_READ|pysock.EVENT_WRITE))(t, "s.register(sock1, READ|WRITE)")
			seenRead, seenWrite := false, false
			result := must(s.Select())(t, "s.select()")
			truth(t, len(result) <= 2, "len(result) <= 2")
			for _, e := range result {
				truth(t, e.Key == myKey, "key == my_key")
				truth(t, e.Events&^(pysock.EVENT_READ|pysock.EVENT_WRITE) == 0, "events & ~(READ|WRITE) == 0")
				if e.Events&pysock.EVENT_READ != 0 {
					truth(t, !seenRead, "not seen_read")
					seenRead = true
				}
				if e.Events&pysock.EVENT_WRITE != 0 {
					truth(t, !seenWrite, "not seen_write")
					seenWrite = true
				}
			}
			truth(t, seenRead, "seen_read")
			truth(t, seenWrite, "seen_write")
		},
		"test_context_manager": func(t *T) {
			s := newSelector(t, c)
			rd, wr := makeSocketpair(t)
			func() { // with s as sel:
				defer s.Close()
				must(s.Register(rd, pysock.EVENT_READ))(t, "sel.register(rd, EVENT_READ)")
				must(s.Register(wr, pysock.EVENT_WRITE))(t, "sel.register(wr, EVENT_WRITE)")
			}()
			_, err := s.GetKey(rd)
			raises[*pyerr.RuntimeError](t, err, "s.get_key(rd)")
			_, err = s.GetKey(wr)
			raises[*pyerr.RuntimeError](t, err, "s.get_key(wr)")
		},
		"test_fileno": func(t *T) {
			s := newSelector(t, c)
			f, has := s.(interface{ Fileno() (int, error) })
			_, epoll := s.(*pysock.EpollSelector)
			eq(t, has, epoll, "hasattr(s, 'fileno')")
			if has {
				fd := must(f.Fileno())(t, "s.fileno()")
				truth(t, fd >= 0, "s.fileno() >= 0")
			}
		},
		"test_selector": func(t *T) {
			s := newSelector(t, c)
			const numSockets = 12
			msg := []byte(" This is a test.")
			var writers []any
			r2w, w2r := map[any]*pysock.Socket{}, map[any]*pysock.Socket{}
			for range numSockets {
				rd, wr := makeSocketpair(t)
				must(s.Register(rd, pysock.EVENT_READ))(t, "s.register(rd, EVENT_READ)")
				must(s.Register(wr, pysock.EVENT_WRITE))(t, "s.register(wr, EVENT_WRITE)")
				writers = append(writers, wr)
				r2w[rd], w2r[wr] = wr, rd
			}
			var bufs [][]byte
			for len(writers) > 0 {
				ready := must(s.Select())(t, "s.select()")
				readyWriters := findReadyMatching(ready, pysock.EVENT_WRITE)
				if len(readyWriters) == 0 {
					t.Fatalf("no sockets ready for writing")
				}
				wr := readyWriters[rand.IntN(len(readyWriters))].(*pysock.Socket)
				must(wr.Send(msg))(t, "wr.send(MSG)")
				var readyReaders []any
				for i := 0; ; i++ {
					if i == 10 {
						t.Fatalf("no sockets ready for reading")
					}
					ready = must(s.Select())(t, "s.select()")
					readyReaders = findReadyMatching(ready, pysock.EVENT_READ)
					if len(readyReaders) > 0 {
						break
					}
					time.Sleep(100 * time.Millisecond)
				}
				eq(t, readyReaders, []any{w2r[wr]}, "ready_readers")
				rd := readyReaders[0].(*pysock.Socket)
				buf := must(rd.Recv(len(msg)))(t, "rd.recv(MSG_LEN)")
				eq(t, len(buf), len(msg), "len(buf)")
				bufs = append(bufs, buf)
				must(s.Unregister(r2w[rd]))(t, "s.unregister(r2w[rd])")
				must(s.Unregister(rd))(t, "s.unregister(rd)")
				writers = slices.DeleteFunc(writers, func(w any) bool { return w == any(r2w[rd]) })
			}
			want := make([][]byte, numSockets)
			for i := range want {
				want[i] = msg
			}
			eq(t, bufs, want, "bufs")
		},
		"test_empty_select": func(t *T) {
			s := newSelector(t, c)
			eq(t, len(must(s.Select(0))(t, "s.select(timeout=0)")), 0, "s.select(timeout=0)")
		},
		"test_timeout": func(t *T) {
			s := newSelector(t, c)
			rd, wr := makeSocketpair(t)
			must(s.Register(wr, pysock.EVENT_WRITE))(t, "s.register(wr, EVENT_WRITE)")
			t0 := time.Now()
			eq(t, len(must(s.Select(0))(t, "s.select(0)")), 1, "len(s.select(0))")
			eq(t, len(must(s.Select(-1))(t, "s.select(-1)")), 1, "len(s.select(-1))")
			truth(t, time.Since(t0) < 500*time.Millisecond, "time() - t < 0.5")
			must(s.Unregister(wr))(t, "s.unregister(wr)")
			must(s.Register(rd, pysock.EVENT_READ))(t, "s.register(rd, EVENT_READ)")
			t0 = time.Now()
			eq(t, len(must(s.Select(0))(t, "s.select(0)")), 0, "s.select(0)")
			eq(t, len(must(s.Select(-1))(t, "s.select(-1)")), 0, "s.select(-1)")
			truth(t, time.Since(t0) < 500*time.Millisecond, "time() - t < 0.5")
			t0 = time.Now()
			eq(t, len(must(s.Select(1))(t, "s.select(1)")), 0, "s.select(1)")
			dt := time.Since(t0).Seconds()
			truth(t, 0.8 <= dt && dt <= 2.0, "0.8 <= dt <= 2.0")
		},
		"test_select_interrupt_noraise": func(t *T) {
			s := newSelector(t, c)
			rd, _ := makeSocketpair(t)
			// signal.signal(SIGALRM, lambda *args: None); signal.alarm(1)
			ch := make(chan os.Signal, 1)
			signal.Notify(ch, syscall.SIGALRM)
			t.Cleanup(func() { signal.Stop(ch) })
			_, err := unix.Setitimer(unix.ItimerReal, unix.Itimerval{Value: unix.NsecToTimeval(int64(time.Second))})
			ok(t, err, "signal.alarm(1)")
			t.Cleanup(func() { unix.Setitimer(unix.ItimerReal, unix.Itimerval{}) })
			must(s.Register(rd, pysock.EVENT_READ))(t, "s.register(rd, EVENT_READ)")
			t0 := time.Now()
			eq(t, len(must(s.Select(1.5))(t, "s.select(1.5)")), 0, "s.select(1.5)")
			truth(t, time.Since(t0) >= time.Second, "time() - t >= 1.0")
		},
	}
}

func testAboveFdSetsize(t *T, c selectorClass) {
	requireResource(t, "cpu")
	var lim unix.Rlimit
	ok(t, unix.Getrlimit(unix.RLIMIT_NOFILE, &lim), "getrlimit(RLIMIT_NOFILE)")
	soft, hard := lim.Cur, lim.Max
	numFds := int(soft)
	if err := unix.Setrlimit(unix.RLIMIT_NOFILE, &unix.Rlimit{Cur: hard, Max: hard}); err == nil {
		t.Cleanup(func() { unix.Setrlimit(unix.RLIMIT_NOFILE, &unix.Rlimit{Cur: soft, Max: hard}) })
		numFds = int(min(hard, 1<<16))
	}
	numFds -= 32
	s := newSelector(t, c)
	for range numFds / 2 {
		rd, wr, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			t.Skip("FD limit reached")
		}
		t.Cleanup(func() { rd.Close() })
		t.Cleanup(func() { wr.Close() })
		for _, r := range []struct {
			s  *pysock.Socket
			ev int
		}{{rd, pysock.EVENT_READ}, {wr, pysock.EVENT_WRITE}} {
			if _, err := s.Register(r.s, r.ev); err != nil {
				if oe := raises[*pyerr.OSError](t, err, "s.register"); oe != nil && oe.Errno == int(unix.ENOSPC) {
					t.Skip("FD limit reached")
				}
				t.Fatalf("s.register: %v", err)
			}
		}
	}
	fds := must(s.Select())(t, "s.select()")
	eq(t, len(fds), numFds/2, "len(fds)")
}

// requireResource is support.requires_resource: the resource must be
// enabled, here with PYSOCK_RESOURCES (a comma list, like regrtest's -u);
// none is by default, as in `python3 -m test`.
func requireResource(t *T, name string) {
	for _, r := range splitComma(os.Getenv("PYSOCK_RESOURCES")) {
		if r == name || r == "all" {
			return
		}
	}
	t.Skip("resource '" + name + "' is not enabled")
}

func splitComma(s string) []string {
	var out []string
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != ',' {
			i++
		}
		if i > 0 {
			out = append(out, s[:i])
		}
		if i == len(s) {
			break
		}
		s = s[i+1:]
	}
	return out
}
