package pysock

import (
	"net/netip"
	"strconv"
)

// Typed access to an Address, for the Python idioms addr[0] and addr[1]
// whatever the family: s.getsockname()[1] is
//
//	_, port, _ := addr.HostPort()
//
// (a type assertion to InetAddr would fail on an IPv6 address). The
// struct fields keep Python's names (Host, Port), so these are methods
// of their own.

// HostPort is (addr[0], addr[1]) of an AF_INET address; ok is true.
func (a InetAddr) HostPort() (host string, port int, ok bool) { return a.Host, a.Port, true }

// AddrPort is the address as a netip.AddrPort; ok is false if Host is not
// a numeric IPv4 address.
func (a InetAddr) AddrPort() (netip.AddrPort, bool) {
	ip, err := netip.ParseAddr(a.Host)
	if err != nil || !ip.Is4() {
		return netip.AddrPort{}, false
	}
	return netip.AddrPortFrom(ip, uint16(a.Port)), true
}

// HostPort is (addr[0], addr[1]) of an AF_INET6 address; ok is true.
func (a Inet6Addr) HostPort() (host string, port int, ok bool) { return a.Host, a.Port, true }

// AddrPort is the address as a netip.AddrPort, with the scope id as the
// zone (its decimal number) when it is not 0; ok is false if Host is not
// a numeric IPv6 address.
func (a Inet6Addr) AddrPort() (netip.AddrPort, bool) {
	ip, err := netip.ParseAddr(a.Host)
	if err != nil || !ip.Is6() {
		return netip.AddrPort{}, false
	}
	if a.ScopeID != 0 && ip.Zone() == "" {
		ip = ip.WithZone(strconv.FormatUint(uint64(a.ScopeID), 10))
	}
	return netip.AddrPortFrom(ip, uint16(a.Port)), true
}

// HostPort: an AF_UNIX address has no host and port; ok is false.
func (a UnixAddr) HostPort() (host string, port int, ok bool) { return "", 0, false }

// AddrPort: an AF_UNIX address has none; ok is false.
func (a UnixAddr) AddrPort() (netip.AddrPort, bool) { return netip.AddrPort{}, false }
