package stanza

// sharedContent is the serialised children of an element that is about
// to be sent to many recipients as readdressed copies: the copies differ
// only in their root attributes, so each writer copies these bytes
// instead of walking the same children again.
type sharedContent struct {
	first *Element // e.Nodes[0] when serialised, to notice a replaced slice
	n     int      // len(e.Nodes) when serialised
	ns    string   // the namespace the children were written in
	xml   []byte
}

// ShareContent serialises e's children once, for the copies Readdressed
// and ShallowCopy make from now on. Copies already share e's children,
// so they must not change anyway; a copy whose child list is replaced or
// extended is noticed and written in full. Call it before handing e to
// other goroutines.
func (e *Element) ShareContent() {
	if e.IsText() || e.Name.Space == NSStream || len(e.Nodes) == 0 {
		return
	}
	var buf []byte
	for _, c := range e.Nodes {
		buf = c.appendXML(buf, e.Name.Space)
	}
	e.shared = &sharedContent{first: e.Nodes[0], n: len(e.Nodes), ns: e.Name.Space, xml: buf}
}

// sharedXML returns the cached children of e written in namespace ns, if
// they still match e's children.
func (e *Element) sharedXML(ns string) ([]byte, bool) {
	s := e.shared
	if s == nil || s.ns != ns || s.n != len(e.Nodes) || s.n == 0 || s.first != e.Nodes[0] {
		return nil, false
	}
	return s.xml, true
}
