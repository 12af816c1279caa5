package xclient

import "bytes"

// StreamError is the server's stream error (RFC 6120 §4.9): the stream
// is over, and Condition says why, such as "conflict" when another login
// took the session's resource.
type StreamError struct {
	Condition string // empty if the server named none
}

func (e *StreamError) Error() string {
	if e.Condition == "" {
		return "stream error from the server, without a condition"
	}
	return "stream error from the server: " + e.Condition
}

var streamErrorTag = []byte("<stream:error")

// streamError returns a *StreamError if el is a stream error, else nil.
// Its condition is the first child's name.
func streamError(el []byte) error {
	if !bytes.HasPrefix(el, streamErrorTag) || !nameEndsAt(el, len(streamErrorTag)) {
		return nil
	}
	e := &StreamError{}
	if i := bytes.IndexByte(el, '>'); i >= 0 {
		child := bytes.TrimLeft(el[i+1:], " \t\r\n")
		if len(child) > 1 && child[0] == '<' && child[1] != '/' {
			e.Condition = string(Name(child))
		}
	}
	return e
}

// nameEndsAt reports whether the tag name that starts el ends at i.
func nameEndsAt(el []byte, i int) bool {
	return i < len(el) && (isSpace(el[i]) || el[i] == '>' || el[i] == '/')
}
