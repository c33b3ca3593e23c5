package cpython

// test_socket.py SendmsgTests / SendmsgStreamTests /
// SendmsgConnectionlessTests, RecvmsgGenericTests /
// RecvmsgGenericStreamTests / RecvmsgTests / RecvmsgIntoTests on the
// TCP, UDP, UDP6, UDPLITE, UDPLITE6 and Unix stream bases (the SCTP ones
// are class-skipped in socket_probes_test.go).

import (
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// msgBase is one SendrecvmsgXxxTestBase.
type msgBase struct {
	name        string // "UDP", "TCP", "UnixStream", …
	family      pysock.AddressFamily
	typ         pysock.SocketKind
	proto       int
	host        string // InetTestBase.host
	stream      bool   // ConnectedStreamTestMixin (else connectionless)
	dgram       bool   // SendrecvmsgDgramFlagsBase: MSG_TRUNC is the non-EOR indicator
	ignoreScope bool   // the UDP6 checkRecvmsgAddress
}

var msgBases = []msgBase{
	{name: "UDP", family: pysock.AF_INET, typ: pysock.SOCK_DGRAM, host: HOST, dgram: true},
	{name: "UDP6", family: pysock.AF_INET6, typ: pysock.SOCK_DGRAM, host: "::1", dgram: true, ignoreScope: true},
	{name: "UDPLITE", family: pysock.AF_INET, typ: pysock.SOCK_DGRAM, proto: pysock.IPPROTO_UDPLITE, host: HOST, dgram: true},
	{name: "UDPLITE6", family: pysock.AF_INET6, typ: pysock.SOCK_DGRAM, proto: pysock.IPPROTO_UDPLITE, host: "::1", dgram: true, ignoreScope: true},
	{name: "TCP", family: pysock.AF_INET, typ: pysock.SOCK_STREAM, host: HOST, stream: true},
	{name: "UnixStream", family: pysock.AF_UNIX, typ: pysock.SOCK_STREAM, stream: true},
}

// msgState is the per-test state of a Sendrecvmsg test (on F via a map
// keyed by the F; kept here to leave F small).
type msgState struct {
	b         msgBase
	into      bool // RecvmsgIntoMixin
	dir       string
	miscEvent *event
	scm       bool // SCMRightsTest.registerRecvmsgResult: close received fds
}

func (st *msgState) servSock(f *F) *pysock.Socket {
	if st.b.stream {
		return f.CliConn
	}
	return f.Serv
}

func (st *msgState) cliSock(f *F) *pysock.Socket {
	if st.b.stream {
		return f.ServConn
	}
	return f.Cli
}

func (st *msgState) newSocket(t *T) *pysock.Socket {
	return newSock(t, st.b.family, st.b.typ, st.b.proto)
}

// bindSock is InetTestBase.bindSock / UnixSocketTestBase.bindSock.
func (st *msgState) bindSock(t *T, s *pysock.Socket) {
	if st.b.family == pysock.AF_UNIX {
		f := must(os.CreateTemp(st.dir, "sock"))(t, "tempfile.mktemp(dir=dir_path)")
		path := f.Name()
		f.Close()
		os.Remove(path)
		ok(t, s.Bind(path), "bind_unix_socket(sock, path)")
		t.Cleanup(func() { os.Remove(path) })
		return
	}
	bindPort(t, s, st.b.host)
}

// fixture is the setUp chain of the SendrecvmsgXxxTestBase classes;
// serverTimeout adds SendrecvmsgServerTimeoutBase.setUp.
func (st *msgState) fixture(serverTimeout bool) class {
	return class{
		setUp: func(f *F) {
			t := f.t
			st.miscEvent = newEvent()
			if st.b.family == pysock.AF_UNIX {
				st.dir = must(os.MkdirTemp("", "msg"))(t, "tempfile.mkdtemp()")
				dir := st.dir
				t.Cleanup(func() { os.Remove(dir) })
			}
			f.Serv = st.newSocket(t)
			st.bindSock(t, f.Serv)
			f.ServAddr = must(f.Serv.GetSockName())(t, "serv.getsockname()")
			if st.b.stream {
				ok(t, f.Serv.Listen(), "serv.listen()")
				f.serverExplicitReady()
				conn, _, err := f.Serv.Accept()
				ok(t, err, "serv.accept()")
				f.CliConn = conn
			}
			if serverTimeout {
				ok(t, st.servSock(f).SetTimeout(LOOPBACK_TIMEOUT), "serv_sock.settimeout(fail_timeout)")
			}
		},
		tearDown: func(f *F) {
			closeSock(f.CliConn)
			closeSock(f.Serv)
		},
		clientSetUp: func(f *F) {
			t := f.t
			f.Cli = st.newSocket(t)
			st.bindSock(t, f.Cli)
			f.CliAddr = must(f.Cli.GetSockName())(t, "cli.getsockname()")
			if st.b.stream {
				ok(t, f.Cli.Connect(f.ServAddr), "cli.connect(serv_addr)")
				f.ServConn = f.Cli
			}
		},
		clientTearDown: func(f *F) { closeSock(f.Cli) },
	}
}

func (st *msgState) sendToServer(t *T, f *F, msg []byte) {
	t.Helper()
	if st.b.stream {
		must(st.cliSock(f).Send(msg))(t, "cli_sock.send(msg)")
	} else {
		must(st.cliSock(f).SendTo(msg, f.ServAddr))(t, "cli_sock.sendto(msg, serv_addr)")
	}
}

// sendmsgToServer fills in sendmsg_to_server_defaults: ([], [], 0,
// serv_addr) for a connectionless socket.
func (st *msgState) sendmsgToServer(f *F, buffers [][]byte, args ...any) (int, error) {
	if !st.b.stream {
		defaults := []any{nil, 0, f.ServAddr}
		args = append(args, defaults[len(args):]...)
	}
	return st.cliSock(f).SendMsg(buffers, args...)
}

// recvmsg is doRecvmsg: recvmsg, or recvmsg_into emulating it.
func (st *msgState) recvmsg(t *T, sock *pysock.Socket, bufsize int, ints ...int) (pysock.MsgResult, error) {
	args := make([]any, len(ints)) // (ancbufsize, flags): Python ints
	for i, v := range ints {
		args[i] = v
	}
	if !st.into {
		r, err := sock.RecvMsg(bufsize, args...)
		st.register(t, r)
		return r, err
	}
	buf := make([]byte, bufsize)
	r, err := sock.RecvMsgInto([][]byte{buf}, args...)
	st.register(t, r)
	if err != nil {
		return r, err
	}
	truth(t, r.N >= 0 && r.N <= bufsize, "0 <= nbytes <= bufsize")
	r.Data = buf[:max(0, min(r.N, bufsize))]
	return r, nil
}

func (st *msgState) checkAddress(t *T, f *F, addr pysock.Address) {
	t.Helper()
	if st.b.stream {
		return // SendrecvmsgConnectedBase: unspecified for a connected socket
	}
	want := f.CliAddr
	if a, isV6 := addr.(pysock.Inet6Addr); isV6 && st.b.ignoreScope {
		a.ScopeID = 0
		addr = a
		w := want.(pysock.Inet6Addr)
		w.ScopeID = 0
		want = w
	}
	eq(t, addr, want, "address")
}

// checkFlags is SendrecvmsgBase.checkFlags; eor is -1 for None.
func (st *msgState) checkFlags(t *T, flags, eor, checkset, checkunset, ignore int) {
	t.Helper()
	commonUnset := int(pysock.MSG_CTRUNC | pysock.MSG_OOB)
	eorInd, nonEorInd := 0, 0
	if st.b.dgram {
		nonEorInd = int(pysock.MSG_TRUNC)
	}
	defset, defunset := 0, commonUnset
	switch eor {
	case 1:
		defset |= eorInd
		defunset |= nonEorInd
	case 0:
		defset |= nonEorInd
		defunset |= eorInd
	}
	defset &^= checkunset
	defunset &^= checkset
	checkset |= defset
	checkunset |= defunset
	if both := checkset & checkunset &^ ignore; both != 0 {
		t.Fatalf("contradictory set, unset requirements for flags %#x", both)
	}
	mask := (checkset | checkunset) &^ ignore
	eq(t, flags&mask, checkset&mask, "msg_flags & mask")
}

// recvOK is the common tail: msg, address, no ancillary data, flags.
func (st *msgState) recvOK(t *T, f *F, r pysock.MsgResult, err error, want []byte, eor int) {
	t.Helper()
	ok(t, err, "recvmsg")
	eq(t, r.Data, want, "msg")
	st.checkAddress(t, f, r.Address)
	eq(t, len(r.AncData), 0, "ancdata == []")
	st.checkFlags(t, r.MsgFlags, eor, 0, 0, 0)
}

func init() {
	for _, b := range msgBases {
		if b.stream {
			registerMsg("Sendmsg"+b.name+"Test", b, false, true, sendmsgTests(b))
		} else {
			registerMsg("Sendmsg"+b.name+"Test", b, false, true, sendmsgTests(b))
		}
		registerMsg("Recvmsg"+b.name+"Test", b, false, false, recvmsgTests(b, false))
		registerMsg("RecvmsgInto"+b.name+"Test", b, true, false, recvmsgTests(b, true))
	}
}

type msgHalf struct {
	test, client func(t *T, f *F, st *msgState)
}

func registerMsg(class string, b msgBase, into, serverTimeout bool, methods map[string]msgHalf) {
	m := map[string]func(*T){}
	for name, h := range methods {
		m[name] = func(t *T) {
			st := &msgState{b: b, into: into, scm: strings.Contains(class, "SCMRights")}
			client := h.client
			if client == nil {
				client = func(*T, *F, *msgState) {}
			}
			threaded(st.fixture(serverTimeout),
				func(t *T, f *F) { h.test(t, f, st) },
				func(t *T, f *F) { client(t, f, st) })(t)
		}
	}
	ports("test_socket", class, m)
}

func recvMSG(t *T, f *F, st *msgState) {
	eq(t, must(st.servSock(f).Recv(len(MSG)))(t, "serv_sock.recv(len(MSG))"), MSG, "serv_sock.recv(len(MSG))")
}

func recvDone(t *T, f *F, st *msgState) {
	eq(t, must(st.servSock(f).Recv(1000))(t, "serv_sock.recv(1000)"), []byte("done"), "serv_sock.recv(1000)")
}

func sendmsgTests(b msgBase) map[string]msgHalf {
	sendOK := func(buffers [][]byte, args ...any) func(t *T, f *F, st *msgState) {
		return func(t *T, f *F, st *msgState) {
			eq(t, must(st.sendmsgToServer(f, buffers, args...))(t, "sendmsgToServer"), len(MSG), "sendmsg() result")
		}
	}
	typeErr := func(t *T, f *F, st *msgState, what string, buffers [][]byte, args ...any) {
		t.Helper()
		_, err := st.sendmsgToServer(f, buffers, args...)
		raises[*pyerr.TypeError](t, err, what)
	}
	obj := struct{}{} // object()
	m := map[string]msgHalf{
		"testSendmsg": {recvMSG, sendOK([][]byte{MSG})},
		// A generator of buffers, an ancillary generator and an array:
		// Go's slices are the one sequence type sendmsg takes.
		"testSendmsgDataGenerator":      {recvMSG, sendOK([][]byte{MSG})},
		"testSendmsgAncillaryGenerator": {recvMSG, sendOK([][]byte{MSG}, []pysock.AncData{})},
		"testSendmsgArray":              {recvMSG, sendOK([][]byte{append([]byte(nil), MSG...)})},
		"testSendmsgGather":             {recvMSG, sendOK([][]byte{MSG[:3], MSG[3:]})},
		"testSendmsgBadArgs": {recvDone, func(t *T, f *F, st *msgState) {
			// sendmsg() without arguments, a bytes, object() or a list
			// holding object() as the buffers do not compile in Go.
			typeErr(t, f, st, "sendmsgToServer([MSG], object())", [][]byte{MSG}, obj)
			typeErr(t, f, st, "sendmsgToServer([MSG], [], object())", [][]byte{MSG}, []pysock.AncData{}, obj)
			typeErr(t, f, st, "sendmsgToServer([MSG], [], 0, object())", [][]byte{MSG}, []pysock.AncData{}, 0, obj)
			st.sendToServer(t, f, []byte("done"))
		}},
		"testSendmsgBadCmsg": {recvDone, func(t *T, f *F, st *msgState) {
			typeErr(t, f, st, "[MSG], [object()]", [][]byte{MSG}, []any{obj})
			typeErr(t, f, st, "[MSG], [(object(), 0, b'data')]", [][]byte{MSG}, []any{pysock.Tuple{obj, 0, []byte("data")}})
			typeErr(t, f, st, "[MSG], [(0, object(), b'data')]", [][]byte{MSG}, []any{pysock.Tuple{0, obj, []byte("data")}})
			typeErr(t, f, st, "[MSG], [(0, 0, object())]", [][]byte{MSG}, []any{pysock.Tuple{0, 0, obj}})
			typeErr(t, f, st, "[MSG], [(0, 0)]", [][]byte{MSG}, []any{pysock.Tuple{0, 0}})
			typeErr(t, f, st, "[MSG], [(0, 0, b'data', 42)]", [][]byte{MSG}, []any{pysock.Tuple{0, 0, []byte("data"), 42}})
			st.sendToServer(t, f, []byte("done"))
		}},
		"testSendmsgBadMultiCmsg": {recvDone, func(t *T, f *F, st *msgState) {
			typeErr(t, f, st, "[MSG], [0, 0, b'']", [][]byte{MSG}, []any{0, 0, []byte{}})
			typeErr(t, f, st, "[MSG], [(0, 0, b''), object()]", [][]byte{MSG}, []any{pysock.Tuple{0, 0, []byte{}}, obj})
			st.sendToServer(t, f, []byte("done"))
		}},
		"testSendmsgExcessCmsgReject": {recvDone, func(t *T, f *F, st *msgState) {
			// hasattr(socket, "CMSG_SPACE"): nothing to reject.
			st.sendToServer(t, f, []byte("done"))
		}},
		"testSendmsgAfterClose": {func(*T, *F, *msgState) {}, func(t *T, f *F, st *msgState) {
			st.cliSock(f).Close()
			_, err := st.sendmsgToServer(f, [][]byte{MSG})
			raises[*pyerr.OSError](t, err, "sendmsgToServer([MSG])")
		}},
	}
	if b.stream {
		m["testSendmsgExplicitNoneAddr"] = msgHalf{recvMSG, sendOK([][]byte{MSG}, []pysock.AncData{}, 0, nil)}
		fill := func(t *T, f *F, st *msgState) {
			eq(t, must(st.servSock(f).Recv(512))(t, "serv_sock.recv(512)"), rep('a', 512), "serv_sock.recv(512)")
			truth(t, st.miscEvent.wait(LOOPBACK_TIMEOUT*time.Second), "misc_event.wait(timeout=fail_timeout)")
		}
		m["testSendmsgTimeout"] = msgHalf{fill, func(t *T, f *F, st *msgState) {
			defer st.miscEvent.set()
			ok(t, st.cliSock(f).SetTimeout(0.03), "cli_sock.settimeout(0.03)")
			for {
				_, err := st.sendmsgToServer(f, [][]byte{rep('a', 512)})
				if err == nil {
					continue
				}
				var te *pyerr.TimeoutError
				var oe *pyerr.OSError
				if errors.As(err, &te) || (errors.As(err, &oe) && oe.Errno == int(syscall.ENOMEM)) {
					return
				}
				t.Fatalf("sendmsg: %v", err)
			}
		}}
		m["testSendmsgDontWait"] = msgHalf{fill, func(t *T, f *F, st *msgState) {
			defer st.miscEvent.set()
			for {
				_, err := st.sendmsgToServer(f, [][]byte{rep('a', 512)}, []pysock.AncData{}, pysock.MSG_DONTWAIT)
				if err == nil {
					continue
				}
				oe := raises[*pyerr.OSError](t, err, "sendmsgToServer([b'a'*512], [], MSG_DONTWAIT)")
				if oe != nil {
					truth(t, contains([]int{int(syscall.EAGAIN), int(syscall.EWOULDBLOCK), int(syscall.ENOMEM)}, oe.Errno), "errno in (EAGAIN, EWOULDBLOCK, ENOMEM)")
				}
				return
			}
		}}
	} else {
		m["testSendmsgNoDestAddr"] = msgHalf{func(*T, *F, *msgState) {}, func(t *T, f *F, st *msgState) {
			_, err := st.cliSock(f).SendMsg([][]byte{MSG})
			raises[*pyerr.OSError](t, err, "cli_sock.sendmsg([MSG])")
			_, err = st.cliSock(f).SendMsg([][]byte{MSG}, []pysock.AncData{}, 0, nil)
			raises[*pyerr.OSError](t, err, "cli_sock.sendmsg([MSG], [], 0, None)")
		}}
	}
	return m
}

func recvmsgTests(b msgBase, into bool) map[string]msgHalf {
	sendMSG := func(t *T, f *F, st *msgState) { st.sendToServer(t, f, MSG) }
	simple := func(bufsize int, want []byte, eor int, args ...int) msgHalf {
		return msgHalf{func(t *T, f *F, st *msgState) {
			r, err := st.recvmsg(t, st.servSock(f), bufsize, args...)
			st.recvOK(t, f, r, err, want, eor)
		}, sendMSG}
	}
	m := map[string]msgHalf{
		"testRecvmsg":                  simple(len(MSG), MSG, 1),
		"testRecvmsgExplicitDefaults":  simple(len(MSG), MSG, 1, 0, 0),
		"testRecvmsgShorter":           simple(len(MSG)+42, MSG, 1),
		"testRecvmsgTrunc":             simple(len(MSG)-3, MSG[:len(MSG)-3], 0),
		"testRecvmsgShortAncillaryBuf": simple(len(MSG), MSG, 1, 1),
		"testRecvmsgLongAncillaryBuf":  simple(len(MSG), MSG, 1, 10240),
		"testRecvmsgAfterClose": {test: func(t *T, f *F, st *msgState) {
			st.servSock(f).Close()
			_, err := st.recvmsg(t, st.servSock(f), 1024)
			raises[*pyerr.OSError](t, err, "doRecvmsg(serv_sock, 1024)")
		}},
		"testRecvmsgTimeout": {func(t *T, f *F, st *msgState) {
			defer st.miscEvent.set()
			ok(t, st.servSock(f).SetTimeout(0.03), "serv_sock.settimeout(0.03)")
			_, err := st.recvmsg(t, st.servSock(f), len(MSG))
			raises[*pyerr.TimeoutError](t, err, "doRecvmsg(serv_sock, len(MSG))")
		}, func(t *T, f *F, st *msgState) {
			truth(t, st.miscEvent.wait(LOOPBACK_TIMEOUT*time.Second), "misc_event.wait(timeout=fail_timeout)")
		}},
		"testRecvmsgPeek": {func(t *T, f *F, st *msgState) {
			r, err := st.recvmsg(t, st.servSock(f), len(MSG)-3, 0, int(pysock.MSG_PEEK))
			ok(t, err, "doRecvmsg(…, MSG_PEEK)")
			eq(t, r.Data, MSG[:len(MSG)-3], "msg")
			st.checkAddress(t, f, r.Address)
			eq(t, len(r.AncData), 0, "ancdata == []")
			st.checkFlags(t, r.MsgFlags, 0, 0, 0, int(pysock.MSG_TRUNC))
			r, err = st.recvmsg(t, st.servSock(f), len(MSG), 0, int(pysock.MSG_PEEK))
			st.recvOK(t, f, r, err, MSG, 1)
			r, err = st.recvmsg(t, st.servSock(f), len(MSG))
			st.recvOK(t, f, r, err, MSG, 1)
		}, sendMSG},
		"testRecvmsgFromSendmsg": {func(t *T, f *F, st *msgState) {
			ok(t, st.servSock(f).SetTimeout(LOOPBACK_TIMEOUT), "serv_sock.settimeout(fail_timeout)")
			r, err := st.recvmsg(t, st.servSock(f), len(MSG))
			st.recvOK(t, f, r, err, MSG, 1)
		}, func(t *T, f *F, st *msgState) {
			eq(t, must(st.sendmsgToServer(f, [][]byte{MSG[:3], MSG[3:]}))(t, "sendmsgToServer"), len(MSG), "sendmsg() result")
		}},
	}
	if b.stream {
		m["testRecvmsgEOF"] = msgHalf{func(t *T, f *F, st *msgState) {
			r, err := st.recvmsg(t, st.servSock(f), 1024)
			st.recvOK(t, f, r, err, []byte{}, -1)
		}, func(t *T, f *F, st *msgState) { st.cliSock(f).Close() }}
		m["testRecvmsgOverflow"] = msgHalf{func(t *T, f *F, st *msgState) {
			r1, err := st.recvmsg(t, st.servSock(f), len(MSG)-3)
			ok(t, err, "doRecvmsg(serv_sock, len(MSG) - 3)")
			st.checkAddress(t, f, r1.Address)
			eq(t, len(r1.AncData), 0, "ancdata == []")
			st.checkFlags(t, r1.MsgFlags, 0, 0, 0, 0)
			r2, err := st.recvmsg(t, st.servSock(f), 1024)
			ok(t, err, "doRecvmsg(serv_sock, 1024)")
			st.checkAddress(t, f, r2.Address)
			eq(t, len(r2.AncData), 0, "ancdata == []")
			st.checkFlags(t, r2.MsgFlags, 1, 0, 0, 0)
			eq(t, append(append([]byte{}, r1.Data...), r2.Data...), MSG, "seg1 + seg2")
		}, sendMSG}
	}
	if !into {
		m["testRecvmsgBadArgs"] = msgHalf{func(t *T, f *F, st *msgState) {
			// recvmsg() without bufsize, and a list, object() or an
			// object() ancbufsize/flags, do not compile in Go.
			s := st.servSock(f)
			_, err := s.RecvMsg(-1, 0, 0)
			raises[*pyerr.ValueError](t, err, "serv_sock.recvmsg(-1, 0, 0)")
			_, err = s.RecvMsg(len(MSG), -1, 0)
			raises[*pyerr.ValueError](t, err, "serv_sock.recvmsg(len(MSG), -1, 0)")
			r, err := s.RecvMsg(len(MSG), 0, 0)
			st.recvOK(t, f, r, err, MSG, 1)
		}, sendMSG}
		return m
	}
	intoOK := func(t *T, f *F, st *msgState, r pysock.MsgResult, err error) {
		t.Helper()
		ok(t, err, "recvmsg_into")
		eq(t, r.N, len(MSG), "nbytes")
		st.checkAddress(t, f, r.Address)
		eq(t, len(r.AncData), 0, "ancdata == []")
		st.checkFlags(t, r.MsgFlags, 1, 0, 0, 0)
	}
	m["testRecvmsgIntoBadArgs"] = msgHalf{func(t *T, f *F, st *msgState) {
		// No arguments, an int, a bytearray, object(), a read-only
		// bytes or an object() ancbufsize/flags do not compile in Go.
		buf := make([]byte, len(MSG))
		s := st.servSock(f)
		_, err := s.RecvMsgInto([][]byte{buf}, -1, 0)
		raises[*pyerr.ValueError](t, err, "serv_sock.recvmsg_into([buf], -1, 0)")
		r, err := s.RecvMsgInto([][]byte{buf}, 0, 0)
		intoOK(t, f, st, r, err)
		eq(t, buf, MSG, "buf")
	}, sendMSG}
	m["testRecvmsgIntoGenerator"] = msgHalf{func(t *T, f *F, st *msgState) {
		buf := make([]byte, len(MSG)) // a generator of buffers: a slice in Go
		r, err := st.servSock(f).RecvMsgInto([][]byte{buf})
		intoOK(t, f, st, r, err)
		eq(t, buf, MSG, "buf")
	}, sendMSG}
	m["testRecvmsgIntoArray"] = msgHalf{func(t *T, f *F, st *msgState) {
		buf := make([]byte, len(MSG))
		r, err := st.servSock(f).RecvMsgInto([][]byte{buf})
		intoOK(t, f, st, r, err)
		eq(t, buf, MSG, "buf.tobytes()")
	}, sendMSG}
	m["testRecvmsgIntoScatter"] = msgHalf{func(t *T, f *F, st *msgState) {
		b1, b2, b3 := []byte("----"), []byte("0123456789"), []byte("--------------")
		r, err := st.servSock(f).RecvMsgInto([][]byte{b1, b2[2:9], b3})
		ok(t, err, "recvmsg_into([b1, memoryview(b2)[2:9], b3])")
		eq(t, r.N, len("Mary had a little lamb"), "nbytes")
		eq(t, string(b1), "Mary", "b1")
		eq(t, string(b2), "01 had a 9", "b2")
		eq(t, string(b3), "little lamb---", "b3")
		st.checkAddress(t, f, r.Address)
		eq(t, len(r.AncData), 0, "ancdata == []")
		st.checkFlags(t, r.MsgFlags, 1, 0, 0, 0)
	}, func(t *T, f *F, st *msgState) { st.sendToServer(t, f, []byte("Mary had a little lamb")) }}
	return m
}

var _ = filepath.Join

// register is registerRecvmsgResult: SCMRightsTest closes the fds that
// arrived in SCM_RIGHTS items (whole ints only).
func (st *msgState) register(t *T, r pysock.MsgResult) {
	if !st.scm {
		return
	}
	var fds []int
	for _, a := range r.AncData {
		if a.Level == pysock.SOL_SOCKET && a.Type == pysock.SCM_RIGHTS {
			fds = append(fds, intsOf(a.Data)...)
		}
	}
	t.Cleanup(func() {
		for _, fd := range fds {
			pysock.Close(fd)
		}
	})
}

// intsOf is array.array("i").frombytes(data[:len - len % 4]).
func intsOf(data []byte) []int {
	var out []int
	for i := 0; i+4 <= len(data); i += 4 {
		out = append(out, int(int32(binary.NativeEndian.Uint32(data[i:]))))
	}
	return out
}

// intsBytes is array.array("i", fds).tobytes().
func intsBytes(fds ...int) []byte {
	out := make([]byte, 4*len(fds))
	for i, fd := range fds {
		binary.NativeEndian.PutUint32(out[4*i:], uint32(int32(fd)))
	}
	return out
}
