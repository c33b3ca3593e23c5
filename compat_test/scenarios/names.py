"""Module functions that need no DNS: getaddrinfo/getnameinfo on
numeric hosts and 'localhost', services and protocols, inet_*, hton*,
CMSG_*, interface lookups of 'lo', and their errors."""
import socket as S

from _transcript import keep_ports, show

keep_ports()


def gai(label, *args, **kw):
    show("getaddrinfo " + label, lambda: S.getaddrinfo(*args, **kw))


gai("('127.0.0.1', 80)", "127.0.0.1", 80)
gai("('localhost', 80, AF_INET, STREAM)", "localhost", 80, S.AF_INET, S.SOCK_STREAM)
gai("('LOCALHOST', 80, AF_INET, STREAM, 0, CANONNAME)", "LOCALHOST", 80, S.AF_INET, S.SOCK_STREAM, 0, S.AI_CANONNAME)
gai("(None, 0, AF_INET, STREAM, 0, PASSIVE)", None, 0, S.AF_INET, S.SOCK_STREAM, 0, S.AI_PASSIVE)
gai("(None, 80)", None, 80)
gai("(None, 80, flags=PASSIVE)", None, 80, flags=S.AI_PASSIVE)
gai("('::1', 'http', AF_INET6, STREAM)", "::1", "http", S.AF_INET6, S.SOCK_STREAM)
gai("('127.0.0.1', None, AF_INET, DGRAM)", "127.0.0.1", None, S.AF_INET, S.SOCK_DGRAM)
gai("('127.0.0.1', b'80', proto=TCP)", "127.0.0.1", b"80", proto=S.IPPROTO_TCP)
gai("(b'127.0.0.1', 80, AF_INET, STREAM)", b"127.0.0.1", 80, S.AF_INET, S.SOCK_STREAM)
gai("('127.0.0.1', 70000, type=STREAM)", "127.0.0.1", 70000, type=S.SOCK_STREAM)
gai("('127.0.0.1', 4294967297, type=STREAM)", "127.0.0.1", 4294967297, type=S.SOCK_STREAM)
gai("('127.0.0.1', -1)", "127.0.0.1", -1)
gai("('127.0.0.1', 'nosuchservice')", "127.0.0.1", "nosuchservice")
gai("('127.0.0.1', 1.5)", "127.0.0.1", 1.5)
gai("('127.0.0.1', True)", "127.0.0.1", True)
gai("(123, 80)", 123, 80)
gai("(None, None)", None, None)
gai("('', 80, AF_INET, STREAM)", "", 80, S.AF_INET, S.SOCK_STREAM)
gai("('localhost', 80, 0, 0, 0, NUMERICHOST)", "localhost", 80, 0, 0, 0, S.AI_NUMERICHOST)
gai("('127.0.0.1', 80, 999)", "127.0.0.1", 80, 999)
gai("('127.0.0.1', 80, AF_UNIX)", "127.0.0.1", 80, S.AF_UNIX)
gai("('x'*300, 80)", "x" * 300, 80)
gai("('a..b', 80)", "a..b", 80)
gai("('::1%lo', 80, AF_INET6, STREAM)", "::1%lo", 80, S.AF_INET6, S.SOCK_STREAM)
gai("('fe80::1%lo', 80, AF_INET6, STREAM)", "fe80::1%lo", 80, S.AF_INET6, S.SOCK_STREAM)
gai("('fe80::1%1', 80, type=STREAM)", "fe80::1%1", 80, type=S.SOCK_STREAM)
gai("('fe80::1%nosuch', 80, type=STREAM)", "fe80::1%nosuch", 80, type=S.SOCK_STREAM)
gai("('127.0.0.1', 80, AF_INET6)", "127.0.0.1", 80, S.AF_INET6)
gai("('127.0.0.1', 80, AF_INET6, flags=V4MAPPED)", "127.0.0.1", 80, S.AF_INET6, flags=S.AI_V4MAPPED)
gai("('::1', 80, AF_INET)", "::1", 80, S.AF_INET)
gai("('::ffff:127.0.0.1', 80, AF_INET)", "::ffff:127.0.0.1", 80, S.AF_INET)
gai("('1', 80, AF_INET, STREAM)", "1", 80, S.AF_INET, S.SOCK_STREAM)
gai("('0x7f.1', 80, AF_INET, STREAM)", "0x7f.1", 80, S.AF_INET, S.SOCK_STREAM)
gai("('127.1', 80, STREAM, CANONNAME)", "127.1", 80, type=S.SOCK_STREAM, flags=S.AI_CANONNAME)
gai("(' 127.0.0.1', 80)", " 127.0.0.1", 80)
gai("('127.0.0.1 ', 80)", "127.0.0.1 ", 80)
gai("('127.0.0.1', '', STREAM)", "127.0.0.1", "", type=S.SOCK_STREAM)
gai("('127.0.0.1', ' 80', STREAM)", "127.0.0.1", " 80", type=S.SOCK_STREAM)
gai("('127.0.0.1', '+80', STREAM)", "127.0.0.1", "+80", type=S.SOCK_STREAM)
gai("('127.0.0.1', 'HTTP', STREAM)", "127.0.0.1", "HTTP", type=S.SOCK_STREAM)
gai("('127.0.0.1', 'http', DGRAM)", "127.0.0.1", "http", type=S.SOCK_DGRAM)
gai("('127.0.0.1', 'domain')", "127.0.0.1", "domain")
gai("('127.0.0.1', 'www', STREAM)", "127.0.0.1", "www", type=S.SOCK_STREAM)
gai("('127.0.0.1', 'http', NUMERICSERV)", "127.0.0.1", "http", flags=S.AI_NUMERICSERV)
gai("('127.0.0.1', 80, proto=UDP)", "127.0.0.1", 80, proto=S.IPPROTO_UDP)
gai("('127.0.0.1', 80, proto=SCTP)", "127.0.0.1", 80, proto=S.IPPROTO_SCTP)
gai("('127.0.0.1', 80, proto=999)", "127.0.0.1", 80, proto=999)
gai("('127.0.0.1', 80, type=999)", "127.0.0.1", 80, type=999)
gai("('127.0.0.1', 80, type=SEQPACKET)", "127.0.0.1", 80, type=S.SOCK_SEQPACKET)
gai("('127.0.0.1', None, type=RAW)", "127.0.0.1", None, type=S.SOCK_RAW)
gai("('127.0.0.1', 0, type=RAW)", "127.0.0.1", 0, type=S.SOCK_RAW)
gai("('127.0.0.1', 80, type=STREAM, proto=UDP)", "127.0.0.1", 80, type=S.SOCK_STREAM, proto=S.IPPROTO_UDP)
gai("('127.0.0.1', 80, flags=0x10000)", "127.0.0.1", 80, flags=0x10000)
gai("(None, 80, flags=CANONNAME)", None, 80, flags=S.AI_CANONNAME)
gai("('127.0.0.1', 80, 2**31)", "127.0.0.1", 80, 2**31)
gai("('127.0.0.1', 2**31, type=STREAM)", "127.0.0.1", 2**31, type=S.SOCK_STREAM)
gai("('127.0.0.1', 2**64+80, type=STREAM)", "127.0.0.1", 2**64 + 80, type=S.SOCK_STREAM)
gai("('127.0.0.1', 80, 0, 0, 0, -2**31-1)", "127.0.0.1", 80, 0, 0, 0, -2**31 - 1)

for args in [(("127.0.0.1", 80), 0), (("127.0.0.1", 80), S.NI_NUMERICHOST | S.NI_NUMERICSERV),
             (("127.0.0.1", 53), S.NI_DGRAM), (("::1", 22, 0, 0), S.NI_NUMERICHOST), (("::1", 80), S.NI_NUMERICHOST),
             (("127.0.0.1", 70000), 0), (("127.0.0.1",), 0), ("x", 0), ((1, 80), 0), (("127.0.0.1", 80), "x"),
             (("127.0.0.1", "x"), 0), (("127.0.0.1", 80, 1, 2), 0), (("::1", 80, 2**20), S.NI_NUMERICHOST),
             (("127.0.0.1", -1), 0), (("localhost", 80), 0), (("127.0.0.1", 80), 0x10000),
             (("fe80::1", 80, 0, 1), S.NI_NUMERICHOST | S.NI_NUMERICSERV), (("127.0.0.1", 80), 2**31)]:
    show("getnameinfo%r" % (args,), lambda: S.getnameinfo(*args))

for label, f in [
    ("gethostbyname('localhost')", lambda: S.gethostbyname("localhost")),
    ("gethostbyname('')", lambda: S.gethostbyname("")),
    ("gethostbyname(b'127.0.0.1')", lambda: S.gethostbyname(b"127.0.0.1")),
    ("gethostbyname('<broadcast>')", lambda: S.gethostbyname("<broadcast>")),
    ("gethostbyname('::1')", lambda: S.gethostbyname("::1")),
    ("gethostbyname(1)", lambda: S.gethostbyname(1)),
    ("gethostbyname('x'*64)", lambda: S.gethostbyname("x" * 64)),
    ("gethostbyname_ex('127.0.0.1')", lambda: S.gethostbyname_ex("127.0.0.1")),
    ("gethostbyname_ex('1')", lambda: S.gethostbyname_ex("1")),
    ("gethostbyname_ex('')", lambda: S.gethostbyname_ex("")),
    ("gethostbyname_ex('localhost')", lambda: S.gethostbyname_ex("localhost")),
    ("gethostbyaddr('127.0.0.1')", lambda: S.gethostbyaddr("127.0.0.1")),
    ("gethostbyaddr('localhost')", lambda: S.gethostbyaddr("localhost")),
    ("gethostbyaddr('')", lambda: S.gethostbyaddr("")),
    ("getfqdn('localhost')", lambda: S.getfqdn("localhost")),
    ("getfqdn(' localhost ')", lambda: S.getfqdn(" localhost ")),
    ("getservbyname('http')", lambda: S.getservbyname("http")),
    ("getservbyname('domain', 'udp')", lambda: S.getservbyname("domain", "udp")),
    ("getservbyname('http', 'udp')", lambda: S.getservbyname("http", "udp")),
    ("getservbyname('nosuch')", lambda: S.getservbyname("nosuch")),
    ("getservbyname('HTTP')", lambda: S.getservbyname("HTTP")),
    ("getservbyname(b'http')", lambda: S.getservbyname(b"http")),
    ("getservbyport(80)", lambda: S.getservbyport(80)),
    ("getservbyport(53, 'udp')", lambda: S.getservbyport(53, "udp")),
    ("getservbyport(80, 'udp')", lambda: S.getservbyport(80, "udp")),
    ("getservbyport(70000)", lambda: S.getservbyport(70000)),
    ("getservbyport(-1)", lambda: S.getservbyport(-1)),
    ("getservbyport('80')", lambda: S.getservbyport("80")),
    ("getservbyport(2**31)", lambda: S.getservbyport(2**31)),
    ("getprotobyname('tcp')", lambda: S.getprotobyname("tcp")),
    ("getprotobyname('UDP')", lambda: S.getprotobyname("UDP")),
    ("getprotobyname('nosuch')", lambda: S.getprotobyname("nosuch")),
    ("getprotobyname(b'tcp')", lambda: S.getprotobyname(b"tcp")),
]:
    show(label, f)

for label, f in [
    ("inet_aton('127.0.0.1')", lambda: S.inet_aton("127.0.0.1")),
    ("inet_aton('1')", lambda: S.inet_aton("1")),
    ("inet_aton('1.2')", lambda: S.inet_aton("1.2")),
    ("inet_aton('0x7f.1')", lambda: S.inet_aton("0x7f.1")),
    ("inet_aton('4294967295')", lambda: S.inet_aton("4294967295")),
    ("inet_aton('1.2.3.4 x')", lambda: S.inet_aton("1.2.3.4 x")),
    ("inet_aton('256.0.0.1')", lambda: S.inet_aton("256.0.0.1")),
    ("inet_aton('')", lambda: S.inet_aton("")),
    ("inet_aton(' 1.2.3.4')", lambda: S.inet_aton(" 1.2.3.4")),
    ("inet_aton('09')", lambda: S.inet_aton("09")),
    ("inet_aton('1.2.3.')", lambda: S.inet_aton("1.2.3.")),
    ("inet_aton(b'1.2.3.4')", lambda: S.inet_aton(b"1.2.3.4")),
    ("inet_aton('1.2.3.4\\x00')", lambda: S.inet_aton("1.2.3.4\x00")),
    ("inet_ntoa(b'\\x7f\\x00\\x00\\x01')", lambda: S.inet_ntoa(b"\x7f\x00\x00\x01")),
    ("inet_ntoa(b'\\x01')", lambda: S.inet_ntoa(b"\x01")),
    ("inet_ntoa('abcd')", lambda: S.inet_ntoa("abcd")),
    ("inet_pton(AF_INET, '1.2.3.4')", lambda: S.inet_pton(S.AF_INET, "1.2.3.4")),
    ("inet_pton(AF_INET6, '::1')", lambda: S.inet_pton(S.AF_INET6, "::1")),
    ("inet_pton(AF_INET6, '::ffff:1.2.3.4')", lambda: S.inet_pton(S.AF_INET6, "::ffff:1.2.3.4")),
    ("inet_pton(AF_INET, '1.2')", lambda: S.inet_pton(S.AF_INET, "1.2")),
    ("inet_pton(AF_INET, '1.2.3.04')", lambda: S.inet_pton(S.AF_INET, "1.2.3.04")),
    ("inet_pton(AF_INET6, 'zz')", lambda: S.inet_pton(S.AF_INET6, "zz")),
    ("inet_pton(AF_INET6, '::1%lo')", lambda: S.inet_pton(S.AF_INET6, "::1%lo")),
    ("inet_pton(AF_UNIX, 'x')", lambda: S.inet_pton(S.AF_UNIX, "x")),
    ("inet_pton(AF_INET, b'1.2.3.4')", lambda: S.inet_pton(S.AF_INET, b"1.2.3.4")),
    ("inet_ntop(AF_INET6, ::1)", lambda: S.inet_ntop(S.AF_INET6, b"\x00" * 15 + b"\x01")),
    ("inet_ntop(AF_INET6, v4-mapped)", lambda: S.inet_ntop(S.AF_INET6, b"\x00" * 10 + b"\xff\xff\x7f\x00\x00\x01")),
    ("inet_ntop(AF_INET6, ::1.2.3.4)", lambda: S.inet_ntop(S.AF_INET6, b"\x00" * 12 + b"\x01\x02\x03\x04")),
    ("inet_ntop(AF_INET6, 2001:db8::1)", lambda: S.inet_ntop(S.AF_INET6, bytes.fromhex("20010db8000000000000000000000001"))),
    ("inet_ntop(AF_INET, b'123')", lambda: S.inet_ntop(S.AF_INET, b"123")),
    ("inet_ntop(AF_INET6, b'1')", lambda: S.inet_ntop(S.AF_INET6, b"1")),
    ("inet_ntop(AF_UNIX, b'1234')", lambda: S.inet_ntop(S.AF_UNIX, b"1234")),
    ("inet_ntop(AF_INET, 'abcd')", lambda: S.inet_ntop(S.AF_INET, "abcd")),
    ("htons(1)", lambda: S.htons(1)),
    ("ntohs(256)", lambda: S.ntohs(256)),
    ("htonl(1)", lambda: S.htonl(1)),
    ("ntohl(1)", lambda: S.ntohl(1)),
    ("htons(-1)", lambda: S.htons(-1)),
    ("htons(65536)", lambda: S.htons(65536)),
    ("htons(2**31)", lambda: S.htons(2**31)),
    ("ntohs(-1)", lambda: S.ntohs(-1)),
    ("htons(1.5)", lambda: S.htons(1.5)),
    ("htons('1')", lambda: S.htons("1")),
    ("htons(True)", lambda: S.htons(True)),
    ("htons(AF_INET)", lambda: S.htons(S.AF_INET)),
    ("htonl(SOCK_DGRAM)", lambda: S.htonl(S.SOCK_DGRAM)),
    ("htonl(-1)", lambda: S.htonl(-1)),
    ("htonl(2**32)", lambda: S.htonl(2**32)),
    ("htonl(2**64)", lambda: S.htonl(2**64)),
    ("htonl(1.5)", lambda: S.htonl(1.5)),
    ("htonl(True)", lambda: S.htonl(True)),
    ("CMSG_LEN(4)", lambda: S.CMSG_LEN(4)),
    ("CMSG_SPACE(4)", lambda: S.CMSG_SPACE(4)),
    ("CMSG_SPACE(8)", lambda: S.CMSG_SPACE(8)),
    ("CMSG_LEN(0)", lambda: S.CMSG_LEN(0)),
    ("CMSG_SPACE(0)", lambda: S.CMSG_SPACE(0)),
    ("CMSG_LEN(-1)", lambda: S.CMSG_LEN(-1)),
    ("CMSG_LEN(2147483631)", lambda: S.CMSG_LEN(2147483631)),
    ("CMSG_LEN(2147483632)", lambda: S.CMSG_LEN(2147483632)),
    ("CMSG_SPACE(2147483623)", lambda: S.CMSG_SPACE(2147483623)),
    ("CMSG_SPACE(2147483624)", lambda: S.CMSG_SPACE(2147483624)),
    ("CMSG_LEN(2**64)", lambda: S.CMSG_LEN(2**64)),
    ("CMSG_LEN(2**62)", lambda: S.CMSG_LEN(2**62)),
    ("CMSG_LEN('x')", lambda: S.CMSG_LEN("x")),
    ("if_nametoindex('lo')", lambda: S.if_nametoindex("lo")),
    ("if_nametoindex(b'lo')", lambda: S.if_nametoindex(b"lo")),
    ("if_nametoindex('nosuch0')", lambda: S.if_nametoindex("nosuch0")),
    ("if_nametoindex(1)", lambda: S.if_nametoindex(1)),
    ("if_indextoname(1)", lambda: S.if_indextoname(1)),
    ("if_indextoname(0)", lambda: S.if_indextoname(0)),
    ("if_indextoname(9999)", lambda: S.if_indextoname(9999)),
    ("if_indextoname(-1)", lambda: S.if_indextoname(-1)),
    ("if_indextoname('1')", lambda: S.if_indextoname("1")),
    ("if_indextoname(2**32)", lambda: S.if_indextoname(2**32)),
    ("if_indextoname(2**31)", lambda: S.if_indextoname(2**31)),
    ("if_nameindex() has (1, 'lo')", lambda: (1, "lo") in S.if_nameindex()),
    ("close(-1)", lambda: S.close(-1)),
    ("dup(-1)", lambda: S.dup(-1)),
    ("close(2**31)", lambda: S.close(2**31)),
    ("dup(2**31)", lambda: S.dup(2**31)),
    # Lone surrogates: str arguments UTF-8 cannot encode.
    ("getaddrinfo('localhost', '\\ud800')", lambda: S.getaddrinfo("localhost", "\ud800")),
    ("getaddrinfo('localhost', 'a\\udcff\\udcfe')", lambda: S.getaddrinfo("localhost", "a\udcff\udcfe")),
    ("getaddrinfo('\\ud800', '80')", lambda: S.getaddrinfo("\ud800", "80")),
    ("gethostbyname('a\\udcffb')", lambda: S.gethostbyname("a\udcffb")),
    ("inet_aton('\\ud800')", lambda: S.inet_aton("\ud800")),
    ("getservbyname('a\\udcff')", lambda: S.getservbyname("a\udcff")),
    ("getservbyport(80, '\\ud800\\ud801x')", lambda: S.getservbyport(80, "\ud800\ud801x")),
    ("getprotobyname('\\ud800')", lambda: S.getprotobyname("\ud800")),
]:
    show(label, f)
