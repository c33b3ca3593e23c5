package pysock

import (
	"errors"
	"math"
	"strings"
	"unicode/utf8"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/internal/pyarg"
)

// idnaEncode is Python's str.encode('idna') for a host name: ASCII names
// pass through after the label-length checks; other labels are lowercased
// and Punycode-encoded (Python's nameprep step is approximated by
// lowercasing). Bytes are taken as is. As in C, a NUL ends the name.
func idnaEncode(v any) (string, error) {
	s, isStr, _ := pyarg.StrOrBytes(v)
	if isStr {
		var err error
		s, err = idnaString(s) // a lone surrogate fails in its label's nameprep
		if err != nil {
			return "", pyerr.NewUnicodeError("encoding with 'idna' codec failed (UnicodeError: " + err.Error() + ")")
		}
	}
	return cString(s), nil
}

// cString is s as a C function reads it: up to its first NUL.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

func idnaString(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		s = idnaDots.Replace(s) // the codec splits labels at these too
	}
	labels := strings.Split(s, ".")
	if ascii {
		for _, l := range labels[:len(labels)-1] {
			if len(l) == 0 || len(l) >= 64 {
				return "", errors.New("label empty or too long")
			}
		}
		if len(labels[len(labels)-1]) >= 64 {
			return "", errors.New("label too long")
		}
		return s, nil
	}
	trailing := labels[len(labels)-1] == ""
	if trailing {
		labels = labels[:len(labels)-1]
	}
	for i, l := range labels {
		if isASCII(l) {
			if len(l) == 0 || len(l) >= 64 {
				return "", errors.New("label empty or too long")
			}
			continue
		}
		enc, err := idnaLabel(l) // nameprep.go
		if err != nil {
			return "", err
		}
		labels[i] = enc
	}
	if trailing {
		labels = append(labels, "")
	}
	return strings.Join(labels, "."), nil
}

// punycode is RFC 3492's encoder.
func punycode(s string) string {
	const base, tmin, tmax, skew, damp = 36, 1, 26, 38, 700
	digit := func(d int) byte {
		if d < 26 {
			return byte('a' + d)
		}
		return byte('0' + d - 26)
	}
	adapt := func(delta, numpoints int, first bool) int {
		if first {
			delta /= damp
		} else {
			delta /= 2
		}
		delta += delta / numpoints
		k := 0
		for delta > ((base-tmin)*tmax)/2 {
			delta /= base - tmin
			k += base
		}
		return k + (base-tmin+1)*delta/(delta+skew)
	}
	runes := []rune(s)
	var out []byte
	for _, r := range runes {
		if r < 0x80 {
			out = append(out, byte(r))
		}
	}
	b := len(out)
	h := b
	if b > 0 {
		out = append(out, '-')
	}
	n, delta, bias := 0x80, 0, 72
	for h < len(runes) {
		m := math.MaxInt32
		for _, r := range runes {
			if int(r) >= n && int(r) < m {
				m = int(r)
			}
		}
		delta += (m - n) * (h + 1)
		n = m
		for _, r := range runes {
			if int(r) < n {
				delta++
			}
			if int(r) == n {
				q := delta
				for k := base; ; k += base {
					t := k - bias
					if t < tmin {
						t = tmin
					} else if t > tmax {
						t = tmax
					}
					if q < t {
						break
					}
					out = append(out, digit(t+(q-t)%(base-t)))
					q = (q - t) / (base - t)
				}
				out = append(out, digit(q))
				bias = adapt(delta, h+1, h == b)
				delta = 0
				h++
			}
		}
		delta++
		n++
	}
	return string(out)
}

// idnaDots are the label separators of Python's idna codec besides '.'.
var idnaDots = strings.NewReplacer("\u3002", ".", "\uff0e", ".", "\uff61", ".")
