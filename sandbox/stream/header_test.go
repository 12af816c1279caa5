package stream

import (
	"io"
	"strings"
	"testing"
	"time"
)

// Header pieces, combined by the table below.
const (
	nsAttrs    = ` xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'`
	xmlDecl    = `<?xml version='1.0'?>`
	openTag    = `<stream:stream to='localhost' version='1.0'` + nsAttrs + `>`
	wrongSpace = `<stream:stream version='1.0' xmlns='jabber:client' xmlns:stream='urn:wrong'>`
)

func TestHeader(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Header
		cond string
	}{
		{
			name: "all attributes",
			in:   xmlDecl + `<stream:stream from='juliet@localhost' to='localhost' id='c2s1' version='1.0' xml:lang='fr'` + nsAttrs + `>`,
			want: Header{To: "localhost", From: "juliet@localhost", ID: "c2s1", Version: "1.0", Lang: "fr"},
		},
		{name: "no declaration", in: openTag, want: Header{To: "localhost", Version: "1.0"}},
		{name: "whitespace before the header", in: "\n\t " + openTag, want: Header{To: "localhost", Version: "1.0"}},
		{name: "whitespace after the declaration", in: xmlDecl + "\n" + openTag, want: Header{To: "localhost", Version: "1.0"}},
		{name: "declaration in double quotes", in: `<?xml version="1.0" encoding="UTF-8"?>` + openTag, want: Header{To: "localhost", Version: "1.0"}},
		{name: "stream prefix other than stream", in: `<s:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:s='http://etherx.jabber.org/streams'>`, want: Header{To: "localhost", Version: "1.0"}},
		{name: "foreign attributes are ignored", in: `<stream:stream f:to='x' f:version='2.0' xmlns:f='urn:f' to='localhost' version='1.0'` + nsAttrs + `>`, want: Header{To: "localhost", Version: "1.0"}},
		// RFC 6120 §11.5 allows one XML declaration before the header;
		// any other processing instruction is restricted (§11.1). Leniency
		// on purpose: whitespace may precede the declaration, since a
		// client's newline at the end of the previous stream arrives just
		// before a restarted stream's declaration.
		{name: "declaration after whitespace", in: "\n" + xmlDecl + openTag, want: Header{To: "localhost", Version: "1.0"}},
		{name: "two declarations", in: xmlDecl + xmlDecl + openTag, cond: RestrictedXML},
		{name: "processing instruction", in: `<?style x?>` + openTag, cond: RestrictedXML},
		{name: "comment", in: xmlDecl + `<!-- hi -->` + openTag, cond: RestrictedXML},
		{name: "doctype", in: `<!DOCTYPE stream>` + openTag, cond: RestrictedXML},
		{name: "text", in: `hello` + openTag, cond: NotWellFormed},
		{name: "encoding other than UTF-8", in: `<?xml version='1.0' encoding='ISO-8859-1'?>` + openTag, cond: UnsupportedEncoding},
		{name: "XML 1.1", in: `<?xml version='1.1'?>` + openTag, cond: NotWellFormed},
		// RFC 6120 §4.8.1 and §4.9.3.10.
		{name: "wrong stream namespace", in: wrongSpace, cond: InvalidNamespace},
		{name: "stream element not in a namespace", in: `<stream to='localhost' version='1.0' xmlns='jabber:client'>`, cond: InvalidNamespace},
		{name: "content namespace jabber:server", in: `<stream:stream version='1.0' xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams'>`, cond: InvalidNamespace},
		{name: "no content namespace", in: `<stream:stream version='1.0' xmlns:stream='http://etherx.jabber.org/streams'>`, cond: InvalidNamespace},
		// RFC 6120 §4.9.3.2.
		{name: "stream prefix unbound", in: `<stream:stream to='localhost' version='1.0' xmlns='jabber:client'>`, cond: BadNamespacePrefix},
		{name: "attribute prefix unbound", in: `<stream:stream x:to='localhost' version='1.0'` + nsAttrs + `>`, cond: BadNamespacePrefix},
		{name: "empty input", in: ``, cond: io.EOF.Error()},
		{name: "cut short", in: `<stream:stream to='local`, cond: io.ErrUnexpectedEOF.Error()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := NewReader(strings.NewReader(tt.in), 0).Header()
			if got := condition(err); got != tt.cond {
				t.Fatalf("error %v, want %q", err, tt.cond)
			}
			if h != tt.want {
				t.Fatalf("header %+v, want %+v", h, tt.want)
			}
		})
	}
}

func TestNextBeforeHeaderIsBadFormat(t *testing.T) {
	_, err := NewReader(strings.NewReader(`<message/>`), 0).Next()
	if condition(err) != BadFormat {
		t.Fatalf("Next before Header: %v, want %s", err, BadFormat)
	}
}

// TestHeaderRefusesTextAtOnce checks that text where the header should be
// is refused as soon as it arrives, not when a '<' finally ends it: a
// client speaking another protocol may never send one.
func TestHeaderRefusesTextAtOnce(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	go pw.Write([]byte("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n"))
	done := make(chan error, 1)
	go func() {
		_, err := NewReader(pr, 0).Header()
		done <- err
	}()
	select {
	case err := <-done:
		if condition(err) != NotWellFormed {
			t.Fatalf("error %v, want %s", err, NotWellFormed)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Header is still waiting for more input")
	}
}
