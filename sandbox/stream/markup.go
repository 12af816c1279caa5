package stream

// bangKind is what a "<!" token turned out to be.
type bangKind uint8

const (
	bangComment bangKind = iota
	bangCDATA
	bangDirective
)

// refusal is the stream error for a comment or a DTD part (RFC 6120
// §11.1).
func (k bangKind) refusal() error {
	if k == bangComment {
		return errorf(RestrictedXML, "comments are not allowed")
	}
	return errorf(RestrictedXML, "DTDs and entity declarations are not allowed")
}

// bang reads the token whose "<!" ends before i, to its end: a comment,
// a CDATA section (decoded into r.text) or a directive. The whole token
// is read before it is refused, so that one larger than the limit is a
// policy violation, as it always was.
func (r *Reader) bang(i int) (bangKind, int, error) {
	c, err := r.byteAt(i)
	if err != nil {
		return 0, 0, midToken(err)
	}
	switch c {
	case '-':
		n, err := r.comment(i + 1)
		return bangComment, n, err
	case '[':
		n, err := r.cdata(i + 1)
		return bangCDATA, n, err
	}
	n, err := r.directive(i + 1)
	return bangDirective, n, err
}

// comment reads a comment from after "<!-": the first "--" must end it.
func (r *Reader) comment(i int) (int, error) {
	if err := r.expect(i, "-", "invalid sequence <!- not part of <!--"); err != nil {
		return 0, err
	}
	dashes := 0
	for i++; ; i++ {
		c, err := r.byteAt(i)
		if err != nil {
			return 0, midToken(err)
		}
		switch {
		case dashes == 2 && c == '>':
			return i + 1, nil
		case dashes == 2:
			return 0, errorf(NotWellFormed, `invalid sequence "--" not allowed in comments`)
		case c == '-':
			dashes++
		default:
			dashes = 0
		}
	}
}

// cdata reads a CDATA section from after "<![".
func (r *Reader) cdata(i int) (int, error) {
	if err := r.expect(i, "CDATA[", "invalid <![ sequence"); err != nil {
		return 0, err
	}
	n, _, err := r.scanText(i+len("CDATA["), inCDATA, 0)
	return n, err
}

// expect checks that the bytes at i spell want, failing at the first that
// does not.
func (r *Reader) expect(i int, want, complaint string) error {
	for k := range len(want) {
		c, err := r.byteAt(i + k)
		if err != nil {
			return midToken(err)
		}
		if c != want[k] {
			return errorf(NotWellFormed, complaint)
		}
	}
	return nil
}

// directive finds the end of a <!DOCTYPE …>, <!ENTITY …> or any other
// "<!" token, reading from the byte after the one that follows "<!" (that
// byte is taken as it is). Quoted '<' and '>' do not nest; comments
// inside are skipped. These are the bounds encoding/xml drew.
func (r *Reader) directive(i int) (int, error) {
	var quote byte
	depth := 0
	for ; ; i++ {
		c, err := r.byteAt(i)
		if err != nil {
			return 0, midToken(err)
		}
		if quote == 0 && c == '>' && depth == 0 {
			return i + 1, nil
		}
		if i, quote, depth, err = r.directiveByte(i, c, quote, depth); err != nil {
			return 0, err
		}
	}
}

// directiveByte follows quotes and nesting over the byte c at i. A '<'
// outside quotes starts a comment if "!--" follows, skipped to its "-->";
// otherwise it opens a level and the byte that broke the "<!--" is taken
// in turn (without ending the directive). It returns the offset of the
// last byte handled.
func (r *Reader) directiveByte(i int, c, quote byte, depth int) (int, byte, int, error) {
	for {
		switch {
		case c == quote:
			return i, 0, depth, nil
		case quote != 0:
			return i, quote, depth, nil
		case c == '\'' || c == '"':
			return i, c, depth, nil
		case c == '>':
			return i, 0, depth - 1, nil
		case c != '<':
			return i, 0, depth, nil
		}
		k, b, err := r.commentOpener(i)
		if err != nil {
			return 0, 0, 0, err
		}
		if k == len("!--") {
			i, err := r.skipDirectiveComment(i + 4)
			return i, 0, depth, err
		}
		i, c, depth = i+1+k, b, depth+1
	}
}

// commentOpener matches "!--" after the '<' at i: k is how many bytes
// matched and b the byte that broke the match.
func (r *Reader) commentOpener(i int) (k int, b byte, err error) {
	for k = range len("!--") {
		if b, err = r.byteAt(i + 1 + k); err != nil {
			return 0, 0, midToken(err)
		}
		if b != "!--"[k] {
			return k, b, nil
		}
	}
	return len("!--"), 0, nil
}

// skipDirectiveComment skips a comment inside a directive from the byte
// after its "<!--" to the "-->" that ends it, returning the offset of its
// '>'.
func (r *Reader) skipDirectiveComment(i int) (int, error) {
	var b0, b1 byte
	for ; ; i++ {
		c, err := r.byteAt(i)
		if err != nil {
			return 0, midToken(err)
		}
		if b0 == '-' && b1 == '-' && c == '>' {
			return i, nil
		}
		b0, b1 = b1, c
	}
}
