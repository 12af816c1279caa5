package xclient

import "bufio"

// Available sends initial presence (RFC 6121 §4.2), which makes the
// session available to its contacts and has the server probe theirs.
func (c *Conn) Available() error { return c.SendRaw("<presence/>") }

// Writer is the buffered writer of the stream, for callers that write
// many stanzas of their own and flush them in batches.
func (c *Conn) Writer() *bufio.Writer { return c.w }

// Scanner frames the server's elements without parsing them, for
// callers that read many. Once it has been read from, Next must not be
// used.
func (c *Conn) Scanner() *Scanner {
	if c.sc == nil {
		c.sc = NewScanner(c.br)
	}
	return c.sc
}

// Raw is the buffered reader under the stream, for callers that frame
// the server's elements themselves. Once it has been read from, Next
// must not be used.
func (c *Conn) Raw() *bufio.Reader { return c.br }
