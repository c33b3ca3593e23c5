package pysock_test

// Outside review of 2ac2002 (glibc and CPython argument formats of the
// name functions) and b463c5b (nameprep for non-ASCII host names). Each
// row's expectation is computed at test time by CPython 3.11 (cpython in
// pyarg_regress_test.go) and every Go call runs under reviewRun's
// watchdog. Names are numeric-only (AI_NUMERICHOST) or under '.invalid',
// so no row waits on an outside DNS server.

import (
	"strings"
	"testing"

	"github.com/pysock/pysock/pysock"
)

// surrogate is how pysock carries the lone surrogate '\udc80' in a str.
const surrogate = "\xed\xb2\x80"

func numericHost(h string) func() (any, error) {
	return rvGetAddrInfo(h, 80, pysock.AF_INET, 1, 0, pysock.AI_NUMERICHOST)
}

//	>>> socket.getaddrinfo('\ue000\udc80', 80, socket.AF_INET, 1, 0, socket.AI_NUMERICHOST)
//	UnicodeError: encoding with 'idna' codec failed (UnicodeError: Invalid character '\ue000')
//	>>> socket.getaddrinfo('\u05d0a.\udc80', 80, socket.AF_INET, 1, 0, socket.AI_NUMERICHOST)
//	UnicodeError: encoding with 'idna' codec failed (UnicodeError: Violation of BIDI requirement 2)
//	>>> socket.getaddrinfo('x'*64+'.\udc80', 80, socket.AF_INET, 1, 0, socket.AI_NUMERICHOST)
//	UnicodeError: encoding with 'idna' codec failed (UnicodeError: label empty or too long)
//	>>> socket.gethostbyname_ex('\ue000\udc80')
//	UnicodeError: encoding with 'idna' codec failed (UnicodeError: Invalid character '\ue000')
//
// The codec meets a lone surrogate only in nameprep's prohibited-character
// pass over its own label (C.5), after the labels before it and the
// characters before it in the label: an earlier error wins. idnaEncode
// checked the whole name for a surrogate before anything else.
func TestIdnaSurrogateIsNotFirst(t *testing.T) {
	reviewRun(t, []reviewRow{
		{"socket.getaddrinfo('\\ue000\\udc80', 80, socket.AF_INET, 1, 0, socket.AI_NUMERICHOST)", numericHost("\ue000" + surrogate)},
		{"socket.getaddrinfo('\\u05d0a.\\udc80', 80, socket.AF_INET, 1, 0, socket.AI_NUMERICHOST)", numericHost("\u05d0a." + surrogate)},
		{"socket.getaddrinfo('x'*64+'.\\udc80', 80, socket.AF_INET, 1, 0, socket.AI_NUMERICHOST)", numericHost(strings.Repeat("x", 64) + "." + surrogate)},
		{"socket.gethostbyname_ex('\\ue000\\udc80')", func() (any, error) { return rvHostEnt(pysock.GetHostByNameEx("\ue000" + surrogate)) }},
	})
}

//	>>> import unicodedata; unicodedata.ucd_3_2_0.normalize('NFC', '\u1b05\u1b35')
//	'\u1b06'
//	>>> ('\u1b05\u1b35'*28).encode('idna')            # 34 bytes; uncomposed it would be 65
//	b'xn--9sfaaaaaaaaaaaaaaaaaaaaaaaaaaa'
//	>>> socket.getaddrinfo('\u1b05\u1b35'*28, 80, socket.AF_INET, 1, 0, socket.AI_NUMERICHOST)
//	socket.gaierror: [Errno -2] Name or service not known
//	>>> s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('\u1b05\u1b35'*28+'.invalid', 0))
//	socket.gaierror: [Errno -2] Name or service not known
//	>>> socket.create_connection(('\u1b05\u1b35'*28+'.invalid', 80), timeout=2)
//	socket.gaierror: [Errno -2] Name or service not known
//
// CPython's ucd_3_2_0.normalize decomposes with Unicode 3.2's data (a
// character unassigned in 3.2 has no decomposition) but composes with the
// current pair table, so U+1B05 U+1B35 (Balinese, Unicode 5.0) becomes
// U+1B06. gen_nameprep.py builds nfcPairs from ucd_3_2_0.decomposition,
// which is empty for U+1B06 (24 such pairs): pysock leaves the pair apart
// and the Punycode label grows past 63 bytes. The same label reaches every
// str-host entry point.
func TestNameprepComposesWithCurrentPairs(t *testing.T) {
	c := strings.Repeat("\u1b05\u1b35", 28) + ".invalid"
	dgram := func(call func(s *pysock.Socket) (any, error)) func() (any, error) {
		return func() (any, error) {
			s, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, 0)
			if err != nil {
				return nil, err
			}
			defer s.Close()
			return call(s)
		}
	}
	reviewRun(t, []reviewRow{
		{"socket.getaddrinfo('\\u1b05\\u1b35'*28, 80, socket.AF_INET, 1, 0, socket.AI_NUMERICHOST)", numericHost(strings.Repeat("\u1b05\u1b35", 28))},
		{"socket.gethostbyname('\\u1b05\\u1b35'*28+'.invalid')", func() (any, error) { return rvStr(pysock.GetHostByName(c)) }},
		{"socket.gethostbyaddr('\\u1b05\\u1b35'*28+'.invalid')", func() (any, error) { return rvHostEnt(pysock.GetHostByAddr(c)) }},
		{"s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(('\\u1b05\\u1b35'*28+'.invalid', 0))",
			dgram(func(s *pysock.Socket) (any, error) { return nil, s.Bind(pysock.Tuple{c, 0}) })},
		{"s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.sendto(b'x', ('\\u1b05\\u1b35'*28+'.invalid', 9))",
			dgram(func(s *pysock.Socket) (any, error) { return s.SendTo([]byte("x"), pysock.Tuple{c, 9}) })},
		{"socket.create_connection(('\\u1b05\\u1b35'*28+'.invalid', 80), timeout=2)", func() (any, error) {
			s, err := pysock.CreateConnection(pysock.Tuple{c, 80}, 2.0)
			if s != nil {
				s.Close()
			}
			return nil, err
		}},
	})
}

//	>>> unicodedata.ucd_3_2_0.combining('\u1dc0'), unicodedata.combining('\u1dc0')
//	(0, 230)
//	>>> unicodedata.ucd_3_2_0.normalize('NFKC', 'e\u1dc0\u0327')      # reordered, then e+U+0327 composed
//	'ȩ᷀'
//	>>> ('e\u1dc0\u0327'*18).encode('idna')                            # 47 bytes; unordered it would be 66
//	b'xn--fmaaaaaaaaaaaaaaaaaa4925kbabbbbbbbbbbbbbbbb'
//	>>> socket.getaddrinfo('e\u1dc0\u0327'*18, 80, socket.AF_INET, 1, 0, socket.AI_NUMERICHOST)
//	socket.gaierror: [Errno -2] Name or service not known
//
// CPython's normalization orders and blocks marks with the current
// combining classes (_getrecord_ex(c)->combining); ucd_3_2_0.combining,
// which gen_nameprep.py writes into cccTable, answers 0 for the 585 marks
// unassigned in Unicode 3.2. pysock takes U+1DC0 for a starter: no
// reordering, no composition, a label over 63 bytes.
func TestNameprepCurrentCombiningClass(t *testing.T) {
	reviewRun(t, []reviewRow{
		{"socket.getaddrinfo('e\\u1dc0\\u0327'*18, 80, socket.AF_INET, 1, 0, socket.AI_NUMERICHOST)", numericHost(strings.Repeat("e\u1dc0\u0327", 18))},
		{"socket.gethostbyname_ex('e\\u1dc0\\u0327'*18+'.invalid')", func() (any, error) {
			return rvHostEnt(pysock.GetHostByNameEx(strings.Repeat("e\u1dc0\u0327", 18) + ".invalid"))
		}},
	})
}
