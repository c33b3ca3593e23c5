package pysock

import (
	"context"
	"fmt"
	"math"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"unicode"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
	"github.com/pysock/pysock/internal/pyrepr"
	"golang.org/x/sys/unix"
)

// HostEnt is the (hostname, aliaslist, ipaddrlist) tuple of
// gethostbyname_ex and gethostbyaddr.
type HostEnt struct {
	Name    string
	Aliases []string
	Addrs   []string
}

// Tuple is the Python tuple.
func (h HostEnt) Tuple() Tuple {
	aliases, addrs := []any{}, []any{}
	for _, a := range h.Aliases {
		aliases = append(aliases, a)
	}
	for _, a := range h.Addrs {
		addrs = append(addrs, a)
	}
	return Tuple{h.Name, aliases, addrs}
}

// Repr prints the tuple as Python does: ('localhost', [], ['127.0.0.1']).
func (h HostEnt) Repr() string { return pyrepr.Repr(h.Tuple()) }

// String is the same as Repr.
func (h HostEnt) String() string { return h.Repr() }

// hostNameArg is CPython's "et" with the idna codec: str (IDNA-encoded),
// bytes or bytearray.
func hostNameArg(fn string, v any) (string, error) {
	if raw, _, ok := pyarg.StrOrBytes(v); ok {
		name, err := idnaEncode(v) // which cuts at a NUL, as C strings do for getaddrinfo
		if err == nil && strings.IndexByte(raw, 0) >= 0 {
			// The "et" format: encoded first, then refused.
			return "", pyerr.NewTypeError(fmt.Sprintf("%s() argument 1 must be encoded string without null bytes, not %s", fn, pyTypeName(v)))
		}
		return name, err
	}
	return "", pyerr.NewTypeError(fmt.Sprintf("%s() argument 1 must be str, bytes or bytearray, not %s", fn, pyarg.ConverterTypeName(v)))
}

func addrString(a netip.Addr) string {
	if a.Is6() {
		return inetNtop6(a.As16())
	}
	return a.String()
}

// GetHostName is socket.gethostname(): the kernel's host name.
func GetHostName() (string, error) {
	var u unix.Utsname
	if err := unix.Uname(&u); err != nil {
		return "", toPyErr(err)
	}
	return unix.ByteSliceToString(u.Nodename[:]), nil
}

// SetHostName is socket.sethostname(name): needs CAP_SYS_ADMIN, else
// PermissionError(1).
func SetHostName(name any) error {
	// The "S" format (bytes, passed whole), else PyUnicode_FSConverter.
	s, isStr, ok := pyarg.StrOrBytes(name)
	switch {
	case !ok:
		return pyerr.NewTypeError(fmt.Sprintf("expected str, bytes or os.PathLike object, not %s", pyTypeName(name)))
	case isStr && strings.IndexByte(s, 0) >= 0:
		return pyerr.NewValueError("embedded null byte")
	}
	return toPyErr(unix.Sethostname([]byte(s)))
}

// GetHostByName is socket.gethostbyname(hostname): the IPv4 address as a
// string; numeric forms and /etc/hosts need no DNS.
func GetHostByName(hostname any) (string, error) {
	name, err := hostNameArg("gethostbyname", hostname)
	if err != nil {
		return "", err
	}
	a, err := setipaddr(name, unix.AF_INET)
	if err != nil {
		return "", err
	}
	return a.String(), nil
}

// GetHostByNameEx is socket.gethostbyname_ex(hostname): (name, aliases,
// IPv4 addresses), from /etc/hosts (the first matching line, as glibc) or
// DNS; herror when the name has no IPv4 entry.
func GetHostByNameEx(hostname any) (HostEnt, error) {
	name, err := hostNameArg("gethostbyname_ex", hostname)
	if err != nil {
		return HostEnt{}, err
	}
	if _, err := setipaddr(name, unix.AF_INET); err != nil {
		return HostEnt{}, err
	}
	if name == "" {
		return HostEnt{}, pyerr.FromHCode(3) // glibc: NO_RECOVERY for an empty name
	}
	// glibc's digits-and-dots rule: a name of digits and dots is an
	// address or nothing; an IPv6 form is refused for AF_INET without
	// h_errno being set (CPython then reports the 0 it holds).
	if strings.IndexByte(name, ':') >= 0 {
		return HostEnt{}, pyerr.FromHCode(0)
	}
	if strings.Trim(name, "0123456789.") == "" {
		a, ok := inetAton(name)
		if !ok {
			return HostEnt{}, pyerr.FromHCode(1)
		}
		return HostEnt{Name: name, Aliases: []string{}, Addrs: []string{netip.AddrFrom4(a).String()}}, nil
	}
	if name == "<broadcast>" {
		return HostEnt{}, pyerr.FromHCode(1)
	}
	for _, e := range hostsByName(name) {
		if e.addr.Is4() {
			return HostEnt{Name: e.names[0], Aliases: slices.Clone(e.names[1:]), Addrs: []string{e.addr.String()}}, nil
		}
	}
	ips, err := lookupNetIP(context.Background(), "ip4", name)
	if err != nil || len(ips) == 0 {
		return HostEnt{}, pyerr.FromHCode(1)
	}
	h := HostEnt{Name: name, Aliases: []string{}}
	if c, err := lookupCNAME(context.Background(), name); err == nil && c != "" {
		h.Name = strings.TrimSuffix(c, ".")
	}
	for _, ip := range ips {
		h.Addrs = append(h.Addrs, ip.Unmap().String())
	}
	return h, nil
}

// lookupAddr is a test seam for DNS reverse lookups.
var lookupAddr = func(ctx context.Context, addr string) ([]string, error) {
	r := &net.Resolver{PreferGo: true}
	return r.LookupAddr(ctx, addr)
}

// reverseName is the host name of addr from /etc/hosts, then DNS.
func reverseName(a netip.Addr) (HostEnt, bool) {
	if e, ok := hostByAddr(a); ok {
		return HostEnt{Name: e.names[0], Aliases: slices.Clone(e.names[1:]), Addrs: []string{addrString(a)}}, true
	}
	names, err := lookupAddr(context.Background(), a.String())
	if err != nil || len(names) == 0 {
		return HostEnt{}, false
	}
	h := HostEnt{Name: strings.TrimSuffix(names[0], "."), Aliases: []string{}, Addrs: []string{addrString(a)}}
	for _, n := range names[1:] {
		h.Aliases = append(h.Aliases, strings.TrimSuffix(n, "."))
	}
	return h, true
}

// GetHostByAddr is socket.gethostbyaddr(ip_address): (name, aliases,
// [address]) for an address or a name; herror(1, 'Unknown host') when
// neither /etc/hosts nor DNS knows it.
func GetHostByAddr(ipAddress any) (HostEnt, error) {
	name, err := hostNameArg("gethostbyaddr", ipAddress)
	if err != nil {
		return HostEnt{}, err
	}
	a, err := setipaddr(name, unix.AF_UNSPEC)
	if err != nil {
		return HostEnt{}, err
	}
	h, ok := reverseName(a)
	if !ok {
		return HostEnt{}, pyerr.FromHCode(1)
	}
	return h, nil
}

// GetFqdn is socket.getfqdn(name=""): the first name with a dot among the
// host name and aliases gethostbyaddr(name) gives, else its host name, else
// name itself; "" (or '0.0.0.0', '::') means this host.
func GetFqdn(name ...string) string {
	n := ""
	if len(name) > 0 {
		n = strings.TrimFunc(name[0], isPySpace) // str.strip()
	}
	if n == "" || n == "0.0.0.0" || n == "::" {
		n, _ = GetHostName()
	}
	h, err := GetHostByAddr(n)
	if err != nil {
		return n
	}
	for _, c := range append([]string{h.Name}, h.Aliases...) {
		if strings.Contains(c, ".") {
			return c
		}
	}
	return h.Name
}

// isPySpace is Python's str.isspace for one character: Go's white space
// and the four separators U+001C..U+001F.
func isPySpace(r rune) bool { return unicode.IsSpace(r) || (r >= 0x1c && r <= 0x1f) }

// GetNameInfo is socket.getnameinfo(sockaddr, flags): (host, port) as
// strings. sockaddr is a Tuple (host, port[, flowinfo, scope_id]) or an
// InetAddr/Inet6Addr; host must be numeric. Names come from /etc/hosts,
// then DNS, and /etc/services; NI_* flags as in C.
func GetNameInfo(sockaddr any, flags any) (host, port string, err error) {
	fl, err := asCInt(flags)
	if err != nil {
		return "", "", err
	}
	if a, ok := sockaddr.(Address); ok {
		if t, ok := a.Tuple().(Tuple); ok {
			sockaddr = t
		}
	}
	t, ok := sockaddr.(Tuple)
	if !ok {
		return "", "", pyerr.NewTypeError("getnameinfo() argument 1 must be a tuple")
	}
	illegal := pyerr.NewTypeError("getnameinfo(): illegal sockaddr argument")
	if len(t) < 2 || len(t) > 4 {
		return "", "", illegal
	}
	hostS, ok := pyarg.AsStr(t[0])
	if !ok {
		return "", "", illegal
	}
	if err := pyarg.StrChecks(hostS); err != nil {
		return "", "", err // the "s" format's own errors stand
	}
	portN, err := asCInt(t[1])
	if err != nil {
		return "", "", err
	}
	var flow, scope uint32
	for i, dst := range []*uint32{&flow, &scope} {
		if len(t) > 2+i {
			if _, ok, _ := asIndex(t[2+i]); !ok {
				return "", "", errNotInteger(t[2+i])
			}
			// The "I" format: the low 32 bits of any integer.
			n, err := pyarg.UnsignedIntBitwise(t[2+i])
			if err != nil {
				return "", "", err
			}
			*dst = n
		}
	}
	if flow > 0xfffff {
		return "", "", pyerr.NewOverflowError("getnameinfo(): flowinfo must be 0-1048575.")
	}
	serv := strconv.Itoa(portN)
	res, code := gai(&hostS, &serv, gaiHints{socktype: SOCK_DGRAM, flags: AI_NUMERICHOST})
	if code != 0 {
		return "", "", pyerr.FromGaiCode(code)
	}
	if len(res) > 1 {
		return "", "", pyerr.NewOSError("sockaddr resolved to multiple addresses")
	}
	r := res[0]
	if r.family == AF_INET && len(t) != 2 {
		return "", "", pyerr.NewOSError("IPv4 sockaddr must be 2 tuple")
	}
	if r.family == AF_INET6 {
		r.scope = scope
	}
	// glibc's GETNAMEINFO_FLAGS: NI_IDN and its two deprecated companions,
	// and no NI_NUMERICSCOPE.
	const knownNI = NI_NUMERICHOST | NI_NUMERICSERV | NI_NOFQDN | NI_NAMEREQD | NI_DGRAM | 0x20 | 0x40 | 0x80
	if fl&^knownNI != 0 {
		return "", "", pyerr.FromGaiCode(eaiBadFlags)
	}
	host = addrString(r.addr)
	if fl&NI_NUMERICHOST == 0 {
		if h, ok := reverseName(r.addr); ok {
			host = h.Name
		} else if fl&NI_NAMEREQD != 0 {
			return "", "", pyerr.FromGaiCode(eaiNoName)
		}
	}
	if host == addrString(r.addr) && r.family == AF_INET6 && r.scope != 0 {
		zone := strconv.Itoa(int(r.scope))
		if fl&0x100 == 0 && (r.addr.IsLinkLocalUnicast() || r.addr.IsLinkLocalMulticast()) {
			if ifi, err := net.InterfaceByIndex(int(r.scope)); err == nil {
				zone = ifi.Name
			}
		}
		host += "%" + zone
	}
	port = strconv.Itoa(r.port)
	if fl&NI_NUMERICSERV == 0 {
		proto := "tcp"
		if fl&NI_DGRAM != 0 {
			proto = "udp"
		}
		if sv, ok := serviceByPort(r.port, proto); ok {
			port = sv.name
		}
	}
	return host, port, nil
}

// GetServByName is socket.getservbyname(servicename[, protocolname]): the
// port from /etc/services; OSError('service/proto not found') otherwise.
func GetServByName(servicename any, protocolname ...any) (int, error) {
	name, err := strArg("getservbyname", 1, servicename)
	if err != nil {
		return 0, err
	}
	proto, anyProto, err := servProto("getservbyname", protocolname)
	if err != nil {
		return 0, err
	}
	sv, ok := serviceByName(name, proto)
	ok = ok && (anyProto || proto != "")
	if !ok {
		return 0, pyerr.NewOSError("service/proto not found")
	}
	return sv.port, nil
}

// GetServByPort is socket.getservbyport(port[, protocolname]): the service
// name from /etc/services; OSError('port/proto not found') otherwise.
func GetServByPort(port any, protocolname ...any) (string, error) {
	n, err := asCInt(port)
	if err != nil {
		return "", err
	}
	proto, anyProto, err := servProto("getservbyport", protocolname)
	if err != nil {
		return "", err
	}
	if n < 0 || n > 0xffff {
		return "", pyerr.NewOverflowError("getservbyport: port must be 0-65535.")
	}
	sv, ok := serviceByPort(n, proto)
	if !ok || (!anyProto && proto == "") {
		return "", pyerr.NewOSError("port/proto not found")
	}
	return sv.name, nil
}

// servProto is getservbyname's and getservbyport's optional protocol
// argument (the "s" format): absent is any protocol, an empty string none.
func servProto(fn string, args []any) (proto string, anyProto bool, err error) {
	switch len(args) {
	case 0:
		return "", true, nil
	case 1:
		proto, err = strArg(fn, 2, args[0])
		return proto, false, err
	}
	return "", false, pyerr.NewTypeError(fmt.Sprintf("%s() takes at most 2 arguments (%d given)", fn, len(args)+1))
}

// GetProtoByName is socket.getprotobyname(protocolname): the number from
// /etc/protocols; OSError('protocol not found') otherwise.
func GetProtoByName(protocolname any) (int, error) {
	name, err := strArg("getprotobyname", 1, protocolname)
	if err != nil {
		return 0, err
	}
	n, ok := protocolByName(name)
	if !ok {
		return 0, pyerr.NewOSError("protocol not found")
	}
	return n, nil
}

// Interface is one (index, name) tuple of if_nameindex().
type Interface struct {
	Index int
	Name  string
}

// Repr prints the tuple as Python does: (1, 'lo').
func (i Interface) Repr() string { return pyrepr.Repr(Tuple{i.Index, i.Name}) }

// String is the same as Repr.
func (i Interface) String() string { return i.Repr() }

// IfNameIndex is socket.if_nameindex(): every network interface.
func IfNameIndex() ([]Interface, error) {
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, toPyErr(err)
	}
	out := make([]Interface, len(ifs))
	for i, ifi := range ifs {
		out[i] = Interface{Index: ifi.Index, Name: ifi.Name}
	}
	return out, nil
}

// IfNameToIndex is socket.if_nametoindex(if_name); OSError('no interface
// with this name') for an unknown one.
func IfNameToIndex(ifName any) (int, error) {
	name, _, ok := pyarg.StrOrBytes(ifName)
	if !ok {
		return 0, pyerr.NewTypeError(fmt.Sprintf("expected str, bytes or os.PathLike object, not %s", pyTypeName(ifName)))
	}
	if strings.IndexByte(name, 0) >= 0 {
		return 0, pyerr.NewValueError("embedded null byte") // PyUnicode_FSConverter
	}
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return 0, pyerr.NewOSError("no interface with this name")
	}
	return ifi.Index, nil
}

// IfIndexToName is socket.if_indextoname(if_index); OSError(6) for an
// unknown index.
func IfIndexToName(ifIndex any) (string, error) {
	n, ok, over := asIndex(ifIndex)
	switch {
	case !ok:
		return "", pyerr.NewTypeError("an integer is required")
	case n < 0:
		return "", pyerr.NewOverflowError("can't convert negative value to unsigned int")
	case over && pyarg.BigOf(ifIndex).BitLen() > 64:
		return "", pyerr.NewOverflowError("Python int too large to convert to C unsigned long")
	}
	// PyLong_AsUnsignedLong, then C truncates to unsigned int.
	idx, _ := pyarg.UnsignedIntBitwise(ifIndex)
	if idx == 0 || idx > math.MaxInt32 {
		return "", pyerr.FromErrno(syscall.ENXIO)
	}
	ifi, err := net.InterfaceByIndex(int(idx))
	if err != nil {
		return "", pyerr.FromErrno(syscall.ENXIO)
	}
	return ifi.Name, nil
}

// Close is socket.close(fd): closes a file descriptor obtained with
// Detach or from elsewhere.
func Close(fd int) error {
	if h := takeDetached(fd, false); h != nil {
		return toPyErr(h.close())
	}
	return toPyErr(unix.Close(fd))
}

// Dup is socket.dup(fd): a non-inheritable duplicate of fd.
func Dup(fd int) (int, error) {
	n, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return -1, toPyErr(err)
	}
	return n, nil
}
