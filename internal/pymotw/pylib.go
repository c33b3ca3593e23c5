package pymotw

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/pysock/pysock/pysock"
)

// logModule is the logging module as socketserver_echo.py configures it,
// logging.basicConfig(level=logging.DEBUG, format='%(name)s: %(message)s'),
// with the handler writing each record to out instead of stderr. Like
// Python's handler it holds a lock while it writes, so loggers used from
// several goroutines write whole lines one at a time.
type logModule struct {
	mu  sync.Mutex
	out func(string)
}

// basicConfig is that logging.basicConfig call; its loggers write to out.
func basicConfig(out func(string)) *logModule { return &logModule{out: out} }

// getLogger is logging.getLogger(name).
func (l *logModule) getLogger(name string) *logger { return &logger{name: name, logging: l} }

// logger is a logging.Logger at level DEBUG.
type logger struct {
	name    string
	logging *logModule
}

// debug is logger.debug(msg, *args): the record is msg % args (Go verbs:
// Python's %s of bytes, which is their repr, is %s of r(b(data))).
func (lg *logger) debug(msg string, args ...any) { lg.log(msg, args...) }

// info is logger.info(msg, *args).
func (lg *logger) info(msg string, args ...any) { lg.log(msg, args...) }

func (lg *logger) log(msg string, args ...any) {
	if len(args) > 0 { // logging formats msg only when there are args
		msg = fmt.Sprintf(msg, args...)
	}
	lg.logging.mu.Lock()
	defer lg.logging.mu.Unlock()
	lg.logging.out(lg.name + ": " + msg) // '%(name)s: %(message)s'
}

// threadCounter numbers threads as Python's threading names the ones it
// is not given a name for (Thread-1, Thread-2, ...).
var threadCounter atomic.Int64

// newThreadName is the name threading gives a thread running target since
// Python 3.10: "Thread-N (target)".
func newThreadName(target string) string {
	return fmt.Sprintf("Thread-%d (%s)", threadCounter.Add(1), target)
}

// pyThread is a threading.Thread: a goroutine running target, with the
// name Python would give it and the error target returned (what Python's
// threading.excepthook would print) for join.
type pyThread struct {
	name string
	done chan struct{}
	err  error
}

// startThread is threading.Thread(target=run) (named after target, the
// function's __name__) followed by start().
func startThread(target string, run func() error) *pyThread {
	t := &pyThread{name: newThreadName(target), done: make(chan struct{})}
	go func() {
		defer close(t.done)
		t.err = run()
	}()
	return t
}

// getName is t.getName().
func (t *pyThread) getName() string { return t.name }

// join is t.join(), returning the error target returned.
func (t *pyThread) join() error {
	<-t.done
	return t.err
}

// ipPort is `ip, port = server.server_address` for an AF_INET server.
func ipPort(serverAddress any) (string, int, error) {
	a, ok := serverAddress.(pysock.InetAddr)
	if !ok {
		return "", 0, fmt.Errorf("server_address %v is not an AF_INET address", serverAddress)
	}
	return a.Host, a.Port, nil
}
