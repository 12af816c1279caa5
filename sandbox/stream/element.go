package stream

import (
	"bytes"
	"slices"

	"github.com/xmppsandbox/xmppsandbox/sandbox/stanza"
)

// frame is an element being read: its start tag as written, and where
// its children begin in r.kids.
type frame struct {
	el   *stanza.Element
	name qname
	kids int
}

// element reads the element whose start tag begins the current token,
// returning it and the token's length.
func (r *Reader) element() (*stanza.Element, int, error) {
	r.stack, r.kids, r.text = r.stack[:0], r.kids[:0], r.text[:0]
	i, err := r.open(1)
	for err == nil && len(r.stack) > 0 {
		i, err = r.content(i)
	}
	if err != nil {
		clear(r.kids) // let the collector have what was built
		return nil, 0, err
	}
	root := r.kids[0]
	r.kids[0] = nil // the scratch list must not keep the stanza alive
	r.kids = r.kids[:0]
	return root, i, nil
}

// content reads the next piece of the innermost open element at i:
// character data, a CDATA section, a child or its end tag.
func (r *Reader) content(i int) (int, error) {
	c, err := r.byteAt(i)
	if err != nil {
		return 0, midToken(err)
	}
	if c != '<' {
		i, stop, err := r.scanText(i, inContent, 0)
		if err == nil && stop != nil {
			err = midToken(stop)
		}
		return i, err
	}
	if c, err = r.byteAt(i + 1); err != nil {
		return 0, midToken(err)
	}
	if c == '!' {
		kind, n, err := r.bang(i + 2)
		if err == nil && kind != bangCDATA {
			err = kind.refusal()
		}
		return n, err // a CDATA section joins the text around it
	}
	r.flushText()
	switch c {
	case '/':
		return r.close(i + 2)
	case '?':
		if _, _, err := r.procInst(i + 2); err != nil {
			return 0, err
		}
		return 0, errorf(RestrictedXML, "processing instructions are not allowed")
	}
	return r.open(i + 1)
}

// open reads a start tag from its name at i and opens the element.
func (r *Reader) open(i int) (int, error) {
	name, n, empty, err := r.startTag(i)
	if err != nil {
		return 0, err
	}
	el, err := r.resolve(name, NotWellFormed)
	if err != nil {
		return 0, err
	}
	r.stack = append(r.stack, frame{el: el, name: name, kids: len(r.kids)})
	if empty {
		r.finish()
	}
	return n, nil
}

// close reads an end tag from its name at i, which must repeat the start
// tag, prefix included (XML 1.0 §3, Element Type Match).
func (r *Reader) close(i int) (int, error) {
	name, n, err := r.endTag(i)
	if err != nil {
		return 0, err
	}
	w := r.window()
	if !bytes.Equal(name.raw(w), r.stack[len(r.stack)-1].name.raw(w)) {
		return 0, errorf(NotWellFormed, "mismatched end tag </"+string(name.local(w))+">")
	}
	r.finish()
	return n, nil
}

// finish closes the innermost element: its children move from the
// scratch list to a slice of their own, and it joins its parent's.
func (r *Reader) finish() {
	r.ns.pop()
	f := r.stack[len(r.stack)-1]
	r.stack[len(r.stack)-1] = frame{}
	r.stack = r.stack[:len(r.stack)-1]
	if kids := r.kids[f.kids:]; len(kids) > 0 {
		f.el.Nodes = slices.Clone(kids)
		clear(kids)
		r.kids = r.kids[:f.kids]
	}
	r.kids = append(r.kids, f.el)
}

// flushText ends a run of character data (text and CDATA sections
// merged, as one node) before markup that is not part of it.
func (r *Reader) flushText() {
	if len(r.text) > 0 {
		r.kids = append(r.kids, &stanza.Element{Text: string(r.text)})
		r.text = r.text[:0]
	}
}
