package ports

import (
	"math/big"
	"os"

	"github.com/pysock/pysock/pysock"
)

func init() { All["sendfile"] = SendFile }

// SendFile is the twin of scenarios/sendfile.py.
func SendFile(t *Transcript) error {
	a, b, err := pysock.SocketPair(-1, -1, -1)
	if err != nil {
		return err
	}
	defer b.Close()
	f, err := os.CreateTemp("", "pysock-sendfile")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	var content []byte
	for range 4 {
		for i := range 256 {
			content = append(content, byte(i))
		}
	}
	f.Write(content)
	tell := func() (any, error) {
		n, err := f.Seek(0, 1)
		return int(n), err
	}
	t.Show("sendfile(f)", func() (any, error) { return a.SendFile(f) })
	t.Show("received", func() (any, error) {
		d, err := b.Recv(2000)
		return len(d), err
	})
	t.Show("tell", tell)
	t.Show("sendfile(f, 5, 10)", func() (any, error) { return a.SendFile(f, 5, 10) })
	t.Show("received", func() (any, error) { return bytesOf(b.Recv(100)) })
	t.Show("tell", tell)
	t.Show("count 0", func() (any, error) { return a.SendFile(f, 0, 0) })
	t.Show("count -1", func() (any, error) { return a.SendFile(f, 0, -1) })
	t.Show("count 'x'", func() (any, error) { return a.SendFile(f, 0, "x") })
	t.Show("count True", func() (any, error) { return a.SendFile(f, 0, true) })
	t.Show("received", func() (any, error) { return bytesOf(b.Recv(10)) })
	t.Show("sendfile(f, 1020, 100)", func() (any, error) { return a.SendFile(f, 1020, 100) })
	t.Show("received", func() (any, error) { return bytesOf(b.Recv(100)) })
	t.Show("offset past end", func() (any, error) { return a.SendFile(f, 5000) })
	t.Show("offset 'x'", func() (any, error) { return a.SendFile(f, "x") })
	two63 := new(big.Int).Lsh(big.NewInt(1), 63)
	t.Show("offset -1", func() (any, error) { return a.SendFile(f, -1) })
	t.Show("offset 2**63", func() (any, error) { return a.SendFile(f, two63) })
	t.Show("offset 1.5", func() (any, error) { return a.SendFile(f, 1.5) })
	t.Show("count 2**63", func() (any, error) { return a.SendFile(f, 0, two63) })
	t.Show("count 1.5", func() (any, error) { return a.SendFile(f, 0, 1.5) })
	e, err := os.CreateTemp("", "pysock-sendfile-empty")
	if err != nil {
		return err
	}
	defer os.Remove(e.Name())
	defer e.Close()
	t.Show("empty file", func() (any, error) { return a.SendFile(e) })
	pr, pw, err := os.Pipe()
	if err != nil {
		return err
	}
	pw.Write([]byte("pipedata"))
	pw.Close()
	t.Show("pipe (size 0)", func() (any, error) { return a.SendFile(pr) })
	pr.Close()
	u, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, -1)
	if err != nil {
		return err
	}
	t.Show("UDP socket", func() (any, error) { return u.SendFile(f) })
	u.Close()
	a.SetBlocking(false)
	t.Show("non-blocking", func() (any, error) { return a.SendFile(f) })
	t.Show("non-blocking empty file", func() (any, error) { return a.SendFile(e) })
	a.SetTimeout(2)
	t.Show("timeout mode", func() (any, error) { return a.SendFile(f, 1000) })
	t.Show("received", func() (any, error) { return bytesOf(b.Recv(100)) })
	t.Show("tell", tell)
	a.Close()
	t.Show("closed socket", func() (any, error) { return a.SendFile(f) })
	return nil
}
