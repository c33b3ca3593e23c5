package pysock

import (
	"context"
	"strconv"

	pyerr "github.com/pysock/pysock/errors"
	"golang.org/x/sys/unix"
)

// The send calls. Each plain method and its context form share one
// implementation; a nil *callOpts is a plain call.

// Send is socket.send(data[, flags]): how many bytes the kernel took. In
// non-blocking and timeout mode that is one attempt and may be fewer than
// len(data); in blocking mode on a stream socket it is everything, unless
// an error cuts it short, as the kernel's blocking send. It allocates
// nothing and never raises SIGPIPE: a broken connection is
// BrokenPipeError(32).
func (s *Socket) Send(data []byte, flags ...MsgFlag) (int, error) {
	s = s.orClosed()
	fl, err := optFlags("send", 1, flags)
	if err != nil {
		return 0, err
	}
	return s.send(opSend, data, fl, nil)
}

// SendContext is Send that ctx can cancel.
func (s *Socket) SendContext(ctx context.Context, data []byte, flags ...MsgFlag) (int, error) {
	s = s.orClosed()
	fl, err := optFlags("send", 1, flags)
	if err != nil {
		return 0, err
	}
	return s.send(opSend, data, fl, &callOpts{ctx: ctx})
}

// SendAll is socket.sendall(data[, flags]): it sends everything or returns
// the error. In timeout mode the timeout bounds the whole call, and how
// much was sent before an error is not reported, as in CPython (Write, the
// io.Writer, reports it).
func (s *Socket) SendAll(data []byte, flags ...MsgFlag) error {
	s = s.orClosed()
	fl, err := optFlags("sendall", 1, flags)
	if err != nil {
		return err
	}
	_, err = s.send(opSendAll, data, fl, nil)
	return err
}

// SendAllContext is SendAll that ctx can cancel.
func (s *Socket) SendAllContext(ctx context.Context, data []byte, flags ...MsgFlag) error {
	s = s.orClosed()
	fl, err := optFlags("sendall", 1, flags)
	if err != nil {
		return err
	}
	_, err = s.send(opSendAll, data, fl, &callOpts{ctx: ctx})
	return err
}

// send runs send / sendall; n is the bytes sent, also with an error.
func (s *Socket) send(op uint8, data []byte, flags int, o *callOpts) (int, error) {
	return s.sendData(op, data, flags, nil, o)
}

// sendData runs a send operation; to, for sendto, is the encoded address.
func (s *Socket) sendData(op uint8, data []byte, flags int, to *rawAddr, o *callOpts) (int, error) {
	h, err := s.handle()
	if err != nil {
		return 0, err
	}
	sd := &s.w
	st, err := s.begin(sd, h, flags&unix.MSG_DONTWAIT != 0, o)
	if err != nil {
		return 0, err
	}
	defer s.end(sd, st)
	if to != nil {
		*st.sockaddr() = *to
	}
	st.op, st.buf, st.flags = op, data, int32(flags)
	err = s.run(sd, st, o)
	return st.n, err
}

// SendTo is socket.sendto(data, address) / sendto(data, flags, address).
// Pass flags as the optional middle argument: SendTo(data, addr) or
// SendTo(data, flags, addr).
func (s *Socket) SendTo(data []byte, args ...any) (int, error) {
	return s.sendTo(nil, data, args)
}

// SendToContext is SendTo that ctx can cancel.
func (s *Socket) SendToContext(ctx context.Context, data []byte, args ...any) (int, error) {
	return s.sendTo(&callOpts{ctx: ctx}, data, args)
}

func (s *Socket) sendTo(o *callOpts, data []byte, args []any) (int, error) {
	s = s.orClosed() // for the exported methods that inline into their callers
	var addr any
	flags := 0
	switch len(args) {
	case 1:
		addr = args[0]
	case 2:
		f, err := asCInt(args[0])
		if err != nil {
			return 0, err
		}
		flags, addr = f, args[1]
	default:
		return 0, pyerr.NewTypeError("sendto() takes 2 or 3 arguments (" + strconv.Itoa(len(args)+1) + " given)")
	}
	return s.sendToAddr(data, flags, addr, o)
}

func (s *Socket) sendToAddr(data []byte, flags int, addr any, o *callOpts) (int, error) {
	var ra rawAddr
	if err := encodeAddr(int(s.family), addr, "sendto", &ra); err != nil {
		return 0, err
	}
	return s.sendData(opSendTo, data, flags, &ra, o)
}
