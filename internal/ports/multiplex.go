package ports

import (
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

func init() { All["multiplex"] = Multiplex }

// bigPow2 is Python's 2**n.
func bigPow2(n uint) *big.Int { return new(big.Int).Lsh(big.NewInt(1), n) }

// staleFd is the number of an fd that was just closed.
func staleFd() int {
	d, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return -1
	}
	n := d.Fileno()
	d.Close()
	return n
}

// Multiplex is the twin of scenarios/multiplex.py (A12, select, poll, epoll
// and selectors).
func Multiplex(t *Transcript) error {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	e, f, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	f.Close()
	c, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	c.Close()
	names := map[int]string{a.Fileno(): "fd_a", b.Fileno(): "fd_b", e.Fileno(): "fd_e"}
	fds := func(list []pysock.PollEvent, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		out := []any{}
		for _, ev := range list {
			n, ok := names[ev.Fd]
			if !ok {
				n = "?"
			}
			out = append(out, pysock.Tuple{n, ev.Events})
		}
		return out, nil
	}
	which := func(r, w, x []any, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		var tup pysock.Tuple
		for _, l := range [][]any{r, w, x} {
			out := []any{}
			for _, v := range l {
				if s, ok := v.(pysock.Filenoer); ok {
					out = append(out, names[s.Fileno()])
				} else {
					out = append(out, names[v.(int)])
				}
			}
			tup = append(tup, out)
		}
		return tup, nil
	}
	lists := func(r, w, x []any, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		return pysock.Tuple{r, w, x}, nil
	}
	drain := func() (any, error) { return bytesOf(a.Recv(100)) }
	later := func() { time.AfterFunc(T, func() { b.Send([]byte("late")) }) }

	// select.select
	t.Show("select nothing ready", func() (any, error) { return which(pysock.Select([]any{a}, nil, nil, 0)) })
	t.Show("select writable", func() (any, error) { return which(pysock.Select([]any{a}, []any{a, b}, nil, 0)) })
	t.Timed("select(T) nothing ready", func() (any, error) { return which(pysock.Select([]any{a}, nil, nil, 0.3)) })
	later()
	t.Timed("select(None) data after T", func() (any, error) { return which(pysock.Select([]any{a}, nil, nil, nil)) })
	t.Show("select readable", func() (any, error) { return which(pysock.Select([]any{b, a}, nil, []any{a}, 0)) })
	t.Show("select same objects", func() (any, error) {
		r, _, _, err := pysock.Select([]any{a}, nil, nil, 0)
		return err == nil && r[0] == any(a), err
	})
	t.Show("select ints", func() (any, error) { return which(pysock.Select([]any{a.Fileno()}, nil, nil, 0)) })
	t.Show("drain", drain)
	t.Show("select empty lists", func() (any, error) { return lists(pysock.Select(nil, nil, nil, 0)) })
	t.Show("select peer closed", func() (any, error) { return which(pysock.Select([]any{e}, []any{e}, []any{e}, 0)) })
	for _, tc := range []struct {
		label string
		v     any
	}{{"-1", -1}, {"-0.5", -0.5}, {"'x'", "x"}, {"nan", math.NaN()}, {"inf", math.Inf(1)}, {"2**70", bigPow2(70)}} {
		t.Show("select timeout "+tc.label, func() (any, error) { return lists(pysock.Select([]any{a}, nil, nil, tc.v)) })
	}
	for _, tc := range []struct {
		label string
		v     any
	}{{"[1024]", 1024}, {"[-1]", -1}, {"['x']", "x"}, {"[1.5]", 1.5}, {"[2**40]", int64(1) << 40},
		{"closed socket", c}, {"stale fd", staleFd()}} {
		t.Show("select "+tc.label, func() (any, error) { return lists(pysock.Select([]any{tc.v}, nil, nil, 0)) })
	}

	// select.poll
	p := pysock.Poll()
	t.Do("poll register a POLLIN", func() error { return p.Register(a, pysock.POLLIN) })
	t.Show("poll(0) nothing", func() (any, error) { return fds(p.Poll(0)) })
	t.Timed("poll(T ms) nothing", func() (any, error) { return fds(p.Poll(300.0)) })
	b.Send([]byte("y"))
	t.Show("poll(0) ready", func() (any, error) { return fds(p.Poll(0)) })
	t.Show("poll(None) ready", func() (any, error) { return fds(p.Poll(nil)) })
	t.Show("poll(-5) ready", func() (any, error) { return fds(p.Poll(-5)) })
	t.Show("poll(1.5) ready", func() (any, error) { return fds(p.Poll(1.5)) })
	t.Do("poll register b POLLOUT", func() error { return p.Register(b, pysock.POLLOUT) })
	t.Show("poll two", func() (any, error) { return fds(p.Poll(0)) })
	t.Show("drain", drain)
	t.Do("poll register a again", func() error { return p.Register(a) })
	t.Show("poll default mask", func() (any, error) { return fds(p.Poll(0)) })
	t.Do("poll modify a POLLIN", func() error { return p.Modify(a, pysock.POLLIN) })
	t.Do("poll unregister b", func() error { return p.Unregister(b) })
	later()
	t.Timed("poll() data after T", func() (any, error) { return fds(p.Poll()) })
	t.Show("drain", drain)
	t.Do("poll register e", func() error { return p.Register(e) })
	t.Show("poll peer closed", func() (any, error) { return fds(p.Poll(0)) })
	t.Do("poll unregister 12345", func() error { return p.Unregister(12345) })
	t.Do("poll modify 12345", func() error { return p.Modify(12345, pysock.POLLIN) })
	t.Do("poll register -1", func() error { return p.Register(-1) })
	t.Do("poll register 'x'", func() error { return p.Register("x") })
	t.Do("poll register closed socket", func() error { return p.Register(c) })
	t.Do("poll register mask 'x'", func() error { return p.Register(a, "x") })
	t.Do("poll register mask -1", func() error { return p.Register(a, -1) })
	t.Do("poll register mask 70000", func() error { return p.Register(a, 70000) })
	t.Do("poll register 2**40", func() error { return p.Register(int64(1) << 40) })
	for _, tc := range []struct {
		label string
		v     any
	}{{"'x'", "x"}, {"2**31", int64(1) << 31}, {"1e30", 1e30}, {"nan", math.NaN()}} {
		t.Show("poll timeout "+tc.label, func() (any, error) { return fds(p.Poll(tc.v)) })
	}
	p2 := pysock.Poll()
	g, err := pysock.NewSocket(-1, -1, -1)
	if err != nil {
		return err
	}
	names[g.Fileno()] = "fd_g"
	p2.Register(g, pysock.POLLIN)
	g.Close()
	t.Show("poll closed fd", func() (any, error) { return fds(p2.Poll(0)) })

	// select.epoll
	ep, err := pysock.Epoll()
	if err != nil {
		return err
	}
	t.Show("epoll repr", func() (any, error) { return strings.HasPrefix(ep.Repr(), "<select.epoll object at 0x"), nil })
	t.Show("epoll closed", func() (any, error) { return ep.Closed(), nil })
	t.Do("epoll register a EPOLLIN", func() error { return ep.Register(a, pysock.EPOLLIN) })
	t.Show("epoll poll(0) nothing", func() (any, error) { return fds(ep.Poll(0)) })
	t.Timed("epoll poll(T) nothing", func() (any, error) { return fds(ep.Poll(0.3)) })
	later()
	t.Timed("epoll poll(-2) data after T", func() (any, error) { return fds(ep.Poll(-2)) })
	t.Show("epoll poll(None, 1)", func() (any, error) { return fds(ep.Poll(nil, 1)) })
	t.Show("drain", drain)
	t.Do("epoll register twice", func() error { return ep.Register(a, pysock.EPOLLIN) })
	t.Do("epoll modify a EPOLLOUT", func() error { return ep.Modify(a, pysock.EPOLLOUT) })
	t.Show("epoll writable", func() (any, error) { return fds(ep.Poll(0)) })
	t.Do("epoll unregister a", func() error { return ep.Unregister(a) })
	t.Do("epoll unregister a again", func() error { return ep.Unregister(a) })
	t.Do("epoll modify a", func() error { return ep.Modify(a, pysock.EPOLLIN) })
	t.Do("epoll register e", func() error { return ep.Register(e, pysock.EPOLLIN|pysock.EPOLLOUT) })
	t.Show("epoll peer closed", func() (any, error) { return fds(ep.Poll(0)) })
	t.Do("epoll register stale fd", func() error { return ep.Register(staleFd()) })
	t.Do("epoll register itself", func() error {
		fd, err := ep.Fileno()
		if err != nil {
			return err
		}
		return ep.Register(fd)
	})
	null, err := unix.Open("/dev/null", unix.O_RDONLY|unix.O_CLOEXEC, 0)
	if err != nil {
		return err
	}
	t.Do("epoll register /dev/null", func() error { return ep.Register(null) })
	unix.Close(null)
	t.Do("epoll register -1", func() error { return ep.Register(-1) })
	t.Do("epoll register 'x'", func() error { return ep.Register("x") })
	t.Do("epoll register mask 'x'", func() error { return ep.Register(b, "x") })
	t.Show("epoll poll maxevents 0", func() (any, error) { return fds(ep.Poll(1, 0)) })
	t.Show("epoll poll maxevents -2", func() (any, error) { return fds(ep.Poll(1, -2)) })
	for _, tc := range []struct {
		label string
		v     any
	}{{"'x'", "x"}, {"1e30", 1e30}, {"nan", math.NaN()}} {
		t.Show("epoll timeout "+tc.label, func() (any, error) { return fds(ep.Poll(tc.v)) })
	}
	for _, tc := range []struct {
		label string
		args  []int
	}{{"epoll(-2)", []int{-2}}, {"epoll(0)", []int{0}}, {"epoll(5, 1)", []int{5, 1}}} {
		t.Show(tc.label, func() (any, error) {
			x, err := pysock.Epoll(tc.args...)
			if err == nil {
				x.Close()
			}
			return x, err
		})
	}
	t.Do("epoll close", ep.Close)
	t.Do("epoll close again", ep.Close)
	t.Show("epoll closed after", func() (any, error) { return ep.Closed(), nil })
	t.Show("epoll poll closed", func() (any, error) { return fds(ep.Poll(0)) })
	t.Do("epoll register closed", func() error { return ep.Register(a) })
	t.Do("epoll unregister closed", func() error { return ep.Unregister(a) })
	t.Show("epoll fileno closed", func() (any, error) { return ep.Fileno() })
	t.Show("select closed epoll", func() (any, error) {
		r, w, x, err := pysock.Select([]any{ep}, nil, nil, 0)
		return pysock.Tuple{r, w, x}, err
	})

	// selectors
	t.Show("DefaultSelector is EpollSelector", func() (any, error) {
		s, err := pysock.DefaultSelector()
		if err != nil {
			return nil, err
		}
		defer s.Close()
		var _ *pysock.EpollSelector = s
		return true, nil
	})
	ctors := []struct {
		name string
		make func() (pysock.Selector, error)
	}{
		{"SelectSelector", func() (pysock.Selector, error) { return pysock.NewSelectSelector(), nil }},
		{"PollSelector", func() (pysock.Selector, error) { return pysock.NewPollSelector(), nil }},
		{"EpollSelector", func() (pysock.Selector, error) { return pysock.NewEpollSelector() }},
	}
	for _, ctor := range ctors {
		n := ctor.name
		s, err := ctor.make()
		if err != nil {
			return err
		}
		key := func(k pysock.SelectorKey, err error) (any, error) { return k, err }
		events := func(l []pysock.SelectorEvent, err error) (any, error) {
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, ev := range l {
				out = append(out, ev)
			}
			return out, nil
		}
		t.Show(n+" register a READ 'D'", func() (any, error) { return key(s.Register(a, pysock.EVENT_READ, "D")) })
		t.Show(n+" register a twice", func() (any, error) { return key(s.Register(a, pysock.EVENT_READ)) })
		t.Show(n+" register fd of a", func() (any, error) { return key(s.Register(a.Fileno(), pysock.EVENT_READ)) })
		t.Show(n+" register b 0", func() (any, error) { return key(s.Register(b, 0)) })
		t.Show(n+" register b 4", func() (any, error) { return key(s.Register(b, 4)) })
		t.Show(n+" register 'x'", func() (any, error) { return key(s.Register("x", 1)) })
		t.Show(n+" register -1", func() (any, error) { return key(s.Register(-1, 1)) })
		t.Show(n+" register closed socket", func() (any, error) { return key(s.Register(c, 1)) })
		t.Show(n+" select(0) nothing", func() (any, error) { return events(s.Select(0)) })
		t.Timed(n+" select(T) nothing", func() (any, error) { return events(s.Select(0.3)) })
		later()
		t.Timed(n+" select() data after T", func() (any, error) { return events(s.Select()) })
		t.Show(n+" select(-1)", func() (any, error) { return events(s.Select(-1)) })
		t.Show(n+" select(None)", func() (any, error) { return events(s.Select(nil)) })
		t.Show(n+" select('x')", func() (any, error) { return events(s.Select("x")) })
		t.Show("drain", drain)
		t.Show(n+" modify a READ|WRITE 'E'", func() (any, error) {
			return key(s.Modify(a, pysock.EVENT_READ|pysock.EVENT_WRITE, "E"))
		})
		t.Show(n+" select(0) writable", func() (any, error) { return events(s.Select(0)) })
		t.Show(n+" modify a same events new data", func() (any, error) { return key(s.Modify(a, 3, "F")) })
		t.Show(n+" modify a 0", func() (any, error) { return key(s.Modify(a, 0)) })
		t.Show(n+" get_key a", func() (any, error) { return key(s.GetKey(a)) })
		t.Show(n+" get_key 1.5", func() (any, error) { return key(s.GetKey(1.5)) })
		t.Show(n+" unregister 12345", func() (any, error) { return key(s.Unregister(12345)) })
		t.Show(n+" modify 12345", func() (any, error) { return key(s.Modify(12345, 1)) })
		t.Show(n+" register e READ", func() (any, error) { return key(s.Register(e, pysock.EVENT_READ)) })
		t.Show(n+" peer closed", func() (any, error) { return events(s.Select(0)) })
		t.Show(n+" recv on e", func() (any, error) { return bytesOf(e.Recv(10)) })
		x, y, err := pysock.SocketPair(-1, -1, -1)
		if err != nil {
			return err
		}
		t.Show(n+" register x", func() (any, error) { return key(s.Register(x, pysock.EVENT_WRITE)) })
		t.Show(n+" len(get_map())", func() (any, error) { return s.GetMap().Len(), nil })
		t.Show(n+" get_map()[x]", func() (any, error) { return key(s.GetMap().Get(x)) })
		x.Close()
		t.Show(n+" unregister closed x", func() (any, error) { return key(s.Unregister(x)) })
		y.Close()
		t.Show(n+" unregister e", func() (any, error) { return key(s.Unregister(e)) })
		t.Show(n+" get_map() fds", func() (any, error) {
			out := []any{}
			for _, fd := range s.GetMap().Keys() {
				out = append(out, names[fd])
			}
			return out, nil
		})
		t.Do(n+" close", s.Close)
		t.Show(n+" get_map() closed", func() (any, error) {
			if m := s.GetMap(); m != nil {
				return m.Len(), nil
			}
			return nil, nil
		})
		t.Show(n+" get_key closed", func() (any, error) { return key(s.GetKey(a)) })
		t.Show(n+" select(0) closed", func() (any, error) { return events(s.Select(0)) })
		if n == "EpollSelector" {
			t.Show(n+" register closed", func() (any, error) { return key(s.Register(b, 1)) })
		}
	}
	two63 := new(big.Int).Lsh(big.NewInt(1), 63)
	po := pysock.Poll()
	t.Do("poll.register(2**31)", func() error { return po.Register(1 << 31) })
	t.Do("poll.register(a, 2**16)", func() error { return po.Register(a, 1<<16) })
	t.Do("poll.register(a, -1)", func() error { return po.Register(a, -1) })
	t.Do("poll.unregister(2**31)", func() error { return po.Unregister(1 << 31) })
	t.Show("poll.poll(-2**31-1)", func() (any, error) { return po.Poll(-1<<31 - 1) })
	t.Show("poll.poll(2**63)", func() (any, error) { return po.Poll(two63) })
	t.Show("poll.poll(1.5e20)", func() (any, error) { return po.Poll(1.5e20) })
	epollNew := func(args ...int) (any, error) {
		ep, err := pysock.Epoll(args...)
		if err != nil {
			return nil, err
		}
		ep.Close()
		return "an epoll", nil
	}
	t.Show("epoll(2**31)", func() (any, error) { return epollNew(1 << 31) })
	t.Show("epoll(-2)", func() (any, error) { return epollNew(-2) })
	t.Show("epoll(0, 2**31)", func() (any, error) { return epollNew(0, 1<<31) })
	eo, err := pysock.Epoll()
	if err != nil {
		return err
	}
	t.Do("epoll.register(2**31)", func() error { return eo.Register(1 << 31) })
	t.Do("epoll.register(a, 2**32)", func() error { return eo.Register(a, 1<<32) })
	t.Show("epoll.poll(0, 2**31)", func() (any, error) { return eo.Poll(0, 1<<31) })
	t.Show("epoll.poll(0, -2)", func() (any, error) { return eo.Poll(0, -2) })
	t.Show("epoll.poll(1e20)", func() (any, error) { return eo.Poll(1e20) })
	eo.Close()
	t.Show("select([2**31], [], [], 0)", func() (any, error) { return which(pysock.Select([]any{1 << 31}, nil, nil, 0)) })
	t.Show("select([], [], [], 1e20)", func() (any, error) { return which(pysock.Select(nil, nil, nil, 1e20)) })
	for _, ctor := range ctors {
		n := ctor.name
		s, err := ctor.make()
		if err != nil {
			return err
		}
		t.Show(n+" register(a, 2**31)", func() (any, error) { return s.Register(a, 1<<31) })
		t.Show(n+" register(2**31, 1)", func() (any, error) { return s.Register(1<<31, 1) })
		selected := func(l []pysock.SelectorEvent, err error) (any, error) {
			if err != nil {
				return nil, err
			}
			out := []any{}
			for _, ev := range l {
				out = append(out, ev.Events)
			}
			return out, nil
		}
		t.Show(n+" select(1e20)", func() (any, error) { return selected(s.Select(1e20)) })
		t.Show(n+" select(-1e20)", func() (any, error) { return selected(s.Select(-1e20)) })
		t.Show(n+" select(2**63)", func() (any, error) { return selected(s.Select(two63)) })
		t.Show(n+" select(2147483.648)", func() (any, error) { return selected(s.Select(2147483.648)) })
		t.Show(n+" select(inf)", func() (any, error) { return selected(s.Select(math.Inf(1))) })
		t.Show(n+" select(nan)", func() (any, error) { return selected(s.Select(math.NaN())) })
		selfref := []any{nil}
		selfref[0] = selfref
		t.Show(n+" register([[...]], 1)", func() (any, error) { return s.Register(selfref, 1) })
		s.Close()
	}

	t.Show("select([BigFileno()], [], [], 0)", func() (any, error) {
		return which(pysock.Select([]any{bigFileno{}}, nil, nil, 0))
	})
	t.Do("poll.register(BigFileno())", func() error { return pysock.Poll().Register(bigFileno{}) })
	ep2, err := pysock.Epoll()
	if err != nil {
		return err
	}
	t.Do("epoll.register(BigFileno())", func() error { return ep2.Register(bigFileno{}) })
	ep2.Close()

	for _, s := range []*pysock.Socket{a, b, e} {
		s.Close()
	}
	t.Out("done")
	return nil
}

// bigFileno is the scenario's BigFileno: a fileno() beyond C int.
type bigFileno struct{}

func (bigFileno) Fileno() int { return 1 << 40 }
