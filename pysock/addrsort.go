package pysock

import "net/netip"

// precedence is RFC 6724's policy-table precedence.
func precedence(a netip.Addr) int {
	switch {
	case a.Is4() || a.Is4In6():
		return 35
	case a == netip.IPv6Loopback():
		return 50
	case netip.MustParsePrefix("2002::/16").Contains(a):
		return 30
	case netip.MustParsePrefix("2001::/32").Contains(a):
		return 5
	case netip.MustParsePrefix("fc00::/7").Contains(a):
		return 3
	case netip.MustParsePrefix("::/96").Contains(a), netip.MustParsePrefix("fec0::/10").Contains(a),
		netip.MustParsePrefix("3ffe::/16").Contains(a):
		return 1
	}
	return 40
}
