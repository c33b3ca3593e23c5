package cpython

// test_socket.py's feature probes (_have_socket_can and friends,
// requireSocket, isTipcAvailable, the platform checks): the class-level
// skips, found the way CPython finds them.

import (
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/pysock/pysock/pysock"
)

// haveSocket is _have_socket_xxx(): can such a socket be created here?
func haveSocket(family, typ, proto int) bool {
	s, err := pysock.NewSocket(pysock.AddressFamily(family), pysock.SocketKind(typ), proto)
	if err != nil {
		return false
	}
	s.Close()
	return true
}

// probeSocket is requireSocket(*args): the skip reason names the
// arguments as CPython's decorator prints them.
func probeSocket(names string, family, typ, proto int) (bool, string) {
	s, err := pysock.NewSocket(pysock.AddressFamily(family), pysock.SocketKind(typ), proto)
	if err != nil {
		return true, fmt.Sprintf("can't create socket(%s): %s", names, err.Error())
	}
	s.Close()
	return false, ""
}

func skipUnless(cond bool, reason string) func(*T) (bool, string) {
	return func(*T) (bool, string) { return !cond, reason }
}

// isTipcAvailable: the tipc module listed in /proc/modules.
func isTipcAvailable() bool {
	if !haveSocket(int(pysock.AF_TIPC), int(pysock.SOCK_RDM), 0) {
		return false
	}
	b, err := os.ReadFile("/proc/modules")
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "tipc ") {
			return true
		}
	}
	return false
}

func init() {
	haveCAN := haveSocket(pysock.PF_CAN, int(pysock.SOCK_RAW), pysock.CAN_RAW)
	for _, c := range []string{"BasicCANTest", "CANTest"} {
		classSkip(c, skipUnless(haveCAN, "SocketCan required for this test."))
	}
	classSkip("ISOTPTest", skipUnless(haveSocket(pysock.PF_CAN, int(pysock.SOCK_DGRAM), pysock.CAN_ISOTP),
		"CAN ISOTP required for this test."))
	classSkip("J1939Test", skipUnless(haveSocket(pysock.PF_CAN, int(pysock.SOCK_DGRAM), pysock.CAN_J1939),
		"CAN J1939 required for this test."))
	haveRDS := haveSocket(pysock.PF_RDS, int(pysock.SOCK_SEQPACKET), 0)
	for _, c := range []string{"BasicRDSTest", "RDSTest"} {
		classSkip(c, skipUnless(haveRDS, "RDS sockets required for this test."))
	}
	classSkip("LinuxKernelCryptoAPI", skipUnless(haveSocket(int(pysock.AF_ALG), int(pysock.SOCK_SEQPACKET), 0), "AF_ALG required"))
	classSkip("BasicQIPCRTRTest", skipUnless(haveSocket(int(pysock.AF_QIPCRTR), int(pysock.SOCK_DGRAM), 0),
		"QIPCRTR sockets required for this test."))
	// socket.AF_BLUETOOTH: absent from this CPython build (no bluetooth.h) and
	// from pysock, so _have_socket_bluetooth() is False (AttributeError).
	classSkip("BasicBluetoothTest", skipUnless(false,
		"Bluetooth sockets required for this test."))
	tipc := isTipcAvailable()
	for _, c := range []string{"TIPCTest", "TIPCThreadableTest"} {
		classSkip(c, skipUnless(tipc, "TIPC module is not loaded, please 'sudo modprobe tipc'"))
	}
	for _, c := range []string{"SendmsgSCTPStreamTest", "RecvmsgSCTPStreamTest", "RecvmsgIntoSCTPStreamTest"} {
		classSkip(c, func(*T) (bool, string) {
			return probeSocket("AF_INET, SOCK_STREAM, IPPROTO_SCTP", int(pysock.AF_INET), int(pysock.SOCK_STREAM), pysock.IPPROTO_SCTP)
		})
	}
	classSkip("TestMacOSTCPFlags", skipUnless(runtime.GOOS == "darwin", "macOS specific test"))
	classSkip("TestMSWindowsTCPFlags", skipUnless(runtime.GOOS == "windows", "requires Windows"))
	// TestSocketSharing: every method is @unittest.skipUnless(sys.platform == 'win32', "Windows specific").
	classSkip("TestSocketSharing", skipUnless(runtime.GOOS == "windows", "Windows specific"))
}
