package xclient

import (
	"bufio"
	"errors"
	"strings"
	"testing"
)

// frameAll frames input fed in chunks of size bytes, as an event loop
// receives it, and returns the elements and the error that ended it.
func frameAll(input string, size int) ([]string, error) {
	var got []string
	var buf []byte
	for off := 0; off < len(input); off += size {
		buf = append(buf, input[off:min(off+size, len(input))]...)
		for {
			el, n, err := Frame(buf)
			if err != nil {
				return got, err
			}
			if n == 0 {
				break
			}
			if el != nil {
				got = append(got, string(el))
			}
			buf = buf[n:]
		}
	}
	return got, nil
}

// scanAll frames input with Scanner, the reference.
func scanAll(input string) ([]string, error) {
	sc := NewScanner(bufio.NewReader(strings.NewReader(input)))
	var got []string
	for {
		el, err := sc.Next()
		if err != nil {
			return got, err
		}
		got = append(got, string(el))
	}
}

func TestFrameMatchesScanner(t *testing.T) {
	inputs := []string{
		"<presence/><message to='a'><body>1</body></message>",
		"\n <iq type='result' id='1'/>\n\t<presence><show>away</show></presence> ",
		`<message to="a>b" id='x/'><body>2</body></message><presence from='c/d'/>`,
		"<message><!-- <b> --><body>3</body></message>",
		"<presence/></stream:stream>",
		"<?xml version='1.0'?><stream:stream xmlns='jabber:client' version='1.0'><stream:features/>",
		`<?xml version="1.0"?><stream:stream xmlns="jabber:client" xmlns:stream="http://etherx.jabber.org/streams" id="1" version="1.0"><stream:features><mechanisms xmlns="urn:ietf:params:xml:ns:xmpp-sasl"><mechanism>PLAIN</mechanism></mechanisms></stream:features>`,
		"<message><body><![CDATA[a<b>c]]></body></message><!---->x<presence/>",
		"<message xmlns='jabber:client' from='u@h/r'><body>5 &lt; 6</body></message></stream:stream>",
		"<message><body>4</bo",
		"<presence/><stream:error><conflict xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error></stream:stream>",
		"<stream:error>\n <policy-violation xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>",
	}
	for _, input := range inputs {
		want, wantErr := scanAll(input)
		for _, size := range []int{1, 3, 7, len(input)} {
			got, err := frameAll(input, size)
			if strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("%q in chunks of %d: %q, want %q", input, size, got, want)
			}
			if errors.Is(wantErr, ErrClosed) != errors.Is(err, ErrClosed) || condition(wantErr) != condition(err) {
				t.Errorf("%q in chunks of %d: end %v, want %v", input, size, err, wantErr)
			}
		}
	}
}

// condition is a stream error's condition, "-" for any other error.
func condition(err error) string {
	var se *StreamError
	if errors.As(err, &se) {
		return se.Condition
	}
	return "-"
}

func TestFrameLimitsElementSize(t *testing.T) {
	big := "<message><body>" + strings.Repeat("x", maxElement+1)
	if _, _, err := Frame([]byte(big)); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
}
