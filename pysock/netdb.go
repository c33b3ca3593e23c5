package pysock

import (
	"bufio"
	"net/netip"
	"os"
	"strconv"
	"strings"
)

// The name databases glibc's "files" NSS backend reads. pysock reads them
// the same way, in pure Go, on every call (as glibc does), so results match
// CPython's on the same machine. They are variables so tests can point them
// at fixtures.
var (
	hostsPath     = "/etc/hosts"
	servicesPath  = "/etc/services"
	protocolsPath = "/etc/protocols"
)

// dbLines calls fn with the fields of every non-comment line of path.
func dbLines(path string, fn func(fields []string) bool) {
	f, err := os.Open(path)
	if err != nil {
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) > 0 && !fn(fields) {
			return
		}
	}
}

// hostEntry is one line of /etc/hosts.
type hostEntry struct {
	addr  netip.Addr
	names []string // canonical name first, then aliases
}

// hostsByName returns the /etc/hosts lines naming name (case-insensitive),
// in file order.
func hostsByName(name string) []hostEntry {
	var out []hostEntry
	dbLines(hostsPath, func(f []string) bool {
		if len(f) < 2 {
			return true
		}
		addr, err := netip.ParseAddr(f[0])
		if err != nil {
			return true
		}
		for _, n := range f[1:] {
			if strings.EqualFold(n, name) {
				out = append(out, hostEntry{addr: addr, names: f[1:]})
				break
			}
		}
		return true
	})
	return out
}

// hostByAddr returns the first /etc/hosts line for addr.
func hostByAddr(addr netip.Addr) (hostEntry, bool) {
	var out hostEntry
	found := false
	dbLines(hostsPath, func(f []string) bool {
		if len(f) < 2 {
			return true
		}
		a, err := netip.ParseAddr(f[0])
		if err == nil && a.WithZone("") == addr.WithZone("") {
			out, found = hostEntry{addr: a, names: f[1:]}, true
			return false
		}
		return true
	})
	return out, found
}

// service is one line of /etc/services.
type service struct {
	name  string
	port  int
	proto string
}

// serviceByName is getservbyname(3): name or an alias, and proto ("" any).
func serviceByName(name, proto string) (service, bool) {
	var out service
	found := false
	dbLines(servicesPath, func(f []string) bool {
		if len(f) < 2 {
			return true
		}
		portStr, p, ok := strings.Cut(f[1], "/")
		port, err := strconv.Atoi(portStr)
		if !ok || err != nil || (proto != "" && p != proto) {
			return true
		}
		for _, n := range append([]string{f[0]}, f[2:]...) {
			if n == name {
				out, found = service{name: f[0], port: port, proto: p}, true
				return false
			}
		}
		return true
	})
	return out, found
}

// serviceByPort is getservbyport(3).
func serviceByPort(port int, proto string) (service, bool) {
	var out service
	found := false
	dbLines(servicesPath, func(f []string) bool {
		if len(f) < 2 {
			return true
		}
		portStr, p, ok := strings.Cut(f[1], "/")
		n, err := strconv.Atoi(portStr)
		if ok && err == nil && n == port && (proto == "" || p == proto) {
			out, found = service{name: f[0], port: n, proto: p}, true
			return false
		}
		return true
	})
	return out, found
}

// protocolByName is getprotobyname(3): name or an alias.
func protocolByName(name string) (int, bool) {
	num, found := 0, false
	dbLines(protocolsPath, func(f []string) bool {
		if len(f) < 2 {
			return true
		}
		for _, n := range append([]string{f[0]}, f[2:]...) {
			if n == name {
				if v, err := strconv.Atoi(f[1]); err == nil {
					num, found = v, true
					return false
				}
			}
		}
		return true
	})
	return num, found
}
