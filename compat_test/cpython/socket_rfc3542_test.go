package cpython

// test_socket.py RFC3542AncillaryTest on UDP6 and UDPLITE6, with recvmsg
// and recvmsg_into: IPv6 hop limit and traffic class ancillary data.

import (
	"errors"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

const (
	hopLimit     = 2
	trafficClass = -1
)

func ipv6Item(typ int, data []byte) pysock.AncData {
	return pysock.AncData{Level: pysock.IPPROTO_IPV6, Type: typ, Data: data}
}

// recvAnc sets the IPV6_RECV* options, sets misc_event and receives.
func (st *msgState) recvAnc(t *T, f *F, tclass bool, args ...int) pysock.MsgResult {
	t.Helper()
	s := st.servSock(f)
	ok(t, s.SetSockOpt(pysock.IPPROTO_IPV6, pysock.IPV6_RECVHOPLIMIT, 1), "setsockopt(IPV6_RECVHOPLIMIT)")
	if tclass {
		ok(t, s.SetSockOpt(pysock.IPPROTO_IPV6, pysock.IPV6_RECVTCLASS, 1), "setsockopt(IPV6_RECVTCLASS)")
	}
	st.miscEvent.set()
	r, err := st.recvmsg(t, s, len(MSG), args...)
	ok(t, err, "doRecvmsg")
	eq(t, r.Data, MSG, "msg")
	st.checkAddress(t, f, r.Address)
	return r
}

func intRange(t *T, data []byte, lo, hi int, what string) {
	t.Helper()
	eq(t, len(data), sizeofInt, "len("+what+")")
	if v := intsOf(data); len(v) == 1 {
		truth(t, v[0] >= lo && v[0] <= hi, what+" in range")
	}
}

func (st *msgState) checkHopLimit(t *T, f *F, ancbufsize, maxhop, ignore int) {
	t.Helper()
	r := st.recvAnc(t, f, false, ancbufsize)
	st.checkFlags(t, r.MsgFlags, 1, 0, int(pysock.MSG_CTRUNC), ignore)
	eq(t, len(r.AncData), 1, "len(ancdata)")
	if len(r.AncData) == 1 {
		a := r.AncData[0]
		eq(t, a.Level, pysock.IPPROTO_IPV6, "cmsg_level")
		eq(t, a.Type, pysock.IPV6_HOPLIMIT, "cmsg_type")
		intRange(t, a.Data, 0, maxhop, "hop limit")
	}
}

func (st *msgState) checkTrafficClassAndHopLimit(t *T, f *F, ancbufsize, maxhop, ignore int) {
	t.Helper()
	r := st.recvAnc(t, f, true, ancbufsize)
	st.checkFlags(t, r.MsgFlags, 1, 0, int(pysock.MSG_CTRUNC), ignore)
	eq(t, len(r.AncData), 2, "len(ancdata)")
	m := map[[2]int][]byte{}
	for _, a := range r.AncData {
		k := [2]int{a.Level, a.Type}
		if _, dup := m[k]; dup {
			t.Errorf("(cmsg_level, cmsg_type) %v twice", k)
		}
		m[k] = a.Data
	}
	intRange(t, m[[2]int{pysock.IPPROTO_IPV6, pysock.IPV6_TCLASS}], 0, 255, "traffic class")
	intRange(t, m[[2]int{pysock.IPPROTO_IPV6, pysock.IPV6_HOPLIMIT}], 0, maxhop, "hop limit")
}

func (st *msgState) checkHopLimitTruncatedHeader(t *T, f *F, ignore int, args ...int) {
	t.Helper()
	r := st.recvAnc(t, f, false, args...)
	eq(t, len(r.AncData), 0, "ancdata == []")
	st.checkFlags(t, r.MsgFlags, 1, int(pysock.MSG_CTRUNC), 0, ignore)
}

func (st *msgState) checkTruncatedSecondHeader(t *T, f *F, ancbufsize, ignore int) {
	t.Helper()
	r := st.recvAnc(t, f, true, ancbufsize)
	st.checkFlags(t, r.MsgFlags, 1, int(pysock.MSG_CTRUNC), 0, ignore)
	eq(t, len(r.AncData), 1, "len(ancdata)")
	if len(r.AncData) == 1 {
		a := r.AncData[0]
		eq(t, a.Level, pysock.IPPROTO_IPV6, "cmsg_level")
		truth(t, a.Type == pysock.IPV6_TCLASS || a.Type == pysock.IPV6_HOPLIMIT, "cmsg_type in {IPV6_TCLASS, IPV6_HOPLIMIT}")
		intRange(t, a.Data, 0, 255, "cmsg_data")
	}
}

func rfc3542Tests() map[string]msgHalf {
	space := func(t *T, n int) int { return must(pysock.CMSG_SPACE(n))(t, "CMSG_SPACE") }
	clen := func(t *T, n int) int { return must(pysock.CMSG_LEN(n))(t, "CMSG_LEN") }
	waitSend := func(t *T, f *F, st *msgState) {
		truth(t, st.miscEvent.wait(LOOPBACK_TIMEOUT*time.Second), "misc_event.wait(timeout=fail_timeout)")
		st.sendToServer(t, f, MSG)
	}
	waitSendmsg := func(anc func() []pysock.AncData) func(t *T, f *F, st *msgState) {
		return func(t *T, f *F, st *msgState) {
			truth(t, st.miscEvent.wait(LOOPBACK_TIMEOUT*time.Second), "misc_event.wait(timeout=fail_timeout)")
			eq(t, must(st.sendmsgToServer(f, [][]byte{MSG}, anc()))(t, "sendmsgToServer"), len(MSG), "sendmsg() result")
		}
	}
	tcHop := func() []pysock.AncData {
		return []pysock.AncData{ipv6Item(pysock.IPV6_TCLASS, intsBytes(trafficClass)), ipv6Item(pysock.IPV6_HOPLIMIT, intsBytes(hopLimit))}
	}
	hdr := func(ignore int, n func(t *T) []int) msgHalf {
		return msgHalf{func(t *T, f *F, st *msgState) { st.checkHopLimitTruncatedHeader(t, f, ignore, n(t)...) }, waitSend}
	}
	second := func(ignore int, n func(t *T) int) msgHalf {
		return msgHalf{func(t *T, f *F, st *msgState) { st.checkTruncatedSecondHeader(t, f, n(t), ignore) }, waitSend}
	}
	return map[string]msgHalf{
		"testRecvHopLimit": {func(t *T, f *F, st *msgState) { st.checkHopLimit(t, f, 10240, 255, 0) }, waitSend},
		"testRecvHopLimitCMSG_SPACE": {func(t *T, f *F, st *msgState) {
			st.checkHopLimit(t, f, space(t, sizeofInt), 255, 0)
		}, waitSend},
		"testSetHopLimit": {func(t *T, f *F, st *msgState) { st.checkHopLimit(t, f, 10240, hopLimit, 0) },
			waitSendmsg(func() []pysock.AncData {
				return []pysock.AncData{ipv6Item(pysock.IPV6_HOPLIMIT, intsBytes(hopLimit))}
			})},
		"testRecvTrafficClassAndHopLimit": {func(t *T, f *F, st *msgState) {
			st.checkTrafficClassAndHopLimit(t, f, 10240, 255, 0)
		}, waitSend},
		"testRecvTrafficClassAndHopLimitCMSG_SPACE": {func(t *T, f *F, st *msgState) {
			st.checkTrafficClassAndHopLimit(t, f, space(t, sizeofInt)*2, 255, 0)
		}, waitSend},
		"testSetTrafficClassAndHopLimit": {func(t *T, f *F, st *msgState) {
			st.checkTrafficClassAndHopLimit(t, f, 10240, hopLimit, 0)
		}, waitSendmsg(tcHop)},
		"testOddCmsgSize": {func(t *T, f *F, st *msgState) {
			st.checkTrafficClassAndHopLimit(t, f, 10240, hopLimit, 0)
		}, func(t *T, f *F, st *msgState) {
			truth(t, st.miscEvent.wait(LOOPBACK_TIMEOUT*time.Second), "misc_event.wait(timeout=fail_timeout)")
			odd := append(intsBytes(trafficClass), 0)
			_, err := st.sendmsgToServer(f, [][]byte{MSG}, []pysock.AncData{ipv6Item(pysock.IPV6_TCLASS, odd), ipv6Item(pysock.IPV6_HOPLIMIT, intsBytes(hopLimit))})
			if err != nil {
				var oe *pyerr.OSError
				if !errors.As(err, &oe) {
					t.Fatalf("sendmsg: %v", err)
				}
				eq(t, must(st.sendmsgToServer(f, [][]byte{MSG}, tcHop()))(t, "sendmsgToServer"), len(MSG), "nbytes")
			}
		}},
		"testCmsgTruncNoBufSize":        hdr(int(pysock.MSG_CTRUNC), func(*T) []int { return nil }),
		"testSingleCmsgTrunc0":          hdr(int(pysock.MSG_CTRUNC), func(*T) []int { return []int{0} }),
		"testSingleCmsgTrunc1":          hdr(0, func(*T) []int { return []int{1} }),
		"testSingleCmsgTrunc2Int":       hdr(0, func(*T) []int { return []int{2 * sizeofInt} }),
		"testSingleCmsgTruncLen0Minus1": hdr(0, func(t *T) []int { return []int{clen(t, 0) - 1} }),
		"testSingleCmsgTruncInData": {func(t *T, f *F, st *msgState) {
			r := st.recvAnc(t, f, false, clen(t, sizeofInt)-1)
			st.checkFlags(t, r.MsgFlags, 1, int(pysock.MSG_CTRUNC), 0, 0)
			truth(t, len(r.AncData) <= 1, "len(ancdata) <= 1")
			if len(r.AncData) > 0 {
				a := r.AncData[0]
				eq(t, a.Level, pysock.IPPROTO_IPV6, "cmsg_level")
				eq(t, a.Type, pysock.IPV6_HOPLIMIT, "cmsg_type")
				truth(t, len(a.Data) < sizeofInt, "len(cmsg_data) < SIZEOF_INT")
			}
		}, waitSend},
		"testSecondCmsgTrunc0":          second(int(pysock.MSG_CTRUNC), func(t *T) int { return space(t, sizeofInt) }),
		"testSecondCmsgTrunc1":          second(0, func(t *T) int { return space(t, sizeofInt) + 1 }),
		"testSecondCmsgTrunc2Int":       second(0, func(t *T) int { return space(t, sizeofInt) + 2*sizeofInt }),
		"testSecondCmsgTruncLen0Minus1": second(0, func(t *T) int { return space(t, sizeofInt) + clen(t, 0) - 1 }),
		"testSecondCmsgTruncInData": {func(t *T, f *F, st *msgState) {
			r := st.recvAnc(t, f, true, space(t, sizeofInt)+clen(t, sizeofInt)-1)
			st.checkFlags(t, r.MsgFlags, 1, int(pysock.MSG_CTRUNC), 0, 0)
			types := map[int]bool{pysock.IPV6_TCLASS: true, pysock.IPV6_HOPLIMIT: true}
			anc := r.AncData
			if len(anc) == 0 {
				t.Fatalf("ancdata.pop(0): IndexError")
			}
			a := anc[0]
			anc = anc[1:]
			eq(t, a.Level, pysock.IPPROTO_IPV6, "cmsg_level")
			truth(t, types[a.Type], "cmsg_types.remove(cmsg_type)")
			delete(types, a.Type)
			intRange(t, a.Data, 0, 255, "cmsg_data")
			if len(anc) > 0 {
				a = anc[0]
				anc = anc[1:]
				eq(t, a.Level, pysock.IPPROTO_IPV6, "cmsg_level")
				truth(t, types[a.Type], "cmsg_types.remove(cmsg_type)")
				truth(t, len(a.Data) < sizeofInt, "len(cmsg_data) < SIZEOF_INT")
			}
			eq(t, len(anc), 0, "ancdata == []")
		}, waitSend},
	}
}

func init() {
	for _, b := range msgBases {
		if b.name != "UDP6" && b.name != "UDPLITE6" {
			continue
		}
		registerMsg("RecvmsgRFC3542Ancillary"+b.name+"Test", b, false, true, rfc3542Tests())
		registerMsg("RecvmsgIntoRFC3542Ancillary"+b.name+"Test", b, true, true, rfc3542Tests())
	}
}
