package socketserver

// ThreadCount is len(server._threads).
func ThreadCount(m *ThreadingMixIn) int { return m.threadCount() }
