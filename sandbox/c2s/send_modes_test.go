package c2s

// sendModes are the ways BenchmarkSend has a queue write: through from
// the sender where it can, or always by the writer goroutine.
var sendModes = []struct {
	name    string
	prepare func(*outQueue)
}{
	{"write-through", func(*outQueue) {}},
	{"queued", func(q *outQueue) { q.direct = nil }},
}
