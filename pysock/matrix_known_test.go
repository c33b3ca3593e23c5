package pysock_test

import "strings"

// knownDisagreement lists the matrix cells (key "call flags state family
// mode") where pysock does not yet give what the reference gives, each
// with the defect it belongs to. The matrix fails on a
// disagreement missing here and on a listed cell that agrees: delete (or
// narrow) rows as fixes land. The rows are written as products (calls ×
// flags × "state/family" pairs × modes) only to keep the table short;
// every key they expand to is checked on its own.
var knownDisagreement = mxKnownTable([]mxKnownRow{})

const (
	mxRecvCalls = "recv recv_into recvfrom recvfrom_into recvmsg"

	// Every socket accept(2) refuses and poll never finds readable.
	mxAcceptNotListening = "bound/udp4 bound/udp6 bound/unix-dgram connected/udp4 connected/udp6 connected/unix-dgram" +
		" fresh/udp4 fresh/udp6 fresh/unix-dgram full/unix-dgram peer_closed/unix-dgram" +
		" conn_full/tcp4 conn_full/tcp6 conn_full/unix-seqpacket conn_full/unix-stream" +
		" conn_nodata/tcp4 conn_nodata/tcp6 conn_nodata/unix-seqpacket conn_nodata/unix-stream" +
		" shut_wr/tcp4 shut_wr/tcp6 shut_wr/udp4 shut_wr/udp6 shut_wr/unix-dgram shut_wr/unix-seqpacket shut_wr/unix-stream"

	// Listening sockets, with and without a queued connection: never
	// writable.
	mxListening = " listen_pending/tcp4 listen_pending/tcp6 listen_pending/unix-seqpacket listen_pending/unix-stream" +
		" listening/tcp4 listening/tcp6 listening/unix-seqpacket listening/unix-stream"

	mxItemPollFirst = "timeout mode makes the call first and waits only on EAGAIN; CPython polls for T before every call," +
		" so where the socket never becomes ready (a listening socket's recv/send, accept on a socket that is not listening," +
		" sendto on a full connected unix stream) CPython raises TimeoutError after T and pysock the call's errno at once" +
		" (e.g. timeout-mode accept on UDP gives errno 95 at once)"
)

// mxKnownRow is calls × flags × where ("state/family" pairs) in one mode.
type mxKnownRow struct {
	item, calls, flags, where, mode string
}

func mxKnownTable(rows []mxKnownRow) map[string]string {
	m := map[string]string{}
	for _, r := range rows {
		for _, c := range strings.Fields(r.calls) {
			for _, f := range strings.Fields(r.flags) {
				for _, w := range strings.Fields(r.where) {
					st, fam, _ := strings.Cut(w, "/")
					key := strings.Join([]string{c, f, st, fam, r.mode}, " ")
					if _, dup := m[key]; dup {
						panic("knownDisagreement: " + key + " listed twice")
					}
					m[key] = r.item
				}
			}
		}
	}
	return m
}
