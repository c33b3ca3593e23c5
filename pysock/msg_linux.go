package pysock

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"unsafe"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
	"golang.org/x/sys/unix"
)

// AncData is one (cmsg_level, cmsg_type, cmsg_data) item of the ancillary
// data sendmsg takes and recvmsg returns.
type AncData struct {
	Level int
	Type  int
	Data  []byte
}

// Repr prints the tuple as Python does: (1, 1, b'\x05\x00\x00\x00').
func (a AncData) Repr() string { return pyrepr.Repr(Tuple{a.Level, a.Type, pyrepr.Bytes(a.Data)}) }

// String is the same as Repr.
func (a AncData) String() string { return a.Repr() }

// MsgResult is the (data, ancdata, msg_flags, address) tuple recvmsg
// returns. recvmsg_into's tuple has the byte count first: RecvMsgInto
// leaves Data nil and sets N (RecvMsg sets both).
type MsgResult struct {
	Data     []byte
	N        int
	AncData  []AncData
	MsgFlags int
	Address  Address // nil: Python's None
}

// tuple is the Python tuple of recvmsg (data first) or, with into, of
// recvmsg_into (nbytes first).
func (m MsgResult) tuple(into bool) Tuple {
	anc := make([]any, len(m.AncData))
	for i, a := range m.AncData {
		anc[i] = a
	}
	var addr any
	if m.Address != nil {
		addr = m.Address.Tuple()
	}
	var first any = pyrepr.Bytes(m.Data)
	if into {
		first = m.N
	}
	return Tuple{first, anc, m.MsgFlags, addr}
}

// Repr prints the tuple as Python does: (b'hi', [], 0, None) for recvmsg,
// (2, [], 0, None) for recvmsg_into.
func (m MsgResult) Repr() string { return pyrepr.Repr(m.tuple(m.Data == nil)) }

// String is the same as Repr.
func (m MsgResult) String() string { return m.Repr() }

// RecvMsg is socket.recvmsg(bufsize[, ancbufsize[, flags]]): up to bufsize
// bytes of data, ancillary data up to ancbufsize bytes of buffer, the
// message flags (MSG_TRUNC, MSG_CTRUNC…) and the sender's address (nil
// where the kernel gives none). File descriptors received with SCM_RIGHTS
// are left inheritable, as CPython leaves them.
func (s *Socket) RecvMsg(bufsize int, args ...any) (MsgResult, error) {
	s = s.orClosed()
	// CPython converts every argument before checking any value.
	var a [2]int
	ints, err := nFlagArgs(args, &a)
	if err != nil {
		return MsgResult{}, err
	}
	if _, _, err := msgArgs("recvmsg", ints); err != nil {
		return MsgResult{}, err
	}
	if bufsize < 0 {
		return MsgResult{}, pyerr.NewValueError("negative buffer size in recvmsg()")
	}
	if err := checkAlloc(bufsize); err != nil {
		return MsgResult{}, err
	}
	buf := make([]byte, bufsize)
	r, err := s.recvMsg("recvmsg", [][]byte{buf}, ints)
	if err != nil {
		return MsgResult{}, err
	}
	r.Data = exactResult(buf, min(r.N, len(buf))) // MSG_TRUNC may report more; CPython returns what fits
	return r, nil
}

// RecvMsgInto is socket.recvmsg_into(buffers[, ancbufsize[, flags]]): it
// scatters the data into buffers and returns its length in N.
func (s *Socket) RecvMsgInto(buffers [][]byte, args ...any) (MsgResult, error) {
	s = s.orClosed()
	var a [2]int
	ints, err := nFlagArgs(args, &a)
	if err != nil {
		return MsgResult{}, err
	}
	return s.recvMsg("recvmsg_into", buffers, ints)
}

// msgArgs reads recvmsg's optional (ancbufsize, flags) arguments; flags is
// a C int.
func msgArgs(caller string, args []int) (ancbufsize, flags int, err error) {
	if len(args) > 2 {
		return 0, 0, pyerr.NewTypeError(fmt.Sprintf("%s() takes at most 3 arguments (%d given)", caller, len(args)+1))
	}
	if len(args) > 0 {
		ancbufsize = args[0]
	}
	if len(args) > 1 {
		flags = args[1]
	}
	if _, err := cInt(flags); err != nil {
		return 0, 0, err
	}
	return ancbufsize, flags, nil
}

func (s *Socket) recvMsg(caller string, bufs [][]byte, args []int) (MsgResult, error) {
	ancbufsize, flags, err := msgArgs(caller, args)
	if err != nil {
		return MsgResult{}, err
	}
	flags = s.recvFlags(flags)
	if ancbufsize < 0 || ancbufsize > math.MaxInt32 { // CPython's SOCKLEN_T_LIMIT
		return MsgResult{}, pyerr.NewValueError("invalid ancillary data buffer length")
	}
	h, err := s.handle()
	if err != nil {
		return MsgResult{}, err
	}
	iov := make([]unix.Iovec, len(bufs))
	total := 0
	for i, b := range bufs {
		if len(b) > 0 {
			iov[i].Base = &b[0]
		}
		iov[i].SetLen(len(b))
		total += len(b)
	}
	var control []byte
	if ancbufsize > 0 {
		control = make([]byte, ancbufsize)
	}
	var msg unix.Msghdr
	var rsa unix.RawSockaddrAny
	msg.Name = (*byte)(unsafe.Pointer(&rsa))
	msg.Namelen = unix.SizeofSockaddrAny
	if len(iov) > 0 {
		msg.Iov = &iov[0]
		msg.SetIovlen(len(iov))
	}
	if len(control) > 0 {
		msg.Control = &control[0]
		msg.SetControllen(len(control))
	}
	sd := &s.r
	st, err := s.begin(sd, h, flags&unix.MSG_DONTWAIT != 0, nil)
	if err != nil {
		return MsgResult{}, err
	}
	defer s.end(sd, st)
	st.op, st.flags = opRecvMsg, int32(flags)
	x := st.extra()
	x.msg, x.iov, x.total = &msg, iov, total
	x.ctrlCap, x.nameCap = len(control), msg.Namelen
	if err := s.run(sd, st, nil); err != nil {
		return MsgResult{}, err
	}
	return MsgResult{
		N:        st.n,
		AncData:  parseCmsgs(control[:min(int(msg.Controllen), len(control))]),
		MsgFlags: int(msg.Flags),
		Address:  decodeAddr(h.fd, &rsa, msg.Namelen),
	}, nil
}

// parseCmsgs walks received control data as CPython's recvmsg does: an
// item whose data was cut short by the buffer keeps what fits.
func parseCmsgs(b []byte) []AncData {
	out := []AncData{}
	for off := 0; off+cmsgHdrLen <= len(b); {
		l := int(binary.NativeEndian.Uint64(b[off:]))
		level := int(int32(binary.NativeEndian.Uint32(b[off+8:])))
		typ := int(int32(binary.NativeEndian.Uint32(b[off+12:])))
		if l < cmsgHdrLen {
			break
		}
		end := min(off+l, len(b))
		out = append(out, AncData{Level: level, Type: typ, Data: append([]byte(nil), b[off+cmsgHdrLen:end]...)})
		off += cmsgAlign(l)
	}
	return out
}

// SendMsg is socket.sendmsg(buffers[, ancdata[, flags[, address]]]): it
// gathers buffers into one message with the ancillary items and returns
// the number of bytes sent. Pass ancdata as []AncData (or nil), flags as
// an int, address like SendTo's.
func (s *Socket) SendMsg(buffers [][]byte, args ...any) (int, error) {
	s = s.orClosed()
	var anc []AncData
	flags := 0
	var address any
	if len(args) > 3 {
		return 0, pyerr.NewTypeError(fmt.Sprintf("sendmsg() takes at most 4 arguments (%d given)", len(args)+1))
	}
	if len(args) > 0 && args[0] != nil {
		a, ok := args[0].([]AncData)
		if !ok {
			return 0, pyerr.NewTypeError("sendmsg() argument 2 must be an iterable of (level, type, data) tuples")
		}
		anc = a
	}
	if len(args) > 1 {
		f, err := asCInt(args[1])
		if err != nil {
			return 0, err
		}
		flags = f
	}
	if len(args) > 2 {
		address = args[2]
	}
	return s.sendMsg(buffers, anc, flags, address)
}

func (s *Socket) sendMsg(buffers [][]byte, anc []AncData, flags int, address any) (int, error) {
	var msg unix.Msghdr
	var ra rawAddr
	if !pyarg.IsNone(address) { // None: no address, as in CPython
		if err := encodeAddr(s, int(s.family), address, "sendmsg", &ra); err != nil {
			return 0, err
		}
		msg.Name = (*byte)(ra.ptr())
		msg.Namelen = ra.len
	}
	iov := make([]unix.Iovec, len(buffers))
	for i, b := range buffers {
		if len(b) > 0 {
			iov[i].Base = &b[0]
		}
		iov[i].SetLen(len(b))
	}
	if len(iov) > 0 {
		msg.Iov = &iov[0]
		msg.SetIovlen(len(iov))
	}
	for _, a := range anc {
		if err := cInts(a.Level, a.Type); err != nil {
			return 0, err
		}
	}
	space := 0
	for _, a := range anc {
		space += cmsgHdrLen + cmsgAlign(len(a.Data))
	}
	var control []byte
	if space > 0 {
		control = make([]byte, space)
		off := 0
		for _, a := range anc {
			binary.NativeEndian.PutUint64(control[off:], uint64(cmsgHdrLen+len(a.Data)))
			binary.NativeEndian.PutUint32(control[off+8:], uint32(int32(a.Level)))
			binary.NativeEndian.PutUint32(control[off+12:], uint32(int32(a.Type)))
			copy(control[off+cmsgHdrLen:], a.Data)
			off += cmsgHdrLen + cmsgAlign(len(a.Data))
		}
		msg.Control = &control[0]
		msg.SetControllen(len(control))
	}
	h, err := s.handle()
	if err != nil {
		return 0, err
	}
	sd := &s.w
	st, err := s.begin(sd, h, flags&unix.MSG_DONTWAIT != 0, nil)
	if err != nil {
		return 0, err
	}
	defer s.end(sd, st)
	st.op, st.flags = opSendMsg, int32(flags)
	total := 0
	for _, b := range buffers {
		total += len(b)
	}
	x := st.extra()
	x.msg, x.iov, x.total = &msg, iov, total
	err = s.run(sd, st, nil)
	return st.n, err
}

// SendFds is socket.send_fds(sock, buffers, fds[, flags[, address]]): it
// sends buffers with fds as one SCM_RIGHTS item. As in CPython 3.11, flags
// and address are accepted and ignored; more arguments are a TypeError.
// Each fd must fit a C int (CPython's array.array("i", fds)), or the call
// is OverflowError before anything is sent, on a closed socket too.
func SendFds(sock *Socket, buffers [][]byte, fds []int, args ...any) (int, error) {
	if len(args) > 2 {
		return 0, tooManyPositional("send_fds", 3, 5, len(args)+3)
	}
	data := make([]byte, 4*len(fds))
	for i, fd := range fds {
		if _, err := cInt(fd); err != nil {
			return 0, err
		}
		binary.NativeEndian.PutUint32(data[4*i:], uint32(int32(fd)))
	}
	return sock.sendMsg(buffers, []AncData{{Level: SOL_SOCKET, Type: SCM_RIGHTS, Data: data}}, 0, nil)
}

// FdsResult is the (msg, fds, flags, address) tuple recv_fds returns.
type FdsResult struct {
	Msg     []byte
	Fds     []int
	Flags   int
	Address Address
}

// Repr prints the tuple as Python does: (b'hi', [11], 0, None).
func (r FdsResult) Repr() string {
	fds := make([]any, len(r.Fds))
	for i, fd := range r.Fds {
		fds[i] = fd
	}
	var addr any
	if r.Address != nil {
		addr = r.Address.Tuple()
	}
	return pyrepr.Repr(Tuple{pyrepr.Bytes(r.Msg), fds, r.Flags, addr})
}

// String is the same as Repr.
func (r FdsResult) String() string { return r.Repr() }

// RecvFds is socket.recv_fds(sock, bufsize, maxfds[, flags]): a message and
// up to maxfds file descriptors (inheritable, as CPython leaves them; the
// caller owns and must close them). As in CPython 3.11, flags is ignored;
// more arguments are a TypeError.
func RecvFds(sock *Socket, bufsize, maxfds int, flags ...MsgFlag) (FdsResult, error) {
	if len(flags) > 1 {
		return FdsResult{}, tooManyPositional("recv_fds", 3, 4, len(flags)+3)
	}
	// CPython computes maxfds * 4 with Python ints: a product outside a
	// C ssize_t is CMSG_LEN's OverflowError, not a wrapped Go int.
	anc, err := CMSG_LEN(new(big.Int).Mul(big.NewInt(int64(maxfds)), big.NewInt(4)))
	if err != nil {
		return FdsResult{}, err
	}
	m, err := sock.RecvMsg(bufsize, anc)
	if err != nil {
		return FdsResult{}, err
	}
	fds := []int{}
	for _, a := range m.AncData {
		if a.Level == SOL_SOCKET && a.Type == SCM_RIGHTS {
			for i := 0; i+4 <= len(a.Data); i += 4 {
				fds = append(fds, int(int32(binary.NativeEndian.Uint32(a.Data[i:]))))
			}
		}
	}
	return FdsResult{Msg: m.Data, Fds: fds, Flags: m.MsgFlags, Address: m.Address}, nil
}

// AfalgOptions are sendmsg_afalg's keyword arguments: Op (required;
// ALG_OP_ENCRYPT or ALG_OP_DECRYPT), IV (nil for None), AssocLen (nil for
// None) and Flags.
type AfalgOptions struct {
	Op       any
	IV       []byte
	AssocLen any
	Flags    int
}

// SendMsgAfalg is socket.sendmsg_afalg([msg, ]*, op[, iv[, assoclen[, flags]]]):
// sendmsg with the AF_ALG control messages for the operation, the IV and
// the AEAD associated-data length. Only AF_ALG sockets accept it
// (OSError('algset is only supported for AF_ALG') otherwise).
func (s *Socket) SendMsgAfalg(msg [][]byte, o AfalgOptions) (int, error) {
	s = s.orClosed()
	if s.family != unix.AF_ALG {
		return 0, pyerr.NewOSError("algset is only supported for AF_ALG")
	}
	if o.Op == nil {
		return 0, pyerr.NewTypeError("Invalid or missing argument 'op'")
	}
	op, err := asCInt(o.Op)
	if err != nil {
		return 0, err
	}
	u32 := func(v uint32) []byte {
		b := make([]byte, 4)
		binary.NativeEndian.PutUint32(b, v)
		return b
	}
	anc := []AncData{{Level: SOL_ALG, Type: ALG_SET_OP, Data: u32(uint32(op))}}
	if o.IV != nil {
		anc = append(anc, AncData{Level: SOL_ALG, Type: ALG_SET_IV, Data: append(u32(uint32(len(o.IV))), o.IV...)})
	}
	if o.AssocLen != nil {
		n, err := asCInt(o.AssocLen)
		if err != nil {
			return 0, err
		}
		if n < 0 {
			return 0, pyerr.NewTypeError("assoclen must be positive")
		}
		anc = append(anc, AncData{Level: SOL_ALG, Type: ALG_SET_AEAD_ASSOCLEN, Data: u32(uint32(n))})
	}
	return s.sendMsg(msg, anc, o.Flags, nil)
}
