package cpython

// test_socket.py BasicUDPLITETest, UDPLITETimeoutTest, BasicVSOCKTest,
// ThreadedVSOCKSocketStreamTest, InterruptedRecvTimeoutTest,
// InterruptedSendTimeoutTest.

import (
	"encoding/binary"
	"os"
	"unsafe"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
	"golang.org/x/sys/unix"
)

// getCID is test_socket.get_cid(): the local VSOCK CID from /dev/vsock,
// or -1 (None).
func getCID() int {
	f, err := os.Open("/dev/vsock")
	if err != nil {
		return -1
	}
	defer f.Close()
	var buf [4]byte
	_, _, e := unix.Syscall(unix.SYS_IOCTL, f.Fd(), uintptr(pysock.IOCTL_VM_SOCKETS_GET_LOCAL_CID), uintptr(unsafe.Pointer(&buf[0])))
	if e != 0 {
		return -1
	}
	return int(binary.NativeEndian.Uint32(buf[:]))
}

func init() {
	// SocketUDPLITETest / ThreadedUDPLITESocketTest:
	// HAVE_SOCKET_UDPLITE is hasattr(socket, "IPPROTO_UDPLITE"): true.
	udplite := class{
		setUp: func(f *F) {
			f.Serv = newSock(f.t, pysock.AF_INET, pysock.SOCK_DGRAM, pysock.IPPROTO_UDPLITE)
			f.Port = bindPort(f.t, f.Serv, HOST)
		},
		tearDown: func(f *F) { closeSock(f.Serv) },
	}
	threadedUDPLITE := udplite
	threadedUDPLITE.clientSetUp = func(f *F) {
		f.Cli = newSock(f.t, pysock.AF_INET, pysock.SOCK_DGRAM, pysock.IPPROTO_UDPLITE)
	}
	threadedUDPLITE.clientTearDown = func(f *F) { closeSock(f.Cli) }
	threadedPorts("test_socket", "BasicUDPLITETest", threadedUDPLITE, map[string]half{
		"testSendtoAndRecv": {func(t *T, f *F) {
			eq(t, must(f.Serv.Recv(len(MSG)))(t, "serv.recv(len(MSG))"), MSG, "msg")
		}, sendtoMSG},
		"testRecvFrom": {func(t *T, f *F) {
			msg, _, err := f.Serv.RecvFrom(len(MSG))
			ok(t, err, "serv.recvfrom(len(MSG))")
			eq(t, msg, MSG, "msg")
		}, sendtoMSG},
		"testRecvFromNegative": {func(t *T, f *F) {
			_, _, err := f.Serv.RecvFrom(-1)
			raises[*pyerr.ValueError](t, err, "serv.recvfrom(-1)")
		}, sendtoMSG},
	})
	recv := func(f *F) error { _, err := f.Serv.Recv(1024); return err }
	ports("test_socket", "UDPLITETimeoutTest", map[string]func(*T){
		"testUDPLITETimeout": plain(udplite, func(t *T, f *F) {
			ok(t, f.Serv.SetTimeout(1.0), "serv.settimeout(1.0)")
			raises[*pyerr.TimeoutError](t, recv(f), "serv.recv(1024)")
		}),
		"testTimeoutZero": plain(udplite, func(t *T, f *F) {
			ok(t, f.Serv.SetTimeout(0.0), "serv.settimeout(0.0)")
			err := recv(f)
			if err == nil {
				t.Fatalf("recv() returned success when we did not expect it")
			}
			if te, isTimeout := err.(*pyerr.TimeoutError); isTimeout {
				t.Fatalf("caught timeout instead of error (UDPLITE): %v", te)
			}
			raises[*pyerr.OSError](t, err, "serv.recv(1024)")
		}),
	})

	vsockClasses := []string{"BasicVSOCKTest", "ThreadedVSOCKSocketStreamTest"}
	for _, c := range vsockClasses {
		classSkip(c, func(*T) (bool, string) { return getCID() < 0, "VSOCK sockets required for this test." })
	}
	vsock := func(t *T) *pysock.Socket { return newSock(t, pysock.AF_VSOCK, pysock.SOCK_STREAM, -1) }
	ports("test_socket", "BasicVSOCKTest", map[string]func(*T){
		"testCrucialConstants": func(t *T) { _ = pysock.AF_VSOCK },
		"testVSOCKConstants": func(t *T) {
			_ = []int{pysock.SO_VM_SOCKETS_BUFFER_SIZE, pysock.SO_VM_SOCKETS_BUFFER_MIN_SIZE, pysock.SO_VM_SOCKETS_BUFFER_MAX_SIZE,
				pysock.VMADDR_CID_ANY, pysock.VMADDR_PORT_ANY, pysock.VMADDR_CID_HOST, pysock.VM_SOCKETS_INVALID_VERSION,
				pysock.IOCTL_VM_SOCKETS_GET_LOCAL_CID}
		},
		"testCreateSocket": func(t *T) { vsock(t).Close() },
		"testSocketBufferSize": func(t *T) {
			s := vsock(t)
			defer s.Close()
			get := func(opt int) int {
				return must(s.GetSockOpt(int(pysock.AF_VSOCK), opt))(t, "getsockopt").(int)
			}
			origMax := get(pysock.SO_VM_SOCKETS_BUFFER_MAX_SIZE)
			orig := get(pysock.SO_VM_SOCKETS_BUFFER_SIZE)
			origMin := get(pysock.SO_VM_SOCKETS_BUFFER_MIN_SIZE)
			ok(t, s.SetSockOpt(int(pysock.AF_VSOCK), pysock.SO_VM_SOCKETS_BUFFER_MAX_SIZE, origMax*2), "setsockopt(MAX)")
			ok(t, s.SetSockOpt(int(pysock.AF_VSOCK), pysock.SO_VM_SOCKETS_BUFFER_SIZE, orig*2), "setsockopt(SIZE)")
			ok(t, s.SetSockOpt(int(pysock.AF_VSOCK), pysock.SO_VM_SOCKETS_BUFFER_MIN_SIZE, origMin*2), "setsockopt(MIN)")
			eq(t, get(pysock.SO_VM_SOCKETS_BUFFER_MAX_SIZE), origMax*2, "SO_VM_SOCKETS_BUFFER_MAX_SIZE")
			eq(t, get(pysock.SO_VM_SOCKETS_BUFFER_SIZE), orig*2, "SO_VM_SOCKETS_BUFFER_SIZE")
			eq(t, get(pysock.SO_VM_SOCKETS_BUFFER_MIN_SIZE), origMin*2, "SO_VM_SOCKETS_BUFFER_MIN_SIZE")
		},
	})
	ports("test_socket", "ThreadedVSOCKSocketStreamTest", map[string]func(*T){
		"testStream": func(t *T) {
			if getCID() == 2 {
				t.Skip("This test can only be run on a virtual guest.")
			}
			// CPython's own test does not complete on this machine
			// (testdata/cpython_results.txt: error or hang): the client's
			// connect to the local CID never reaches the listener, so
			// serv.accept() waits forever. Not run here for the same
			// reason.
			t.Skip("CPython's own test cannot complete here: a VSOCK connect to the local CID never reaches accept()")
		},
	})

	notApplicable("test_socket", "InterruptedRecvTimeoutTest",
		"a Python SIGALRM handler (1 / 0) raising ZeroDivisionError out of the interrupted call",
		"testInterruptedRecvTimeout", "testInterruptedRecvIntoTimeout", "testInterruptedRecvfromTimeout",
		"testInterruptedRecvfromIntoTimeout", "testInterruptedRecvmsgTimeout", "testInterruptedRecvmsgIntoTimeout")
	notApplicable("test_socket", "InterruptedSendTimeoutTest",
		"a Python SIGALRM handler (1 / 0) raising ZeroDivisionError out of the interrupted call",
		"testInterruptedSendTimeout", "testInterruptedSendtoTimeout", "testInterruptedSendmsgTimeout")
}
