package c2s

import (
	"io"
	"net"
)

// input returns what the stream reader of a connection reads. The reader
// buffers by itself and hands its buffer back whenever it has consumed
// all it read; on plain TCP the source can also wait for input
// (tcpSource.WaitReadable), so a connection waiting for its next stanza
// holds no buffer at all.
func input(c net.Conn) io.Reader { return newSource(c) }

// rawIn returns the bytes of the element just read, as the client wrote
// them, for the trace to record without serialising the element again.
func (s *session) rawIn() []byte {
	if s.cfg.Hooks.Trace.Empty() {
		return nil
	}
	return s.reader.Raw()
}
