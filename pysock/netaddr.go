package pysock

import (
	"net"
	"strconv"

	"golang.org/x/sys/unix"
)

// The adapters' addresses: pysock's Python-style addresses to Go's
// net.Addr values and back, as Go's net writes and reads them.

// netAddr converts an address to the net.Addr a Go program expects.
func netAddr(a Address, typ int) net.Addr {
	switch x := a.(type) {
	case InetAddr:
		ip := net.ParseIP(x.Host)
		if ip4 := ip.To4(); ip4 != nil {
			ip = ip4 // 4 bytes, as Go's net gives an IPv4 address
		}
		if typ == unix.SOCK_RAW {
			return &net.IPAddr{IP: ip}
		}
		if typ == unix.SOCK_DGRAM {
			return &net.UDPAddr{IP: ip, Port: x.Port}
		}
		return &net.TCPAddr{IP: ip, Port: x.Port}
	case Inet6Addr:
		ip := net.ParseIP(x.Host)
		zone := ""
		if x.ScopeID != 0 {
			// The interface's name, or the number when no interface has
			// it, as Go's net writes a zone.
			zone = strconv.FormatUint(uint64(x.ScopeID), 10)
			if ifi, err := net.InterfaceByIndex(int(x.ScopeID)); err == nil {
				zone = ifi.Name
			}
		}
		if typ == unix.SOCK_RAW {
			return &net.IPAddr{IP: ip, Zone: zone}
		}
		if typ == unix.SOCK_DGRAM {
			return &net.UDPAddr{IP: ip, Port: x.Port, Zone: zone}
		}
		return &net.TCPAddr{IP: ip, Port: x.Port, Zone: zone}
	case UnixAddr:
		nt := "unix"
		switch typ {
		case unix.SOCK_DGRAM:
			nt = "unixgram"
		case unix.SOCK_SEQPACKET:
			nt = "unixpacket"
		}
		name := string(x)
		if len(name) > 0 && name[0] == 0 {
			name = "@" + name[1:] // an abstract name, as Go's net writes it
		}
		return &net.UnixAddr{Name: name, Net: nt}
	}
	return nil
}

// fromNetAddr converts a net.Addr to an address pysock accepts on a socket
// of the family. An IPv6 zone becomes the scope ID (an interface name or
// number, as Go's net takes it); a typed nil address is ok false, which
// WriteTo reports as Go's net does.
func fromNetAddr(a net.Addr, family int32) (addr any, ok bool) {
	switch x := a.(type) {
	case *net.UDPAddr:
		if x == nil {
			return nil, false
		}
		return inetTuple(x.IP, x.Port, x.Zone, family), true
	case *net.TCPAddr:
		if x == nil {
			return nil, false
		}
		return inetTuple(x.IP, x.Port, x.Zone, family), true
	case *net.IPAddr:
		if x == nil {
			return nil, false
		}
		return inetTuple(x.IP, 0, x.Zone, family), true
	case *net.UnixAddr:
		if x == nil {
			return nil, false
		}
		if len(x.Name) > 0 && x.Name[0] == '@' {
			return "\x00" + x.Name[1:], true // Go's net: a leading '@' is abstract
		}
		return x.Name, true
	}
	return a, true
}

// inetTuple is the sendto address of ip and port for a socket of the
// family: (host, port), or on AF_INET6 with a zone (host, port, 0,
// scope_id).
func inetTuple(ip net.IP, port int, zone string, family int32) Tuple {
	host := netIPHost(ip, family)
	if zone == "" || family != unix.AF_INET6 {
		return Tuple{host, port}
	}
	scope := 0
	if ifi, err := net.InterfaceByName(zone); err == nil {
		scope = ifi.Index
	} else if n, err := strconv.Atoi(zone); err == nil {
		scope = n
	}
	return Tuple{host, port, 0, scope}
}

// netIPHost is the host string of ip for a socket of the family. An IPv4
// address (4 bytes or v4-mapped) is "a.b.c.d" on AF_INET and the mapped
// "::ffff:a.b.c.d" on AF_INET6, as Go's net maps it for an IPv6 socket
// (the plain form does not resolve in AF_INET6).
func netIPHost(ip net.IP, family int32) string {
	if len(ip) == 0 {
		// No address: Go's net sends to the unspecified address of the
		// socket's family, which the kernel takes for this host.
		if family == unix.AF_INET6 {
			return "::"
		}
		return "0.0.0.0"
	}
	ip4 := ip.To4()
	switch {
	case ip4 == nil:
		return ip.String()
	case family == unix.AF_INET6 && ip4.Equal(net.IPv4zero):
		return "::" // as Go's net maps 0.0.0.0 for an IPv6 socket
	case family == unix.AF_INET6:
		return "::ffff:" + ip4.String()
	}
	return ip4.String()
}
