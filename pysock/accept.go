package pysock

import (
	"context"

	"golang.org/x/sys/unix"
)

// Accept is socket.accept() → (socket, address). As in CPython the new
// socket takes getdefaulttimeout(), not the listener's mode: it is blocking
// unless a default timeout is set. Blocking mode waits on the runtime
// poller; on a socket that is not listening it fails at once, as the
// kernel's blocking accept does.
func (s *Socket) Accept() (*Socket, Address, error) { return s.accept(nil) }

// AcceptContext is Accept that ctx can cancel.
func (s *Socket) AcceptContext(ctx context.Context) (*Socket, Address, error) {
	return s.accept(&callOpts{ctx: ctx})
}

func (s *Socket) accept(o *callOpts) (*Socket, Address, error) {
	s = s.orClosed() // for the exported methods that inline into their callers
	h, err := s.handle()
	if err != nil {
		return nil, nil, err
	}
	sd := &s.r
	st, err := s.begin(sd, h, false, o)
	if err != nil {
		return nil, nil, err
	}
	st.op = opAccept
	sa := st.sockaddr()
	err = s.run(sd, st, o)
	fd, addr := st.n, decodeAddr(st.h.fd, &sa.sa, sa.len)
	s.end(sd, st)
	if err != nil {
		return nil, nil, err
	}
	ns := defaultTimeout.Load()
	nh, err := freshHandle(fd, ns >= 0)
	if err != nil {
		return nil, nil, err
	}
	if s.family != unix.AF_UNIX {
		// A TCP socket accepted inherits the listener's SO_RCVTIMEO and
		// SO_SNDTIMEO (an AF_UNIX one starts with none): a negative
		// time's record too.
		nh.desc.noWaitR.Store(h.desc.noWaitR.Load())
		nh.desc.noWaitS.Store(h.desc.noWaitS.Load())
	}
	return newSocketObject(nh, int(s.family), int(s.typ), int(s.proto), ns), addr, nil
}
