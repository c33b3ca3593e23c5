package pysock

import (
	"context"
	"errors"
	"math"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
)

// AddrInfo is one 5-tuple of getaddrinfo's result:
// (family, type, proto, canonname, sockaddr).
type AddrInfo struct {
	Family    AddressFamily
	Type      SocketKind
	Proto     int
	CanonName string
	SockAddr  Address
}

// Tuple is the Python tuple.
func (a AddrInfo) Tuple() Tuple {
	return Tuple{a.Family, a.Type, a.Proto, a.CanonName, a.SockAddr.Tuple()}
}

// Repr prints the tuple as Python does:
// (<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 6, "", ('127.0.0.1', 80)).
func (a AddrInfo) Repr() string { return pyrepr.Repr(a.Tuple()) }

// String is the same as Repr.
func (a AddrInfo) String() string { return a.Repr() }

// The getaddrinfo error codes, as glibc numbers them.
const (
	eaiBadFlags   = -1
	eaiNoName     = -2
	eaiAgain      = -3
	eaiFamily     = -6
	eaiSockType   = -7
	eaiService    = -8
	eaiAddrFamily = -9
)

// GetAddrInfo is socket.getaddrinfo(host, port, family=0, type=0, proto=0,
// flags=0). host is nil (None), a string or bytes; port is nil, an integer,
// a string (a number or a service name from /etc/services) or bytes. The
// optional ints are family, type, proto and flags. Resolution is pure Go and
// follows glibc: numeric hosts (the inet_aton forms for IPv4, scope ids for
// IPv6), /etc/hosts, then DNS; errors are gaierror with glibc's codes. Ports
// wrap modulo 65536 as in CPython. Where DNS returns several addresses they
// are ordered by RFC 6724's precedence rule only (glibc applies the whole
// rule set, which needs routing information).
//
// The optional arguments are Python ints: AF_INET (an AddressFamily),
// SOCK_STREAM (a SocketKind), a protocol number, AI_PASSIVE|AI_CANONNAME
// (an AddressInfo), or plain ints; anything else is CPython's TypeError.
func GetAddrInfo(host, port any, args ...any) ([]AddrInfo, error) {
	return getAddrInfo(nil, host, port, args)
}

// GetAddrInfoContext is GetAddrInfo whose DNS queries ctx bounds: a
// cancelled or expired ctx ends the call with ctx.Err().
func GetAddrInfoContext(ctx context.Context, host, port any, args ...any) ([]AddrInfo, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return getAddrInfo(ctx, host, port, args)
}

func getAddrInfo(ctx context.Context, host, port any, args []any) ([]AddrInfo, error) {
	if len(args) > 4 {
		return nil, tooManyPositional("getaddrinfo", 2, 6, len(args)+2)
	}
	var h [4]int
	for i, v := range args {
		n, err := pyarg.CInt(v) // the "i" format
		if err != nil {
			return nil, err
		}
		h[i] = n
	}
	hints := gaiHints{family: AddressFamily(h[0]), socktype: SocketKind(h[1]), proto: h[2], flags: AddressInfo(h[3]), ctx: ctx}
	var hostp *string
	if !pyarg.IsNone(host) {
		if _, _, ok := pyarg.StrOrBytes(host); !ok {
			return nil, pyerr.NewTypeError("getaddrinfo() argument 1 must be string or None")
		}
		s, err := idnaEncode(host)
		if err != nil {
			return nil, err
		}
		hostp = &s
	}
	var servp *string
	if s, isStr, ok := pyarg.StrOrBytes(port); ok {
		if isStr {
			if err := pyarg.UTF8(s); err != nil {
				return nil, err
			}
		}
		s = cString(s) // as the host's (idnaEncode)
		servp = &s
	} else if !pyarg.IsNone(port) {
		// PyLong_CheckExact: bools, IntEnums and int subclasses are refused.
		if !pyarg.IsExactInt(port) {
			return nil, pyerr.NewOSError("Int or String expected")
		}
		n, _, over := asIndex(port)
		if over {
			return nil, pyerr.NewOverflowError("Python int too large to convert to C long")
		}
		s := strconv.FormatInt(n, 10)
		servp = &s
	}
	res, code := gai(hostp, servp, hints)
	if ctx != nil && ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if code != 0 {
		return nil, pyerr.FromGaiCode(code)
	}
	out := make([]AddrInfo, len(res))
	for i, r := range res {
		out[i] = AddrInfo{Family: r.family, Type: r.socktype, Proto: r.proto,
			CanonName: r.canon, SockAddr: r.sockaddr()}
	}
	return out, nil
}

type gaiHints struct {
	family   AddressFamily
	socktype SocketKind
	proto    int
	flags    AddressInfo
	ctx      context.Context // bounds DNS; nil: none
}

// context is the context DNS queries run under.
func (h gaiHints) context() context.Context {
	if h.ctx == nil {
		return context.Background()
	}
	return h.ctx
}

// gaiResult is one addrinfo.
type gaiResult struct {
	family   AddressFamily
	socktype SocketKind
	proto    int
	canon    string
	addr     netip.Addr
	port     int
	scope    uint32
}

func (r gaiResult) sockaddr() Address {
	if r.family == AF_INET6 {
		return Inet6Addr{Host: inetNtop6(r.addr.As16()), Port: r.port, ScopeID: r.scope}
	}
	return InetAddr{Host: r.addr.String(), Port: r.port}
}

// typeProto is glibc's gaih_inet_typeproto table.
type typeProto struct {
	socktype         SocketKind
	protocol         int
	protoAny, noServ bool
	isDefault        bool
	name             string
}

var typeProtos = []typeProto{
	{SOCK_STREAM, IPPROTO_TCP, false, false, true, "tcp"},
	{SOCK_DGRAM, IPPROTO_UDP, false, false, true, "udp"},
	{sockDCCP, 33 /* IPPROTO_DCCP */, false, false, false, "dccp"},
	{SOCK_DGRAM, IPPROTO_UDPLITE, false, false, false, "udplite"},
	{SOCK_STREAM, IPPROTO_SCTP, false, false, false, "sctp"},
	{SOCK_SEQPACKET, IPPROTO_SCTP, false, false, false, "sctp"},
	{SOCK_RAW, 0, true, true, true, "raw"},
}

// sockDCCP is SOCK_DCCP, which CPython's socket module does not export;
// glibc's table uses it.
const sockDCCP = 6

const knownAIFlags = AI_PASSIVE | AI_CANONNAME | AI_NUMERICHOST | AI_V4MAPPED | AI_ALL |
	AI_ADDRCONFIG | AI_NUMERICSERV | 0x0040 /* AI_IDN */ | 0x0080 /* AI_CANONIDN */

type servEntry struct {
	socktype       SocketKind
	protocol, port int
}

// gai is glibc's getaddrinfo for AF_INET and AF_INET6; it returns the
// results or an EAI_* code.
func gai(host, service *string, h gaiHints) ([]gaiResult, int) {
	// glibc takes a name or service of "*" for none.
	if host != nil && *host == "*" {
		host = nil
	}
	if service != nil && *service == "*" {
		service = nil
	}
	if h.flags&^knownAIFlags != 0 {
		return nil, eaiBadFlags
	}
	if h.flags&AI_CANONNAME != 0 && host == nil {
		return nil, eaiBadFlags
	}
	if host == nil && service == nil {
		return nil, eaiNoName
	}
	if h.family != AF_UNSPEC && h.family != AF_INET && h.family != AF_INET6 {
		return nil, eaiFamily
	}
	// The service: numeric as strtoul reads it, or a name.
	num, numeric := -1, false
	if service != nil {
		if n, ok := strtoul(*service); ok {
			num, numeric = int(int32(n)), true
		} else if h.flags&AI_NUMERICSERV != 0 {
			return nil, eaiNoName
		}
		if numeric && num < 0 { // "-1": strtoul wraps it, glibc then looks it up by name
			numeric = false
		}
	}
	// The type/protocol entry the hints select.
	var tp *typeProto
	if h.socktype != 0 || h.proto != 0 {
		for i := range typeProtos {
			t := &typeProtos[i]
			if (h.socktype != 0 && h.socktype != t.socktype) ||
				(h.proto != 0 && !t.protoAny && h.proto != t.protocol) {
				continue
			}
			tp = t
			break
		}
		if tp == nil {
			if h.socktype != 0 {
				return nil, eaiSockType
			}
			return nil, eaiService
		}
	}
	protoOf := func(t *typeProto) int {
		if t.protoAny {
			return h.proto
		}
		return t.protocol
	}
	var sts []servEntry
	switch {
	case service != nil && tp != nil && tp.noServ:
		return nil, eaiService
	case service != nil && !numeric:
		if tp != nil {
			sv, ok := serviceByName(*service, tp.name)
			if !ok {
				return nil, eaiService
			}
			sts = append(sts, servEntry{tp.socktype, protoOf(tp), sv.port})
		} else {
			for i := range typeProtos {
				t := &typeProtos[i]
				if t.noServ {
					continue
				}
				if sv, ok := serviceByName(*service, t.name); ok {
					sts = append(sts, servEntry{t.socktype, protoOf(t), sv.port})
				}
			}
			if len(sts) == 0 {
				return nil, eaiService
			}
		}
	default:
		port := int(uint16(max(num, 0)))
		if tp != nil {
			sts = append(sts, servEntry{tp.socktype, protoOf(tp), port})
		} else {
			for i := range typeProtos {
				if t := &typeProtos[i]; t.isDefault {
					sts = append(sts, servEntry{t.socktype, protoOf(t), port})
				}
			}
		}
	}

	addrs, canon, code := gaiHosts(host, h)
	if code != 0 {
		return nil, code
	}
	var out []gaiResult
	for _, a := range addrs {
		for _, st := range sts {
			r := gaiResult{family: AF_INET, socktype: st.socktype, proto: st.protocol, addr: a.addr, port: st.port, scope: a.scope}
			if a.addr.Is6() {
				r.family = AF_INET6
			}
			if len(out) == 0 && h.flags&AI_CANONNAME != 0 {
				r.canon = canon
			}
			out = append(out, r)
		}
	}
	return out, 0
}

// strtoul is C's strtoul(s, &end, 10) with *end == '\0' required: leading
// spaces and a sign are allowed, a negative value wraps, an empty string is 0.
func strtoul(s string) (uint64, bool) {
	t := strings.TrimLeft(s, " \t\n\v\f\r")
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if t == "" {
		return 0, s == "" // no digits: only the empty string reads as 0
	}
	var n uint64
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		if n > (math.MaxUint64-uint64(c-'0'))/10 {
			n = math.MaxUint64 // ERANGE: strtoul saturates
			continue
		}
		n = n*10 + uint64(c-'0')
	}
	if neg {
		n = -n
	}
	return n, true
}

type gaiAddr struct {
	addr  netip.Addr
	scope uint32
}

// gaiHosts resolves the host part; canon is the canonical name.
func gaiHosts(host *string, h gaiHints) ([]gaiAddr, string, int) {
	want := func(a netip.Addr) bool {
		return h.family == AF_UNSPEC || (h.family == AF_INET) == a.Is4()
	}
	if host == nil {
		var list []netip.Addr
		if h.flags&AI_PASSIVE != 0 {
			list = []netip.Addr{netip.IPv4Unspecified(), netip.IPv6Unspecified()}
		} else {
			list = []netip.Addr{netip.IPv6Loopback(), netip.AddrFrom4([4]byte{127, 0, 0, 1})}
		}
		var out []gaiAddr
		for _, a := range list {
			if want(a) {
				out = append(out, gaiAddr{addr: a})
			}
		}
		return out, "", 0
	}
	name := *host
	if v4, ok := inetAton(name); ok {
		a := netip.AddrFrom4(v4)
		switch {
		case h.family == AF_INET6 && h.flags&AI_V4MAPPED != 0:
			return []gaiAddr{{addr: netip.AddrFrom16(a.As16())}}, name, 0
		case h.family == AF_INET6:
			return nil, "", eaiAddrFamily
		}
		return []gaiAddr{{addr: a}}, name, 0
	}
	if a, scope, ok, code := parseIPv6Scoped(name); ok || code != 0 {
		if code != 0 {
			return nil, "", code
		}
		if h.family == AF_INET {
			if !a.Is4In6() {
				return nil, "", eaiAddrFamily
			}
			return []gaiAddr{{addr: a.Unmap()}}, name, 0
		}
		return []gaiAddr{{addr: a, scope: scope}}, name, 0
	}
	if h.flags&AI_NUMERICHOST != 0 || name == "" {
		return nil, "", eaiNoName
	}
	// /etc/hosts, then DNS ("hosts: files dns").
	var v4, v6 []netip.Addr
	canon := ""
	for _, e := range hostsByName(name) {
		if canon == "" {
			canon = e.names[0]
		}
		if e.addr.Is4() {
			v4 = append(v4, e.addr)
		} else {
			v6 = append(v6, e.addr)
		}
	}
	addrs := pickFamily(v4, v6, h)
	if len(addrs) == 0 {
		canon = ""
		ips, err := lookupNetIP(h.context(), "ip", name)
		if err != nil {
			var dnsErr *net.DNSError
			if errors.As(err, &dnsErr) && dnsErr.IsTemporary {
				return nil, "", eaiAgain
			}
			return nil, "", eaiNoName
		}
		v4, v6 = nil, nil
		for _, ip := range ips {
			if ip.Unmap().Is4() {
				v4 = append(v4, ip.Unmap())
			} else {
				v6 = append(v6, ip)
			}
		}
		addrs = pickFamily(v4, v6, h)
		if len(addrs) == 0 {
			return nil, "", eaiNoName
		}
		if h.flags&AI_CANONNAME != 0 {
			canon = name
			if c, err := lookupCNAME(h.context(), name); err == nil && c != "" {
				canon = strings.TrimSuffix(c, ".")
			}
		}
	}
	slices.SortStableFunc(addrs, func(a, b netip.Addr) int { return precedence(b) - precedence(a) })
	out := make([]gaiAddr, len(addrs))
	for i, a := range addrs {
		out[i] = gaiAddr{addr: a}
	}
	return out, canon, 0
}

// lookupCNAME is a test seam for the canonical name of a DNS name.
var lookupCNAME = func(ctx context.Context, host string) (string, error) {
	r := &net.Resolver{PreferGo: true}
	return r.LookupCNAME(ctx, host)
}

// pickFamily applies the family and AI_V4MAPPED/AI_ALL hints.
func pickFamily(v4, v6 []netip.Addr, h gaiHints) []netip.Addr {
	mapped := func() []netip.Addr {
		var out []netip.Addr
		for _, a := range v4 {
			out = append(out, netip.AddrFrom16(a.As16()))
		}
		return out
	}
	switch h.family {
	case AF_INET:
		return v4
	case AF_INET6:
		if h.flags&AI_V4MAPPED != 0 && (len(v6) == 0 || h.flags&AI_ALL != 0) {
			return append(slices.Clone(v6), mapped()...)
		}
		return v6
	}
	return append(slices.Clone(v6), v4...)
}

// parseIPv6Scoped is inet_pton(AF_INET6) plus glibc's scope-id rules for a
// "%scope" suffix: an interface name for link-local and multicast
// link/node-local addresses, or a number. ok is false when s is not an IPv6
// address; code is EAI_NONAME for a bad scope.
func parseIPv6Scoped(s string) (a netip.Addr, scope uint32, ok bool, code int) {
	addrPart, zone, hasZone := strings.Cut(s, "%")
	if !strings.Contains(addrPart, ":") {
		return a, 0, false, 0
	}
	a, err := netip.ParseAddr(addrPart)
	if err != nil || !a.Is6() || a.Zone() != "" {
		return a, 0, false, 0
	}
	if !hasZone {
		return a, 0, true, 0
	}
	if a.IsLinkLocalUnicast() || a.IsInterfaceLocalMulticast() || a.IsLinkLocalMulticast() {
		if ifi, err := net.InterfaceByName(zone); err == nil {
			return a, uint32(ifi.Index), true, 0
		}
	}
	if zone != "" && zone[0] >= '0' && zone[0] <= '9' {
		if n, err := strconv.ParseUint(zone, 10, 32); err == nil {
			return a, uint32(n), true, 0
		}
	}
	return a, 0, false, eaiNoName
}
