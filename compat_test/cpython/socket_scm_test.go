package cpython

// test_socket.py SCMRightsTest on Unix stream sockets:
// RecvmsgSCMRightsStreamTest and RecvmsgIntoSCMRightsStreamTest.

import (
	"errors"
	"os"
	"strconv"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

const sizeofInt = 4 // SIZEOF_INT

const badfd = -0x5555

// newFDs is SCMRightsTest.newFDs: n new files holding their index.
func newFDs(t *T, n int) []int {
	var fds []int
	for i := range n {
		f := must(os.CreateTemp("", "scm"))(t, "tempfile.mkstemp()")
		fd := must(unix.Dup(int(f.Fd())))(t, "mkstemp fd")
		path := f.Name()
		f.Close()
		t.Cleanup(func() { os.Remove(path) })
		t.Cleanup(func() { unix.Close(fd) })
		must(unix.Write(fd, []byte(strconv.Itoa(i))))(t, "os.write(fd, str(i))")
		fds = append(fds, fd)
	}
	return fds
}

// checkFDs is SCMRightsTest.checkFDs.
func checkFDs(t *T, fds []int) {
	t.Helper()
	for n, fd := range fds {
		must(unix.Seek(fd, 0, 0))(t, "os.lseek(fd, 0, SEEK_SET)")
		buf := make([]byte, 1024)
		k := must(unix.Read(fd, buf))(t, "os.read(fd, 1024)")
		eq(t, string(buf[:k]), strconv.Itoa(n), "os.read(fd, 1024)")
	}
}

func scmItem(data []byte) pysock.AncData {
	return pysock.AncData{Level: pysock.SOL_SOCKET, Type: pysock.SCM_RIGHTS, Data: data}
}

func (st *msgState) createAndSendFDs(t *T, f *F, n int) {
	t.Helper()
	eq(t, must(st.sendmsgToServer(f, [][]byte{MSG}, []pysock.AncData{scmItem(intsBytes(newFDs(t, n)...))}))(t, "sendmsgToServer(SCM_RIGHTS)"),
		len(MSG), "sendmsg() result")
}

// checkRecvmsgFDs is SCMRightsTest.checkRecvmsgFDs.
func (st *msgState) checkRecvmsgFDs(t *T, f *F, numfds int, r pysock.MsgResult, err error, maxcmsgs, ignoreflags int) {
	t.Helper()
	ok(t, err, "doRecvmsg")
	eq(t, r.Data, MSG, "msg")
	st.checkAddress(t, f, r.Address)
	st.checkFlags(t, r.MsgFlags, 1, 0, int(pysock.MSG_CTRUNC), ignoreflags)
	truth(t, len(r.AncData) <= maxcmsgs, "len(ancdata) <= maxcmsgs")
	var fds []int
	for _, a := range r.AncData {
		eq(t, a.Level, pysock.SOL_SOCKET, "cmsg_level")
		eq(t, a.Type, pysock.SCM_RIGHTS, "cmsg_type")
		eq(t, len(a.Data)%sizeofInt, 0, "len(cmsg_data) % SIZEOF_INT")
		fds = append(fds, intsOf(a.Data)...)
	}
	eq(t, len(fds), numfds, "len(fds)")
	checkFDs(t, fds)
}

func (st *msgState) sendAncillaryIfPossible(t *T, f *F, msg []byte, anc []pysock.AncData) {
	t.Helper()
	n, err := st.sendmsgToServer(f, [][]byte{msg}, anc)
	if err != nil {
		var oe *pyerr.OSError
		if !errors.As(err, &oe) {
			t.Fatalf("sendmsg: %v", err)
		}
		n = must(st.sendmsgToServer(f, [][]byte{msg}))(t, "sendmsgToServer([msg])")
	}
	eq(t, n, len(msg), "nbytes")
}

func (st *msgState) checkTruncatedHeader(t *T, f *F, r pysock.MsgResult, err error, ignoreflags int) {
	t.Helper()
	ok(t, err, "doRecvmsg")
	eq(t, r.Data, MSG, "msg")
	st.checkAddress(t, f, r.Address)
	eq(t, len(r.AncData), 0, "ancdata == []")
	st.checkFlags(t, r.MsgFlags, 1, int(pysock.MSG_CTRUNC), 0, ignoreflags)
}

func (st *msgState) checkTruncatedArray(t *T, f *F, ancbuf, maxdata, mindata int) {
	t.Helper()
	r, err := st.recvmsg(t, st.servSock(f), len(MSG), ancbuf)
	ok(t, err, "doRecvmsg")
	eq(t, r.Data, MSG, "msg")
	st.checkAddress(t, f, r.Address)
	st.checkFlags(t, r.MsgFlags, 1, int(pysock.MSG_CTRUNC), 0, 0)
	if mindata == 0 && len(r.AncData) == 0 {
		return
	}
	eq(t, len(r.AncData), 1, "len(ancdata)")
	if len(r.AncData) != 1 {
		return
	}
	a := r.AncData[0]
	eq(t, a.Level, pysock.SOL_SOCKET, "cmsg_level")
	eq(t, a.Type, pysock.SCM_RIGHTS, "cmsg_type")
	truth(t, len(a.Data) >= mindata, "len(cmsg_data) >= mindata")
	truth(t, len(a.Data) <= maxdata, "len(cmsg_data) <= maxdata")
	checkFDs(t, intsOf(a.Data))
}

func scmTests() map[string]msgHalf {
	cmsgLen := func(t *T, n int) int { return must(pysock.CMSG_LEN(n))(t, "CMSG_LEN") }
	cmsgSpace := func(t *T, n int) int { return must(pysock.CMSG_SPACE(n))(t, "CMSG_SPACE") }
	send := func(n int) func(t *T, f *F, st *msgState) {
		return func(t *T, f *F, st *msgState) { st.createAndSendFDs(t, f, n) }
	}
	sendTwoSeparate := func(t *T, f *F, st *msgState) {
		fds := newFDs(t, 2)
		eq(t, must(st.sendmsgToServer(f, [][]byte{MSG}, []pysock.AncData{scmItem(intsBytes(fds[0])), scmItem(intsBytes(fds[1]))}))(t, "sendmsgToServer"),
			len(MSG), "sendmsg() result")
	}
	recvFDs := func(numfds int, ancbuf func(t *T) int, maxcmsgs, ignore int) func(t *T, f *F, st *msgState) {
		return func(t *T, f *F, st *msgState) {
			r, err := st.recvmsg(t, st.servSock(f), len(MSG), ancbuf(t))
			st.checkRecvmsgFDs(t, f, numfds, r, err, maxcmsgs, ignore)
		}
	}
	fixed := func(n int) func(*T) int { return func(*T) int { return n } }
	truncHeader := func(ignore int, args func(t *T) []int) func(t *T, f *F, st *msgState) {
		return func(t *T, f *F, st *msgState) {
			r, err := st.recvmsg(t, st.servSock(f), len(MSG), args(t)...)
			st.checkTruncatedHeader(t, f, r, err, ignore)
		}
	}
	return map[string]msgHalf{
		"testFDPassSimple": {recvFDs(1, fixed(10240), 1, 0), func(t *T, f *F, st *msgState) {
			eq(t, must(st.sendmsgToServer(f, [][]byte{MSG}, []pysock.AncData{scmItem(intsBytes(newFDs(t, 1)...))}))(t, "sendmsgToServer"),
				len(MSG), "sendmsg() result")
		}},
		"testMultipleFDPass":         {recvFDs(4, fixed(10240), 1, 0), send(4)},
		"testFDPassCMSG_SPACE":       {recvFDs(4, func(t *T) int { return cmsgSpace(t, 4*sizeofInt) }, 1, 0), send(4)},
		"testFDPassCMSG_LEN":         {recvFDs(1, func(t *T) int { return cmsgLen(t, 4*sizeofInt) }, 1, int(pysock.MSG_CTRUNC)), send(1)},
		"testFDPassSeparate":         {recvFDs(2, fixed(10240), 2, 0), sendTwoSeparate},
		"testFDPassSeparateMinSpace": {recvFDs(2, func(t *T) int { return cmsgSpace(t, sizeofInt) + cmsgLen(t, sizeofInt*2) }, 2, int(pysock.MSG_CTRUNC)), sendTwoSeparate},
		"testFDPassEmpty": {recvFDs(0, fixed(10240), 1, int(pysock.MSG_CTRUNC)), func(t *T, f *F, st *msgState) {
			st.sendAncillaryIfPossible(t, f, MSG, []pysock.AncData{scmItem([]byte{})})
		}},
		"testFDPassPartialInt": {func(t *T, f *F, st *msgState) {
			r, err := st.recvmsg(t, st.servSock(f), len(MSG), 10240)
			ok(t, err, "doRecvmsg")
			eq(t, r.Data, MSG, "msg")
			st.checkAddress(t, f, r.Address)
			st.checkFlags(t, r.MsgFlags, 1, 0, 0, int(pysock.MSG_CTRUNC))
			truth(t, len(r.AncData) <= 1, "len(ancdata) <= 1")
			for _, a := range r.AncData {
				eq(t, a.Level, pysock.SOL_SOCKET, "cmsg_level")
				eq(t, a.Type, pysock.SCM_RIGHTS, "cmsg_type")
				truth(t, len(a.Data) < sizeofInt, "len(cmsg_data) < SIZEOF_INT")
			}
		}, func(t *T, f *F, st *msgState) {
			b := intsBytes(badfd)
			st.sendAncillaryIfPossible(t, f, MSG, []pysock.AncData{scmItem(b[:len(b)-1])})
		}},
		"testFDPassPartialIntInMiddle": {func(t *T, f *F, st *msgState) {
			r, err := st.recvmsg(t, st.servSock(f), len(MSG), 10240)
			ok(t, err, "doRecvmsg")
			eq(t, r.Data, MSG, "msg")
			st.checkAddress(t, f, r.Address)
			st.checkFlags(t, r.MsgFlags, 1, 0, 0, int(pysock.MSG_CTRUNC))
			truth(t, len(r.AncData) <= 2, "len(ancdata) <= 2")
			var fds []int
			for _, a := range r.AncData {
				eq(t, a.Level, pysock.SOL_SOCKET, "cmsg_level")
				eq(t, a.Type, pysock.SCM_RIGHTS, "cmsg_type")
				fds = append(fds, intsOf(a.Data)...)
			}
			truth(t, len(fds) <= 2, "len(fds) <= 2")
			checkFDs(t, fds)
		}, func(t *T, f *F, st *msgState) {
			fds := newFDs(t, 2)
			b := intsBytes(fds[0], badfd)
			st.sendAncillaryIfPossible(t, f, MSG, []pysock.AncData{scmItem(b[:len(b)-1]), scmItem(intsBytes(fds[1]))})
		}},
		"testCmsgTruncNoBufSize":  {truncHeader(int(pysock.MSG_CTRUNC), func(*T) []int { return nil }), send(1)},
		"testCmsgTrunc0":          {truncHeader(int(pysock.MSG_CTRUNC), func(*T) []int { return []int{0} }), send(1)},
		"testCmsgTrunc1":          {truncHeader(0, func(*T) []int { return []int{1} }), send(1)},
		"testCmsgTrunc2Int":       {truncHeader(0, func(*T) []int { return []int{sizeofInt * 2} }), send(1)},
		"testCmsgTruncLen0Minus1": {truncHeader(0, func(t *T) []int { return []int{cmsgLen(t, 0) - 1} }), send(1)},
		"testCmsgTruncLen0": {func(t *T, f *F, st *msgState) {
			st.checkTruncatedArray(t, f, cmsgLen(t, 0), 0, 0)
		}, send(1)},
		"testCmsgTruncLen0Plus1": {func(t *T, f *F, st *msgState) {
			st.checkTruncatedArray(t, f, cmsgLen(t, 0)+1, 1, 0)
		}, send(2)},
		"testCmsgTruncLen1": {func(t *T, f *F, st *msgState) {
			st.checkTruncatedArray(t, f, cmsgLen(t, sizeofInt), sizeofInt, 0)
		}, send(2)},
		"testCmsgTruncLen2Minus1": {func(t *T, f *F, st *msgState) {
			st.checkTruncatedArray(t, f, cmsgLen(t, 2*sizeofInt)-1, 2*sizeofInt-1, 0)
		}, send(2)},
	}
}

func init() {
	var unixStream msgBase
	for _, b := range msgBases {
		if b.name == "UnixStream" {
			unixStream = b
		}
	}
	registerMsg("RecvmsgSCMRightsStreamTest", unixStream, false, true, scmTests())
	registerMsg("RecvmsgIntoSCMRightsStreamTest", unixStream, true, true, scmTests())
}
