package ports

import (
	"fmt"
	"math/big"
	"strings"

	"github.com/pysock/pysock/pysock"
)

func init() { All["names"] = Names }

// list turns a typed result slice into a Python list.
func list[T any](xs []T, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out, nil
}

func str(s string, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return s, nil
}

func num(n int, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return n, nil
}

func hostEnt(h pysock.HostEnt, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return h, nil
}

func pair(a, b string, err error) (any, error) {
	if err != nil {
		return nil, err
	}
	return pysock.Tuple{a, b}, nil
}

// Names is the twin of scenarios/names.py.
func Names(t *Transcript) error {
	t.KeepPorts()
	S := struct {
		INET, INET6, UNIX             pysock.AddressFamily
		STREAM, DGRAM, RAW, SEQPACKET pysock.SocketKind
	}{
		pysock.AF_INET, pysock.AF_INET6, pysock.AF_UNIX, pysock.SOCK_STREAM, pysock.SOCK_DGRAM, pysock.SOCK_RAW, pysock.SOCK_SEQPACKET}
	gai := func(label string, host, port any, args ...any) {
		t.Show("getaddrinfo "+label, func() (any, error) { return list(pysock.GetAddrInfo(host, port, args...)) })
	}
	// getaddrinfo(host, port, family=0, type=0, proto=0, flags=0)
	gai("('127.0.0.1', 80)", "127.0.0.1", 80)
	gai("('localhost', 80, AF_INET, STREAM)", "localhost", 80, S.INET, S.STREAM)
	gai("('LOCALHOST', 80, AF_INET, STREAM, 0, CANONNAME)", "LOCALHOST", 80, S.INET, S.STREAM, 0, pysock.AI_CANONNAME)
	gai("(None, 0, AF_INET, STREAM, 0, PASSIVE)", nil, 0, S.INET, S.STREAM, 0, pysock.AI_PASSIVE)
	gai("(None, 80)", nil, 80)
	gai("(None, 80, flags=PASSIVE)", nil, 80, 0, 0, 0, pysock.AI_PASSIVE)
	gai("('::1', 'http', AF_INET6, STREAM)", "::1", "http", S.INET6, S.STREAM)
	gai("('127.0.0.1', None, AF_INET, DGRAM)", "127.0.0.1", nil, S.INET, S.DGRAM)
	gai("('127.0.0.1', b'80', proto=TCP)", "127.0.0.1", []byte("80"), 0, 0, pysock.IPPROTO_TCP)
	gai("(b'127.0.0.1', 80, AF_INET, STREAM)", []byte("127.0.0.1"), 80, S.INET, S.STREAM)
	gai("('127.0.0.1', 70000, type=STREAM)", "127.0.0.1", 70000, 0, S.STREAM)
	gai("('127.0.0.1', 4294967297, type=STREAM)", "127.0.0.1", 4294967297, 0, S.STREAM)
	gai("('127.0.0.1', -1)", "127.0.0.1", -1)
	gai("('127.0.0.1', 'nosuchservice')", "127.0.0.1", "nosuchservice")
	gai("('127.0.0.1', 1.5)", "127.0.0.1", 1.5)
	gai("('127.0.0.1', True)", "127.0.0.1", true)
	gai("(123, 80)", 123, 80)
	gai("(None, None)", nil, nil)
	gai("('', 80, AF_INET, STREAM)", "", 80, S.INET, S.STREAM)
	gai("('localhost', 80, 0, 0, 0, NUMERICHOST)", "localhost", 80, 0, 0, 0, pysock.AI_NUMERICHOST)
	gai("('127.0.0.1', 80, 999)", "127.0.0.1", 80, 999)
	gai("('127.0.0.1', 80, AF_UNIX)", "127.0.0.1", 80, S.UNIX)
	gai("('x'*300, 80)", strings.Repeat("x", 300), 80)
	gai("('a..b', 80)", "a..b", 80)
	gai("('::1%lo', 80, AF_INET6, STREAM)", "::1%lo", 80, S.INET6, S.STREAM)
	gai("('fe80::1%lo', 80, AF_INET6, STREAM)", "fe80::1%lo", 80, S.INET6, S.STREAM)
	gai("('fe80::1%1', 80, type=STREAM)", "fe80::1%1", 80, 0, S.STREAM)
	gai("('fe80::1%nosuch', 80, type=STREAM)", "fe80::1%nosuch", 80, 0, S.STREAM)
	gai("('127.0.0.1', 80, AF_INET6)", "127.0.0.1", 80, S.INET6)
	gai("('127.0.0.1', 80, AF_INET6, flags=V4MAPPED)", "127.0.0.1", 80, S.INET6, 0, 0, pysock.AI_V4MAPPED)
	gai("('::1', 80, AF_INET)", "::1", 80, S.INET)
	gai("('::ffff:127.0.0.1', 80, AF_INET)", "::ffff:127.0.0.1", 80, S.INET)
	gai("('1', 80, AF_INET, STREAM)", "1", 80, S.INET, S.STREAM)
	gai("('0x7f.1', 80, AF_INET, STREAM)", "0x7f.1", 80, S.INET, S.STREAM)
	gai("('127.1', 80, STREAM, CANONNAME)", "127.1", 80, 0, S.STREAM, 0, pysock.AI_CANONNAME)
	gai("(' 127.0.0.1', 80)", " 127.0.0.1", 80)
	gai("('127.0.0.1 ', 80)", "127.0.0.1 ", 80)
	gai("('127.0.0.1', '', STREAM)", "127.0.0.1", "", 0, S.STREAM)
	gai("('127.0.0.1', ' 80', STREAM)", "127.0.0.1", " 80", 0, S.STREAM)
	gai("('127.0.0.1', '+80', STREAM)", "127.0.0.1", "+80", 0, S.STREAM)
	gai("('127.0.0.1', 'HTTP', STREAM)", "127.0.0.1", "HTTP", 0, S.STREAM)
	gai("('127.0.0.1', 'http', DGRAM)", "127.0.0.1", "http", 0, S.DGRAM)
	gai("('127.0.0.1', 'domain')", "127.0.0.1", "domain")
	gai("('127.0.0.1', 'www', STREAM)", "127.0.0.1", "www", 0, S.STREAM)
	gai("('127.0.0.1', 'http', NUMERICSERV)", "127.0.0.1", "http", 0, 0, 0, pysock.AI_NUMERICSERV)
	gai("('127.0.0.1', 80, proto=UDP)", "127.0.0.1", 80, 0, 0, pysock.IPPROTO_UDP)
	gai("('127.0.0.1', 80, proto=SCTP)", "127.0.0.1", 80, 0, 0, pysock.IPPROTO_SCTP)
	gai("('127.0.0.1', 80, proto=999)", "127.0.0.1", 80, 0, 0, 999)
	gai("('127.0.0.1', 80, type=999)", "127.0.0.1", 80, 0, 999)
	gai("('127.0.0.1', 80, type=SEQPACKET)", "127.0.0.1", 80, 0, S.SEQPACKET)
	gai("('127.0.0.1', None, type=RAW)", "127.0.0.1", nil, 0, S.RAW)
	gai("('127.0.0.1', 0, type=RAW)", "127.0.0.1", 0, 0, S.RAW)
	gai("('127.0.0.1', 80, type=STREAM, proto=UDP)", "127.0.0.1", 80, 0, S.STREAM, pysock.IPPROTO_UDP)
	gai("('127.0.0.1', 80, flags=0x10000)", "127.0.0.1", 80, 0, 0, 0, 0x10000)
	gai("(None, 80, flags=CANONNAME)", nil, 80, 0, 0, 0, pysock.AI_CANONNAME)
	gai("('127.0.0.1', 80, 2**31)", "127.0.0.1", 80, 1<<31)
	gai("('127.0.0.1', 2**31, type=STREAM)", "127.0.0.1", 1<<31, 0, pysock.SOCK_STREAM)
	gai("('127.0.0.1', 2**64+80, type=STREAM)", "127.0.0.1", new(big.Int).Add(new(big.Int).Lsh(big.NewInt(1), 64), big.NewInt(80)), 0, pysock.SOCK_STREAM)
	gai("('127.0.0.1', 80, 0, 0, 0, -2**31-1)", "127.0.0.1", 80, 0, 0, 0, -1<<31-1)

	for _, tc := range []struct {
		sa    any
		flags any
	}{
		{pysock.Tuple{"127.0.0.1", 80}, 0}, {pysock.Tuple{"127.0.0.1", 80}, pysock.NI_NUMERICHOST | pysock.NI_NUMERICSERV},
		{pysock.Tuple{"127.0.0.1", 53}, pysock.NI_DGRAM}, {pysock.Tuple{"::1", 22, 0, 0}, pysock.NI_NUMERICHOST},
		{pysock.Tuple{"::1", 80}, pysock.NI_NUMERICHOST}, {pysock.Tuple{"127.0.0.1", 70000}, 0},
		{pysock.Tuple{"127.0.0.1"}, 0}, {"x", 0}, {pysock.Tuple{1, 80}, 0}, {pysock.Tuple{"127.0.0.1", 80}, "x"},
		{pysock.Tuple{"127.0.0.1", "x"}, 0}, {pysock.Tuple{"127.0.0.1", 80, 1, 2}, 0},
		{pysock.Tuple{"::1", 80, 1 << 20}, pysock.NI_NUMERICHOST}, {pysock.Tuple{"127.0.0.1", -1}, 0},
		{pysock.Tuple{"localhost", 80}, 0}, {pysock.Tuple{"127.0.0.1", 80}, 0x10000},
		{pysock.Tuple{"fe80::1", 80, 0, 1}, pysock.NI_NUMERICHOST | pysock.NI_NUMERICSERV}, {pysock.Tuple{"127.0.0.1", 80}, 1 << 31},
	} {
		label := fmt.Sprintf("getnameinfo(%s, %s)", R(tc.sa), R(tc.flags))
		t.Show(label, func() (any, error) { return pair(pysock.GetNameInfo(tc.sa, tc.flags)) })
	}

	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	for _, c := range []struct {
		label string
		fn    func() (any, error)
	}{
		{"gethostbyname('localhost')", func() (any, error) { return str(pysock.GetHostByName("localhost")) }},
		{"gethostbyname('')", func() (any, error) { return str(pysock.GetHostByName("")) }},
		{"gethostbyname(b'127.0.0.1')", func() (any, error) { return str(pysock.GetHostByName([]byte("127.0.0.1"))) }},
		{"gethostbyname('<broadcast>')", func() (any, error) { return str(pysock.GetHostByName("<broadcast>")) }},
		{"gethostbyname('::1')", func() (any, error) { return str(pysock.GetHostByName("::1")) }},
		{"gethostbyname(1)", func() (any, error) { return str(pysock.GetHostByName(1)) }},
		{"gethostbyname('x'*64)", func() (any, error) { return str(pysock.GetHostByName(strings.Repeat("x", 64))) }},
		{"gethostbyname_ex('127.0.0.1')", func() (any, error) { return hostEnt(pysock.GetHostByNameEx("127.0.0.1")) }},
		{"gethostbyname_ex('1')", func() (any, error) { return hostEnt(pysock.GetHostByNameEx("1")) }},
		{"gethostbyname_ex('')", func() (any, error) { return hostEnt(pysock.GetHostByNameEx("")) }},
		{"gethostbyname_ex('localhost')", func() (any, error) { return hostEnt(pysock.GetHostByNameEx("localhost")) }},
		{"gethostbyaddr('127.0.0.1')", func() (any, error) { return hostEnt(pysock.GetHostByAddr("127.0.0.1")) }},
		{"gethostbyaddr('localhost')", func() (any, error) { return hostEnt(pysock.GetHostByAddr("localhost")) }},
		{"gethostbyaddr('')", func() (any, error) { return hostEnt(pysock.GetHostByAddr("")) }},
		{"getfqdn('localhost')", func() (any, error) { return pysock.GetFqdn("localhost"), nil }},
		{"getfqdn(' localhost ')", func() (any, error) { return pysock.GetFqdn(" localhost "), nil }},
		{"getservbyname('http')", func() (any, error) { return num(pysock.GetServByName("http")) }},
		{"getservbyname('domain', 'udp')", func() (any, error) { return num(pysock.GetServByName("domain", "udp")) }},
		{"getservbyname('http', 'udp')", func() (any, error) { return num(pysock.GetServByName("http", "udp")) }},
		{"getservbyname('nosuch')", func() (any, error) { return num(pysock.GetServByName("nosuch")) }},
		{"getservbyname('HTTP')", func() (any, error) { return num(pysock.GetServByName("HTTP")) }},
		{"getservbyname(b'http')", func() (any, error) { return num(pysock.GetServByName([]byte("http"))) }},
		{"getservbyport(80)", func() (any, error) { return str(pysock.GetServByPort(80)) }},
		{"getservbyport(53, 'udp')", func() (any, error) { return str(pysock.GetServByPort(53, "udp")) }},
		{"getservbyport(80, 'udp')", func() (any, error) { return str(pysock.GetServByPort(80, "udp")) }},
		{"getservbyport(70000)", func() (any, error) { return str(pysock.GetServByPort(70000)) }},
		{"getservbyport(-1)", func() (any, error) { return str(pysock.GetServByPort(-1)) }},
		{"getservbyport('80')", func() (any, error) { return str(pysock.GetServByPort("80")) }},
		{"getservbyport(2**31)", func() (any, error) { return str(pysock.GetServByPort(1 << 31)) }},
		{"getprotobyname('tcp')", func() (any, error) { return num(pysock.GetProtoByName("tcp")) }},
		{"getprotobyname('UDP')", func() (any, error) { return num(pysock.GetProtoByName("UDP")) }},
		{"getprotobyname('nosuch')", func() (any, error) { return num(pysock.GetProtoByName("nosuch")) }},
		{"getprotobyname(b'tcp')", func() (any, error) { return num(pysock.GetProtoByName([]byte("tcp"))) }},

		{"inet_aton('127.0.0.1')", func() (any, error) { return bytesOf(pysock.InetAton("127.0.0.1")) }},
		{"inet_aton('1')", func() (any, error) { return bytesOf(pysock.InetAton("1")) }},
		{"inet_aton('1.2')", func() (any, error) { return bytesOf(pysock.InetAton("1.2")) }},
		{"inet_aton('0x7f.1')", func() (any, error) { return bytesOf(pysock.InetAton("0x7f.1")) }},
		{"inet_aton('4294967295')", func() (any, error) { return bytesOf(pysock.InetAton("4294967295")) }},
		{"inet_aton('1.2.3.4 x')", func() (any, error) { return bytesOf(pysock.InetAton("1.2.3.4 x")) }},
		{"inet_aton('256.0.0.1')", func() (any, error) { return bytesOf(pysock.InetAton("256.0.0.1")) }},
		{"inet_aton('')", func() (any, error) { return bytesOf(pysock.InetAton("")) }},
		{"inet_aton(' 1.2.3.4')", func() (any, error) { return bytesOf(pysock.InetAton(" 1.2.3.4")) }},
		{"inet_aton('09')", func() (any, error) { return bytesOf(pysock.InetAton("09")) }},
		{"inet_aton('1.2.3.')", func() (any, error) { return bytesOf(pysock.InetAton("1.2.3.")) }},
		{"inet_aton(b'1.2.3.4')", func() (any, error) { return bytesOf(pysock.InetAton([]byte("1.2.3.4"))) }},
		{"inet_aton('1.2.3.4\\x00')", func() (any, error) { return bytesOf(pysock.InetAton("1.2.3.4\x00")) }},
		{"inet_ntoa(b'\\x7f\\x00\\x00\\x01')", func() (any, error) { return str(pysock.InetNtoa([]byte{127, 0, 0, 1})) }},
		{"inet_ntoa(b'\\x01')", func() (any, error) { return str(pysock.InetNtoa([]byte{1})) }},
		{"inet_ntoa('abcd')", func() (any, error) { return str(pysock.InetNtoa("abcd")) }},
		{"inet_pton(AF_INET, '1.2.3.4')", func() (any, error) { return bytesOf(pysock.InetPton(S.INET, "1.2.3.4")) }},
		{"inet_pton(AF_INET6, '::1')", func() (any, error) { return bytesOf(pysock.InetPton(S.INET6, "::1")) }},
		{"inet_pton(AF_INET6, '::ffff:1.2.3.4')", func() (any, error) { return bytesOf(pysock.InetPton(S.INET6, "::ffff:1.2.3.4")) }},
		{"inet_pton(AF_INET, '1.2')", func() (any, error) { return bytesOf(pysock.InetPton(S.INET, "1.2")) }},
		{"inet_pton(AF_INET, '1.2.3.04')", func() (any, error) { return bytesOf(pysock.InetPton(S.INET, "1.2.3.04")) }},
		{"inet_pton(AF_INET6, 'zz')", func() (any, error) { return bytesOf(pysock.InetPton(S.INET6, "zz")) }},
		{"inet_pton(AF_INET6, '::1%lo')", func() (any, error) { return bytesOf(pysock.InetPton(S.INET6, "::1%lo")) }},
		{"inet_pton(AF_UNIX, 'x')", func() (any, error) { return bytesOf(pysock.InetPton(S.UNIX, "x")) }},
		{"inet_pton(AF_INET, b'1.2.3.4')", func() (any, error) { return bytesOf(pysock.InetPton(S.INET, []byte("1.2.3.4"))) }},
		{"inet_ntop(AF_INET6, ::1)", func() (any, error) {
			return str(pysock.InetNtop(S.INET6, append(make([]byte, 15), 1)))
		}},
		{"inet_ntop(AF_INET6, v4-mapped)", func() (any, error) {
			return str(pysock.InetNtop(S.INET6, append(make([]byte, 10), 0xff, 0xff, 127, 0, 0, 1)))
		}},
		{"inet_ntop(AF_INET6, ::1.2.3.4)", func() (any, error) {
			return str(pysock.InetNtop(S.INET6, append(make([]byte, 12), 1, 2, 3, 4)))
		}},
		{"inet_ntop(AF_INET6, 2001:db8::1)", func() (any, error) {
			return str(pysock.InetNtop(S.INET6, []byte{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}))
		}},
		{"inet_ntop(AF_INET, b'123')", func() (any, error) { return str(pysock.InetNtop(S.INET, []byte("123"))) }},
		{"inet_ntop(AF_INET6, b'1')", func() (any, error) { return str(pysock.InetNtop(S.INET6, []byte("1"))) }},
		{"inet_ntop(AF_UNIX, b'1234')", func() (any, error) { return str(pysock.InetNtop(S.UNIX, []byte("1234"))) }},
		{"inet_ntop(AF_INET, 'abcd')", func() (any, error) { return str(pysock.InetNtop(S.INET, "abcd")) }},
		{"htons(1)", func() (any, error) { return num(pysock.Htons(1)) }},
		{"ntohs(256)", func() (any, error) { return num(pysock.Ntohs(256)) }},
		{"htonl(1)", func() (any, error) { return num(pysock.Htonl(1)) }},
		{"ntohl(1)", func() (any, error) { return num(pysock.Ntohl(1)) }},
		{"htons(-1)", func() (any, error) { return num(pysock.Htons(-1)) }},
		{"htons(65536)", func() (any, error) { return num(pysock.Htons(65536)) }},
		{"htons(2**31)", func() (any, error) { return num(pysock.Htons(1 << 31)) }},
		{"ntohs(-1)", func() (any, error) { return num(pysock.Ntohs(-1)) }},
		{"htons(1.5)", func() (any, error) { return num(pysock.Htons(1.5)) }},
		{"htons('1')", func() (any, error) { return num(pysock.Htons("1")) }},
		{"htons(True)", func() (any, error) { return num(pysock.Htons(true)) }},
		{"htons(AF_INET)", func() (any, error) { return num(pysock.Htons(pysock.AddressFamily(pysock.AF_INET))) }},
		{"htonl(SOCK_DGRAM)", func() (any, error) { return num(pysock.Htonl(pysock.SocketKind(pysock.SOCK_DGRAM))) }},
		{"htonl(-1)", func() (any, error) { return num(pysock.Htonl(-1)) }},
		{"htonl(2**32)", func() (any, error) { return num(pysock.Htonl(int64(1) << 32)) }},
		{"htonl(2**64)", func() (any, error) { return num(pysock.Htonl(two64)) }},
		{"htonl(1.5)", func() (any, error) { return num(pysock.Htonl(1.5)) }},
		{"htonl(True)", func() (any, error) { return num(pysock.Htonl(true)) }},
		{"CMSG_LEN(4)", func() (any, error) { return num(pysock.CMSG_LEN(4)) }},
		{"CMSG_SPACE(4)", func() (any, error) { return num(pysock.CMSG_SPACE(4)) }},
		{"CMSG_SPACE(8)", func() (any, error) { return num(pysock.CMSG_SPACE(8)) }},
		{"CMSG_LEN(0)", func() (any, error) { return num(pysock.CMSG_LEN(0)) }},
		{"CMSG_SPACE(0)", func() (any, error) { return num(pysock.CMSG_SPACE(0)) }},
		{"CMSG_LEN(-1)", func() (any, error) { return num(pysock.CMSG_LEN(-1)) }},
		{"CMSG_LEN(2147483631)", func() (any, error) { return num(pysock.CMSG_LEN(2147483631)) }},
		{"CMSG_LEN(2147483632)", func() (any, error) { return num(pysock.CMSG_LEN(2147483632)) }},
		{"CMSG_SPACE(2147483623)", func() (any, error) { return num(pysock.CMSG_SPACE(2147483623)) }},
		{"CMSG_SPACE(2147483624)", func() (any, error) { return num(pysock.CMSG_SPACE(2147483624)) }},
		{"CMSG_LEN(2**64)", func() (any, error) { return num(pysock.CMSG_LEN(two64)) }},
		{"CMSG_LEN(2**62)", func() (any, error) { return num(pysock.CMSG_LEN(1 << 62)) }},
		{"CMSG_LEN('x')", func() (any, error) { return num(pysock.CMSG_LEN("x")) }},
		{"if_nametoindex('lo')", func() (any, error) { return num(pysock.IfNameToIndex("lo")) }},
		{"if_nametoindex(b'lo')", func() (any, error) { return num(pysock.IfNameToIndex([]byte("lo"))) }},
		{"if_nametoindex('nosuch0')", func() (any, error) { return num(pysock.IfNameToIndex("nosuch0")) }},
		{"if_nametoindex(1)", func() (any, error) { return num(pysock.IfNameToIndex(1)) }},
		{"if_indextoname(1)", func() (any, error) { return str(pysock.IfIndexToName(1)) }},
		{"if_indextoname(0)", func() (any, error) { return str(pysock.IfIndexToName(0)) }},
		{"if_indextoname(9999)", func() (any, error) { return str(pysock.IfIndexToName(9999)) }},
		{"if_indextoname(-1)", func() (any, error) { return str(pysock.IfIndexToName(-1)) }},
		{"if_indextoname('1')", func() (any, error) { return str(pysock.IfIndexToName("1")) }},
		{"if_indextoname(2**32)", func() (any, error) { return str(pysock.IfIndexToName(int64(1) << 32)) }},
		{"if_indextoname(2**31)", func() (any, error) { return str(pysock.IfIndexToName(1 << 31)) }},
		{"if_nameindex() has (1, 'lo')", func() (any, error) {
			ifs, err := pysock.IfNameIndex()
			for _, i := range ifs {
				if i.Index == 1 && i.Name == "lo" {
					return true, err
				}
			}
			return false, err
		}},
		{"close(-1)", func() (any, error) { return nil, pysock.Close(-1) }},
		{"dup(-1)", func() (any, error) { return num(pysock.Dup(-1)) }},
		{"close(2**31)", func() (any, error) { return nil, pysock.Close(1 << 31) }},
		{"dup(2**31)", func() (any, error) { return num(pysock.Dup(1 << 31)) }},
		// A Go string stands for the Python str whose surrogatepass UTF-8
		// it is; other bytes that are not UTF-8 are surrogateescape'd.
		{`getaddrinfo('localhost', '\ud800')`, func() (any, error) { return pysock.GetAddrInfo("localhost", "\xed\xa0\x80") }},
		{`getaddrinfo('localhost', 'a\udcff\udcfe')`, func() (any, error) { return pysock.GetAddrInfo("localhost", "a\xff\xfe") }},
		{`getaddrinfo('\ud800', '80')`, func() (any, error) { return pysock.GetAddrInfo("\xed\xa0\x80", "80") }},
		{`gethostbyname('a\udcffb')`, func() (any, error) { return pysock.GetHostByName("a\xffb") }},
		{`inet_aton('\ud800')`, func() (any, error) { return pysock.InetAton("\xed\xa0\x80") }},
		{`getservbyname('a\udcff')`, func() (any, error) { return num(pysock.GetServByName("a\xff")) }},
		{`getservbyport(80, '\ud800\ud801x')`, func() (any, error) { return str(pysock.GetServByPort(80, "\xed\xa0\x80\xed\xa0\x81x")) }},
		{`getprotobyname('\ud800')`, func() (any, error) { return num(pysock.GetProtoByName("\xed\xa0\x80")) }},
	} {
		t.Show(c.label, c.fn)
	}
	return nil
}
