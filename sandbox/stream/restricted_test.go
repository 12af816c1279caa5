package stream

import (
	"strings"
	"testing"
)

// billionLaughs is the classic entity expansion attack: ten nested
// entities that would expand to a billion "lol"s.
func billionLaughs() string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE lolz [<!ENTITY lol "lol">`)
	prev := "lol"
	for i := 1; i <= 9; i++ {
		name := "lol" + string(rune('0'+i))
		b.WriteString(`<!ENTITY ` + name + ` "` + strings.Repeat("&"+prev+";", 10) + `">`)
		prev = name
	}
	b.WriteString(`]>`)
	return b.String()
}

// TestRestrictedXML checks RFC 6120 §11.1: comments, processing
// instructions, DTDs and entity declarations end the stream with
// restricted-xml, between stanzas or inside one.
func TestRestrictedXML(t *testing.T) {
	lolz := billionLaughs()
	tests := []struct{ name, in string }{
		{"doctype", `<!DOCTYPE message>`},
		{"doctype with internal subset", `<!DOCTYPE message [<!ELEMENT message ANY>]>`},
		{"entity declaration", `<!ENTITY x "y">`},
		{"billion laughs", lolz + `<lolz>&lol9;</lolz>`},
		{"billion laughs inside a stanza", `<message>` + lolz + `<body>&lol9;</body></message>`},
		{"comment", `<!-- hello -->`},
		{"comment inside a stanza", `<message><body>a<!-- hello -->b</body></message>`},
		{"processing instruction", `<?php echo 1; ?>`},
		{"processing instruction inside a stanza", `<message><?x y?></message>`},
		{"XML declaration after the header", `<?xml version='1.0'?><message/>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openStream(t, tt.in, 0).Next()
			if condition(err) != RestrictedXML {
				t.Fatalf("error %v, want %s", err, RestrictedXML)
			}
		})
	}
}

// TestNotWellFormed checks RFC 6120 §11.3: XML that is not well-formed
// (XML 1.0 §2.1, Namespaces in XML §7) ends the stream with
// not-well-formed.
func TestNotWellFormed(t *testing.T) {
	tests := []struct{ name, in string }{
		{"undefined entity", `<message><body>&lol;</body></message>`},
		{"undefined entity in an attribute", `<message id='&lol;'/>`},
		{"mismatched end tag", `<message><body></message>`},
		{"end tag with another prefix", `<c:message xmlns:c='jabber:client'></message>`},
		{"end tag with another local name", `<message></iq>`},
		{"invalid UTF-8 in text", "<message><body>\xff\xfe</body></message>"},
		{"invalid UTF-8 in an attribute", "<message id='\xc3\x28'/>"},
		{"truncated UTF-8 sequence", "<message><body>\xe2\x82</body></message>"},
		{"control character", "<message><body>a\x01b</body></message>"},
		{"NUL character", "<message id='a\x00'/>"},
		{"control character reference", `<message><body>&#1;</body></message>`},
		{"NUL character reference", `<message id='&#0;'/>`},
		{"unquoted attribute", `<message id=1/>`},
		{"duplicate attribute", `<message id='1' id='2'/>`},
		{"duplicate attribute through two prefixes", `<message xmlns:a='urn:x' xmlns:b='urn:x' a:id='1' b:id='2'/>`},
		{"less-than in an attribute", `<message id='<'/>`},
		{"unbound element prefix", `<x:message/>`},
		{"unbound attribute prefix", `<message x:id='1'/>`},
		{"bad name", `<1message/>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := openStream(t, tt.in, 0).Next()
			if condition(err) != NotWellFormed {
				t.Fatalf("error %v, want %s", err, NotWellFormed)
			}
		})
	}
}
