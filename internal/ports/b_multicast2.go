package ports

import (
	"sync"
	"time"

	"github.com/pysock/pysock/internal/pymotw"
	"github.com/pysock/pysock/pysock"
)

func init() { All["b_multicast2"] = BMulticast2 }

// BMulticast2 is the twin of scenarios/b_multicast2.py (B2).
func BMulticast2(t *Transcript) error {
	const group = "224.3.29.71"
	probe, err := pysock.NewSocket(pysock.AF_INET, pysock.SOCK_DGRAM, -1)
	if err != nil {
		return err
	}
	probe.Bind(pysock.Tuple{"", 0})
	a, _ := probe.GetSockName()
	probe.Close()
	port := a.(pysock.InetAddr).Port
	ready := make(chan int, 2)
	outs := make([][]string, 2)
	errs := make([]error, 2)
	var wg sync.WaitGroup
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = pymotw.MulticastReceiver(func(s string) { outs[i] = append(outs[i], s) }, group, port,
				func(p int) { ready <- p }, 1)
			if errs[i] != nil {
				ready <- -1
			}
		}()
	}
	for range outs {
		<-ready
	}
	var sender []string
	if err := pymotw.MulticastSender(func(s string) { sender = append(sender, s) }, group, port, 0.5); err != nil {
		return err
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second): // as the scenario's join(10)
		t.Out("receiver ! did not finish")
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	t.printLines("sender", sender)
	for _, o := range outs {
		t.printLines("receiver", o)
	}
	return nil
}
