package ports

import (
	"encoding/binary"

	"github.com/pysock/pysock/internal/pyrepr"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

func init() { All["msg"] = Msg }

func msgRes(m pysock.MsgResult, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return m, nil
}

func inheritable(fd int) bool {
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFD, 0)
	return err == nil && fl&unix.FD_CLOEXEC == 0
}

func ino(fd int) uint64 {
	var st unix.Stat_t
	unix.Fstat(fd, &st)
	return st.Ino
}

// Msg is the twin of scenarios/msg.py.
func Msg(t *Transcript) error {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	a.Send([]byte("hi"))
	t.Show("recvmsg(10)", func() (any, error) { return msgRes(b.RecvMsg(10)) })
	t.Show("recvmsg(-1)", func() (any, error) { return msgRes(b.RecvMsg(-1)) })
	t.Show("recvmsg(10, -1)", func() (any, error) { return msgRes(b.RecvMsg(10, -1)) })
	t.Show("sendmsg([b'ab', b'cd'])", func() (any, error) { return a.SendMsg([][]byte{[]byte("ab"), []byte("cd")}) })
	buf1, buf2 := make([]byte, 1), make([]byte, 10)
	t.Show("recvmsg_into([1, 10])", func() (any, error) { return msgRes(b.RecvMsgInto([][]byte{buf1, buf2})) })
	t.Show("buffers", func() (any, error) { return pysock.Tuple{pyrepr.Bytes(buf1), pyrepr.Bytes(buf2)}, nil })
	t.Show("sendmsg([])", func() (any, error) { return a.SendMsg(nil) })
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return err
	}
	r, w := p[0], p[1]
	t.Show("send_fds 2 fds", func() (any, error) { return pysock.SendFds(a, [][]byte{[]byte("xy")}, []int{r, w}) })
	space, _ := pysock.CMSG_SPACE(8)
	res, err := b.RecvMsg(10, space)
	if err != nil {
		return err
	}
	t.Show("recvmsg with fds: data, flags, address", func() (any, error) {
		return pysock.Tuple{pyrepr.Bytes(res.Data), res.MsgFlags, nil}, nil
	})
	t.Show("ancdata shape", func() (any, error) {
		out := []any{}
		for _, c := range res.AncData {
			out = append(out, pysock.Tuple{c.Level, c.Type, len(c.Data)})
		}
		return out, nil
	})
	var got []int
	for i := 0; i+4 <= len(res.AncData[0].Data); i += 4 {
		got = append(got, int(int32(binary.NativeEndian.Uint32(res.AncData[0].Data[i:]))))
	}
	t.Show("received fds inheritable", func() (any, error) {
		out := []any{}
		for _, fd := range got {
			out = append(out, inheritable(fd))
		}
		return out, nil
	})
	t.Show("received fds are pipes", func() (any, error) {
		out := []any{}
		for i, fd := range got {
			out = append(out, ino(fd) == ino(p[i]))
		}
		return out, nil
	})
	for _, fd := range got {
		unix.Close(fd)
	}
	t.Show("send_fds 1 fd", func() (any, error) { return pysock.SendFds(a, [][]byte{[]byte("yo")}, []int{r, w}) })
	fr, err := pysock.RecvFds(b, 10, 1)
	if err != nil {
		return err
	}
	t.Show("recv_fds maxfds=1: msg, n, flags, addr", func() (any, error) {
		return pysock.Tuple{pyrepr.Bytes(fr.Msg), len(fr.Fds), fr.Flags, nil}, nil
	})
	for _, fd := range fr.Fds {
		unix.Close(fd)
	}
	a.Send([]byte("plain"))
	fdsRes := func(r pysock.FdsResult, err error) (any, error) {
		if err != nil {
			return nil, err
		}
		return r, nil
	}
	t.Show("recv_fds no fds", func() (any, error) { return fdsRes(pysock.RecvFds(b, 10, 4)) })
	t.Show("recv_fds maxfds -1", func() (any, error) { return fdsRes(pysock.RecvFds(b, 10, -1)) })
	unix.Close(r)
	unix.Close(w)
	b.SetBlocking(false)
	t.Show("nonblocking recvmsg", func() (any, error) { return msgRes(b.RecvMsg(10)) })
	t.Show("nonblocking recvmsg_into([])", func() (any, error) { return msgRes(b.RecvMsgInto(nil)) })
	b.SetTimeout(0.1)
	t.Show("timeout recvmsg(0)", func() (any, error) { return msgRes(b.RecvMsg(0)) })
	a.Send([]byte("z"))
	t.Show("timeout recvmsg(0) with data", func() (any, error) { return msgRes(b.RecvMsg(0)) })
	t.Show("recvmsg after", func() (any, error) { return msgRes(b.RecvMsg(10)) })
	a.Close()
	t.Show("recvmsg at EOF", func() (any, error) { return msgRes(b.RecvMsg(10)) })
	t.Show("sendmsg on closed", func() (any, error) { return a.SendMsg([][]byte{[]byte("x")}) })
	t.Show("recvmsg on closed", func() (any, error) { return msgRes(a.RecvMsg(1)) })
	b.Close()

	u, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, -1)
	if err != nil {
		return err
	}
	defer u.Close()
	u.Bind(pysock.Tuple{"127.0.0.1", 0})
	v, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, -1)
	if err != nil {
		return err
	}
	defer v.Close()
	v.Bind(pysock.Tuple{"127.0.0.1", 0})
	uaddr, _ := u.GetSockName()
	t.Show("udp sendmsg to address", func() (any, error) {
		return v.SendMsg([][]byte{[]byte("dg"), []byte("ram")}, []pysock.AncData{}, 0, uaddr)
	})
	t.Show("udp recvmsg", func() (any, error) { return msgRes(u.RecvMsg(10)) })
	v.SendTo([]byte("toolong"), uaddr)
	t.Show("udp truncated", func() (any, error) { return msgRes(u.RecvMsg(3)) })
	t.Show("udp sendmsg bad address", func() (any, error) {
		return v.SendMsg([][]byte{[]byte("x")}, []pysock.AncData{}, 0, pysock.Tuple{"127.0.0.1", 70000})
	})
	t.Show("udp sendmsg unconnected", func() (any, error) { return v.SendMsg([][]byte{[]byte("x")}) })
	a, b, err = pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	t.Show("sendmsg_afalg on AF_UNIX", func() (any, error) {
		return a.SendMsgAfalg([][]byte{[]byte("x")}, pysock.AfalgOptions{Op: pysock.ALG_OP_ENCRYPT})
	})
	a.Close()
	b.Close()
	return nil
}
