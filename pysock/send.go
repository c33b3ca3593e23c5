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
	return s.sendData(opSend, data, flags, nil, nil)
}

// SendContext is Send that ctx can cancel.
func (s *Socket) SendContext(ctx context.Context, data []byte, flags ...MsgFlag) (int, error) {
	return s.sendData(opSend, data, flags, nil, &callOpts{ctx: ctx})
}

// SendAll is socket.sendall(data[, flags]): it sends everything or returns
// the error. In timeout mode the timeout bounds the whole call, and how
// much was sent before an error is not reported, as in CPython (Write, the
// io.Writer, reports it).
func (s *Socket) SendAll(data []byte, flags ...MsgFlag) error {
	_, err := s.sendData(opSendAll, data, flags, nil, nil)
	return err
}

// SendAllContext is SendAll that ctx can cancel.
func (s *Socket) SendAllContext(ctx context.Context, data []byte, flags ...MsgFlag) error {
	_, err := s.sendData(opSendAll, data, flags, nil, &callOpts{ctx: ctx})
	return err
}

// sendToArgs is what sendto adds to a send: the encoded address, and the
// flags already converted.
type sendToArgs struct {
	addr  rawAddr
	flags int
}

// sendData runs a send operation: send and sendall with flags, the
// optional MsgFlag argument; sendto with to. n is the bytes sent, also
// with an error. Send and SendAll inline into their callers and call it
// directly, and it ends the call on each path rather than with a deferred
// call (run does not panic): a goroutine parked in a blocking send holds
// its stack, and every frame and deferred record here counts towards the
// 2 KiB a goroutine starts with (TestParkedStackSize). A nil s fails in
// handle, as a closed socket's call does, after the argument check.
func (s *Socket) sendData(op uint8, data []byte, flags []MsgFlag, to *sendToArgs, o *callOpts) (int, error) {
	fl := 0
	if to != nil {
		fl = to.flags
	} else if len(flags) > 0 {
		var err error
		if fl, err = sendFlagsOf(op, flags); err != nil {
			return 0, err
		}
	}
	h, err := s.handle()
	if err != nil {
		return 0, err
	}
	sd := &s.w
	st, err := s.begin(sd, h, fl&unix.MSG_DONTWAIT != 0, o)
	if err != nil {
		return 0, err
	}
	if to != nil {
		*st.sockaddr() = to.addr
	}
	st.op, st.buf, st.flags = op, data, int32(fl)
	err = s.run(sd, st, o)
	n := st.n
	s.end(sd, st)
	return n, err
}

// sendFlagsOf converts send's or sendall's optional flags argument.
//
//go:noinline
func sendFlagsOf(op uint8, flags []MsgFlag) (int, error) {
	if op == opSendAll {
		return optFlags("sendall", 1, flags)
	}
	return optFlags("send", 1, flags)
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
	to := sendToArgs{flags: flags}
	if err := encodeAddr(s, int(s.family), addr, "sendto", &to.addr); err != nil {
		return 0, err
	}
	return s.sendData(opSendTo, data, nil, &to, o)
}
