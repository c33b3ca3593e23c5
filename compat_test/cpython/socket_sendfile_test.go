package cpython

// test_socket.py SendfileUsingSendTest and SendfileUsingSendfileTest.
//
// CPython calls the private Lib/socket.py helpers _sendfile_use_send and
// _sendfile_use_sendfile, the two halves of sendfile(): pysock has the
// public SendFile only (sendfile(2) with CPython's fallback to send), so
// both classes run their scenarios through it.

import (
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"time"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

const (
	sendfileSize = 10 * 1024 * 1024 // FILESIZE
	sendfileBuf  = 8192             // BUFSIZE
)

var sendfileData struct {
	once sync.Once
	path string
	data []byte
	err  error
}

// sendfileFile is setUpClass: a 10 MiB file of random ASCII letters.
// The file lives until TestLedger ends (tearDownClass).
func sendfileFile(t *T) (string, []byte) {
	d := &sendfileData
	d.once.Do(func() {
		letters := "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		chunk := make([]byte, sendfileBuf)
		for i := range chunk {
			chunk[i] = letters[rand.IntN(len(letters))]
		}
		d.data = make([]byte, 0, sendfileSize)
		for len(d.data) < sendfileSize {
			d.data = append(d.data, chunk[:min(len(chunk), sendfileSize-len(d.data))]...)
		}
		dir, err := os.MkdirTemp("", "sendfile")
		if err != nil {
			d.err = err
			return
		}
		suiteCleanups = append(suiteCleanups, func() { os.RemoveAll(dir) }) // tearDownClass
		d.path = filepath.Join(dir, "@test_sendfile")
		d.err = os.WriteFile(d.path, d.data, 0o644)
	})
	ok(t, d.err, "setUpClass")
	return d.path, d.data
}

func tell(t *T, f *os.File) int {
	return int(must(f.Seek(0, io.SeekCurrent))(t, "file.tell()"))
}

func init() {
	for _, class := range []string{"SendfileUsingSendTest", "SendfileUsingSendfileTest"} {
		acceptConn := func(t *T, f *F) *pysock.Socket {
			ok(t, f.Serv.SetTimeout(LONG_TIMEOUT), "serv.settimeout(LONG_TIMEOUT)")
			conn, _, err := f.Serv.Accept()
			ok(t, err, "serv.accept()")
			ok(t, conn.SetTimeout(LOOPBACK_TIMEOUT), "conn.settimeout(TIMEOUT)")
			t.Cleanup(func() { conn.Close() })
			return conn
		}
		recvData := func(t *T, conn *pysock.Socket) []byte {
			var out []byte
			for {
				chunk := must(conn.Recv(sendfileBuf))(t, "conn.recv(BUFSIZE)")
				if len(chunk) == 0 {
					return out
				}
				out = append(out, chunk...)
			}
		}
		// expect is a server half receiving data[lo:hi].
		expect := func(lo, hi int) func(t *T, f *F) {
			return func(t *T, f *F) {
				_, all := sendfileFile(t)
				conn := acceptConn(t, f)
				data := recvData(t, conn)
				eq(t, len(data), hi-lo, "len(data)")
				truth(t, string(data) == string(all[lo:hi]), "data == FILEDATA[lo:hi]")
			}
		}
		// client opens the file and a connection (timeout: args for
		// create_connection) and runs body.
		client := func(timeout []any, body func(t *T, sock *pysock.Socket, file *os.File)) func(t *T, f *F) {
			return func(t *T, f *F) {
				path, _ := sendfileFile(t)
				address := must(f.Serv.GetSockName())(t, "serv.getsockname()")
				file := must(os.Open(path))(t, "open(TESTFN, 'rb')")
				defer file.Close()
				sock := must(pysock.CreateConnection(address, timeout...))(t, "create_connection(address)")
				defer sock.Close()
				body(t, sock, file)
			}
		}
		threadedPorts("test_socket", class, threadedTCPSocketTest, map[string]half{
			"testRegularFile": {expect(0, sendfileSize), client(nil, func(t *T, sock *pysock.Socket, file *os.File) {
				eq(t, must(sock.SendFile(file))(t, "meth(file)"), sendfileSize, "sent")
				eq(t, tell(t, file), sendfileSize, "file.tell()")
			})},
			"testEmptyFileSend": {func(t *T, f *F) {
				conn := acceptConn(t, f)
				eq(t, len(recvData(t, conn)), 0, "data == b''")
			}, func(t *T, f *F) {
				path, _ := sendfileFile(t)
				empty := path + "2"
				ok(t, os.WriteFile(empty, nil, 0o644), "open(filename, 'wb')")
				t.Cleanup(func() { os.Remove(empty) })
				address := must(f.Serv.GetSockName())(t, "serv.getsockname()")
				file := must(os.Open(empty))(t, "open(filename, 'rb')")
				defer file.Close()
				sock := must(pysock.CreateConnection(address))(t, "create_connection(address)")
				defer sock.Close()
				eq(t, must(sock.SendFile(file))(t, "meth(file)"), 0, "sent")
				eq(t, tell(t, file), 0, "file.tell()")
			}},
			"testOffset": {expect(5000, sendfileSize), client(nil, func(t *T, sock *pysock.Socket, file *os.File) {
				eq(t, must(sock.SendFile(file, 5000))(t, "meth(file, offset=5000)"), sendfileSize-5000, "sent")
				eq(t, tell(t, file), sendfileSize, "file.tell()")
			})},
			"testCount": {expect(0, 5000007), client([]any{LOOPBACK_TIMEOUT}, func(t *T, sock *pysock.Socket, file *os.File) {
				eq(t, must(sock.SendFile(file, 0, 5000007))(t, "meth(file, count=count)"), 5000007, "sent")
				eq(t, tell(t, file), 5000007, "file.tell()")
			})},
			"testCountSmall": {expect(0, 1), client([]any{LOOPBACK_TIMEOUT}, func(t *T, sock *pysock.Socket, file *os.File) {
				eq(t, must(sock.SendFile(file, 0, 1))(t, "meth(file, count=1)"), 1, "sent")
				eq(t, tell(t, file), 1, "file.tell()")
			})},
			"testCountWithOffset": {expect(2007, 2007+100007), client([]any{2}, func(t *T, sock *pysock.Socket, file *os.File) {
				eq(t, must(sock.SendFile(file, 2007, 100007))(t, "meth(file, offset=2007, count=count)"), 100007, "sent")
				eq(t, tell(t, file), 100007+2007, "file.tell()")
			})},
			"testNonBlocking": {func(t *T, f *F) {
				conn := acceptConn(t, f)
				if len(must(conn.Recv(8192))(t, "conn.recv(8192)")) > 0 {
					t.Errorf("was not supposed to receive any data")
				}
			}, client(nil, func(t *T, sock *pysock.Socket, file *os.File) {
				ok(t, sock.SetBlocking(false), "sock.setblocking(False)")
				_, err := sock.SendFile(file)
				raises[*pyerr.ValueError](t, err, "meth(file)")
				_, err = sock.SendFile(file)
				raises[*pyerr.ValueError](t, err, "sock.sendfile(file)")
			})},
			"testWithTimeout": {expect(0, sendfileSize), client([]any{LOOPBACK_TIMEOUT}, func(t *T, sock *pysock.Socket, file *os.File) {
				eq(t, must(sock.SendFile(file))(t, "meth(file)"), sendfileSize, "sent")
			})},
			"testWithTimeoutTriggeredSend": {func(t *T, f *F) {
				conn := acceptConn(t, f)
				conn.Recv(88192)
				time.Sleep(time.Second)
			}, client(nil, func(t *T, sock *pysock.Socket, file *os.File) {
				ok(t, sock.SetTimeout(0.01), "sock.settimeout(0.01)")
				_, err := sock.SendFile(file)
				raises[*pyerr.TimeoutError](t, err, "meth(file)")
			})},
			"test_errors": {test: func(t *T, f *F) {
				path, _ := sendfileFile(t)
				file := must(os.Open(path))(t, "open(TESTFN, 'rb')")
				defer file.Close()
				s := newSock(t, -1, pysock.SOCK_DGRAM, -1)
				_, err := s.SendFile(file)
				in(t, "SOCK_STREAM", raises[*pyerr.ValueError](t, err, "meth(file) on SOCK_DGRAM").Error(), "str(cm.exception)")
				s.Close()
				// A text-mode file ("binary mode" ValueError) does not exist
				// in Go: *os.File is bytes.
				s = newSock(t, -1, -1, -1)
				defer s.Close()
				for _, c := range []struct {
					count   any
					typeErr bool
				}{{"2", true}, {0.1, true}, {0, false}, {-1, false}} {
					_, err := s.SendFile(file, 0, c.count)
					var msg string
					if c.typeErr {
						msg = raises[*pyerr.TypeError](t, err, "meth(file, count=…)").Error()
					} else {
						msg = raises[*pyerr.ValueError](t, err, "meth(file, count=…)").Error()
					}
					in(t, "positive integer", msg, "str(cm.exception)")
				}
			}},
		})
		notApplicable("test_socket", class,
			"io.BytesIO as the file (SendFile takes an *os.File) and the private _sendfile_use_sendfile raising _GiveupOnSendfile",
			"testNonRegularFile")
	}
}
