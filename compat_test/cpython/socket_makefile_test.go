package cpython

// test_socket.py FileObjectClassTestCase and its subclasses
// (Unbuffered, LineBuffered, SmallBuffered, UnicodeRead, UnicodeWrite,
// UnicodeReadWrite): socket.makefile().

import (
	"fmt"
	"time"
	"unicode/utf8"

	pyerr "github.com/pysock/pysock/errors"
	"github.com/pysock/pysock/pysock"
)

// fileClass is a FileObjectClassTestCase's class attributes.
type fileClass struct {
	name                string
	bufsize             int
	newline             any // nil is None
	readMode, writeMode string
	readText, writeText bool // the msg is str (text mode)
}

var fileClasses = []fileClass{
	{name: "FileObjectClassTestCase", bufsize: -1, readMode: "rb", writeMode: "wb"},
	{name: "UnbufferedFileObjectClassTestCase", bufsize: 0, readMode: "rb", writeMode: "wb"},
	{name: "LineBufferedFileObjectClassTestCase", bufsize: 1, readMode: "rb", writeMode: "wb"},
	{name: "SmallBufferedFileObjectClassTestCase", bufsize: 2, readMode: "rb", writeMode: "wb"},
	{name: "UnicodeReadFileObjectClassTestCase", bufsize: -1, newline: "", readMode: "r", writeMode: "wb", readText: true},
	{name: "UnicodeWriteFileObjectClassTestCase", bufsize: -1, newline: "", readMode: "rb", writeMode: "w", writeText: true},
	{name: "UnicodeReadWriteFileObjectClassTestCase", bufsize: -1, newline: "", readMode: "r", writeMode: "w", readText: true, writeText: true},
}

func (fc fileClass) opts() pysock.MakeFileOptions {
	return pysock.MakeFileOptions{Buffering: fc.bufsize, Encoding: "utf-8", Errors: "strict", Newline: fc.newline}
}

// fixture is FileObjectClassTestCase's setUp/tearDown/clientSetUp/clientTearDown.
func (fc fileClass) fixture() class {
	return class{
		setUp: func(f *F) {
			f.evt1, f.evt2, f.servFinished, f.cliFinished = newEvent(), newEvent(), newEvent(), newEvent()
			socketConnectedTest.setUp(f)
			f.ReadFile = must(f.CliConn.MakeFile(fc.readMode, fc.opts()))(f.t, "cli_conn.makefile(read_mode, bufsize, …)")
		},
		tearDown: func(f *F) {
			f.servFinished.set()
			f.ReadFile.Close()
			truth(f.t, f.ReadFile.Closed(), "read_file.closed")
			socketConnectedTest.tearDown(f)
		},
		clientSetUp: func(f *F) {
			socketConnectedTest.clientSetUp(f)
			f.WriteFile = must(f.ServConn.MakeFile(fc.writeMode, fc.opts()))(f.t, "serv_conn.makefile(write_mode, bufsize, …)")
		},
		clientTearDown: func(f *F) {
			f.cliFinished.set()
			if f.WriteFile != nil {
				f.WriteFile.Close()
				truth(f.t, f.WriteFile.Closed(), "write_file.closed")
			}
			socketConnectedTest.clientTearDown(f)
		},
	}
}

// msgLen is len(read_msg): characters for str, bytes for bytes.
func (fc fileClass) msgLen() int {
	if fc.readText {
		return utf8.RuneCount(MSG)
	}
	return len(MSG)
}

// read is read_file.read(n) (n < 0: read()); the result as a string, and
// whether it was None.
func (fc fileClass) read(t *T, f *F, n int) (string, bool) {
	t.Helper()
	if fc.readText {
		s, err := f.ReadFile.ReadText(n)
		ok(t, err, "read_file.read()")
		return s, false
	}
	b, err := f.ReadFile.ReadN(n)
	ok(t, err, "read_file.read()")
	return string(b), b == nil
}

func (fc fileClass) write(t *T, f *F, prefix string) {
	t.Helper()
	if fc.writeText {
		must(f.WriteFile.WriteText(prefix+string(MSG)))(t, "write_file.write(write_msg)")
		return
	}
	must(f.WriteFile.Write(append([]byte(prefix), MSG...)))(t, "write_file.write(write_msg)")
}

func (fc fileClass) writeFlush(t *T, f *F) {
	fc.write(t, f, "")
	ok(t, f.WriteFile.Flush(), "write_file.flush()")
}

func (fc fileClass) tests() map[string]half {
	wf := func(t *T, f *F) { fc.writeFlush(t, f) }
	return map[string]half{
		"testReadAfterTimeout": {func(t *T, f *F) {
			ok(t, f.CliConn.SetTimeout(1), "cli_conn.settimeout(1)")
			fc.read(t, f, 3)
			var err error
			if fc.readText {
				_, err = f.ReadFile.ReadText(1)
			} else {
				_, err = f.ReadFile.ReadN(1)
			}
			raises[*pyerr.TimeoutError](t, err, "read_file.read(1)")
			if fc.readText {
				_, err = f.ReadFile.ReadText(1)
			} else {
				_, err = f.ReadFile.ReadN(1)
			}
			oe := raises[*pyerr.OSError](t, err, "read_file.read(1) again")
			if oe != nil {
				in(t, "cannot read from timed out object", oe.Error(), "str(ctx.exception)")
			}
		}, func(t *T, f *F) {
			if fc.writeText {
				must(f.WriteFile.WriteText(string(MSG[:3])))(t, "write_file.write(write_msg[0:3])")
			} else {
				must(f.WriteFile.Write(MSG[:3]))(t, "write_file.write(write_msg[0:3])")
			}
			ok(t, f.WriteFile.Flush(), "write_file.flush()")
			f.servFinished.wait(handshakeTimeout)
		}},
		"testSmallRead": {func(t *T, f *F) {
			first, _ := fc.read(t, f, fc.msgLen()-3)
			second, _ := fc.read(t, f, 3)
			eq(t, first+second, string(MSG), "msg")
		}, wf},
		"testFullRead": {func(t *T, f *F) {
			msg, _ := fc.read(t, f, -1)
			eq(t, msg, string(MSG), "msg")
		}, func(t *T, f *F) {
			fc.write(t, f, "")
			ok(t, f.WriteFile.Close(), "write_file.close()")
		}},
		"testUnbufferedRead": {func(t *T, f *F) {
			buf := ""
			for {
				c, _ := fc.read(t, f, 1)
				if c == "" {
					break
				}
				buf += c
			}
			eq(t, buf, string(MSG), "buf")
		}, wf},
		"testReadline": {func(t *T, f *F) {
			var line string
			if fc.readText {
				line = must(f.ReadFile.ReadLineText())(t, "read_file.readline()")
			} else {
				line = string(must(f.ReadFile.ReadLine())(t, "read_file.readline()"))
			}
			eq(t, line, string(MSG), "line")
		}, wf},
		"testCloseAfterMakefile": {func(t *T, f *F) {
			f.CliConn.Close()
			msg, _ := fc.read(t, f, -1)
			eq(t, msg, string(MSG), "msg")
		}, wf},
		"testMakefileAfterMakefileClose": {func(t *T, f *F) {
			f.ReadFile.Close()
			msg := must(f.CliConn.Recv(len(MSG)))(t, "cli_conn.recv(len(MSG))")
			eq(t, string(msg), string(MSG), "msg")
		}, wf},
		"testClosedAttr": {func(t *T, f *F) {
			truth(t, !f.ReadFile.Closed(), "not read_file.closed")
		}, func(t *T, f *F) {
			truth(t, !f.WriteFile.Closed(), "not write_file.closed")
		}},
		"testAttributes": {func(t *T, f *F) {
			m, _ := f.ReadFile.Mode()
			eq(t, m, fc.readMode, "read_file.mode")
			eq(t, f.ReadFile.Name(), f.CliConn.Fileno(), "read_file.name")
		}, func(t *T, f *F) {
			m, _ := f.WriteFile.Mode()
			eq(t, m, fc.writeMode, "write_file.mode")
			eq(t, f.WriteFile.Name(), f.ServConn.Fileno(), "write_file.name")
		}},
		"testRealClose": {test: func(t *T, f *F) {
			f.ReadFile.Close()
			_, err := f.ReadFile.Fileno()
			raises[*pyerr.ValueError](t, err, "read_file.fileno()")
			f.CliConn.Close()
			_, err = f.CliConn.GetSockName()
			raises[*pyerr.OSError](t, err, "cli_conn.getsockname()")
		}},
	}
}

func unbufferedTests(fc fileClass) map[string]half {
	return map[string]half{
		"testUnbufferedReadline": {func(t *T, f *F) {
			line := must(f.ReadFile.ReadLine())(t, "read_file.readline()")
			eq(t, string(line), "A. "+string(MSG), "first line")
			// Rebinding self.read_file drops the last reference to the
			// first file, which CPython closes at once.
			old := f.ReadFile
			f.ReadFile = must(f.CliConn.MakeFile("rb", pysock.MakeFileOptions{Buffering: 0}))(t, "cli_conn.makefile('rb', 0)")
			old.Close()
			line = must(f.ReadFile.ReadLine())(t, "read_file.readline()")
			eq(t, string(line), "B. "+string(MSG), "second line")
		}, func(t *T, f *F) {
			fc.write(t, f, "A. ")
			fc.write(t, f, "B. ")
			ok(t, f.WriteFile.Flush(), "write_file.flush()")
		}},
		"testMakefileClose": {func(t *T, f *F) {
			f.CliConn.Close()
			eq(t, must(f.CliConn.Recv(1024))(t, "cli_conn.recv(1024)"), MSG, "msg")
			f.ReadFile.Close()
			_, err := f.CliConn.Recv(1024)
			raises[*pyerr.OSError](t, err, "cli_conn.recv(1024)")
		}, func(t *T, f *F) { fc.writeFlush(t, f) }},
		"testSmallReadNonBlocking": {func(t *T, f *F) {
			ok(t, f.CliConn.SetBlocking(false), "cli_conn.setblocking(False)")
			eq(t, must(f.ReadFile.ReadInto(make([]byte, 10)))(t, "read_file.readinto(bytearray(10))"), -1, "readinto() is None")
			b := must(f.ReadFile.ReadN(len(MSG)-3))(t, "read_file.read(len(read_msg) - 3)")
			truth(t, b == nil, "read_file.read(…) is None")
			f.evt1.set()
			f.evt2.wait(time.Second)
			first := must(f.ReadFile.ReadN(len(MSG)-3))(t, "read_file.read(len(read_msg) - 3)")
			if first == nil {
				time.Sleep(500 * time.Millisecond)
				first = must(f.ReadFile.ReadN(len(MSG)-3))(t, "read_file.read(len(read_msg) - 3)")
			}
			buf := make([]byte, 10)
			n := must(f.ReadFile.ReadInto(buf))(t, "read_file.readinto(buf)")
			eq(t, n, 3, "n")
			if n >= 0 {
				eq(t, append(first, buf[:n]...), MSG, "msg")
			}
			eq(t, must(f.ReadFile.ReadInto(make([]byte, 16)))(t, "read_file.readinto(bytearray(16))"), -1, "readinto() is None")
			b = must(f.ReadFile.ReadN(1))(t, "read_file.read(1)")
			truth(t, b == nil, "read_file.read(1) is None")
		}, func(t *T, f *F) {
			f.evt1.wait(time.Second)
			fc.writeFlush(t, f)
			f.evt2.set()
			f.servFinished.wait(5 * time.Second)
		}},
		"testWriteNonBlocking": {func(t *T, f *F) {
			f.cliFinished.wait(5 * time.Second)
			if f.servSkipped != "" {
				t.Skip(f.servSkipped)
			}
		}, func(t *T, f *F) {
			ok(t, f.ServConn.SetBlocking(false), "serv_conn.setblocking(False)")
			big := rep('x', 16*1024*1024+1) // support.SOCK_MAX_SIZE
			// write() is WriteSome (io.Writer's Write sends it all);
			// -1 stands for None.
			write := func() (int, bool) {
				n, err := f.WriteFile.WriteSome(big)
				ok(t, err, "write_file.write(BIG)")
				return n, n == -1
			}
			n, none := write()
			truth(t, !none && n > 0, fmt.Sprintf("first write() > 0 (got n=%d, None=%v)", n, none))
			for range 10 {
				n, none = write()
				if none {
					return
				}
				truth(t, n > 0, "write() > 0")
			}
			f.servSkipped = "failed to saturate the socket buffer"
		}},
	}
}

func init() {
	for _, fc := range fileClasses {
		methods := fc.tests()
		if fc.bufsize == 0 {
			for k, v := range unbufferedTests(fc) {
				methods[k] = v
			}
			notApplicable("test_socket", fc.name, "sys.getrefcount", "testMakefileCloseSocketDestroy")
		}
		threadedPorts("test_socket", fc.name, fc.fixture(), methods)
	}
}
