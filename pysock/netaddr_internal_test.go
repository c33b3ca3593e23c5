package pysock

import (
	"net"
	"testing"

	"golang.org/x/sys/unix"
)

// TestNetAddrZones: an IPv6 scope ID becomes the interface's name, or
// the number when no interface has it, as Go's net writes a zone; and a
// zone given back (a name or a number) becomes the scope ID again.
func TestNetAddrZones(t *testing.T) {
	lo, err := net.InterfaceByName("lo")
	if err != nil {
		t.Skip("no loopback interface named lo")
	}
	for _, c := range []struct {
		scope uint32
		zone  string
	}{
		{0, ""},
		{uint32(lo.Index), "lo"},
		{999999, "999999"},
	} {
		a := netAddr(Inet6Addr{Host: "fe80::1", Port: 7, ScopeID: c.scope}, unix.SOCK_DGRAM)
		u, ok := a.(*net.UDPAddr)
		if !ok || u.Zone != c.zone || u.Port != 7 {
			t.Errorf("scope %d: %#v; want zone %q", c.scope, a, c.zone)
			continue
		}
		back, _ := fromNetAddr(u, unix.AF_INET6)
		want := Tuple{"fe80::1", 7}
		if c.scope != 0 {
			want = Tuple{"fe80::1", 7, 0, int(c.scope)}
		}
		if Repr(back) != Repr(want) {
			t.Errorf("scope %d: back as %s; want %s", c.scope, Repr(back), Repr(want))
		}
	}
}
