package main

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// xmlNode is an element or a run of text, kept as written: prefixes are
// not resolved, so the printed XML is the XML that crossed the wire.
type xmlNode struct {
	start    xml.StartElement
	text     string
	isText   bool
	children []*xmlNode
}

// prettyXML indents nested elements by two spaces. An element holding
// only text stays on one line, so <body>hi</body> reads as it was sent.
// Text that does not parse is returned unchanged.
func prettyXML(text string) string {
	nodes, err := parseNodes(text)
	if err != nil {
		return text
	}
	var b strings.Builder
	for _, n := range nodes {
		writeNode(&b, n, 0)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// parseNodes reads text into a forest of nodes.
func parseNodes(text string) ([]*xmlNode, error) {
	d := xml.NewDecoder(strings.NewReader(text))
	root := &xmlNode{}
	stack := []*xmlNode{root}
	for {
		tok, err := d.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		top := stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			n := &xmlNode{start: t.Copy()}
			top.children = append(top.children, n)
			stack = append(stack, n)
		case xml.EndElement:
			if len(stack) == 1 {
				return nil, errors.New("unbalanced end tag")
			}
			stack = stack[:len(stack)-1]
		case xml.CharData:
			top.children = append(top.children, &xmlNode{text: string(t), isText: true})
		}
	}
	if len(stack) != 1 {
		return nil, errors.New("unclosed element")
	}
	return elementsOf(root), nil
}

// elementsOf drops the whitespace between top-level elements.
func elementsOf(root *xmlNode) []*xmlNode {
	var out []*xmlNode
	for _, n := range root.children {
		if !n.isText || strings.TrimSpace(n.text) != "" {
			out = append(out, n)
		}
	}
	return out
}

// writeNode writes n at the given depth, one element or text per line.
func writeNode(b *strings.Builder, n *xmlNode, depth int) {
	indent := strings.Repeat("  ", depth)
	if n.isText {
		if t := strings.TrimSpace(n.text); t != "" {
			b.WriteString(indent + escapeText(t) + "\n")
		}
		return
	}
	b.WriteString(indent + openTag(n.start))
	switch {
	case len(n.children) == 0:
		b.WriteString("/>\n")
	case len(n.children) == 1 && n.children[0].isText:
		b.WriteString(">" + escapeText(n.children[0].text) + "</" + qname(n.start.Name) + ">\n")
	default:
		b.WriteString(">\n")
		for _, c := range n.children {
			writeNode(b, c, depth+1)
		}
		b.WriteString(indent + "</" + qname(n.start.Name) + ">\n")
	}
}

// openTag writes a start tag without its closing bracket.
func openTag(s xml.StartElement) string {
	var b strings.Builder
	b.WriteString("<" + qname(s.Name))
	for _, a := range s.Attr {
		b.WriteString(" " + qname(a.Name) + "='" + escapeAttr(a.Value) + "'")
	}
	return b.String()
}

// escapeText escapes character data.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// escapeAttr escapes a value written between single quotes.
func escapeAttr(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", "'", "&apos;", "\n", "&#xA;", "\t", "&#x9;").Replace(s)
}
