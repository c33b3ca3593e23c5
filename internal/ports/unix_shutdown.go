package ports

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

func init() { All["unix_shutdown"] = UnixShutdown }

// UnixShutdown is the twin of scenarios/unix_shutdown.py.
func UnixShutdown(t *Transcript) error {
	blockedSend := func(family pysock.AddressFamily, kind pysock.SocketKind, mode any, how int, call string) error {
		var a, b *pysock.Socket
		var err error
		switch family {
		case pysock.AF_UNIX:
			a, b, err = pysock.SocketPair(family, kind, 0)
		case unixPath:
			a, b, err = unixPathPair(kind)
		default:
			a, b, err = tcpPair()
		}
		if err != nil {
			return err
		}
		defer a.Close()
		defer b.Close()
		a.SetTimeout(mode)
		result := make(chan string, 1)
		go func() {
			sent := 0
			start := time.Now()
			for {
				var n int
				var err error
				switch call {
				case "send":
					n, err = a.Send(bytes.Repeat([]byte("x"), 4096))
				case "sendmsg":
					n, err = a.SendMsg([][]byte{bytes.Repeat([]byte("x"), 2048), bytes.Repeat([]byte("y"), 2048)})
				default:
					err = a.SendAll(bytes.Repeat([]byte("x"), 64<<10))
					n = 64 << 10
				}
				if err != nil {
					elapsed := time.Since(start) - T/3
					bucket := "off"
					switch {
					case elapsed < T/2:
						bucket = "~0"
					case elapsed < T*19/10:
						bucket = "≈T"
					}
					var errno any
					if e := errnoValue(err); e >= 0 {
						errno = e
					}
					result <- fmt.Sprintf("%s errno=%s sent>0=%s elapsed=%s", className(err), R(errno), R(sent > 0), bucket)
					return
				}
				sent += n
			}
		}()
		time.Sleep(T / 3)
		what := "peer close"
		switch how {
		case peerClose:
			b.Close()
		case peerShutRD:
			b.Shutdown(pysock.SHUT_RD)
			what = fmt.Sprintf("peer shutdown(%d)", pysock.SHUT_RD)
		default:
			a.Shutdown(how)
			what = fmt.Sprintf("shutdown(%d)", how)
		}
		name := family.Name()
		if family == unixPath {
			name = "AF_UNIX(path)"
		}
		label := fmt.Sprintf("%s %s %s mode=%s %s", name, kind.Name(), call, modeRepr(mode), what)
		select {
		case r := <-result:
			t.Out("%s = %s", label, r)
		case <-time.After(3 * T):
			t.Out("%s = still waiting", label)
			b.Close() // the peer's close ends the wait
			t.Out("%s then the peer's close = %s", label, <-result)
		}
		return nil
	}
	const unix, inet = pysock.AF_UNIX, pysock.AF_INET
	stream, seqpacket, dgram := pysock.SOCK_STREAM, pysock.SOCK_SEQPACKET, pysock.SOCK_DGRAM
	t3 := T.Seconds()
	for _, c := range []struct {
		family pysock.AddressFamily
		kind   pysock.SocketKind
		mode   any
		how    int
		call   string
	}{
		{unix, stream, nil, pysock.SHUT_WR, "send"},
		{unix, seqpacket, nil, pysock.SHUT_WR, "send"},
		{unix, dgram, nil, pysock.SHUT_WR, "send"},
		{unix, stream, nil, pysock.SHUT_WR, "sendall"},
		{unix, stream, nil, pysock.SHUT_WR, "sendmsg"},
		{unix, stream, nil, pysock.SHUT_RDWR, "send"},
		{unix, stream, nil, pysock.SHUT_RD, "send"},
		{unix, dgram, nil, pysock.SHUT_RD, "send"},
		{unix, stream, t3, pysock.SHUT_WR, "send"},
		{unix, stream, t3, pysock.SHUT_WR, "sendall"},
		{unix, seqpacket, t3, pysock.SHUT_WR, "send"},
		{unix, stream, nil, peerShutRD, "send"},
		{unix, seqpacket, nil, peerShutRD, "send"},
		{unix, dgram, nil, peerShutRD, "send"},
		{unix, stream, nil, peerShutRD, "sendall"},
		{unix, stream, t3, peerShutRD, "send"},
		{unixPath, stream, nil, peerShutRD, "send"},
		{unixPath, seqpacket, nil, peerShutRD, "send"},
		{unixPath, stream, nil, peerShutRD, "sendall"},
		{unix, stream, nil, peerClose, "send"},
		{unix, seqpacket, nil, peerClose, "send"},
		{unix, dgram, nil, peerClose, "send"},
		{unix, stream, nil, peerClose, "sendall"},
		{inet, stream, nil, peerClose, "send"},
		{unix, stream, t3, peerClose, "send"},
	} {
		if err := blockedSend(c.family, c.kind, c.mode, c.how, c.call); err != nil {
			return err
		}
	}

	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	a.Shutdown(pysock.SHUT_WR)
	t.Show("send after shutdown(SHUT_WR)", func() (any, error) { return a.Send([]byte("x")) })
	a.Close()
	b.Close()
	if a, b, err = pysock.SocketPair(-1, -1, -1); err != nil {
		return err
	}
	a.Send([]byte("unread"))
	b.Close()
	t.Show("send after the peer's close", func() (any, error) { return a.Send([]byte("x")) })
	t.Show("then recv", func() (any, error) { return bytesOf(a.Recv(10)) })
	a.Close()
	return nil
}

// peerClose in place of a shutdown's how: the peer closes instead;
// peerShutRD: the peer shuts its reading side down.
const (
	peerClose  = -1
	peerShutRD = -2
)

// unixPath in place of a family: an AF_UNIX pair connected through a path
// (unixPathPair) instead of a socketpair.
const unixPath pysock.AddressFamily = -1

// errnoValue is e.errno of an OSError, -1 when it has none (None).
func errnoValue(err error) int {
	var oe *pyerr.OSError
	if errors.As(err, &oe) && oe.HasErrno {
		return oe.Errno
	}
	return -1
}
