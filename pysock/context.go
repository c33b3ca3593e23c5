package pysock

import (
	"context"

	pyerr "github.com/pysock/pysock/errors"
)

// The context-aware variants of the calls that wait. Each behaves like
// its plain twin in the socket's current mode (blocking, timeout or
// non-blocking; the mode is not changed), and in addition returns
// ctx.Err() promptly when ctx is cancelled or its deadline passes while
// the call waits. A cancelled call has consumed nothing: received data
// stays queued, and SendAllContext may have sent a prefix of the data, as
// a timed-out sendall may.

// RecvContext is Recv that ctx can cancel.
func (s *Socket) RecvContext(ctx context.Context, bufsize int, flags ...int) ([]byte, error) {
	fl, err := optFlags("recv", flags)
	if err != nil {
		return nil, err
	}
	if bufsize < 0 {
		return nil, pyerr.NewValueError("negative buffersize in recv")
	}
	if err := checkAlloc(bufsize); err != nil {
		return nil, err
	}
	buf := make([]byte, bufsize)
	if bufsize == 0 {
		return buf, nil
	}
	n, err := s.recvIntoOpts(buf, fl, &callOpts{ctx: ctx})
	if err != nil {
		return nil, err
	}
	return truncResult(buf, n), nil
}

// RecvIntoContext is RecvInto (with nbytes 0: all of buf) that ctx can
// cancel.
func (s *Socket) RecvIntoContext(ctx context.Context, buf []byte, flags ...int) (int, error) {
	fl, err := optFlags("recv_into", flags)
	if err != nil {
		return 0, err
	}
	if len(buf) == 0 {
		return 0, nil
	}
	return s.recvIntoOpts(buf, fl, &callOpts{ctx: ctx})
}

// RecvFromContext is RecvFrom that ctx can cancel.
func (s *Socket) RecvFromContext(ctx context.Context, bufsize int, flags ...int) ([]byte, Address, error) {
	fl, err := optFlags("recvfrom", flags)
	if err != nil {
		return nil, nil, err
	}
	if bufsize < 0 {
		return nil, nil, pyerr.NewValueError("negative buffersize in recvfrom")
	}
	if err := checkAlloc(bufsize); err != nil {
		return nil, nil, err
	}
	buf := make([]byte, bufsize)
	n, addr, err := s.recvFromIntoOpts(buf, fl, &callOpts{ctx: ctx})
	if err != nil {
		return nil, nil, err
	}
	return truncResult(buf, n), addr, nil
}

// SendContext is Send that ctx can cancel.
func (s *Socket) SendContext(ctx context.Context, data []byte, flags ...int) (int, error) {
	fl, err := optFlags("send", flags)
	if err != nil {
		return 0, err
	}
	return s.sendOpts(opSend, data, fl, &callOpts{ctx: ctx})
}

// SendAllContext is SendAll that ctx can cancel.
func (s *Socket) SendAllContext(ctx context.Context, data []byte, flags ...int) error {
	fl, err := optFlags("sendall", flags)
	if err != nil {
		return err
	}
	_, err = s.sendOpts(opSendAll, data, fl, &callOpts{ctx: ctx})
	return err
}

// AcceptContext is Accept that ctx can cancel.
func (s *Socket) AcceptContext(ctx context.Context) (*Socket, Address, error) {
	return s.acceptOpts(&callOpts{ctx: ctx})
}

// ConnectContext is Connect that ctx can cancel while the connection is
// in progress (a refused or timed-out connect still reports as Connect
// does).
func (s *Socket) ConnectContext(ctx context.Context, address any) error {
	return s.connectOpts(address, &callOpts{ctx: ctx})
}
